"""Program-level views from the store's index: the caseload and supervision hours."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

from ..model import Respondent
from ._common import BLUE, INK, ORANGE, SKY, STYLE, Spec, esc, figure, layout, rnd

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from ..config import HoursConfig, WorkspaceConfig


# --- caseload and hours (rows from the store's index) -----------------------------------------
class CaseloadRowLike(Protocol):
    """What the caseload charts read from a row of the store's index (``store.CaseloadRow``).

    ``latest_client`` / ``latest_therapist``: the primary statistic of the latest session's
    client and therapist forms (None when missing); ``flag_count``: open alerts on the case;
    ``individual_minutes`` / ``group_minutes``: signed-off supervision minutes by format.
    """

    @property
    def trainee_id(self) -> str: ...
    @property
    def trainee_name(self) -> str: ...
    @property
    def case_code(self) -> str: ...
    @property
    def latest_client(self) -> float | None: ...
    @property
    def latest_therapist(self) -> float | None: ...
    @property
    def flag_count(self) -> int: ...
    @property
    def individual_minutes(self) -> int: ...
    @property
    def group_minutes(self) -> int: ...


def caseload_overview(rows: Iterable[CaseloadRowLike]) -> go.Figure:
    """Every case at a glance; see :func:`caseload_overview_spec`."""
    return figure(caseload_overview_spec(rows))


def caseload_overview_spec(rows: Iterable[CaseloadRowLike]) -> Spec:
    """Every case at a glance: latest client and therapist scores side by side (left) and
    the number of flags (right), the most flagged cases at the top."""
    ordered = sorted(rows, key=lambda r: (-r.flag_count, r.trainee_name, r.case_code))
    labels = [esc(f"{r.case_code} · {r.trainee_name}") for r in ordered]
    gap_x: list[float | None] = []
    gap_y: list[str | None] = []
    for row, label in zip(ordered, labels, strict=True):
        if row.latest_client is not None and row.latest_therapist is not None:
            gap_x += [rnd(row.latest_client), rnd(row.latest_therapist), None]
            gap_y += [label, label, None]
    traces: list[Spec] = [
        {
            "type": "scatter",
            "x": gap_x,
            "y": gap_y,
            "mode": "lines",
            "line": {"color": "#bbbbbb", "width": 2},
            "showlegend": False,
            "hoverinfo": "skip",
        }
    ]
    for who, attr in (
        (Respondent.client, "latest_client"),
        (Respondent.therapist, "latest_therapist"),
    ):
        colour, _dash, symbol = STYLE[who]
        pts = [
            (getattr(r, attr), label)
            for r, label in zip(ordered, labels, strict=True)
            if getattr(r, attr) is not None
        ]
        traces.append(
            {
                "type": "scatter",
                "x": [rnd(v) for v, _ in pts],
                "y": [lab for _, lab in pts],
                "mode": "markers",
                "name": f"{who.value.capitalize()} (latest)",
                "marker": {"color": colour, "symbol": symbol, "size": 10},
                "hovertemplate": f"%{{y}}<br>{who.value}: %{{x}}<extra></extra>",
            }
        )
    flags = [r.flag_count for r in ordered]
    traces.append(
        {
            "type": "bar",
            "x": flags,
            "y": labels,
            "orientation": "h",
            "xaxis": "x2",
            "name": "Flags",
            "marker": {"color": ORANGE, "pattern": {"shape": "/"}},
            # The count printed past the end of each bar; never clipped at the plot's edge.
            "texttemplate": "%{x}",
            "textposition": "outside",
            "cliponaxis": False,
            "hovertemplate": "%{y}<br>open flags: %{x}<extra></extra>",
        }
    )
    height = max(320, 140 + 28 * len(ordered))
    return {
        "data": traces,
        "layout": layout(
            "Caseload: latest alliance scores and flags",
            "Latest score",
            "Case · trainee",
            xaxis={"domain": [0, 0.68]},
            xaxis2={
                "domain": [0.74, 1],
                "anchor": "y",
                "title": {"text": "Flags"},
                # Room past the longest bar for its printed count (plotly's autorange
                # leaves none, and cut the "17" of the most flagged case in half).
                "range": [0, rnd(max([*flags, 1]) * 1.3 + 0.5, 2)],
                "showgrid": False,
            },
            yaxis={"autorange": "reversed", "type": "category"},
            height=height,
        ),
    }


def hours_progress(
    rows: Iterable[CaseloadRowLike], config: WorkspaceConfig | HoursConfig
) -> go.Figure:
    """Supervision hours per trainee against the requirement; see
    :func:`hours_progress_spec`."""
    return figure(hours_progress_spec(rows, config))


def hours_progress_spec(
    rows: Iterable[CaseloadRowLike], config: WorkspaceConfig | HoursConfig
) -> Spec:
    """Supervision hours per trainee against the requirement.

    Individual and (weighted) group hours are stacked, and the requirement is a dotted
    vertical line; the bar text states hours and percentage, so nothing depends on colour.
    """
    hours = getattr(config, "hours", config)
    required_h = hours.required_minutes / 60
    per: dict[str, list[float]] = {}
    names: dict[str, str] = {}
    for row in rows:
        acc = per.setdefault(row.trainee_id, [0.0, 0.0])
        acc[0] += row.individual_minutes
        acc[1] += row.group_minutes * hours.group_weight
        names[row.trainee_id] = row.trainee_name
    # Sorted by name (then id, so that two trainees with one name stay apart and stable).
    trainees = sorted(per, key=lambda t: (names[t], t))
    indiv = [rnd(per[t][0] / 60, 2) for t in trainees]
    group = [rnd(per[t][1] / 60, 2) for t in trainees]
    repeated = {n for n in names.values() if list(names.values()).count(n) > 1}
    labels = [esc(f"{names[t]} ({t})" if names[t] in repeated else names[t]) for t in trainees]
    totals = [rnd((per[t][0] + per[t][1]) / 60, 2) for t in trainees]
    status = []
    for total in totals:
        pct = f"{100 * total / required_h:.0f}%" if required_h else "no requirement"
        status.append(f"{total:g} h of {required_h:g} h ({pct})")
    traces: list[Spec] = [
        {
            "type": "bar",
            "x": indiv,
            "y": labels,
            "orientation": "h",
            "name": "Individual supervision",
            "marker": {"color": BLUE},
            "hovertext": status,
            "hoverinfo": "text",
        },
        {
            "type": "bar",
            "x": group,
            "y": list(labels),
            "orientation": "h",
            "name": "Group supervision (weighted)",
            "marker": {"color": SKY, "pattern": {"shape": "/"}},
            "text": list(status),
            "textposition": "outside",
            "cliponaxis": False,
            "hovertext": list(status),
            "hoverinfo": "text",
        },
    ]
    # The requirement is a vertical line across the whole plot, labelled in words.
    shapes = [
        {
            "type": "line",
            "xref": "x",
            "yref": "paper",
            "x0": rnd(required_h, 2),
            "x1": rnd(required_h, 2),
            "y0": 0,
            "y1": 1,
            "line": {"color": INK, "dash": "dot", "width": 2},
        }
    ]
    annotations = [
        {
            "xref": "x",
            "yref": "paper",
            "x": rnd(required_h, 2),
            "y": 1,
            "yanchor": "bottom",
            "showarrow": False,
            "text": f"Requirement: {required_h:g} h",
        }
    ]
    top = max([required_h, *(t or 0 for t in totals)])
    height = max(300, 120 + 32 * len(trainees))
    return {
        "data": traces,
        "layout": layout(
            "Supervision hours against the requirement",
            "Hours",
            "Trainee",
            barmode="stack",
            yaxis={"autorange": "reversed", "type": "category"},
            xaxis={"range": [0, rnd(top * 1.25 if top else 1, 2)]},
            shapes=shapes,
            annotations=annotations,
            height=height,
        ),
    }
