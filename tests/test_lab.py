"""The JupyterLab face without a browser: its workspace, its Voila command, its verdicts,
its endpoints on a real Jupyter server, and the wheel and sdist that carry it.

The browser journeys (cards, a workbook in a Lab tab, Verify in the file browser) are in
tests/browser/test_lab.py; this file holds what can be checked faster or more exactly here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

from fixtures.reviews import case_review, signoff
from supervision_workbook.artifact import dumps
from supervision_workbook.lab import proxy
from supervision_workbook.lab.verdict import verify
from supervision_workbook.lab.workspace import (
    ENV,
    NoWorkspace,
    ServeError,
    configure,
    lab_workspace,
)
from supervision_workbook.serve import build_voila_command, workbooks_dir

REPO = Path(__file__).resolve().parents[1]
CLI = Path(sys.executable).parent / "supervision-workbook"
LABEXTENSION = "@supervision-workbook/labextension"


@pytest.fixture(autouse=True)
def _no_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with neither the Jupyter setting nor the variable."""
    monkeypatch.delenv(ENV, raising=False)
    configure("")
    yield
    configure("")


def _workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    subprocess.run([str(CLI), "init", str(ws)], check=True, capture_output=True, timeout=120)
    return ws


# --- which workspace --------------------------------------------------------------------------
def test_without_setting_or_variable_there_is_no_workspace_and_the_message_says_how() -> None:
    with pytest.raises(NoWorkspace) as err:
        lab_workspace()
    assert ENV in str(err.value) and "c.SupervisionWorkbook.workspace" in str(err.value)


def test_the_variable_names_the_workspace_as_for_serve(tmp_path, monkeypatch) -> None:
    ws = _workspace(tmp_path)
    monkeypatch.setenv(ENV, str(ws))
    assert lab_workspace() == ws.resolve()


def test_the_jupyter_setting_wins_over_the_variable(tmp_path, monkeypatch) -> None:
    ws = _workspace(tmp_path)
    monkeypatch.setenv(ENV, str(tmp_path / "elsewhere"))
    configure(str(ws))
    assert lab_workspace() == ws.resolve()


def test_a_missing_workspace_or_one_inside_the_served_folder_is_refused(tmp_path) -> None:
    configure(str(tmp_path / "missing"))
    with pytest.raises(ServeError, match="no such workspace folder"):
        lab_workspace()
    configure(str(workbooks_dir()))
    with pytest.raises(ServeError, match="inside the served folder"):
        lab_workspace()


# --- the Voila behind the proxy ----------------------------------------------------------------
def test_the_proxied_app_is_serves_command_with_the_proxy_base_url_and_no_token_in_it() -> None:
    served = build_voila_command(workbooks_dir(), 41234, python=sys.executable)
    command = proxy.voila_command(41234, "/user/alice/")
    added = [a for a in command if a not in served]
    dropped = [a for a in served if a not in command]
    assert added[-1] == "--Voila.base_url=/user/alice/supervision-workbook/"
    # serve's error instruction points at its terminal; Lab's at the server's log, once.
    assert [a.split("=", 1)[0] for a in dropped] == ["--VoilaExecutor.cell_error_instruction"]
    assert len(added) == 2 and "Jupyter server's log" in added[0]
    assert str(workbooks_dir()) in command and "--Voila.ip=127.0.0.1" in command
    assert not any("token=" in a.lower() and "auto_token" not in a for a in command)


def test_the_token_reaches_voila_by_environment_and_the_proxy_sends_it(tmp_path) -> None:
    ws = _workspace(tmp_path)
    configure(str(ws))
    settings = proxy.setup_voila()
    env = settings["environment"]()
    token = env["JUPYTER_TOKEN"]
    assert len(token) >= 40 and env[ENV] == str(ws.resolve())
    assert settings["request_headers_override"] == {"Authorization": f"token {token}"}
    assert settings["absolute_url"] is True
    assert settings["launcher_entry"] == {"enabled": False}  # our own cards instead
    assert proxy.setup_voila()["environment"]()["JUPYTER_TOKEN"] != token  # one per server


def test_braces_in_a_workspace_path_survive_the_proxys_templating(tmp_path) -> None:
    ws = _workspace(tmp_path / "{odd}")
    configure(str(ws))
    rendered = proxy.voila_environment("t")[ENV].format(port=1, base_url="/", unix_socket="")
    assert rendered == str(ws.resolve())


# --- the verdict is validate's ----------------------------------------------------------------
def _validate(folder: Path, name: str, *options: str) -> str:
    proc = subprocess.run(
        [str(CLI), "validate", *options, name],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return proc.stdout.strip()


def test_verify_says_what_validate_says_for_sound_tampered_cut_off_and_foreign_files(
    tmp_path,
) -> None:
    signed = dumps(case_review(signed=True))
    (tmp_path / "signed.ipynb").write_text(signed, encoding="utf-8")
    (tmp_path / "draft.ipynb").write_text(dumps(case_review()), encoding="utf-8")
    data = json.loads(signed)
    data["metadata"]["supervision_workbook"]["record"]["goals"] = "edited afterwards"
    (tmp_path / "tampered.ipynb").write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "cut.ipynb").write_text(signed[: len(signed) // 2], encoding="utf-8")
    foreign = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": []}
    (tmp_path / "foreign.ipynb").write_text(json.dumps(foreign), encoding="utf-8")

    ok = verify(tmp_path / "signed.ipynb", "signed.ipynb")
    assert ok.valid and ok.status == "signed-off" and ok.signed_by == "Dr. Ruth Kay"
    assert _validate(tmp_path, "signed.ipynb") == ""
    draft = verify(tmp_path / "draft.ipynb", "draft.ipynb")
    assert draft.valid and draft.status == "valid" and "not signed off" in draft.message

    for name, status in (("tampered", "tampered"), ("cut", "truncated"), ("foreign", "corrupt")):
        verdict = verify(tmp_path / f"{name}.ipynb", f"{name}.ipynb")
        assert not verdict.valid and verdict.status == status, verdict
        assert verdict.message == _validate(tmp_path, f"{name}.ipynb")


def test_a_key_signed_review_sent_outside_the_workspace_gets_one_verdict_in_lab_and_validate(
    tmp_path, monkeypatch
) -> None:
    """Dr. Kay signs a review with her key and mails it; it lands in a Lab folder outside
    any workspace. With her workspace set, the Lab and ``validate --workspace`` both name
    her as the signer; without it, both say that nobody trusts the key."""
    from supervision_workbook.artifact import sign_off
    from supervision_workbook.signing import key_for

    for name in ("SUPERVISION_WORKBOOK_EXCHANGE", "SUPERVISION_WORKBOOK_ROSTER"):
        monkeypatch.delenv(name, raising=False)
    ws = _workspace(tmp_path)
    subprocess.run(
        [str(CLI), "keys", "create", str(ws), "--signer", "Dr. Ruth Kay"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    signed = sign_off(case_review(), signoff(), key=key_for(ws, "Dr. Ruth Kay"))
    sent = tmp_path / "sent"
    sent.mkdir()
    (sent / "kay.ipynb").write_text(dumps(signed), encoding="utf-8")

    untrusted = verify(sent / "kay.ipynb", "kay.ipynb")  # no workspace configured
    assert not untrusted.valid and untrusted.status == "untrusted key"
    assert "which proves nothing" in untrusted.message
    assert untrusted.message == _validate(sent, "kay.ipynb")

    configure(str(ws))
    trusted = verify(sent / "kay.ipynb", "kay.ipynb")
    assert trusted.valid and trusted.status == "signed-off", trusted
    assert "kay.ipynb: valid; signed off by Dr. Ruth Kay; sign-off signed by Dr. Ruth Kay" in (
        trusted.message
    )
    proc = subprocess.run(
        [str(CLI), "validate", "--workspace", str(ws), "kay.ipynb"],
        cwd=sent,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0 and proc.stdout == ""
    assert trusted.message in proc.stderr.splitlines()

    # Tampering is still tampering, whichever workspace vouches for the key.
    data = json.loads(dumps(signed))
    data["metadata"]["supervision_workbook"]["record"]["goals"] = "edited afterwards"
    (sent / "edited.ipynb").write_text(json.dumps(data), encoding="utf-8")
    edited = verify(sent / "edited.ipynb", "edited.ipynb")
    assert edited.status == "tampered"
    assert edited.message == _validate(sent, "edited.ipynb", "--workspace", str(ws))


def test_validate_refuses_a_workspace_option_that_names_no_workspace(tmp_path) -> None:
    (tmp_path / "r.ipynb").write_text(dumps(case_review()), encoding="utf-8")
    proc = subprocess.run(
        [str(CLI), "validate", "--workspace", str(tmp_path), "r.ipynb"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 2, proc
    assert "not a supervision-workbook workspace (--workspace)" in proc.stderr
    assert "Traceback" not in proc.stderr


# --- the endpoints on a real Jupyter server ----------------------------------------------------
@pytest.fixture(scope="module")
def bare_lab(tmp_path_factory: pytest.TempPathFactory):
    """``jupyter lab`` with no workspace set, on a folder holding one sound review."""
    from fixtures.lab_server import start_lab, stop_lab

    folder = tmp_path_factory.mktemp("bare-lab")
    running = start_lab(folder, None)
    (running.root / "review.ipynb").write_text(dumps(case_review(signed=True)), encoding="utf-8")
    (running.root / ".hidden.ipynb").write_text(dumps(case_review()), encoding="utf-8")
    (running.root / "notes.txt").write_text("not a notebook", encoding="utf-8")
    try:
        yield running
    finally:
        stop_lab(running)


@pytest.mark.slow
def test_without_a_workspace_the_cards_open_a_page_that_says_how_to_set_it(bare_lab) -> None:
    for workbook in ("supervisee", "case_review", "caseload"):
        status, _, page = bare_lab.get(f"api/supervision-workbook/open/{workbook}")
        assert status == 200 and "Set a workspace first" in page
        assert ENV in page and "c.SupervisionWorkbook.workspace" in page
    assert bare_lab.get("api/supervision-workbook/open/nonsense")[0] == 404
    # The page keeps its look from the extension's own style sheet, served beside the API.
    assert '<link rel="stylesheet" href="/api/supervision-workbook/static/page.css">' in page
    status, _, css = bare_lab.get("api/supervision-workbook/static/page.css")
    assert status == 200 and "max-width: 42rem" in css and ".problem" in css
    assert bare_lab.get("api/supervision-workbook/static/handlers.py")[0] == 404


@pytest.mark.slow
def test_the_endpoints_and_the_app_answer_only_behind_jupyters_login(bare_lab) -> None:
    import urllib.error
    import urllib.request

    from fixtures.lab_server import NoRedirect

    anonymous = urllib.request.build_opener(NoRedirect())
    expected = {
        "api/supervision-workbook/verify?path=review.ipynb": 403,  # an API: refused
        "api/supervision-workbook/open/caseload": 302,  # a page: to the login page
        "supervision-workbook/voila/render/caseload.ipynb": 302,  # the app, via the proxy
    }
    for path, code in expected.items():
        with pytest.raises(urllib.error.HTTPError) as err:
            anonymous.open(f"{bare_lab.base}/{path}", timeout=30)
        assert err.value.code == code, path
        if code == 302:
            assert err.value.headers["Location"].startswith("/login?next="), path
    status, _, body = bare_lab.get("api/supervision-workbook/verify?path=review.ipynb")
    assert status == 200 and json.loads(body)["status"] == "signed-off"


@pytest.mark.slow
def test_verify_reads_only_notebooks_inside_the_root_and_never_hidden_ones(bare_lab) -> None:
    verify_url = "api/supervision-workbook/verify?path="
    assert bare_lab.get(f"{verify_url}notes.txt")[0] == 400
    assert bare_lab.get(f"{verify_url}.hidden.ipynb")[0] == 404
    assert bare_lab.get(f"{verify_url}../outside.ipynb")[0] == 404
    assert bare_lab.get(f"{verify_url}missing.ipynb")[0] == 404
    assert json.loads(bare_lab.get("api/kernels")[2]) == []  # nothing was started to check


# --- packaging ---------------------------------------------------------------------------------
@pytest.mark.slow
def test_a_wheel_and_sdist_build_and_the_wheel_gives_a_lab_with_the_cards(tmp_path) -> None:
    """``python -m build`` makes the sdist, then the wheel *from the sdist*, so the sdist must
    carry the built labextension; a clean venv with the wheel lists the labextension."""
    dist = tmp_path / "dist"
    env = {k: v for k, v in os.environ.items() if k != "SUPERVISION_WORKBOOK_WORKSPACE"}
    built = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(dist), str(REPO)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        env=env,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    (wheel,) = dist.glob("*.whl")
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        members = archive.getnames()
    built_js = "src/supervision_workbook/lab/labextension/static/remoteEntry."
    assert any(built_js in m for m in members)  # so a wheel from the sdist needs no Node
    assert any(m.endswith("labextension/src/index.ts") for m in members)
    assert not any("node_modules" in m for m in members)
    names = zipfile.ZipFile(wheel).namelist()
    share = f"supervision_workbook-0.2.0.data/data/share/jupyter/labextensions/{LABEXTENSION}"
    assert f"{share}/package.json" in names and f"{share}/install.json" in names
    assert any(n.startswith(f"{share}/static/remoteEntry.") for n in names)
    enable = "supervision_workbook-0.2.0.data/data/etc/jupyter/jupyter_server_config.d"
    assert f"{enable}/supervision_workbook.json" in names
    assert not any("node_modules" in n for n in names)
    assert "supervision_workbook/lab/static/page.css" in names  # the Lab pages' style sheet
    entry_points = zipfile.ZipFile(wheel).read(
        "supervision_workbook-0.2.0.dist-info/entry_points.txt"
    )
    assert b"[jupyter_serverproxy_servers]" in entry_points

    clean = tmp_path / "clean"
    venv.create(clean, with_pip=True)
    install = subprocess.run(
        [str(clean / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    clean_env = {**env, "JUPYTER_CONFIG_DIR": str(tmp_path / "cfg"), "JUPYTER_PATH": ""}
    listed = subprocess.run(
        [str(clean / "bin" / "jupyter"), "labextension", "list"],
        capture_output=True,
        text=True,
        timeout=300,
        env=clean_env,
        check=False,
    )
    out = listed.stdout + listed.stderr
    assert str(clean) in out, out  # the clean venv's own data folder
    line = next(ln for ln in out.splitlines() if LABEXTENSION in ln)
    assert "enabled" in line and "OK" in line, out
    servers = subprocess.run(
        [str(clean / "bin" / "jupyter"), "server", "extension", "list"],
        capture_output=True,
        text=True,
        timeout=300,
        env=clean_env,
        check=False,
    )
    assert "supervision_workbook.lab enabled" in _plain(servers.stdout + servers.stderr)


def _plain(text: str) -> str:
    """Jupyter's listings colour their words; compare without the escape codes."""
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def test_the_server_extension_loads_no_widget_library_into_the_jupyter_server() -> None:
    """Jupyter imports it at start-up, in the server process: no ipywidgets, Voila or IPython."""
    code = (
        "import sys\n"
        "import supervision_workbook.lab, supervision_workbook.lab.handlers\n"
        "import supervision_workbook.lab.proxy, supervision_workbook.lab.verdict\n"
        "print(' '.join(m for m in ('ipywidgets', 'anywidget', 'voila', 'IPython')"
        " if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.strip() == ""
