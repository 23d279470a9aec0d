"""Bringing trainees' work into a supervisor's workspace: collect it, or upload a file.

Two controls, one outcome (verified records saved through ``Workspace.save``):

* **Collect submissions**, where the server has a hub's exchange folder
  (``SUPERVISION_WORKBOOK_EXCHANGE``): :meth:`FolderExchange.collect` imports the latest
  sound version of every review of the supervisor's own trainees. The roster decides whose;
  a damaged or edited file is reported by name and the previous sound version is taken.
* **Upload a trainee's workbook**, everywhere (on Binder and laptops it is the only way in):
  :meth:`DownloadExchange.receive` verifies the file and stages it, and
  :meth:`DownloadExchange.collect` saves it. A bad file is refused with its reason before
  anything is staged, so it changes nothing.

Both report what happened in words (the exchange's :class:`CollectReport`) and then tell
the page which cases received something, so it can refresh its choice of trainee and case.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import ipywidgets as widgets

from supervision_workbook.ui.components.files import Upload
from supervision_workbook.ui.components.text import Notice
from supervision_workbook.ui.handover.submit import (
    ExchangeFactory,
    default_exchange,
    describe_exchange_error,
    folder_configured,
)

if TYPE_CHECKING:
    from supervision_workbook.artifact import LoadedArtifact
    from supervision_workbook.exchange import CollectReport, DownloadExchange
    from supervision_workbook.store import Workspace

log = logging.getLogger(__name__)

#: (trainee id, case id) of every case that received a new or newer record.
CaseKeys = list[tuple[str, str]]


def imported_cases(workspace: Workspace, report: CollectReport) -> CaseKeys:
    """The cases of the files a collect imported (the store knows its folders)."""
    found = (workspace.case_of(path) for path in report.imported)
    return list(dict.fromkeys(key for key in found if key is not None))


def report_lines(report: CollectReport) -> list[str]:
    """The report in sentences: the summary, each imported file, each refusal and why."""
    lines = [f"Collected: {report.summary()}."]
    lines += [f"Imported {Path(p).name}" for p in report.imported]
    lines += [f"Refused {r.source}: {r.reason}" for r in report.refused]
    lines += [
        f"Kept aside {c.source}: {c.reason}. The workspace's record was kept; the "
        f"submission is saved at {c.kept_at.name} in the conflicts folder for you to compare."
        for c in report.conflicts
    ]
    return lines


def report_kind(report: CollectReport) -> str:
    if report.refused:
        return "warning" if report.imported else "error"
    if report.conflicts:  # nothing was lost: the record stayed, the submission kept aside
        return "warning"
    return "success" if report.imported else "info"


class ReceivePanel(widgets.VBox):
    """The "Collect submissions" button (on a hub) and the upload (everywhere).

    ``on_received(cases)`` runs after anything was imported, with the (trainee id, case id)
    pairs that changed. ``collect`` shows the collect button (default: when an exchange
    folder is configured); ``exchange`` builds the exchange to collect from (default:
    :func:`exchange_for`), for tests.
    """

    def __init__(
        self,
        workspace: Workspace,
        on_received: Callable[[CaseKeys], None],
        *,
        collect: bool | None = None,
        exchange: ExchangeFactory | None = None,
        environ: Mapping[str, str] | None = None,
        upload_text: str = "Upload a trainee's workbook (.ipynb) to add it to this workspace:",
    ) -> None:
        self.ws = workspace
        self._on_received = on_received
        self._factory = exchange or default_exchange
        self._receiver: DownloadExchange | None = None
        show_collect = folder_configured(environ) if collect is None else collect
        self.collect_button = widgets.Button(
            description="Collect submissions",
            icon="inbox",
            button_style="primary",
            tooltip="Import your trainees' latest submissions from the exchange folder",
            layout=widgets.Layout(
                display=None if show_collect else "none", align_self="flex-start"
            ),
        ).add_class("swb-collect")
        self.collect_button.on_click(lambda _b: self.collect())
        self.collect_result = Notice(testid="swb-collect-result")
        self.upload = Upload(
            self._uploaded,
            description=upload_text,
            verify=self._verify,
            button="Upload a trainee's workbook",
        )
        self.upload.add_class("swb-receive-upload")
        parts: list[widgets.Widget] = [
            widgets.HTML("<h3 class='swb-form-title'>Trainees' work</h3>"),
        ]
        if show_collect:
            parts.append(
                widgets.HTML(
                    "<p class='swb-help'>Submissions wait in the exchange folder until you "
                    "collect them; collecting again is harmless.</p>"
                )
            )
        parts += [self.collect_button, self.collect_result, self.upload]
        super().__init__(parts, layout=widgets.Layout(width="100%"))
        self.add_class("swb-receive")

    @property
    def collect_shown(self) -> bool:
        return self.collect_button.layout.display != "none"

    # --- collect -----------------------------------------------------------------------------
    def collect(self) -> CollectReport | None:
        """Import what the exchange holds for this supervisor; returns the report."""
        self.collect_button.disabled = True
        try:
            report = self._factory().collect(self.ws)
        except Exception as exc:  # the roster, permissions, a missing folder: in words
            log.warning("collecting submissions failed: %s", exc)
            self.collect_result.show("error", f"Nothing collected: {describe_exchange_error(exc)}")
            return None
        finally:
            self.collect_button.disabled = False
        if not (report.imported or report.refused or report.unchanged or report.conflicts):
            self.collect_result.show("info", "Collected: there is nothing to collect yet.")
        else:
            self.collect_result.show(report_kind(report), report_lines(report))
        self._notify(imported_cases(self.ws, report))
        return report

    # --- upload ------------------------------------------------------------------------------
    def _verify(self, name: str, raw: bytes) -> LoadedArtifact:
        from supervision_workbook.exchange import DownloadExchange, ExchangeError

        if self._receiver is None:
            self._receiver = DownloadExchange()
        try:
            return self._receiver.receive(name, raw)
        except ExchangeError as exc:  # the Upload widget words ValueErrors
            raise ValueError(str(exc)) from None

    def _uploaded(self, loaded: LoadedArtifact, name: str) -> str:
        assert self._receiver is not None
        report = self._receiver.collect(self.ws)
        if report.refused:
            raise ValueError("; ".join(r.reason for r in report.refused))
        if report.conflicts:  # a submitted or signed record stays; the file is kept aside
            raise ValueError(
                "; ".join(
                    f"{c.reason}. The file was kept aside as {c.kept_at.name} in the "
                    "workspace's conflicts folder; the record on file is unchanged"
                    for c in report.conflicts
                )
            )
        review = loaded.review
        what = (
            f"{'session workbook' if review.kind.value == 'session' else 'case review'} "
            f"{review.id} of case {review.case.code} ({review.trainee.name})"
        )
        self._notify([(review.trainee.id, review.case.id)] if report.imported else [])
        if report.imported:
            return f"Imported the {what} into this workspace."
        if report.kept_newer:
            return (
                f"This workspace already holds a later version of the {what}; it was kept "
                "and the file was not imported."
            )
        return f"This workspace already holds exactly this {what}; nothing changed."

    def _notify(self, cases: CaseKeys) -> None:
        if not cases:
            return
        try:
            self._on_received(cases)
        except Exception:  # the import itself succeeded; a refresh problem is logged
            log.exception("the page could not refresh after an import")
