"""The server side of the Lab face, under ``{base_url}api/supervision-workbook/``.

- ``verify?path=P``: the verdict on the notebook at contents path ``P`` (JSON, see
  :mod:`.verdict`). The file is read and parsed on the server; no kernel is involved.
- ``open/<workbook>?...``: where a Launcher card or a command points its tab. With a
  workspace, a redirect to the workbook in the Voila app behind the proxy (query kept); without
  one, a page that says how to set it (so the cards work, and explain, either way).
- ``static/page.css``: the style sheet of the ``open/`` pages (``lab/static/page.css``).
- ``open/case_review?artifact=P``: "Open as case review". The artifact is verified as above;
  a sound one opens its case in the case review, anything else shows the verdict instead.

Every handler requires Jupyter's login (``@web.authenticated``); paths are resolved by the
contents manager, which refuses anything outside the Jupyter root, and hidden files are
refused unless the server allows them.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from jupyter_server.base.handlers import APIHandler, JupyterHandler
from jupyter_server.utils import url_path_join
from tornado import web

from ..serve import WORKBOOKS
from .proxy import PREFIX
from .verdict import Verdict, verify
from .workspace import NoWorkspace, ServeError, SupervisionWorkbook, configure, lab_workspace

if TYPE_CHECKING:
    from jupyter_server.serverapp import ServerApp

API = "api/supervision-workbook"
#: What the cards open: the workbook names without ``.ipynb``.
OPENABLE = {Path(name).stem for name in WORKBOOKS}


def _os_path(handler: JupyterHandler, path: str) -> tuple[Path, str]:
    """The file behind contents path ``path``, and the path as the user sees it."""
    shown = path.strip("/")
    if not shown.endswith(".ipynb"):
        raise web.HTTPError(400, f"{shown or 'path'}: not a notebook (.ipynb)")
    manager = handler.contents_manager
    get_os_path = getattr(manager, "_get_os_path", None)
    if get_os_path is None:  # a contents manager that keeps no files on this disk
        raise web.HTTPError(501, "reviews can only be verified on a file-system contents manager")
    os_path = Path(get_os_path(shown))  # 404 for anything outside the root
    if not getattr(manager, "allow_hidden", False) and any(
        part.startswith(".") for part in Path(shown).parts
    ):
        raise web.HTTPError(404, f"{shown}: no such file")
    if not os_path.is_file():
        raise web.HTTPError(404, f"{shown}: no such file")
    return os_path, shown


class VerifyHandler(APIHandler):
    @web.authenticated
    def get(self) -> None:
        os_path, shown = _os_path(self, self.get_argument("path"))
        self.finish(json.dumps(verify(os_path, shown).as_json()))


#: The pages' style sheet, served beside the API (``STATIC``), so the page needs no inline style.
STATIC = Path(__file__).with_name("static")

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="{css}">
</head><body><main><h1>{title}</h1>{body}</main></body></html>"""


class OpenHandler(JupyterHandler):
    """Redirect a card to its workbook in the Voila app, or explain what is missing."""

    def _page(self, title: str, paragraphs: list[str], status: int = 200) -> None:
        body = "".join(f"<p>{text}</p>" for text in paragraphs)
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        css = html.escape(url_path_join(self.base_url, API, "static", "page.css"))
        self.finish(_PAGE.format(title=html.escape(title), css=css, body=body))

    def _app_url(self, workbook: str, query: dict[str, str]) -> str:
        url = url_path_join(self.base_url, PREFIX, "voila", "render", f"{workbook}.ipynb")
        return f"{url}?{urlencode(query)}" if query else url

    @web.authenticated
    def get(self, workbook: str) -> None:
        if workbook not in OPENABLE:
            raise web.HTTPError(404, f"no workbook called {workbook}")
        try:
            workspace = lab_workspace()
        except NoWorkspace as exc:
            self._page("Set a workspace first", [html.escape(str(exc))])
            return
        except ServeError as exc:
            self._page("The workspace cannot be used", [html.escape(str(exc))], status=409)
            return
        query = {k: self.get_argument(k) for k in ("trainee", "case") if self.get_argument(k, "")}
        artifact = self.get_argument("artifact", "")
        if artifact:
            verdict = verify(*_os_path(self, artifact))
            if not verdict.valid:
                self._page("This review cannot be opened", [_problem(verdict)], status=422)
                return
            if not _in_workspace(workspace, verdict):
                self._page("This review is not in the workspace", _not_in_workspace(self, verdict))
                return
            query = {"trainee": str(verdict.trainee_id), "case": str(verdict.case_id)}
        self.redirect(self._app_url(workbook, query))


def _problem(verdict: Verdict) -> str:
    return f'<span class="problem">{html.escape(verdict.message)}</span>'


def _in_workspace(workspace: Path, verdict: Verdict) -> bool:
    from ..store import Workspace

    if verdict.review_id is None:
        return False
    return Workspace(workspace).find(verdict.review_id) is not None


def _not_in_workspace(handler: OpenHandler, verdict: Verdict) -> list[str]:
    link = html.escape(handler._app_url("case_review", {}))
    return [
        html.escape(verdict.message),
        html.escape(
            f"The workspace has no review {verdict.review_id} (case {verdict.case_code}). "
            "To bring it in, open the case review and use \u201cUpload a trainee\u2019s "
            "workbook\u201d; the file is verified again there before anything is saved."
        ),
        f'<a href="{link}">Open the case review</a>',
    ]


def setup_handlers(server_app: ServerApp) -> None:
    """Add the handlers and read ``SupervisionWorkbook.workspace`` from the server's config."""
    configure(SupervisionWorkbook(config=server_app.config).workspace)
    web_app = server_app.web_app
    base: str = web_app.settings["base_url"]
    handlers: list[tuple[Any, ...]] = [
        (url_path_join(base, API, "verify"), VerifyHandler),
        (url_path_join(base, API, "open", r"([a-z_]+)"), OpenHandler),
        (
            url_path_join(base, API, "static", "(page\\.css)"),
            web.StaticFileHandler,
            {"path": str(STATIC)},
        ),
    ]
    web_app.add_handlers(".*$", handlers)
