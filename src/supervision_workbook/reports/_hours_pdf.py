"""The hours report as a PDF (reportlab's platypus: paragraphs and tables on A4).

Every text that comes from a record or a person is escaped before it reaches a
``Paragraph``, whose mini-markup would otherwise read ``<b>`` in a name as bold (or fail on
an ``&``). Names outside Latin-1 need a Unicode font: DejaVu Sans is used when the system
has it (Debian's ``fonts-dejavu-core``), else reportlab's built-in Helvetica.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from supervision_workbook.hours import FORMATS, MODALITIES, STATUS_LABELS

if TYPE_CHECKING:
    from supervision_workbook.config import HoursConfig
    from supervision_workbook.hours import TraineeHours
    from supervision_workbook.store import Workspace

_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu")
_ACTIVITIES = {
    "notes": "Notes",
    "consultation": "Consultation",
    "preparation": "Preparation",
    "other": "Other",
}


@dataclass(frozen=True)
class ReportContext:
    """What the report says about where its numbers come from."""

    workspace: Path
    hours: HoursConfig
    today: date
    generated: datetime


def _fonts() -> tuple[str, str]:
    """(regular, bold) font names: DejaVu Sans if installed, else Helvetica."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for folder in _FONT_DIRS:
        regular = Path(folder) / "DejaVuSans.ttf"
        bold = Path(folder) / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            if "SWB-Sans" not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont("SWB-Sans", str(regular)))
                pdfmetrics.registerFont(TTFont("SWB-Sans-Bold", str(bold)))
            return "SWB-Sans", "SWB-Sans-Bold"
    return "Helvetica", "Helvetica-Bold"


def _h(minutes: float) -> str:
    return f"{minutes / 60:.2f}"


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def hours_report_pdf(report: TraineeHours, context: ReportContext) -> bytes:
    """The PDF of one trainee's hours (deterministic for the same inputs)."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    regular, bold = _fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=9, leading=12, alignment=TA_LEFT)
    small = ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5)
    cell = ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5)
    small_cell = ParagraphStyle("small_cell", parent=cell, fontSize=8, leading=10)
    head = ParagraphStyle("head", parent=cell, fontName=bold)
    h1 = ParagraphStyle("h1", parent=body, fontName=bold, fontSize=15, leading=19, spaceAfter=4)
    h2 = ParagraphStyle("h2", parent=body, fontName=bold, fontSize=11, leading=14, spaceBefore=10)
    ledger = report.ledger
    hours = context.hours

    def p(text: str, style: ParagraphStyle = cell) -> Paragraph:
        return Paragraph(escape(text), style)

    def table(
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        *,
        total: bool = False,
        style: ParagraphStyle = cell,
    ) -> Table:
        data = [[p(c, head) for c in rows[0]]] + [[p(c, style) for c in r] for r in rows[1:]]
        if total:
            data[-1] = [p(c, head) for c in rows[-1]]
        t = Table(data, colWidths=[w * mm for w in widths], repeatRows=1)
        t.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9a9a9a")),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        return t

    story: list[Any] = [
        p(f"Supervision hours: {ledger.trainee_name}", h1),
        p(
            f"Trainee id {ledger.trainee_id}. Workspace {context.workspace.name}. "
            f"Status as of {context.today.isoformat()}; report generated "
            f"{context.generated.isoformat(timespec='minutes')}.",
            body,
        ),
    ]
    if hours.start and hours.end:
        period = (
            f"Programme {hours.start.isoformat()} to {hours.end.isoformat()}: only records "
            "dated inside it count. A rule not yet met is on track when the hours so far reach "
            "the straight-line share of its target for the time elapsed, behind otherwise."
        )
    else:
        period = (
            "No programme dates are configured, so each rule is only met or not yet met; "
            "no pace is assumed."
        )
    if report.outside:
        period += (
            f" {report.outside} record{'s' if report.outside != 1 else ''} dated outside it "
            f"{'are' if report.outside != 1 else 'is'} neither counted nor listed."
        )
    story += [p(period, body), p("Requirements", h2)]
    story.append(
        table(
            [("Rule", "Status", "Numbers")]
            + [(s.name, STATUS_LABELS[s.status], s.detail) for s in report.statuses],
            (48, 22, 108),
        )
    )

    by_format = ledger.minutes_by_format()
    rows = [
        ("Supervision format", *(f"{m.capitalize()} (h)" for m in MODALITIES.values()), "Total (h)")
    ]
    totals = dict.fromkeys(MODALITIES, 0)
    for fmt, label in FORMATS.items():
        cells = by_format.get(fmt, {})
        for m in MODALITIES:
            totals[m] += cells.get(m, 0)
        rows.append((label, *(_h(cells.get(m, 0)) for m in MODALITIES), _h(sum(cells.values()))))
    rows.append(("All formats", *(_h(totals[m]) for m in MODALITIES), _h(sum(totals.values()))))
    story += [p("Supervision hours by format", h2), table(rows, (60, 38, 38, 42), total=True)]

    timed = [s for s in ledger.sessions if s.minutes is not None]
    untimed = len(ledger.sessions) - len(timed)
    client = [
        ("Client contact", "Hours", "Records"),
        (
            "Direct (recorded session length)",
            _h(sum(s.minutes or 0 for s in timed)),
            f"{len(timed)} session{'' if len(timed) == 1 else 's'}"
            + (f"; {untimed} without a length" if untimed else ""),
        ),
    ]
    for activity, label in _ACTIVITIES.items():
        entries = [e for e in ledger.indirect if e.activity == activity]
        if entries:
            client.append(
                (
                    f"Indirect: {label}",
                    _h(sum(e.minutes for e in entries)),
                    f"{len(entries)} {'entry' if len(entries) == 1 else 'entries'}",
                )
            )
    story += [
        p("Client contact", h2),
        table(client, (80, 30, 68)),
        p(
            "Direct hours come from the session lengths in the trainee's session records. "
            "Indirect hours are the trainee's own log; they carry no signature.",
            small,
        ),
    ]

    records = [("Met on", "Format", "Min", "Supervisor", "Signed at", "Key signature", "Record")]
    for s in ledger.supervision:
        records.append(
            (
                s.day.isoformat(),
                f"{FORMATS.get(s.format, s.format)}, {MODALITIES.get(s.modality, s.modality)}",
                str(s.minutes),
                s.supervisor,
                s.signed_at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                s.key_signature or "not signed with a key",
                f"{s.review_id}, case {s.case_code}, content hash {s.content_hash[:12]}...",
            )
        )
    if len(records) == 1:
        records.append(("", "No signed-off supervision yet.", "", "", "", "", ""))
    story += [
        p("Signed-off supervision records", h2),
        table(records, (22, 28, 11, 27, 24, 23, 45), style=small_cell),
    ]

    folder = context.workspace / "reviews" / ledger.trainee_id
    story += [
        KeepTogether(
            [
                p("How to verify these records", h2),
                p(
                    "Each record above is a notebook artifact with a hash chain. Run the "
                    "command below where the workspace is; it must report every listed record "
                    "as valid, with the same record id and content hash. A record edited after "
                    "its sign-off fails.",
                    body,
                ),
                Spacer(1, 3),
                p(f"supervision-workbook validate {folder}", head),
                p(
                    "This report restates what the records hold; the report itself is not "
                    "signed. No requirement shown here is claimed to be any accrediting "
                    "body's rule: the rules are the programme's own configuration.",
                    small,
                ),
            ]
        )
    ]

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(regular, 7.5)
        canvas.drawString(
            15 * mm, 10 * mm, f"supervision-workbook hours report: {ledger.trainee_id}"
        )
        canvas.drawRightString(195 * mm, 10 * mm, f"page {doc.page}")
        canvas.restoreState()

    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title=f"Supervision hours: {ledger.trainee_name}",
        author="supervision-workbook",
        invariant=1,  # no random document id or creation time: same inputs, same bytes
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def write_hours_report(
    ws: Workspace,
    trainee_id: str,
    target: Path,
    *,
    trainee_name: str = "",
    today: date | None = None,
    generated: datetime | None = None,
) -> TraineeHours:
    """Write the trainee's hours report to ``target`` atomically; returns what it shows."""
    from supervision_workbook.hours import trainee_hours
    from supervision_workbook.store import atomic_write_bytes

    today = today or date.today()
    report = trainee_hours(ws, trainee_id, trainee_name, today=today)
    context = ReportContext(
        workspace=Path(ws.path).absolute(),
        hours=ws.config.hours,
        today=today,
        generated=generated or datetime.now().astimezone().replace(microsecond=0),
    )
    atomic_write_bytes(Path(target), hours_report_pdf(report, context))
    return report
