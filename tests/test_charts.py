"""Charts: what a supervisor sees, checked in the figures' data rather than their existence."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import plotly.graph_objects as go
import pytest

from fixtures.reviews import CLIENT, THERAPIST, case_review, response, session, story_sessions
from supervision_workbook import charts
from supervision_workbook.alerts import case_alerts
from supervision_workbook.config import AlertConfig, HoursConfig, WorkspaceConfig
from supervision_workbook.instruments import shipped_instruments
from supervision_workbook.model import Reflection, Respondent, SupervisionCheckin

INSTRUMENTS = shipped_instruments()


def trace(fig: go.Figure, name_start: str) -> go.BaseTraceType:
    matches = [t for t in fig.data if (t.name or "").startswith(name_start)]
    assert len(matches) == 1, [t.name for t in fig.data]
    return matches[0]


def story_trajectory(**kwargs: object) -> go.Figure:
    sessions = story_sessions()
    alerts = case_alerts(sessions, INSTRUMENTS, AlertConfig())
    return charts.alliance_trajectory(sessions, INSTRUMENTS, alerts, **kwargs)


# --- alliance trajectory -------------------------------------------------------------------
def test_the_binocular_view_overlays_client_and_therapist_mean_scores_per_session():
    fig = story_trajectory()
    client = trace(fig, "Client")
    therapist = trace(fig, "Therapist")
    assert list(client.x) == [1, 2, 3, 4, 5, 6]
    # Session 3: goal 3,3 + task 2, (6 - 4) + bond 3,3 = 16 / 6 items.
    assert list(client.y) == [4.0, 4.167, 2.667, 3.167, 4.167, 4.667]
    assert list(therapist.y) == [5.0] * 6
    assert fig.layout.yaxis.title.text == "Mean item score (all items)"


def test_client_and_therapist_differ_by_dash_and_marker_as_well_as_colour():
    fig = story_trajectory()
    client, therapist = trace(fig, "Client"), trace(fig, "Therapist")
    assert client.line.color != therapist.line.color
    assert client.line.dash != therapist.line.dash
    assert client.marker.symbol != therapist.marker.symbol


def test_the_cut_off_is_a_dotted_line_across_every_session():
    cut = trace(story_trajectory(), "Cut-off")
    assert list(cut.x) == [1, 6] and list(cut.y) == [3.5, 3.5]
    assert cut.line.dash == "dot"


def test_alert_markers_name_each_rule_that_fired_once_in_their_hover_text():
    alerts = trace(story_trajectory(), "Alert")
    sessions = list(alerts.x)
    assert 3 in sessions and 4 in sessions
    # Session 3: below the cut-off, low items, a fall and three dimensions apart (one flag each).
    assert alerts.hovertext[sessions.index(3)].split("<br>") == [
        "Session 3: 4 alerts",
        "Below the cut-off",
        "Low items",
        "Fall from the previous session",
        "Client and therapist see the alliance differently",
    ]
    at_four = alerts.hovertext[sessions.index(4)]
    assert "Rupture left unrepaired in session 4" in at_four
    # The messages in full are in the alert list beside the chart, not repeated here.
    assert "at or below the item threshold" not in "".join(alerts.hovertext)


def test_hover_labels_are_one_template_per_line_not_a_string_per_point():
    fig = story_trajectory()
    client = trace(fig, "Client")
    assert client.hovertext is None
    assert client.hovertemplate == (
        "Session %{x} (%{customdata})<br>%{fullData.name}: %{y}<extra></extra>"
    )
    assert list(client.customdata) == [f"2026-01-{d:02d}" for d in (5, 12, 19, 26)] + [
        "2026-02-02",
        "2026-02-09",
    ]
    assert trace(fig, "Cut-off").hovertext == "Cut-off, Alliance check-in (client): 3.5"
    bars = [t for t in charts.divergence(story_sessions(), INSTRUMENTS).data if t.type == "bar"]
    assert {t.hovertemplate for t in bars} == {
        "Session %{x}, %{fullData.name}: therapist minus client %{y:+}<extra></extra>"
    }


def test_a_repaired_rupture_is_a_filled_marker_and_an_unrepaired_one_is_open():
    fig = story_trajectory()
    withdrawal = trace(fig, "Rupture: withdrawal")
    confrontation = trace(fig, "Rupture: confrontation")
    assert list(withdrawal.x) == [4]
    assert list(withdrawal.marker.symbol) == ["triangle-down-open"]
    assert "not repaired" in withdrawal.hovertext[0]
    assert list(confrontation.x) == [5]
    assert list(confrontation.marker.symbol) == ["triangle-up"]
    assert withdrawal.yaxis == "y2"  # along the bottom band, never hiding a score


def test_choosing_the_bond_subscale_plots_bond_means_and_drops_the_total_cut_off():
    fig = story_trajectory(subscale="bond")
    assert list(trace(fig, "Client").y) == [4.0, 4.5, 3.0, 3.0, 4.5, 5.0]
    assert not [t for t in fig.data if (t.name or "").startswith("Cut-off")]
    assert "bond" in fig.layout.title.text


def test_a_subscale_can_be_chosen_by_its_shared_dimension_on_the_srs():
    srs = session(1, client=None)
    srs.responses.append(response("rs-srs", "srs", Respondent.client, [7.5, 8, 9, 8.5]))
    fig = charts.alliance_trajectory([srs], INSTRUMENTS, subscale="bond")
    assert list(trace(fig, "Client: Session Rating Scale").y) == [7.5]


def test_a_response_that_cannot_be_scored_is_left_out_instead_of_breaking_the_chart():
    broken = session(1, client=[4, 4, 4], therapist=[5, 5, 5, 5, 1, 5])
    fig = charts.alliance_trajectory([broken, session(2, client=[4] * 6)], INSTRUMENTS)
    assert list(trace(fig, "Client").x) == [2]
    assert list(trace(fig, "Therapist").x) == [1]


def test_names_from_instrument_files_are_escaped_for_plotlys_html_labels():
    odd = INSTRUMENTS[CLIENT].model_copy(update={"name": "<b>Our</b> form"})
    fig = charts.alliance_trajectory([session(1, client=[4] * 6)], {**INSTRUMENTS, CLIENT: odd})
    assert trace(fig, "Client").name == "Client: &lt;b&gt;Our&lt;/b&gt; form"


# --- countertransference themes ------------------------------------------------------------
def test_the_theme_heatmap_shows_each_theme_by_session_with_gaps_for_missing_reflections():
    sessions = story_sessions(4)
    sessions.append(session(5, client=[4] * 6))  # no reflection this time
    fig = charts.theme_heatmap(sessions, INSTRUMENTS["countertransference"])
    heat = fig.data[0]
    labels = list(heat.y)
    assert labels[1] == "Helpless / inadequate"
    assert list(heat.x) == [1, 2, 3, 4, 5]
    assert list(heat.z[1]) == [1, 3, 3, 3, None]
    assert list(heat.z[labels.index("Positive")]) == [2, 2, 2, 2, None]
    assert (heat.zmin, heat.zmax) == (0, 4)
    assert heat.texttemplate == "%{z}"  # the numbers are printed, not only coloured


# --- divergence ----------------------------------------------------------------------------
def test_divergence_shows_therapist_minus_client_per_dimension_and_the_alert_threshold():
    fig = charts.divergence(story_sessions(), INSTRUMENTS, threshold=1.0)
    goal = trace(fig, "Goal")
    assert list(goal.x) == [1, 2, 3, 4, 5, 6]
    assert list(goal.y) == [1.0, 1.0, 2.0, 1.5, 1.0, 0.5]
    task = trace(fig, "Task")
    assert task.y[2] == 3.0  # session 3: 5 - 2
    assert trace(fig, "Alert threshold").y == (1.0, 1.0)
    assert len({t.marker.pattern.shape for t in fig.data if t.type == "bar"}) == 3


def test_forms_on_different_scales_are_not_compared():
    mixed = session(1, therapist=[5, 5, 5, 5, 1, 5])
    mixed.responses.append(response("rs-srs", "srs", Respondent.client, [5, 5, 5, 5]))
    fig = charts.divergence([mixed], INSTRUMENTS)
    assert not [t for t in fig.data if t.type == "bar"]


# --- supervision check-in ------------------------------------------------------------------
def test_the_checkin_trend_plots_supervisor_and_supervisee_over_meetings():
    first = case_review().checkin
    assert first is not None
    later = SupervisionCheckin(
        id="ci-0002",
        date=date(2026, 4, 6),
        responses=[
            response("rs-s2", "supervision-checkin", Respondent.supervisor, [5] * 6),
            response("rs-e2", "supervision-checkin", Respondent.supervisee, [4] * 6),
        ],
    )
    fig = charts.checkin_trend([later, first], INSTRUMENTS["supervision-checkin"])
    supervisor = trace(fig, "Supervisor")
    supervisee = trace(fig, "Supervisee")
    assert list(supervisor.x) == ["2026-03-02", "2026-04-06"]
    assert list(supervisor.y) == [4.333, 5.0]
    assert list(supervisee.y) == [3.667, 4.0]
    assert supervisor.line.dash != supervisee.line.dash


# --- caseload and hours --------------------------------------------------------------------
@dataclass
class Row:
    trainee_id: str
    trainee_name: str
    case_code: str
    latest_client: float | None
    latest_therapist: float | None
    flag_count: int
    individual_minutes: int = 0
    group_minutes: int = 0


ROWS = [
    Row("tr-a", "Ana", "C-001", 4.5, 4.8, 0, individual_minutes=600),
    Row("tr-a", "Ana", "C-002", 2.5, 4.9, 4, individual_minutes=300, group_minutes=240),
    Row("tr-b", "Ben <admin>", "C-003", None, 4.0, 1, group_minutes=120),
]


def test_the_caseload_puts_the_most_flagged_case_first_with_both_latest_scores():
    fig = charts.caseload_overview(ROWS)
    flags = trace(fig, "Flags")
    assert list(flags.y) == ["C-002 · Ana", "C-003 · Ben &lt;admin&gt;", "C-001 · Ana"]
    assert list(flags.x) == [4, 1, 0]
    client = trace(fig, "Client")
    assert list(client.y) == ["C-002 · Ana", "C-001 · Ana"]  # no client score for C-003
    assert list(client.x) == [2.5, 4.5]
    assert list(trace(fig, "Therapist").x) == [4.9, 4.0, 4.8]


def test_the_most_flagged_cases_count_is_printed_inside_the_figure_not_cut_off():
    rows = [*ROWS, Row("tr-c", "Cy", "C-004", 3.0, 4.8, 17)]
    fig = charts.caseload_overview(rows)
    flags = trace(fig, "Flags")
    assert flags.texttemplate == "%{x}" and flags.textposition == "outside"
    assert flags.cliponaxis is False
    low, high = fig.layout.xaxis2.range
    assert low == 0 and high >= 17 * 1.25  # room past the longest bar for its "17"


def test_hours_add_up_per_trainee_with_group_minutes_weighted_against_the_requirement():
    config = WorkspaceConfig(hours=HoursConfig(required_minutes=50 * 60, group_weight=0.5))
    fig = charts.hours_progress(ROWS, config)
    individual = trace(fig, "Individual")
    group = trace(fig, "Group")
    assert list(individual.y) == ["Ana", "Ben &lt;admin&gt;"]
    assert list(individual.x) == [15.0, 0.0]  # (600 + 300) / 60
    assert list(group.x) == [2.0, 1.0]  # 240 / 60 * 0.5, 120 / 60 * 0.5
    assert group.text[0] == "17 h of 50 h (34%)"
    line = fig.layout.shapes[0]
    assert (line.x0, line.x1, line.yref) == (50.0, 50.0, "paper")
    assert fig.layout.annotations[0].text == "Requirement: 50 h"


def test_two_trainees_with_the_same_name_keep_separate_bars():
    rows = [
        Row("tr-a", "Sam", "C-1", None, None, 0, 60),
        Row("tr-b", "Sam", "C-2", None, None, 0, 120),
    ]
    fig = charts.hours_progress(rows, HoursConfig())
    assert list(trace(fig, "Individual").y) == ["Sam (tr-a)", "Sam (tr-b)"]


# --- every figure --------------------------------------------------------------------------
def all_figures() -> dict[str, go.Figure]:
    review = case_review()
    assert review.checkin is not None
    return {
        "trajectory": story_trajectory(),
        "themes": charts.theme_heatmap(review.sessions, INSTRUMENTS["countertransference"]),
        "divergence": charts.divergence(review.sessions, INSTRUMENTS, 1.0),
        "checkin": charts.checkin_trend([review.checkin], INSTRUMENTS["supervision-checkin"]),
        "caseload": charts.caseload_overview(ROWS),
        "hours": charts.hours_progress(ROWS, WorkspaceConfig()),
    }


@pytest.mark.parametrize("name", list(all_figures()))
def test_every_figure_is_a_plain_figure_with_a_title_and_axis_titles(name: str):
    fig = all_figures()[name]
    assert type(fig) is go.Figure  # never a FigureWidget
    assert fig.layout.title.text
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text


@pytest.mark.parametrize("name", list(all_figures()))
def test_every_figure_stays_compact_and_deterministic(name: str):
    first = json.dumps(all_figures()[name].to_plotly_json(), sort_keys=True)
    again = json.dumps(all_figures()[name].to_plotly_json(), sort_keys=True)
    assert first == again
    spec = json.loads(first)
    assert "data" not in spec["layout"]["template"]  # not plotly's ~10 kB default template
    assert len(first) < 16_000, len(first)


def test_the_chart_package_never_builds_a_figure_widget():
    for module in Path(charts.__file__).parent.glob("*.py"):
        text = module.read_text(encoding="utf-8")
        assert "FigureWidget(" not in text and "import FigureWidget" not in text, module.name


def test_themes_not_recorded_for_a_session_with_an_empty_reflection_are_gaps():
    empty = session(1, client=[4] * 6)
    empty = empty.model_copy(update={"reflection": Reflection(id="rf-x", themes={})})
    fig = charts.theme_heatmap([empty], INSTRUMENTS["countertransference"])
    assert [list(row) for row in fig.data[0].z] == [[None]] * 8


def test_the_therapist_form_alone_draws_a_single_line():
    fig = charts.alliance_trajectory([session(1, therapist=[5] * 6)], INSTRUMENTS)
    lines = [t for t in fig.data if t.mode == "lines+markers"]
    assert [t.name for t in lines] == [f"Therapist: {INSTRUMENTS[THERAPIST].name}"]


# --- specs: the plain JSON the artifact stores ----------------------------------------------
def all_specs() -> dict[str, dict]:
    """Every chart's spec, over inputs that reach every kind of trace (and empty ones)."""
    review = case_review()
    assert review.checkin is not None
    sessions = story_sessions()
    alerts = case_alerts(sessions, INSTRUMENTS, AlertConfig())
    reflection, checkin = INSTRUMENTS["countertransference"], INSTRUMENTS["supervision-checkin"]
    return {
        "trajectory": charts.alliance_trajectory_spec(sessions, INSTRUMENTS, alerts),
        "trajectory-bond": charts.alliance_trajectory_spec(sessions, INSTRUMENTS, subscale="bond"),
        "trajectory-empty": charts.alliance_trajectory_spec([], INSTRUMENTS),
        "themes": charts.theme_heatmap_spec(review.sessions, reflection),
        "themes-empty": charts.theme_heatmap_spec([], reflection),
        "divergence": charts.divergence_spec(review.sessions, INSTRUMENTS, 1.0),
        "divergence-empty": charts.divergence_spec([], INSTRUMENTS),
        "checkin": charts.checkin_trend_spec([review.checkin], checkin),
        "checkin-empty": charts.checkin_trend_spec([], checkin),
        "caseload": charts.caseload_overview_spec(ROWS),
        "caseload-empty": charts.caseload_overview_spec([]),
        "hours": charts.hours_progress_spec(ROWS, WorkspaceConfig()),
        "hours-none-required": charts.hours_progress_spec(ROWS, HoursConfig(required_minutes=0)),
    }


def as_json(obj: object) -> object:
    """What a file or a kernel message carries (tuples become lists)."""
    return json.loads(json.dumps(obj, allow_nan=False))


@pytest.mark.parametrize("name", list(all_specs()))
def test_every_spec_is_valid_plotly_json_exactly_as_plotly_would_write_it(name: str):
    # The artifact stores specs without building a figure, so plotly's validation happens
    # here: an unknown property or value raises, and a property plotly would store
    # differently (or drop) makes the two JSON texts differ.
    spec = all_specs()[name]
    figure = go.Figure(spec)
    assert as_json(figure.to_plotly_json()) == as_json(spec)
    assert spec["layout"]["template"] == charts.template_spec()


def test_the_figure_functions_are_their_specs_as_figures():
    review = case_review()
    assert review.checkin is not None
    sessions = story_sessions()
    reflection = INSTRUMENTS["countertransference"]
    pairs = [
        (
            charts.alliance_trajectory(sessions, INSTRUMENTS, subscale="goal"),
            charts.alliance_trajectory_spec(sessions, INSTRUMENTS, subscale="goal"),
        ),
        (
            charts.theme_heatmap(sessions, reflection),
            charts.theme_heatmap_spec(sessions, reflection),
        ),
        (
            charts.divergence(sessions, INSTRUMENTS, 0.5),
            charts.divergence_spec(sessions, INSTRUMENTS, 0.5),
        ),
        (charts.caseload_overview(ROWS), charts.caseload_overview_spec(ROWS)),
        (
            charts.hours_progress(ROWS, HoursConfig()),
            charts.hours_progress_spec(ROWS, HoursConfig()),
        ),
    ]
    for fig, spec in pairs:
        assert type(fig) is go.Figure
        assert as_json(fig.to_plotly_json()) == as_json(spec)
    assert charts.TEMPLATE.to_plotly_json() == charts.template_spec()


def test_a_misspelt_property_in_a_spec_is_refused_by_plotly():
    # The control for the test above: plotly's validation is what catches a typo.
    spec = all_specs()["trajectory"]
    spec["data"][0]["hovertemplat"] = spec["data"][0].pop("hovertemplate")
    with pytest.raises(ValueError, match="hovertemplat"):
        go.Figure(spec)
    spec = all_specs()["hours"]
    spec["layout"]["xaxis"]["rnage"] = spec["layout"]["xaxis"].pop("range")
    with pytest.raises(ValueError, match="rnage"):
        go.Figure(spec)


def test_specs_are_fresh_so_changing_one_never_changes_the_next():
    first = charts.theme_heatmap_spec(story_sessions(2), INSTRUMENTS["countertransference"])
    first["layout"]["template"]["layout"]["font"]["size"] = 99
    first["layout"]["xaxis"]["dtick"] = 7
    again = charts.theme_heatmap_spec(story_sessions(2), INSTRUMENTS["countertransference"])
    assert again["layout"]["template"] == charts.template_spec()
    assert again["layout"]["xaxis"]["dtick"] == 1


# --- layout: nothing overlaps ---------------------------------------------------------------
@pytest.mark.parametrize("name", list(all_specs()))
def test_no_legend_or_title_can_overlap_an_axis_title(name: str):
    # The legend sits in its own band along the bottom of the figure (container
    # coordinates: plotly shrinks the plot for it), below the x-axis title, which stands
    # off from the tick labels; a legend at y = -0.18 of the plot ran over "Session".
    layout = all_specs()[name]["layout"]
    style = layout["template"]["layout"]
    legend = {**style["legend"], **layout.get("legend", {})}
    assert (legend["orientation"], legend["yref"], legend["y"]) == ("h", "container", 0)
    assert legend["yanchor"] == "bottom"
    assert style["xaxis"]["title"]["standoff"] and style["yaxis"]["title"]["standoff"]
    title = {**style["title"], **layout["title"]}
    assert (title["x"], title["xanchor"]) == (0, "left")
    # A rotated y title longer than this ran over the chart title on a short plot.
    assert len(layout["yaxis"]["title"]["text"]) <= 28, layout["yaxis"]["title"]["text"]


def test_the_divergence_chart_says_what_its_numbers_mean_under_its_title():
    fig = charts.divergence(story_sessions(), INSTRUMENTS, 1.0)
    assert fig.layout.yaxis.title.text == "Therapist minus client"
    assert "mean item points" in fig.layout.title.subtitle.text.lower()
    assert "therapist rated the alliance higher" in fig.layout.title.subtitle.text
