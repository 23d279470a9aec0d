"""`supervision-workbook serve` builds a safe Voila command, and the workbooks read their page.

No kernel, no browser: these stories check the command line, the environment and the
query-string parsing that the browser tests (tests/browser) then exercise for real.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from supervision_workbook import serve
from supervision_workbook.config import WorkspaceConfig
from supervision_workbook.ui import context, landing


@pytest.fixture
def served(tmp_path: Path) -> Path:
    folder = tmp_path / "workbooks"
    folder.mkdir()
    (folder / "index.ipynb").write_text("{}")
    return folder


# --- the Voila command ----------------------------------------------------------------------
def test_voila_listens_on_loopback_only_and_never_moves_to_another_port(served: Path) -> None:
    command = serve.build_voila_command(served, 9123)
    assert "--Voila.ip=127.0.0.1" in command
    assert "--port=9123" in command
    assert "--Voila.port_retries=0" in command
    assert not any(part.startswith(("--ip", "--Voila.ip=0", "--Voila.ip=:")) for part in command)


def test_a_token_is_required_but_never_shown_on_the_command_line(
    served: Path, tmp_path: Path
) -> None:
    command = serve.build_voila_command(served, 9123)
    assert "--Voila.auto_token=True" in command
    assert not any(part.startswith(("--token", "--Voila.token")) for part in command)

    env = serve.build_voila_env(tmp_path, "s3cret-token", base={"PATH": "/bin"})
    assert env["JUPYTER_TOKEN"] == "s3cret-token"
    assert all("s3cret-token" not in part for part in command)


def test_kernels_are_preheated_unless_asked_not_to(served: Path) -> None:
    assert {"--preheat_kernel=True", "--pool_size=2"} <= set(
        serve.build_voila_command(served, 9123, pool_size=2)
    )
    cold = serve.build_voila_command(served, 9123, preheat=False)
    assert "--preheat_kernel=False" in cold
    assert not any(part.startswith("--pool_size") for part in cold)


def test_tracebacks_stay_out_of_the_page(served: Path) -> None:
    command = serve.build_voila_command(served, 9123)
    assert "--show_tracebacks=False" in command
    instruction = next(p for p in command if p.startswith("--VoilaExecutor.cell_error_instruction"))
    assert "terminal" in instruction


def test_voila_serves_the_workbooks_folder_and_the_workspace_reaches_kernels_by_env(
    served: Path, tmp_path: Path
) -> None:
    workspace = tmp_path / "ws"
    workspace.mkdir()
    command = serve.build_voila_command(served, 9123)
    assert command[1:4] == ["-m", serve.VOILA_MODULE, str(served)]
    assert str(workspace) not in command

    env = serve.build_voila_env(workspace, "t", base={"QUERY_STRING": "trainee=x"})
    assert env["SUPERVISION_WORKBOOK_WORKSPACE"] == str(workspace.resolve())
    assert Path(env["SUPERVISION_WORKBOOK_WORKSPACE"]).is_absolute()
    assert "QUERY_STRING" not in env  # a stale one would pose as the page's own


def test_the_installed_workbooks_folder_is_found_and_holds_the_landing_page() -> None:
    folder = serve.workbooks_dir()
    assert (folder / "index.ipynb").is_file()
    assert (folder / "caseload.ipynb").is_file()


def test_an_installed_wheel_serves_its_own_copy_of_the_workbooks(tmp_path: Path) -> None:
    wheel_copy, checkout = tmp_path / "_workbooks", tmp_path / "workbooks"
    for folder in (wheel_copy, checkout):
        folder.mkdir()
        (folder / "index.ipynb").write_text("{}")
    assert serve.workbooks_dir((wheel_copy, checkout)) == wheel_copy
    (wheel_copy / "index.ipynb").unlink()
    assert serve.workbooks_dir((wheel_copy, checkout)) == checkout
    (checkout / "index.ipynb").unlink()
    with pytest.raises(serve.ServeError, match="reinstall the package"):
        serve.workbooks_dir((wheel_copy, checkout))


def test_a_workspace_inside_the_served_folder_is_refused(served: Path) -> None:
    inside = served / "ws"
    inside.mkdir()
    with pytest.raises(serve.ServeError, match="inside the served folder"):
        serve.check_workspace(inside, served)
    with pytest.raises(serve.ServeError, match="inside the served folder"):
        serve.check_workspace(served, served)


def test_a_workspace_beside_the_served_folder_is_accepted_as_an_absolute_path(
    served: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ws").mkdir()
    monkeypatch.chdir(tmp_path)
    checked = serve.check_workspace(Path("ws"), served)
    assert checked == (tmp_path / "ws").resolve() and checked.is_absolute()


def test_a_missing_workspace_is_a_clear_error(served: Path, tmp_path: Path) -> None:
    with pytest.raises(serve.ServeError, match="no such workspace folder"):
        serve.check_workspace(tmp_path / "nope", served)


def test_a_busy_port_is_named_in_the_error() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(serve.ServeError, match=f"port {port} .* already in use"):
            serve.choose_port(port)


def test_without_a_port_a_free_one_is_chosen() -> None:
    port = serve.choose_port(None)
    assert serve.port_is_free(port)


def test_serve_refuses_a_missing_workspace_before_starting_anything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert serve.serve(tmp_path / "missing", None) == 2
    assert "no such workspace folder" in capsys.readouterr().err


def test_the_printed_url_opens_the_landing_page_with_the_token() -> None:
    assert serve.landing_url(8866, "abc") == (
        "http://127.0.0.1:8866/voila/render/index.ipynb?token=abc"
    )


# --- the page's query string -----------------------------------------------------------------
def test_query_keeps_the_first_value_of_allowed_keys_and_drops_the_token() -> None:
    parsed = context.parse_query("?token=abc&trainee=tr-01&case=C-014&case=C-999&colour=red")
    assert parsed == {"trainee": "tr-01", "case": "C-014"}


def test_query_values_that_are_not_ids_or_codes_are_dropped() -> None:
    parsed = context.parse_query(
        "trainee=%3Cscript%3Ealert(1)%3C/script%3E&case=../../etc/passwd&review=rv-1a2b3c"
    )
    assert parsed == {"review": "rv-1a2b3c"}


def test_query_is_empty_outside_voila_even_if_the_shell_has_a_query_string(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.setenv("QUERY_STRING", "trainee=tr-01")
    context._raw_query_string.cache_clear()
    try:
        assert context.query_params() == {}
    finally:
        context._raw_query_string.cache_clear()


def test_query_is_read_from_the_kernel_environment_in_a_cold_voila_kernel(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.setenv("QUERY_STRING", "token=x&trainee=tr-01&case=C-2")
    context._raw_query_string.cache_clear()
    try:
        assert context.query_params() == {"trainee": "tr-01", "case": "C-2"}
        assert context.query_params(allowed={"case"}) == {"case": "C-2"}
    finally:
        context._raw_query_string.cache_clear()


def test_a_flood_of_query_fields_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.setenv("QUERY_STRING", "&".join(f"k{i}=v" for i in range(200)))
    context._raw_query_string.cache_clear()
    try:
        assert context.query_params() == {}
    finally:
        context._raw_query_string.cache_clear()


# --- the workspace of a kernel ---------------------------------------------------------------
def test_without_the_workspace_variable_the_error_says_how_to_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(context.WORKSPACE_ENV, raising=False)
    with pytest.raises(context.WorkspaceNotConfigured, match="supervision-workbook serve"):
        context.current_workspace()


def test_a_relative_or_missing_workspace_path_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(context.WORKSPACE_ENV, "relative/ws")
    with pytest.raises(context.WorkspaceNotConfigured, match="absolute"):
        context.workspace_path()
    monkeypatch.setenv(context.WORKSPACE_ENV, str(tmp_path / "gone"))
    with pytest.raises(context.WorkspaceNotConfigured, match="does not exist"):
        context.workspace_path()


def test_current_workspace_opens_the_folder_named_by_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from supervision_workbook.store import init_workspace

    ws_path = init_workspace(tmp_path / "ws")
    monkeypatch.setenv(context.WORKSPACE_ENV, str(ws_path))
    assert Path(context.current_workspace().path) == Path(ws_path)


# --- the Binder banner -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("mode", "environ", "shown"),
    [
        ("auto", {}, False),
        ("auto", {"BINDER_REPO_URL": ""}, False),
        ("auto", {"BINDER_REPO_URL": "https://github.com/x/y"}, True),
        ("auto", {"BINDER_LAUNCH_HOST": "https://mybinder.org/"}, True),
        ("on", {}, True),
        ("off", {"BINDER_LAUNCH_HOST": "https://mybinder.org/"}, False),
    ],
)
def test_the_binder_banner_follows_the_configuration_and_the_environment(
    mode: str, environ: dict[str, str], shown: bool
) -> None:
    config = WorkspaceConfig(binder_mode=mode)
    assert landing.binder_active(config, environ) is shown


def test_the_binder_banner_says_synthetic_only_and_download_your_work() -> None:
    text = landing.binder_banner().value
    assert "synthetic data only" in text
    assert "ten idle minutes" in text
    assert "Download your work" in text
