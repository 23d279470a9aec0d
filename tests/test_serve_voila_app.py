"""The Voila that `serve` runs keeps secrets out of the log, loads only what a page needs,
and ends kernels. These stories need no server; tests/browser/test_serve_lifecycle.py runs
the real one."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from voila.configuration import VoilaConfiguration
from voila.utils import filter_extension

from supervision_workbook import serve
from supervision_workbook.serve import voila_app

TOKEN = "Uvk_Qvgcpw3NASozBpBRUOh3k7gg_q_0qTWDoaJc_bA"


def _record(msg: str, *args: object, level: int = logging.WARNING) -> logging.LogRecord:
    return logging.LogRecord("tornado.access", level, __file__, 1, msg, args, None)


# --- the log -------------------------------------------------------------------------------
def test_a_mistyped_workbook_url_is_logged_without_its_token() -> None:
    redact = voila_app.RedactingFilter(TOKEN)
    record = _record("404 GET %s (127.0.0.1) 11.40ms", f"/voila/render/nope.ipynb?token={TOKEN}")
    assert redact.filter(record)
    assert TOKEN not in record.getMessage()
    assert "/voila/render/nope.ipynb?token=[secret]" in record.getMessage()


def test_the_token_is_masked_wherever_it_appears_even_outside_a_url() -> None:
    redact = voila_app.RedactingFilter(TOKEN)
    record = _record("Blocking request with bad header Authorization: token %s", TOKEN)
    redact.filter(record)
    assert TOKEN not in record.getMessage()
    wrong = _record("403 POST /voila/api/shutdown/abc?token=%sx (127.0.0.1)", TOKEN)
    redact.filter(wrong)
    assert TOKEN not in wrong.getMessage()


def test_voilas_own_url_line_and_the_trust_warning_are_not_printed() -> None:
    redact = voila_app.RedactingFilter(TOKEN)
    assert not redact.filter(_record("Voilà is running at:\n%s", "http://127.0.0.1:1/?token=..."))
    assert not redact.filter(_record("Notebook %s is not trusted", "index.ipynb"))
    assert redact.filter(_record("Kernel started: %s", "abc"))


# --- what a page loads ---------------------------------------------------------------------
def _installed(*names: str) -> list[dict[str, str]]:
    return [{"name": name, "load": f"static/{name}.js"} for name in names]


def test_a_lab_extension_of_our_own_or_the_proxys_never_loads_on_a_voila_page() -> None:
    installed = _installed(
        *serve.EXTENSION_ALLOWLIST,
        "@supervision-workbook/labextension",
        "supervision-workbook",
        "@jupyterhub/jupyter-server-proxy",
        "jupyterlab_pygments",
    )
    loaded = filter_extension(installed, extension_allowlist=list(serve.EXTENSION_ALLOWLIST))
    assert {ext["name"] for ext in loaded} == set(serve.EXTENSION_ALLOWLIST)


def test_the_allow_list_reaches_voila_on_the_command_line(tmp_path: Path) -> None:
    command = serve.build_voila_command(tmp_path, 9123)
    allowed = [
        part.split("=", 1)[1]
        for part in command
        if part.startswith("--VoilaConfiguration.extension_allowlist=")
    ]
    assert allowed == list(serve.EXTENSION_ALLOWLIST)
    config = VoilaConfiguration()
    config.extension_allowlist = allowed  # the trait accepts what the command gives it
    assert "jupyterlab-plotly" in config.extension_allowlist


def test_the_landing_page_does_not_load_plotly_but_the_dashboard_does() -> None:
    def page() -> dict[str, object]:
        return {"federated_extensions": _installed(*serve.EXTENSION_ALLOWLIST)}

    landing = voila_app.without_plotly_where_no_chart(page(), notebook_path="index.ipynb")
    names = [ext["name"] for ext in landing["federated_extensions"]]  # type: ignore[index]
    assert "jupyterlab-plotly" not in names
    assert "@voila-dashboards/widgets-manager8" in names
    dashboard = voila_app.without_plotly_where_no_chart(page(), notebook_path="caseload.ipynb")
    assert "jupyterlab-plotly" in [e["name"] for e in dashboard["federated_extensions"]]  # type: ignore[index]


def test_the_page_template_asks_no_cdn_for_fonts() -> None:
    folder = serve.JUPYTER_DATA / "voila" / "templates" / serve.TEMPLATE
    text = (folder / "index.html.j2").read_text()
    assert "cdn." not in text and "https://" not in text
    assert "voila/templates/lab/index.html.j2" in text  # everything else is Voila's lab page
    command = serve.build_voila_command(folder, 9123)
    assert f"--template={serve.TEMPLATE}" in command
    env = serve.build_voila_env(folder, "t", base={"JUPYTER_PATH": "/elsewhere"})
    assert env["JUPYTER_PATH"].split(":") == [str(serve.JUPYTER_DATA), "/elsewhere"]


# --- kernels -------------------------------------------------------------------------------
def test_kernels_talk_over_unix_sockets_where_the_platform_has_them() -> None:
    assert serve.kernel_transport_args("/tmp", platform="posix") == [
        "--KernelManager.transport=ipc",
        "--Voila.connection_dir_root=/tmp",
    ]
    # macOS's long temporary folder would overflow a socket name: /tmp instead.
    long_root = "/var/folders/xy/" + "z" * 40 + "/T"
    assert "--Voila.connection_dir_root=/tmp" in serve.kernel_transport_args(
        long_root, platform="posix"
    )
    assert serve.kernel_transport_args("C:\\Temp", platform="nt") == []


def test_idle_kernels_are_culled_after_a_configurable_time(tmp_path: Path) -> None:
    assert serve.idle_timeout({}) == serve.DEFAULT_IDLE_TIMEOUT
    assert serve.idle_timeout({serve.IDLE_TIMEOUT_ENV: "45"}) == 45
    command = serve.build_voila_command(tmp_path, 9123, idle_seconds=45)
    assert "--MappingKernelManager.cull_idle_timeout=45" in command
    assert "--MappingKernelManager.cull_interval=45" in command  # never longer than the wait
    for bad in ("soon", "-1"):
        with pytest.raises(serve.ServeError, match=serve.IDLE_TIMEOUT_ENV):
            serve.idle_timeout({serve.IDLE_TIMEOUT_ENV: bad})


def test_a_bad_idle_timeout_stops_serve_before_anything_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(serve.IDLE_TIMEOUT_ENV, "ten minutes")
    assert serve.serve(tmp_path, None) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and serve.IDLE_TIMEOUT_ENV in err


def test_serve_stops_on_a_closed_terminal_as_on_a_kill() -> None:
    import signal

    assert signal.SIGHUP in serve.STOP_SIGNALS
    assert signal.SIGTERM in serve.STOP_SIGNALS


def test_compression_is_handed_to_tornado_when_asked(tmp_path: Path) -> None:
    assert "--SupervisionVoila.compress_response=False" in serve.build_voila_command(tmp_path, 1)
    assert "--SupervisionVoila.compress_response=True" in serve.build_voila_command(
        tmp_path, 1, compress=True
    )


def test_binder_start_puts_the_page_template_and_the_settings_on_jupyters_paths(
    tmp_path: Path,
) -> None:
    """binder/start runs before the server: it must find the template folder and then run
    the command it was given (a broken script would leave Binder pages without a template)."""
    import os
    import subprocess
    import sys

    repo = Path(__file__).resolve().parents[1]
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path),
    }
    shown = subprocess.run(
        [str(repo / "binder" / "start"), "env"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    variables = dict(line.split("=", 1) for line in shown.splitlines() if "=" in line)
    assert variables["JUPYTER_PATH"].split(os.pathsep)[0] == str(serve.JUPYTER_DATA)
    assert variables["JUPYTER_CONFIG_PATH"].startswith(str(repo / "binder" / "jupyter"))
    folder = serve.JUPYTER_DATA / "voila" / "templates" / serve.TEMPLATE
    assert (folder / "conf.json").is_file()
