/**
 * The JupyterLab face of supervision-workbook.
 *
 * - Launcher cards in a "Supervision" section, and the same commands in the palette, open
 *   the session workbook, the case review and the caseload in a Lab tab (an iframe) or in a
 *   browser tab. Every card points at `api/supervision-workbook/open/<workbook>` on the
 *   Jupyter server, which redirects to the Voila app behind the proxy, or explains how to
 *   set a workspace when none is set.
 * - On a notebook in the file browser: "Verify review" shows the verdict of
 *   `supervision-workbook validate`, and "Open as case review" opens the review's case.
 *   Both ask the server, which only parses the file: nothing in it is ever run. (Voila's
 *   own "Open With > Voila Preview" does run a notebook; the README says why our commands
 *   are the way to open a review.)
 *
 * Every token is optional, so that the plugin does no harm in a page that lacks the
 * Launcher, the palette or the file browser (a Voila page that loads all labextensions).
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  Dialog,
  ICommandPalette,
  IFrame,
  MainAreaWidget,
  WidgetTracker,
  showDialog
} from '@jupyterlab/apputils';
import { PageConfig, URLExt } from '@jupyterlab/coreutils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ILauncher } from '@jupyterlab/launcher';
import { ServerConnection } from '@jupyterlab/services';
import { LabIcon } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';

import { caseReviewSvg, caseloadSvg, sessionSvg, verifySvg } from './icons';

const API = 'api/supervision-workbook';
const CATEGORY = 'Supervision';

namespace CommandIDs {
  export const open = 'supervision-workbook:open';
  export const openInBrowser = 'supervision-workbook:open-in-browser-tab';
  export const verify = 'supervision-workbook:verify-review';
  export const openAsCaseReview = 'supervision-workbook:open-as-case-review';
}

interface IWorkbook {
  id: string;
  label: string;
  caption: string;
  icon: LabIcon;
}

const WORKBOOKS: IWorkbook[] = [
  {
    id: 'supervisee',
    label: 'Session workbook',
    caption: "A trainee's record of one session: alliance, ruptures, reflection",
    icon: new LabIcon({ name: 'supervision-workbook:session', svgstr: sessionSvg })
  },
  {
    id: 'case_review',
    label: 'Case review',
    caption: 'Supervisor and trainee review a case together and sign it off',
    icon: new LabIcon({ name: 'supervision-workbook:case-review', svgstr: caseReviewSvg })
  },
  {
    id: 'caseload',
    label: 'Caseload',
    caption: 'Every trainee and case: alliance, open flags, supervision hours',
    icon: new LabIcon({ name: 'supervision-workbook:caseload', svgstr: caseloadSvg })
  }
];
const verifyIcon = new LabIcon({ name: 'supervision-workbook:verify', svgstr: verifySvg });

function workbook(args: { workbook?: unknown }): IWorkbook {
  return WORKBOOKS.find(w => w.id === args.workbook) ?? WORKBOOKS[1];
}

/** Where a card or a command points: the server decides between app and explanation. */
function openUrl(id: string, query: Record<string, string> = {}): string {
  const url = URLExt.join(PageConfig.getBaseUrl(), API, 'open', id);
  const search = new URLSearchParams(query).toString();
  return search ? `${url}?${search}` : url;
}

/** The app in a Lab tab: an iframe on the same origin (the app is ours, behind our login). */
function appWidget(id: string, label: string, icon: LabIcon, url: string): MainAreaWidget {
  const content = new IFrame({
    sandbox: [
      'allow-scripts',
      'allow-same-origin',
      'allow-forms',
      'allow-downloads',
      'allow-modals',
      'allow-popups'
    ],
    referrerPolicy: 'same-origin'
  });
  content.url = url;
  content.addClass('swb-AppFrame');
  const iframe = content.node.querySelector('iframe');
  if (iframe) {
    iframe.title = label;
  }
  const widget = new MainAreaWidget({ content });
  widget.id = id;
  widget.title.label = label;
  widget.title.icon = icon;
  widget.title.closable = true;
  widget.addClass('swb-AppPanel');
  return widget;
}

interface IVerdict {
  path: string;
  valid: boolean;
  status: string;
  message: string;
  signed_off: boolean;
  notes: string[];
}

async function fetchVerdict(path: string): Promise<IVerdict> {
  const settings = ServerConnection.makeSettings();
  const url =
    URLExt.join(settings.baseUrl, API, 'verify') + '?' + new URLSearchParams({ path });
  const response = await ServerConnection.makeRequest(url, {}, settings);
  const data = await response.json();
  if (!response.ok) {
    throw new Error(data.message || `${path}: the server answered ${response.status}`);
  }
  return data as IVerdict;
}

/** The dialog body; every text goes in through textContent, so it reaches the page escaped. */
function verdictBody(verdict: IVerdict): Widget {
  const node = document.createElement('div');
  node.className = `swb-Verdict swb-Verdict-${verdict.valid ? 'valid' : 'problem'}`;
  node.dataset.status = verdict.status;
  node.setAttribute('role', 'status');
  const status = document.createElement('p');
  status.className = 'swb-Verdict-status';
  status.textContent = verdict.valid
    ? verdict.signed_off
      ? 'Valid: signed off'
      : 'Valid'
    : `Not valid: ${verdict.status}`;
  const message = document.createElement('p');
  message.className = 'swb-Verdict-message';
  message.textContent = verdict.message;
  node.append(status, message);
  for (const note of verdict.notes) {
    const p = document.createElement('p');
    p.className = 'swb-Verdict-note';
    p.textContent = note;
    node.append(p);
  }
  const how = document.createElement('p');
  how.className = 'swb-Verdict-how';
  how.textContent =
    'Checked on the server as `supervision-workbook validate` does: read and compared, never run.';
  node.append(how);
  return new Widget({ node });
}

function errorBody(text: string): Widget {
  const node = document.createElement('p');
  node.className = 'swb-Verdict swb-Verdict-problem';
  node.setAttribute('role', 'alert');
  node.textContent = text;
  return new Widget({ node });
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: '@supervision-workbook/labextension:plugin',
  description: 'Launcher cards, commands and Verify review for supervision-workbook.',
  autoStart: true,
  optional: [ILauncher, ICommandPalette, IDefaultFileBrowser, ILayoutRestorer],
  activate: (
    app: JupyterFrontEnd,
    launcher: ILauncher | null,
    palette: ICommandPalette | null,
    browser: IDefaultFileBrowser | null,
    restorer: ILayoutRestorer | null
  ) => {
    const { commands, shell } = app;
    const tracker = new WidgetTracker<MainAreaWidget>({ namespace: 'supervision-workbook' });

    /** Open the tab, or bring it forward if it is open. Only the three workbook tabs are
     * tracked, so only they come back after a reload: a tab opened on a review file would
     * come back as a case review without its case. */
    function show(id: string, label: string, icon: LabIcon, url: string, track = true): void {
      for (const existing of shell.widgets('main')) {
        if (existing.id === id) {
          shell.activateById(id);
          return;
        }
      }
      const widget = appWidget(id, label, icon, url);
      if (track) {
        void tracker.add(widget);
      }
      shell.add(widget, 'main');
      shell.activateById(widget.id);
    }

    commands.addCommand(CommandIDs.open, {
      label: args => workbook(args).label,
      caption: args => workbook(args).caption,
      icon: args => workbook(args).icon,
      execute: args => {
        const wb = workbook(args);
        show(`swb-${wb.id}`, wb.label, wb.icon, openUrl(wb.id));
      }
    });
    commands.addCommand(CommandIDs.openInBrowser, {
      label: args => `${workbook(args).label} (browser tab)`,
      caption: args => `${workbook(args).caption}, in a new browser tab`,
      icon: args => workbook(args).icon,
      execute: args => {
        window.open(openUrl(workbook(args).id), '_blank', 'noopener');
      }
    });

    function selectedNotebook(): string | null {
      const item = browser?.selectedItems().next();
      if (!item || item.done || !item.value.path.endsWith('.ipynb')) {
        return null;
      }
      return item.value.path;
    }

    commands.addCommand(CommandIDs.verify, {
      label: 'Verify review',
      caption: 'Check this review artifact as `supervision-workbook validate` does (never runs it)',
      icon: verifyIcon,
      isVisible: () => selectedNotebook() !== null,
      execute: async () => {
        const path = selectedNotebook();
        if (!path) {
          return;
        }
        let body: Widget;
        try {
          body = verdictBody(await fetchVerdict(path));
        } catch (error) {
          body = errorBody(String((error as Error).message ?? error));
        }
        await showDialog({
          title: 'Verify review',
          body,
          buttons: [Dialog.okButton({ label: 'Close' })]
        });
      }
    });
    commands.addCommand(CommandIDs.openAsCaseReview, {
      label: 'Open as case review',
      caption: "Open this review's case in the case review (the file is only read)",
      icon: WORKBOOKS[1].icon,
      isVisible: () => selectedNotebook() !== null,
      execute: () => {
        const path = selectedNotebook();
        if (path) {
          const label = `Case review: ${path.split('/').pop()}`;
          const url = openUrl('case_review', { artifact: path });
          show(`swb-artifact-${path}`, label, WORKBOOKS[1].icon, url, false);
        }
      }
    });

    const selector = '.jp-DirListing-item[data-file-type="notebook"]';
    app.contextMenu.addItem({ type: 'separator', selector, rank: 50 });
    app.contextMenu.addItem({ command: CommandIDs.verify, selector, rank: 50.1 });
    app.contextMenu.addItem({ command: CommandIDs.openAsCaseReview, selector, rank: 50.2 });

    WORKBOOKS.forEach((wb, rank) => {
      const args = { workbook: wb.id };
      launcher?.add({ command: CommandIDs.open, args, category: CATEGORY, rank });
      palette?.addItem({ command: CommandIDs.open, args, category: CATEGORY });
      palette?.addItem({ command: CommandIDs.openInBrowser, args, category: CATEGORY });
    });

    if (restorer) {
      void restorer.restore(tracker, {
        command: CommandIDs.open,
        args: widget => ({ workbook: widget.id.replace(/^swb-/, '') }),
        name: widget => widget.id
      });
    }
  }
};

export default plugin;
