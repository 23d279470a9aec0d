"""Step 7 of the case review: what will be signed, the sign-off, and the signed record.

The step shows a summary of the meeting, any possible identifiers still in the text (with a
box to confirm they were read), the sign-off form and the "Sign off and save" button. The
signing itself belongs to the workbook (it needs the whole record and the draft's hash);
this view is told the outcome through :meth:`SignOffStep.show_signed`.

Why the signed record is shown *as read back from disk*: the saved artifact is the record.
Showing what the widgets held would show what was meant to be saved; showing the file after
``Workspace.save`` and ``artifact.load`` (which verifies its hash and signature) shows what
was saved. The download offers the same file, byte for byte, never a fresh rendering.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import ipywidgets as widgets

from supervision_workbook.ui.components.files import Download, FilePayload
from supervision_workbook.ui.components.review_step import IdentifierAcknowledgement
from supervision_workbook.ui.components.saving import SaveAction, SaveBar
from supervision_workbook.ui.components.text import Notice
from supervision_workbook.ui.render.html import summary_html
from supervision_workbook.ui.render.review_tables import signed_record_html

if TYPE_CHECKING:
    from supervision_workbook.artifact import LoadedArtifact
    from supervision_workbook.signing import Verdict
    from supervision_workbook.ui.forms.signoff import SignOffForm

SIGN = "swb-cr-sign"


class SignOffStep(widgets.VBox):
    """Summary, identifier check, sign-off form, Sign button, signed record, download."""

    def __init__(self, form: SignOffForm, sign: Callable[[], str]) -> None:
        self.form = form
        self.locked = False
        self.signed: LoadedArtifact | None = None
        self.signed_path: Path | None = None
        self.summary = widgets.HTML().add_class("swb-cr-final-summary")
        self.identifiers = IdentifierAcknowledgement()
        self.savebar = SaveBar(
            [
                SaveAction(
                    "Sign off and save",
                    sign,
                    SIGN,
                    button_style="success",
                    icon="check",
                    tooltip="Sign this case review off and save it as the record",
                    failure="Not signed off",
                    once=True,
                )
            ]
        )
        self.record = widgets.HTML().add_class("swb-cr-signed-view")
        #: The signature verdict of the saved record (``signing.verdict``), in words.
        self.verdict = Notice(testid="swb-cr-signature-verdict")
        self.download = Download(
            self._payload,
            label="Download the signed record (.ipynb)",
            description="Download the signed case review exactly as it was saved",
            layout=widgets.Layout(display="none"),
        )
        self.download.add_class("swb-cr-download")
        super().__init__(
            [
                self.summary,
                self.identifiers,
                form,
                self.savebar,
                self.verdict,
                self.record,
                self.download,
            ],
            layout=widgets.Layout(width="100%"),
        )
        self.add_class("swb-cr-step-7")

    def show_summary(self, rows: Sequence[tuple[str, str]], flags: Sequence[str]) -> None:
        """On entering the step: the meeting in a table, open identifier flags below it."""
        self.summary.value = summary_html(rows, caption="This case review")
        if not self.locked:
            self.identifiers.show(flags)

    def show_signed(self, loaded: LoadedArtifact, path: Path, verdict: Verdict) -> None:
        """The record as saved and verified, with the signature verdict that ``validate``
        would give it (``signing.verdict`` against the workspace's trusted keys); the form
        is read-only from now on."""
        self.signed, self.signed_path = loaded, path
        text = verdict.text[:1].upper() + verdict.text[1:]
        self.verdict.show("success" if verdict.ok else "error", f"Signature: {text}.")
        self.record.value = signed_record_html(loaded.review, path.name)
        self.download.layout.display = None
        self.set_locked(True)

    def reset(self) -> None:
        self.signed = self.signed_path = None
        self.record.value = ""
        self.verdict.clear()
        self.download.layout.display = "none"
        self.savebar.result.clear()
        self.identifiers.reset()
        self.set_locked(False)

    def set_locked(self, locked: bool) -> None:
        self.locked = locked
        self.form.disabled = locked
        self._sync()

    def _sync(self) -> None:
        self.savebar.set_enabled(SIGN, not self.locked)

    def _payload(self) -> FilePayload:
        if self.signed_path is None:
            raise ValueError("sign the case review off first; the download is the signed record")
        return FilePayload(self.signed_path.name, self.signed_path.read_text(encoding="utf-8"))
