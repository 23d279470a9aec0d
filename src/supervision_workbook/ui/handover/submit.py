"""After Submit: the session reaches the supervisor through the exchange this server uses.

The session workbook saves the submitted record in the trainee's own workspace first (that
is the record; the exchange never holds the only copy), then hands the saved file's text to
:func:`supervision_workbook.exchange.exchange_for`:

* **A hub** (``SUPERVISION_WORKBOOK_EXCHANGE`` is set): a :class:`FolderExchange` writes it
  into the trainee's inbound folder as the next version, and the page says so
  ("Submitted to your supervisor's inbox as version 2").
* **Binder or a laptop**: a :class:`DownloadExchange` verifies it and names the file; the
  page offers it as a prominent download, with what to do next ("Download this file and
  send it to your supervisor").

When the hand-over fails (the roster does not list the person, the folder's permissions are
wrong, the exchange is not set up), the record is still saved: the panel says what went
wrong in the exchange's own words, offers "Try sending again" once the problem is fixed,
and the same download as a way round it. The exchange is asked afresh at every attempt, so
a roster repaired by an administrator counts at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import ipywidgets as widgets

from supervision_workbook.ui.components.files import Download, FilePayload, safe_filename
from supervision_workbook.ui.components.text import Notice

if TYPE_CHECKING:
    from supervision_workbook.exchange import Exchange, Submission

log = logging.getLogger(__name__)

ExchangeFactory = Callable[[], "Exchange"]


def default_exchange() -> Exchange:
    """The exchange of this server (imported when first needed, not at page start)."""
    from supervision_workbook.exchange import exchange_for

    return exchange_for()


def folder_configured(environ: Mapping[str, str] | None = None) -> bool:
    """Whether this server has a hub's exchange folder (without reading its roster)."""
    import os

    from supervision_workbook.exchange import EXCHANGE_ENV

    env = os.environ if environ is None else environ
    return bool(env.get(EXCHANGE_ENV, "").strip())


def describe_exchange_error(exc: BaseException) -> str:
    """The exchange's own sentence, with what kind of problem it is."""
    from supervision_workbook.exchange import ExchangePermissionError

    if isinstance(exc, ExchangePermissionError):
        return f"the exchange does not allow it: {exc}"
    if isinstance(exc, OSError):
        return f"the exchange folder could not be used: {exc}"
    return str(exc)


class Handover(widgets.VBox):
    """The outcome of handing a submitted session over, shown under the Submit button.

    Hidden until :meth:`hand_over` runs. ``exchange`` builds the exchange to use (default:
    :func:`exchange_for`); tests pass their own.
    """

    def __init__(self, exchange: ExchangeFactory | None = None) -> None:
        self._factory = exchange or default_exchange
        self._text: str | None = None
        self._filename = ""
        self.submission: Submission | None = None
        self.result = Notice(testid="swb-handover-result")
        self.download = Download(
            self._payload,
            label="Download the submitted workbook (.ipynb)",
            description="Download the submitted session workbook to send it to your supervisor",
            layout=widgets.Layout(display="none"),
        )
        self.download.add_class("swb-handover-download")
        self.retry_button = widgets.Button(
            description="Try sending again",
            icon="redo",
            tooltip="Hand the submitted session to your supervisor again",
            layout=widgets.Layout(display="none"),
        ).add_class("swb-handover-retry")
        self.retry_button.on_click(lambda _b: self.retry())
        super().__init__(
            [self.result, widgets.HBox([self.download, self.retry_button])],
            layout=widgets.Layout(width="100%", display="none"),
        )
        self.add_class("swb-handover")

    @property
    def delivered(self) -> bool:
        """True once the exchange took the file (a folder) or named it for download."""
        return self.submission is not None

    def hand_over(self, text: str, filename: str) -> str:
        """Hand ``text`` (the saved record, named ``filename``) over; return what the Submit
        result should add (what to do next), or "" when the panel's own line says it all.

        Never raises: the record is already saved, so a failure here is reported in the
        panel (and in the sentence) rather than undoing the submit.
        """
        self._text, self._filename = text, filename
        self.submission = None
        self.layout.display = None
        return self._attempt()

    def retry(self) -> str:
        if self._text is None:
            return ""
        return self._attempt()

    def reset(self) -> None:
        """A new session: nothing handed over yet, nothing shown."""
        self._text, self._filename, self.submission = None, "", None
        self.result.clear()
        self.download.status = ""
        self.download.layout.display = "none"
        self.retry_button.layout.display = "none"
        self.layout.display = "none"

    # --- internals ---------------------------------------------------------------------------
    def _attempt(self) -> str:
        assert self._text is not None
        self.retry_button.disabled = True
        try:
            exchange = self._factory()
            submission = exchange.submit(self._text, source=self._filename)
        except Exception as exc:  # every failure is the person's to see, in words
            log.warning("handing the submission over failed: %s", exc)
            return self._failed(exc)
        finally:
            self.retry_button.disabled = False
        self.submission = submission
        self.retry_button.layout.display = "none"
        if submission.path is None:  # a download: the person carries the file
            self.download.layout.display = None
            self.result.show(
                "info",
                f"Download this file and send it to your supervisor: {submission.filename}. "
                "It is the record exactly as saved; they upload it into their case review.",
            )
            return "Download it below and send it to your supervisor."
        self.download.layout.display = "none"
        self.result.show(
            "success", f"Submitted to your supervisor's inbox as version {submission.version}."
        )
        return ""  # the panel says it, right under the button

    def _failed(self, exc: BaseException) -> str:
        self.submission = None
        self.retry_button.layout.display = None
        self.download.layout.display = None
        self.result.show(
            "error",
            [
                "Saved in your workspace, but not handed to your supervisor: "
                f"{describe_exchange_error(exc)}",
                "When the problem is fixed (your administrator may need to), press "
                "\u201cTry sending again\u201d, or download the file and send it yourself.",
            ],
        )
        return "It could not be handed to your supervisor yet (see below)."

    def _payload(self) -> FilePayload:
        if self._text is None:
            raise ValueError("submit the session first")
        name = self.submission.filename if self.submission is not None else self._filename
        return FilePayload(safe_filename(name, "session.ipynb"), self._text)
