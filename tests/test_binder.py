"""Binder, as a training program's class meets it: the launch link opens the landing page.

The slow story builds the environment the way repo2docker does, without Docker: a fresh
venv from ``binder/requirements.txt`` alone, then ``binder/postBuild`` with ``$HOME`` set to
a copy of the repository (on Binder the repository *is* the home folder), then the Jupyter
server started through ``binder/start`` (repo2docker's entry point) from the repository
root, with the environment variables BinderHub sets. Headless Chromium then opens the path
of the README's launch link, as BinderHub redirects to it after the launch, and checks what
Binder means for people's work: the banner on every workbook, a submitted session offered
for download, and uploads into the case review (verified, refused when edited, imported
when they come from another session).

The quick checks guard what a Binder build cannot tell us until it fails on mybinder.org:
every pin still satisfies ``pyproject.toml``, no local path sneaks into the requirements,
and the scripts keep repo2docker's rules.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

if TYPE_CHECKING:
    from playwright.sync_api import Page

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[1]
BINDER = REPO / "binder"
DOC = REPO / "docs" / "binder-and-hub.md"
WORKSPACE_IN_HOME = ".local/share/supervision-workbook/demo-workspace"
#: What BinderHub puts into a session's environment (see exchange/binder.py).
BINDER_LAUNCH_ENV = {
    "BINDER_LAUNCH_HOST": "https://mybinder.org/",
    "BINDER_REQUEST": "v2/gh/example-org/supervision-workbook/HEAD",
    "BINDER_PERSISTENT_REQUEST": "v2/gh/example-org/supervision-workbook/0123abcd",
    "BINDER_REPO_URL": "https://github.com/example-org/supervision-workbook",
    "BINDER_REF_URL": "https://github.com/example-org/supervision-workbook/tree/0123abcd",
}
COPY_IGNORE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    "demo-workspace",
    "_artifacts",
    "build",
    "dist",
    "*.egg-info",
    "node_modules",
)


def _pins() -> dict[str, str]:
    pins: dict[str, str] = {}
    for raw in (BINDER / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([0-9][0-9A-Za-z.+!-]*)", line)
        assert match, f"binder/requirements.txt: {line!r} is not a plain 'name==version' pin"
        pins[canonicalize_name(match[1])] = match[2]
    return pins


# --- quick checks ---------------------------------------------------------------------------
def test_binder_requirements_pin_every_dependency_of_the_project_and_nothing_local() -> None:
    pins = _pins()
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = (BINDER / "runtime.txt").read_text(encoding="utf-8").strip()
    python = runtime.removeprefix("python-")
    environment = {"python_version": python, "python_full_version": f"{python}.0"}
    for spec in project["dependencies"]:
        req = Requirement(spec)
        if req.marker is not None and not req.marker.evaluate(environment):
            continue
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} (pyproject.toml) is not pinned for Binder"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"binder pins {req.name}=={pins[name]}, but pyproject.toml asks for {req.specifier}"
        )
    assert canonicalize_name(project["name"]) not in pins  # postBuild installs it


def test_binder_scripts_keep_repo2docker_rules() -> None:
    for name in ("postBuild", "start"):
        script = BINDER / name
        assert os.access(script, os.X_OK), f"binder/{name} must be executable"
        assert script.read_text(encoding="utf-8").startswith("#!/bin/bash\n")
    start = (BINDER / "start").read_text(encoding="utf-8").rstrip().splitlines()
    assert start[-1] == 'exec "$@"', "binder/start must end by running the server it was given"
    post = (BINDER / "postBuild").read_text(encoding="utf-8")
    assert "pip install --no-deps" in post
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = (BINDER / "runtime.txt").read_text(encoding="utf-8").strip()
    assert re.fullmatch(r"python-3\.\d+", runtime)
    minimum = project["requires-python"].removeprefix(">=")
    assert tuple(map(int, runtime[7:].split("."))) >= tuple(map(int, minimum.split(".")))


def launch_urlpath() -> str:
    """The ``urlpath`` of the Binder badge's link in the docs (the link people click)."""
    text = DOC.read_text(encoding="utf-8")
    links = re.findall(r"https://mybinder\.org/v2/gh/[^\s)\]]+", text)
    assert links, f"{DOC} has no mybinder.org launch link"
    paths = {parse_qs(urlsplit(link).query)["urlpath"][0] for link in links} - {"lab"}
    assert len(paths) == 1, f"the launch links disagree: {paths}"
    return paths.pop()


def test_the_launch_link_opens_the_landing_workbook_in_voila() -> None:
    assert launch_urlpath() == "voila/render/workbooks/index.ipynb"
    assert (REPO / "workbooks" / "index.ipynb").is_file()


# --- the Binder build, as repo2docker runs it -----------------------------------------------
@dataclass
class BinderBuild:
    home: Path
    venv: Path
    seconds: float

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    def env(self, **extra: str) -> dict[str, str]:
        """A session's environment: nothing from this test run's venv or workspace."""
        keep = {
            k: v
            for k, v in os.environ.items()
            if k in ("LANG", "LC_ALL", "TZ", "TMPDIR") or k.startswith("PIP_")
        }
        return {
            **keep,
            "HOME": str(self.home),
            "PATH": f"{self.bin}:/usr/bin:/bin",
            "REPO_DIR": str(self.home),
            **extra,
        }


def _run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]
    if proc.returncode != 0:
        pytest.fail(
            f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n"
            f"{proc.stderr[-5000:]}"
        )
    return proc


@pytest.fixture(scope="module")
def binder_build(tmp_path_factory: pytest.TempPathFactory) -> BinderBuild:
    started = time.monotonic()
    base = tmp_path_factory.mktemp("binder")
    home = base / "home"  # on Binder, $HOME is the repository
    shutil.copytree(REPO, home, ignore=COPY_IGNORE)
    venv = base / "venv"
    _run([sys.executable, "-m", "venv", str(venv)])
    pip_env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    pip_env.pop("VIRTUAL_ENV", None)
    # Only the requirements file, as repo2docker installs it before copying the repository
    # (pip's download cache is used; nothing from the development venv is).
    _run(
        [
            str(venv / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "-q",
            "-r",
            str(home / "binder" / "requirements.txt"),
        ],
        env=pip_env,
        timeout=900,
    )
    build = BinderBuild(home, venv, 0.0)
    _run([str(home / "binder" / "postBuild")], cwd=home, env=build.env(), timeout=600)
    build.seconds = time.monotonic() - started
    return build


def test_postbuild_installs_the_project_and_a_valid_demo_workspace_outside_the_served_tree(
    binder_build: BinderBuild,
) -> None:
    workspace = binder_build.home / WORKSPACE_IN_HOME
    assert (workspace / "supervision-workbook.toml").is_file()
    # postBuild validated every artifact (a failure there fails the build, as on Binder).
    assert len(list((workspace / "reviews").rglob("*.ipynb"))) >= 10
    # Installed from the copy, not linked to the development tree.
    where = _run(
        [
            str(binder_build.bin / "python"),
            "-c",
            "import supervision_workbook, sys; print(supervision_workbook.__file__)",
        ],
        env=binder_build.env(),
        cwd="/",
    )
    assert str(binder_build.venv) in where.stdout


def test_postbuild_run_again_on_the_same_home_leaves_one_valid_demo_workspace(
    binder_build: BinderBuild,
) -> None:
    """A rebuild, a second run by hand, or repo2docker with a persistent home: postBuild
    finds the workspace of the last run and rewrites the demo instead of failing."""
    workspace = binder_build.home / WORKSPACE_IN_HOME
    files = sorted((workspace / "reviews").rglob("*.ipynb"))
    before = {f: f.read_bytes() for f in files}
    postbuild = [str(binder_build.home / "binder" / "postBuild")]
    again = _run(postbuild, cwd=binder_build.home, env=binder_build.env(), timeout=600)
    assert "Replaced the previous demo" in again.stdout
    # One demo, the same one (same seed, same bytes), not two side by side.
    assert {f: f.read_bytes() for f in (workspace / "reviews").rglob("*.ipynb")} == before
    record = json.loads((workspace / "demo-manifest.json").read_text(encoding="utf-8"))
    assert len(record["demos"]) == 1 and len(record["demos"][0]["files"]) == len(files)
    done = _run(
        [str(binder_build.bin / "supervision-workbook"), "validate", str(workspace)],
        env=binder_build.env(),
    )
    assert f"{len(files)} artifacts valid." in done.stderr


def test_binder_start_run_twice_adds_its_configuration_once(tmp_path: Path) -> None:
    start = str(BINDER / "start")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "JUPYTER_CONFIG_PATH": "/etc/x"}
    show = ["sh", "-c", 'echo "$JUPYTER_CONFIG_PATH|$SUPERVISION_WORKBOOK_WORKSPACE"']
    once = _run([start, *show], env=env).stdout.strip()
    twice = _run([start, start, *show], env=env).stdout.strip()
    assert once == twice
    assert once == f"{BINDER / 'jupyter'}:/etc/x|{tmp_path / WORKSPACE_IN_HOME}"


# --- the session ----------------------------------------------------------------------------
@dataclass
class Session:
    base: str
    token: str
    proc: subprocess.Popen[bytes]
    log: Path

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-5000:]


def _stop(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def session(
    binder_build: BinderBuild, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Session]:
    """``binder/start jupyter server`` from the repository root, on 127.0.0.1 with a token."""
    from browser.conftest import free_port

    port, token = free_port(), secrets.token_urlsafe(24)
    log = tmp_path_factory.mktemp("binder-logs") / "server.log"
    env = binder_build.env(JUPYTER_TOKEN=token, **BINDER_LAUNCH_ENV)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                str(binder_build.home / "binder" / "start"),
                "jupyter",
                "server",
                "--no-browser",
                "--ServerApp.ip=127.0.0.1",
                f"--ServerApp.port={port}",
                "--ServerApp.port_retries=0",
                *(["--ServerApp.allow_root=True"] if os.geteuid() == 0 else []),
            ],
            cwd=binder_build.home,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    running = Session(f"http://127.0.0.1:{port}", token, proc, log)
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"jupyter server did not start:\n{running.tail()}")
            try:
                with urllib.request.urlopen(f"{running.base}/api/status?token={token}", timeout=2):  # noqa: S310
                    break
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.3)
        yield running
    finally:
        _stop(proc)


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - 127.0.0.1
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


@pytest.mark.slow
def test_the_server_started_through_binder_start_defaults_to_the_landing_workbook(
    session: Session,
) -> None:
    """binder/start put binder/jupyter/ on the configuration path, so its settings apply."""
    import http.client

    conn = http.client.HTTPConnection(urlsplit(session.base).netloc, timeout=30)
    conn.request("GET", f"/?token={session.token}")
    response = conn.getresponse()
    conn.close()
    assert response.status == 302
    assert response.getheader("Location", "").startswith("/voila/render/workbooks/index.ipynb")


@pytest.mark.slow
def test_the_demo_workspace_is_not_handed_out_as_files(session: Session) -> None:
    hidden = f"{session.base}/files/{WORKSPACE_IN_HOME}/supervision-workbook.toml"
    assert _status(f"{hidden}?token={session.token}") in (403, 404)
    assert _status(f"{session.base}/api/contents/.local?token={session.token}") in (403, 404)


@pytest.mark.slow
@pytest.mark.browser
def test_on_binder_the_banner_stays_on_every_workbook_and_work_moves_by_download_and_upload(
    binder_build: BinderBuild, session: Session, tmp_path: Path
) -> None:
    """The launch link opens the landing page with the banner; a trainee completes a
    session and submits it, and the workbook offers the file for download (nothing else can
    carry it out of a Binder session); the supervisor uploads it into the case review, and
    an upload from another session arrives there as a case of its own."""
    from browser.conftest import VOILA_ERROR, launch_chromium, local_only

    elsewhere = _another_sessions_workbook(binder_build, tmp_path)
    with launch_chromium() as browser:
        context = browser.new_context(
            accept_downloads=True, viewport={"width": 1280, "height": 900}
        )
        context.route("**/*", local_only())
        page = context.new_page()
        page.set_default_timeout(90_000)
        page.goto(f"{session.base}/{launch_urlpath()}?token={session.token}", wait_until="commit")
        landing = page.locator(".swb-landing").or_(page.locator(VOILA_ERROR)).first
        landing.wait_for(state="visible")
        assert page.locator(".swb-landing").is_visible(), session.tail()
        _assert_banner(page)
        # The kernel found the demo workspace that postBuild wrote and start exported.
        assert page.locator(".swb-workspace-name").inner_text() == "demo-workspace"
        assert page.locator(".swb-problem").count() == 0

        saved = _submit_and_download(page, session, binder_build, tmp_path)
        _upload_into_the_case_review(page, session, saved, elsewhere)

    done = _run(
        [str(binder_build.bin / "supervision-workbook"), "validate", str(saved)],
        env=binder_build.env(),
    )
    assert "1 artifact valid." in done.stderr


def _assert_banner(page: Page) -> None:
    """The Binder banner is the first thing on the page, says what Binder means, and stays
    in view when the page scrolls."""
    banner = page.locator(".swb-binder-banner")
    banner.wait_for(state="visible")
    text = banner.inner_text().lower()
    for words in ("synthetic data only", "ten idle minutes", "download your work"):
        assert words in text
    assert banner.evaluate("el => getComputedStyle(el).position") == "sticky"


def _another_sessions_workbook(build: BinderBuild, tmp_path: Path) -> Path:
    """A session workbook made in another Binder session (another synthetic trainee)."""
    other = tmp_path / "another-session"
    _run(
        [
            str(build.bin / "supervision-workbook"),
            "demo",
            str(other),
            "--trainees",
            "1",
            "--cases",
            "1",
            "--sessions",
            "1",
            "--seed",
            "99",
        ],
        env=build.env(),
    )
    return next((other / "reviews").rglob("*_session_*.ipynb"))


def _submit_and_download(page: Page, session: Session, build: BinderBuild, tmp_path: Path) -> Path:
    """Open a trainee's case in the session workbook, complete the next session, submit it,
    and take the file the workbook then offers."""
    from browser.conftest import VOILA_ERROR
    from fixtures.session_pages import complete_and_submit_session

    reviews = build.home / WORKSPACE_IN_HOME / "reviews"
    trainee = sorted(p for p in reviews.iterdir() if p.is_dir())[0]
    case = sorted(p for p in trainee.iterdir() if p.is_dir())[0]
    url = (
        f"{session.base}/voila/render/workbooks/supervisee.ipynb?token={session.token}"
        f"&trainee={trainee.name}&case={case.name}"
    )
    page.goto(url, wait_until="commit")
    title = page.locator(".swb-supervisee .swb-step-title")
    title.or_(page.locator(VOILA_ERROR)).first.wait_for(state="visible")
    assert title.is_visible(), session.tail()
    _assert_banner(page)  # on every workbook, not only the landing page
    message = complete_and_submit_session(page, session.tail)
    assert message.endswith("Download it below and send it to your supervisor."), message
    handover = page.locator(".swb-handover-result")
    handover.filter(has_text="Download this file and send it to your supervisor").wait_for()
    with page.expect_download() as info:
        page.locator(".swb-handover-download button").click()
    download = info.value
    assert re.fullmatch(
        r"\d{4}-\d{2}-\d{2}_session_rv-[0-9a-f]{10}\.ipynb", download.suggested_filename
    ), download.suggested_filename
    saved = tmp_path / download.suggested_filename
    download.save_as(str(saved))
    # The download is the record exactly as the workspace saved it.
    (record,) = reviews.rglob(download.suggested_filename)
    assert saved.read_bytes() == record.read_bytes()
    return saved


def _upload_into_the_case_review(page: Page, session: Session, saved: Path, other: Path) -> None:
    """The supervisor's side: upload files into the case review, as on Binder."""
    from browser.conftest import VOILA_ERROR

    page.goto(
        f"{session.base}/voila/render/workbooks/case_review.ipynb?token={session.token}",
        wait_until="commit",
    )
    picker = page.locator(".swb-case-review .swb-receive-upload .swb-upload")
    picker.or_(page.locator(VOILA_ERROR)).first.wait_for(state="visible")
    assert picker.is_visible(), session.tail()
    _assert_banner(page)
    assert page.locator(".swb-collect").is_hidden()  # no exchange folder on Binder
    result = page.locator(".swb-receive-upload .swb-upload-result")

    def upload(path: Path, expect: str) -> str:
        with page.expect_file_chooser() as chooser:
            picker.click()
        chooser.value.set_files(str(path))
        result.filter(has_text=expect).wait_for()
        return result.inner_text()

    # The trainee's file: verified, and recognised as already here (one Binder session).
    text = upload(saved, "already holds exactly this session workbook")
    assert "nothing changed" in text
    # An edited copy is refused with its reason.
    edited = saved.with_name("edited.ipynb")
    edited.write_text(
        saved.read_text(encoding="utf-8").replace('"notes": ""', '"notes": "edited"', 1),
        encoding="utf-8",
    )
    assert "edited outside supervision-workbook" in upload(edited, "Not loaded")
    # A workbook from another session is imported, and its case opens.
    from supervision_workbook.artifact import load

    review = load(other).review
    assert f"case {review.case.code}" in upload(other, "Imported the session workbook")
    snapshot = page.locator(".swb-cr-snapshot").filter(has_text=review.case.code)
    snapshot.wait_for(state="visible")
    assert review.trainee.name in snapshot.inner_text()
