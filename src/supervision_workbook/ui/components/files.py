"""Files in and out of the page: a download button and an upload that refuses bad files.

Why not a server route: Voila serves notebooks, not the workspace (on purpose: artifacts
live outside the served folder), and on Binder the only way to keep work is to take the
file home. :class:`Download` builds the file in the kernel when the button is pressed and
hands it to the browser as a data URI (``widgets/download.js``). :class:`Upload` reads a
file that the person picks, parses and verifies it with :func:`artifact.loads` (never
executing anything in it), and only then hands the result over; a bad file gets its
error in words and changes nothing.

File names offered for download come from ids and dates (never from user text), and the
name of an uploaded file is only ever shown escaped.
"""

from __future__ import annotations

import base64
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import anywidget
import ipywidgets as widgets
import traitlets

from supervision_workbook.ui.components._assets import widget_source
from supervision_workbook.ui.components.text import Notice

if TYPE_CHECKING:
    from supervision_workbook.artifact import LoadedArtifact

log = logging.getLogger(__name__)

#: Types the download button may announce; anything else is refused rather than sent.
ALLOWED_MIME = frozenset({"application/x-ipynb+json", "application/json", "text/csv", "text/plain"})
#: An artifact is tens of kilobytes; anything far larger is not one of ours.
MAX_UPLOAD_BYTES = 5_000_000

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(name: str, default: str = "download") -> str:
    """A file name with only letters, digits, dot, dash and underscore (max 120 chars)."""
    cleaned = _UNSAFE.sub("_", name).strip("._")[:120]
    return cleaned or default


@dataclass(frozen=True)
class FilePayload:
    """What a download provider returns."""

    filename: str
    content: str | bytes
    mime: str = "application/x-ipynb+json"


class Download(anywidget.AnyWidget):
    """A button that downloads what ``provider()`` builds at the moment it is pressed.

    ``provider`` returns a :class:`FilePayload`; if it raises, the message is shown beside
    the button and nothing is downloaded.
    """

    _esm = widget_source("download.js")
    _css = widget_source("download.css")

    label = traitlets.Unicode("Download").tag(sync=True)
    description = traitlets.Unicode("").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)

    def __init__(
        self,
        provider: Callable[[], FilePayload],
        *,
        label: str = "Download",
        description: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(label=label, description=description or label, **kwargs)
        self.provider = provider
        self.add_class("swb-download-widget")
        self.on_msg(self._on_message)

    def prepare(self) -> dict[str, str]:
        """Build the message for the page (public so that tests and callers can check it)."""
        payload = self.provider()
        if payload.mime not in ALLOWED_MIME:
            raise ValueError(f"refusing to offer a download of type {payload.mime!r}")
        raw = (
            payload.content.encode("utf-8")
            if isinstance(payload.content, str)
            else bytes(payload.content)
        )
        filename = safe_filename(payload.filename)
        return {
            "type": "file",
            "filename": filename,
            "mime": payload.mime,
            "b64": base64.b64encode(raw).decode("ascii"),
        }

    def _on_message(self, _widget: object, content: object, _buffers: object) -> None:
        if not isinstance(content, dict) or content.get("type") != "request":
            return  # the page is untrusted: ignore anything but the one known message
        try:
            message = self.prepare()
        except Exception as exc:
            log.warning("download failed: %s", exc)
            self.status = f"Could not prepare the download: {exc}"
            self.send({"type": "error", "message": self.status})
            return
        size = len(message["b64"]) * 3 // 4
        self.status = f"Downloaded {message['filename']} ({max(1, size // 1024)} kB)"
        self.send(message)


class Upload(widgets.VBox):
    """Pick an artifact file; it is parsed and verified before ``on_loaded`` sees it.

    ``on_loaded(loaded, filename)`` applies the artifact and returns a message; it may raise
    ``ValueError`` to refuse it (a case review offered to the session workbook), and should
    change nothing in that case. Every outcome is shown in words under the picker.

    ``verify(filename, raw)`` replaces the default check (UTF-8, then ``artifact.loads``),
    e.g. with ``DownloadExchange.receive``, which checks and stages the file for
    collecting; it raises ``ArtifactError`` or ``ValueError`` to refuse the file.
    """

    def __init__(
        self,
        on_loaded: Callable[[LoadedArtifact, str], str],
        *,
        description: str = "Open a saved workbook (.ipynb)",
        max_bytes: int = MAX_UPLOAD_BYTES,
        verify: Callable[[str, bytes], LoadedArtifact] | None = None,
        button: str = "Upload",
    ) -> None:
        self.on_loaded = on_loaded
        self.max_bytes = max_bytes
        self.verify = verify
        self.picker = widgets.FileUpload(
            accept=".ipynb",
            multiple=False,
            description=button,
            tooltip=description,
            icon="upload",
        ).add_class("swb-upload")
        self.result = Notice(testid="swb-upload-result")
        label = widgets.Label(description).add_class("swb-upload-label")
        super().__init__(
            [widgets.HBox([label, self.picker]), self.result],
            layout=widgets.Layout(width="100%"),
        )
        self.add_class("swb-upload-box")
        self.picker.observe(self._on_value, names="value")

    def _on_value(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        try:
            self.receive(files[0])
        finally:
            self.picker.value = ()

    def receive(self, upload: dict[str, Any]) -> bool:
        """Handle one uploaded file (a FileUpload value entry). Returns success."""
        from supervision_workbook.artifact import ArtifactError, loads

        name = str(upload.get("name") or "the file")
        content = upload.get("content", b"")
        try:
            raw = bytes(content)
        except TypeError:
            self.result.show("error", f"{name}: the upload did not contain a file.")
            return False
        if len(raw) > self.max_bytes:
            self.result.show(
                "error",
                f"{name}: {len(raw) // 1_000_000} MB is far larger than any workbook; "
                "nothing was loaded.",
            )
            return False
        if self.verify is not None:
            try:
                loaded = self.verify(name, raw)
            except (ArtifactError, ValueError) as exc:
                self.result.show("error", f"Not loaded: {exc}")
                return False
        else:
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                self.result.show(
                    "error", f"{name}: not a text file, so not a workbook; nothing was loaded."
                )
                return False
            try:
                loaded = loads(text, source=name)
            except ArtifactError as exc:
                self.result.show("error", f"Not loaded: {exc}")
                return False
        try:
            message = self.on_loaded(loaded, name)
        except ValueError as exc:
            self.result.show("error", f"Not loaded: {exc}")
            return False
        self.result.show("success", message)
        return True
