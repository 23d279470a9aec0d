"""The caseload dashboard's text: table, hours, CSV and filters, as pure functions.

Why apart from the view: these functions turn store rows into what a person reads (HTML
and CSV), and that is where escaping and spreadsheet safety must be right. Kept free of
widgets, they are tested without a kernel (``tests/test_ui_caseload.py``).

- Every value reaches HTML through :func:`html.escape`, attributes and links included:
  trainee names are typed by people, and case codes come from files that may have been
  edited by hand.
- A CSV cell that starts with ``=``, ``+``, ``-`` or ``@`` runs as a formula in a
  spreadsheet, so a text cell such as ``=HYPERLINK(...)`` is written with a leading
  apostrophe, which spreadsheets show as text.
- The rules behind each figure (which flags are open, which ruptures count as unrepaired,
  how group minutes are weighted) live in ``store._caseload``; nothing is computed here.
"""

from __future__ import annotations

import html
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from supervision_workbook import formatting

if TYPE_CHECKING:
    from supervision_workbook.store import BadFile, CaseloadRow, MinutesRow

ALL = ""
ANY_FLAG = "*"
REVIEW_WORKBOOK = "case_review.ipynb"

CSV_COLUMNS = (
    "trainee_id",
    "trainee_name",
    "case_id",
    "case_code",
    "sessions",
    "latest_session_number",
    "latest_session_date",
    "latest_client_alliance",
    "latest_therapist_alliance",
    "open_flags",
    "flag_rules",
    "unrepaired_ruptures",
    "individual_minutes",
    "group_minutes",
    "status",
    "last_updated",
)


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def review_href(row: CaseloadRow) -> str:
    """Relative link to the case review of ``row`` (works under any server prefix)."""
    return f"{REVIEW_WORKBOOK}?{urlencode({'trainee': row.trainee_id, 'case': row.case_id})}"


def filter_rows(
    rows: Sequence[CaseloadRow], trainee_id: str = ALL, rule: str = ALL
) -> list[CaseloadRow]:
    """Rows of one trainee (or all), with one open flag rule, any flag (``*``) or all."""
    out = []
    for row in rows:
        if trainee_id and row.trainee_id != trainee_id:
            continue
        if rule == ANY_FLAG and not row.flag_count:
            continue
        if rule and rule != ANY_FLAG and rule not in row.flag_rules:
            continue
        out.append(row)
    return out


#: How many cases the dashboard draws before "Show all": a program's first question is
#: "which cases need attention", and a 1,000-row table plus a 1,000-bar chart is about
#: 1 MB of widget state that the browser needs seconds to lay out.
FIRST_VIEW = 50


def attention_first(rows: Sequence[CaseloadRow], limit: int | None) -> list[CaseloadRow]:
    """``rows`` unchanged when they fit in ``limit``; otherwise the ``limit`` cases that
    need attention most: most open flags, then most unrepaired ruptures, then by name."""
    if limit is None or len(rows) <= limit:
        return list(rows)
    ranked = sorted(
        rows,
        key=lambda r: (-r.flag_count, -r.unrepaired_ruptures, r.trainee_name.casefold(),
                       r.case_code),
    )  # fmt: skip
    return ranked[:limit]


def table_html(rows: Sequence[CaseloadRow]) -> str:
    """The caseload table; every value escaped, including attributes and the link."""
    head = (
        "<tr><th>Trainee</th><th>Case</th><th>Sessions</th><th>Latest session</th>"
        "<th>Client alliance</th><th>Therapist alliance</th><th>Open flags</th>"
        "<th>Unrepaired ruptures</th><th>Supervision</th><th>Status</th><th>Review</th></tr>"
    )
    if not rows:
        body = '<tr><td colspan="11" class="swb-muted">No cases match.</td></tr>'
    else:
        body = "".join(_table_row(row) for row in rows)
    return (
        f'<table class="swb-table swb-caseload-table"><thead>{head}</thead>'
        f"<tbody>{body}</tbody></table>"
    )


def _table_row(row: CaseloadRow) -> str:
    latest = "–"
    if row.latest_session_number is not None:
        when = row.latest_session_date.isoformat() if row.latest_session_date else ""
        latest = f"#{row.latest_session_number} {when}".strip()
    flags = (
        f'<span class="swb-flag">{row.flag_count}</span>'
        f'<span class="swb-rules">{_e(", ".join(row.flag_rules))}</span>'
        if row.flag_count
        else "0"
    )
    ruptures = (
        f'<span class="swb-flag">{row.unrepaired_ruptures}</span>'
        if row.unrepaired_ruptures
        else "0"
    )
    return (
        f'<tr class="swb-case-row" data-trainee="{_e(row.trainee_id)}" '
        f'data-case="{_e(row.case_code)}">'
        f'<td>{_e(row.trainee_name)}</td><td class="nowrap">{_e(row.case_code)}</td>'
        f'<td class="num">{row.sessions}</td><td class="nowrap">{_e(latest)}</td>'
        f'<td class="num swb-client">{formatting.score(row.latest_client)}</td>'
        f'<td class="num swb-therapist">{formatting.score(row.latest_therapist)}</td>'
        f'<td>{flags}</td><td class="num">{ruptures}</td>'
        f'<td class="nowrap swb-minutes">{_e(formatting.minutes(row.minutes))}</td>'
        f"<td>{_e(formatting.status_words(row.last_status))}</td>"
        f'<td><a class="swb-open-review" href="{_e(review_href(row))}">Open review</a></td></tr>'
    )


def hours_html(minutes_rows: Sequence[MinutesRow], trainee_id: str = ALL) -> str:
    """Signed-off supervision per trainee against the workspace requirement."""
    shown = [m for m in minutes_rows if not trainee_id or m.trainee_id == trainee_id]
    head = (
        "<tr><th>Trainee</th><th>Individual</th><th>Group</th><th>Counted</th>"
        "<th>Required</th><th>Progress</th></tr>"
    )
    body = []
    for m in shown:
        share = m.weighted_minutes / m.required_minutes if m.required_minutes else 1.0
        pct = min(100.0, share * 100)
        body.append(
            f'<tr class="swb-hours-row" data-trainee="{_e(m.trainee_id)}">'
            f"<td>{_e(m.trainee_name)}</td>"
            f"<td>{_e(formatting.minutes(m.individual_minutes))}</td>"
            f"<td>{_e(formatting.minutes(m.group_minutes))}</td>"
            f'<td class="swb-counted">{round(m.weighted_minutes)} min</td>'
            f'<td class="swb-required">{m.required_minutes} min</td>'
            f'<td><span class="swb-hours-bar"><span style="width:{pct:.1f}%"></span></span>'
            f"{pct:.0f}% ({_e(formatting.minutes(m.remaining_minutes))} to go)</td></tr>"
        )
    if not body:
        body.append(
            '<tr><td colspan="6" class="swb-muted">No signed-off supervision yet.</td></tr>'
        )
    return (
        f'<table class="swb-table swb-hours-table"><thead>{head}</thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def problems_html(problems: Sequence[BadFile], root: Path) -> str:
    """Files the index could not read: the caseload is incomplete, and the page says so.

    Each file is listed with the message ``supervision-workbook validate`` prints for it
    (``Workspace.damaged()``: the artifact layer's one wording, which names the file and
    the problem, never the record's content), escaped like all text from a file.
    """
    shown = problems[:10]
    more = f" and {len(problems) - 10} more" if len(problems) > 10 else ""
    items = "".join(
        f"<li class='swb-damaged-file'>{_e(bad.error or _name(bad.path, root))}</li>"
        for bad in shown
    )
    return (
        f'<div class="swb-notice swb-notice-warning" role="alert"><strong>{len(problems)} '
        f"review file(s) could not be read and are missing from this caseload{_e(more)}."
        f"</strong> Each is listed with the message that "
        f"<code>supervision-workbook validate</code> prints; nothing was changed or deleted."
        f"<ul>{items}</ul></div>"
    )


def _name(path: Path, root: Path) -> str:
    try:
        return str(Path(path).relative_to(root))
    except ValueError:
        return Path(path).name


def rows_to_csv(rows: Sequence[CaseloadRow]) -> str:
    """The rows as CSV through the project's one writer (``export.write_table``: formula
    guard, line ending); numbers as data (``formatting.data_number``), status as its code."""
    from supervision_workbook.export import write_table

    buffer = io.StringIO()
    write_table(CSV_COLUMNS, (_csv_row(r) for r in rows), buffer)
    return buffer.getvalue()


def _csv_row(r: CaseloadRow) -> dict[str, object]:
    values = (
        r.trainee_id,
        r.trainee_name,
        r.case_id,
        r.case_code,
        r.sessions,
        r.latest_session_number,
        r.latest_session_date,
        formatting.data_number(r.latest_client),
        formatting.data_number(r.latest_therapist),
        r.flag_count,
        ";".join(r.flag_rules),
        r.unrepaired_ruptures,
        r.individual_minutes,
        r.group_minutes,
        r.last_status,
        r.last_updated.isoformat(),
    )
    return dict(zip(CSV_COLUMNS, values, strict=True))
