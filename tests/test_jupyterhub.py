"""A real JupyterHub on one machine: a trainee submits, their supervisor collects.

Everything happens through the workbooks, as people use them: the trainee completes her
session workbook in Chromium through the hub (Voila at ``/user/<name>/voila/render/...``) and
presses Submit, which puts it into her inbound folder; her supervisor presses "Collect
submissions" in the case review and the case opens with her session. A second trainee's own
server then tries to read it, and both the operating system and the exchange refuse.

The hub runs ``deploy/jupyterhub/jupyterhub_config.py`` as shipped, with only what a test
machine needs changed on top of it (free ports on 127.0.0.1, files in a temporary folder, a
shared test password instead of PAM). It uses configurable-http-proxy from the npm registry
and real OS accounts made by the test when it runs as root, so that the exchange folder's
privacy is the operating system's, as in production. Without root (or where other accounts
cannot run this project's Python) it falls back to SimpleLocalProcessSpawner, where one
account runs every server and the exchange's own checks are what keeps trainees apart.

Everything the test starts, it stops: the hub and its proxy by process group, single-user
servers and kernels by the hub API address in their environment, accounts with userdel.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from fixtures.accounts import make_accounts, python_for, remove_accounts
from fixtures.session_pages import (
    CLIENT_ANSWERS,
    THERAPIST_ANSWERS,
    TIMEOUT_MS,
    click_for,
    complete_and_submit_session,
)
from supervision_workbook.exchange._setup import setup_exchange

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = [pytest.mark.slow, pytest.mark.browser]

REPO = Path(__file__).resolve().parents[1]
DEPLOY_CONFIG = REPO / "deploy" / "jupyterhub" / "jupyterhub_config.py"
CHP_VERSION = "5.3.0"
CHP_CACHE = Path.home() / ".cache" / "supervision-workbook" / "configurable-http-proxy"


def unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"the JupyterHub test cannot run on CI: {reason}")
    pytest.skip(reason)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def configurable_http_proxy() -> Path:
    """The proxy from the npm registry: on PATH (CI installs it), or installed once into a
    cache folder on a developer's machine."""
    found = shutil.which("configurable-http-proxy")
    if found:
        return Path(found)
    cached = CHP_CACHE / "node_modules" / ".bin" / "configurable-http-proxy"
    if cached.exists():
        return cached
    npm = shutil.which("npm")
    if npm is None or os.environ.get("CI", "").lower() == "true":
        unavailable(
            "configurable-http-proxy is not installed "
            f"(npm install -g configurable-http-proxy@{CHP_VERSION})"
        )
    CHP_CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            npm,
            "install",
            "--no-audit",
            "--no-fund",
            "--prefix",
            str(CHP_CACHE),
            f"configurable-http-proxy@{CHP_VERSION}",
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return cached


# --- the hub -------------------------------------------------------------------------------------
@dataclass
class Hub:
    base: str
    api_token: str
    password: str
    root: Path
    exchange: Path
    users: dict[str, str]  # role -> login name
    trainee_ids: dict[str, str]  # role -> Trainee id in the demo
    cases: dict[str, str]  # role -> case id
    case_codes: dict[str, str]
    reviews: dict[str, str]  # role -> a session review id
    real_accounts: bool
    log: Path
    proc: subprocess.Popen[bytes] | None = None
    made_accounts: list[str] = field(default_factory=list)

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-6000:]

    def workspace(self, role: str) -> Path:
        return self.root / "home" / self.users[role] / "supervision-workspace"

    # hub REST API, as the test's service ---------------------------------------------------
    def api(self, method: str, path: str, body: Any = None, *, user: str | None = None) -> Any:
        prefix = f"/user/{user}/api" if user else "/hub/api"
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
            f"{self.base}{prefix}{path}",
            data=data,
            method=method,
            headers={
                "Authorization": f"token {self.api_token}",
                "Content-Type": "application/json",
            },
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            text = response.read().decode()
        return json.loads(text) if text else None

    def start_server(self, role: str) -> None:
        name = self.users[role]
        with contextlib.suppress(urllib.error.HTTPError):  # 400: already running
            self.api("POST", f"/users/{name}/server")
        deadline = time.monotonic() + 150
        while time.monotonic() < deadline:
            server = self.api("GET", f"/users/{name}")["servers"].get("", {})
            if server.get("ready"):
                return
            time.sleep(0.5)
        pytest.fail(f"{name}'s server did not start:\n{self.tail()}")

    def run(self, role: str, code: str) -> str:
        """Run ``code`` in a new kernel of ``role``'s own server; return what it printed."""
        import websocket

        user = self.users[role]
        kernel = self.api("POST", "/kernels", {"name": "python3"}, user=user)
        url = f"ws://{urlsplit(self.base).netloc}/user/{user}/api/kernels/{kernel['id']}/channels"
        ws = websocket.create_connection(
            url, header=[f"Authorization: token {self.api_token}"], timeout=120
        )
        msg_id = uuid.uuid4().hex
        ws.send(
            json.dumps(
                {
                    "header": {
                        "msg_id": msg_id,
                        "msg_type": "execute_request",
                        "username": "test",
                        "session": uuid.uuid4().hex,
                        "version": "5.3",
                        "date": "",
                    },
                    "parent_header": {},
                    "metadata": {},
                    "channel": "shell",
                    "buffers": [],
                    "content": {
                        "code": code,
                        "silent": False,
                        "store_history": False,
                        "user_expressions": {},
                        "allow_stdin": False,
                        "stop_on_error": True,
                    },
                }
            )
        )
        out: list[str] = []
        try:
            while True:
                msg = json.loads(ws.recv())
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind, content = msg["msg_type"], msg["content"]
                if kind == "stream":
                    out.append(content["text"])
                elif kind == "error":
                    out.append(f"{content['ename']}: {content['evalue']}")
                elif kind == "status" and content["execution_state"] == "idle":
                    break
        finally:
            ws.close()
            with contextlib.suppress(urllib.error.HTTPError):
                self.api("DELETE", f"/kernels/{kernel['id']}", user=user)
        return "".join(out)


def _test_config(
    hub: Hub, ports: dict[str, int], chp: Path, python: list[str], python_env: dict[str, str]
) -> str:
    """What a test machine changes on top of the shipped configuration."""
    lines = [
        f"load_subconfig({str(DEPLOY_CONFIG)!r})",
        f"c.JupyterHub.bind_url = 'http://127.0.0.1:{ports['public']}'",
        "c.JupyterHub.hub_ip = '127.0.0.1'",
        f"c.JupyterHub.hub_port = {ports['hub']}",
        f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{ports['proxy_api']}'",
        f"c.ConfigurableHTTPProxy.command = [{str(chp)!r}]",
        f"c.JupyterHub.cookie_secret_file = {str(hub.root / 'cookie_secret')!r}",
        f"c.JupyterHub.db_url = 'sqlite:///{hub.root / 'hub.sqlite'}'",
        f"c.JupyterHub.pid_file = {str(hub.root / 'hub.pid')!r}",
        "c.JupyterHub.authenticator_class = 'shared-password'",
        f"c.SharedPasswordAuthenticator.user_password = {hub.password!r}",
        f"c.JupyterHub.services = [{{'name': 'swb-test', 'api_token': {hub.api_token!r}}}]",
        "c.JupyterHub.load_roles = [{'name': 'swb-test', 'services': ['swb-test'], "
        "'scopes': ['admin:users', 'admin:servers', 'access:servers', 'list:users']}]",
        "c.JupyterHub.cleanup_servers = True",
    ]
    home = hub.root / "home"
    if not hub.real_accounts:
        lines += [
            "c.JupyterHub.spawner_class = 'simple'",
            f"c.SimpleLocalProcessSpawner.home_dir_template = '{home}/{{username}}'",
            "c.Spawner.environment = {**c.Spawner.environment, "
            "'SUPERVISION_WORKBOOK_WORKSPACE': "
            f"lambda sp: '{home}/' + sp.user.name + '/supervision-workspace'}}",
        ]
        if os.geteuid() == 0:
            lines.append("c.Spawner.args = [*c.Spawner.args, '--ServerApp.allow_root=True']")
    if python != [sys.executable]:  # the venv's interpreter is out of other accounts' reach
        py = " ".join(python)
        # The system's Python does not see the venv's Jupyter data and configuration (Voila's
        # server extension is enabled there, its templates live there): point at them.
        python_env = {
            **python_env,
            "JUPYTER_CONFIG_PATH": f"{sys.prefix}/etc/jupyter",
            "JUPYTER_PATH": f"{REPO}/src/supervision_workbook/serve/jupyter:"
            f"{sys.prefix}/share/jupyter",
        }
        lines += [
            "c.Spawner.cmd = ['/bin/sh', '-c', "
            f'\'{py} -m supervision_workbook.cli init --exist-ok "$SUPERVISION_WORKBOOK_WORKSPACE" '
            f">/dev/null && exec {py} -m jupyterhub.singleuser \"$@\"', 'jupyterhub-singleuser']",
            f"c.Spawner.environment = {{**c.Spawner.environment, **{python_env!r}}}",
        ]
    return "\n".join(["c = get_config()  # noqa: F821", *lines, ""])


def _demo(root: Path) -> Path:
    demo = root / "demo"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "supervision-workbook"),
            "demo",
            str(demo),
            "--trainees",
            "2",
            "--cases",
            "1",
            "--sessions",
            "2",
            "--seed",
            "11",
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return demo


def _first_session(workspace: Path, trainee_id: str) -> tuple[str, str, str]:
    """(case id, case code, review id) of the trainee's first session review."""
    from supervision_workbook.artifact import load

    for path in sorted((workspace / "reviews" / trainee_id).rglob("*_session_*.ipynb")):
        review = load(path).review
        return review.case.id, review.case.code, review.id
    raise AssertionError(f"the demo has no session review for {trainee_id}")


def _stop_everything(hub: Hub) -> None:
    """The hub and proxy by process group; servers and kernels by their hub address."""
    import psutil

    if hub.proc is not None and hub.proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(hub.proc.pid, signal.SIGTERM)
        try:
            hub.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(hub.proc.pid, signal.SIGKILL)
            hub.proc.wait(timeout=10)
    marker = str(hub.root)
    for proc in psutil.process_iter(["pid"]):
        with contextlib.suppress(psutil.Error):
            env = proc.environ()
            if marker in env.get("SUPERVISION_WORKBOOK_WORKSPACE", "") or (
                marker in env.get("SWB_EXCHANGE", "")
            ):
                proc.kill()


@pytest.fixture(scope="module")
def hub() -> Iterator[Hub]:
    try:
        import jupyterhub  # noqa: F401
    except ImportError:
        unavailable("jupyterhub is not installed (pip install -e '.[test]')")
    chp = configurable_http_proxy()
    root = Path(tempfile.mkdtemp(prefix="swb-hub-", dir="/tmp"))
    root.chmod(0o755)  # other accounts must reach their homes and the exchange inside it
    tag = uuid.uuid4().hex[:6]
    users = {
        "alice": f"sw{tag}ta",
        "bilal": f"sw{tag}tb",
        "okafor": f"sw{tag}so",
        "lindqvist": f"sw{tag}sl",
    }
    hub = Hub(
        base="",
        api_token=secrets.token_hex(32),
        password=secrets.token_urlsafe(24),
        root=root,
        exchange=root / "exchange",
        users=users,
        trainee_ids={},
        cases={},
        case_codes={},
        reviews={},
        real_accounts=False,
        log=root / "hub.log",
    )
    try:
        python, python_env = [sys.executable], {}
        can_make = os.geteuid() == 0 and shutil.which("useradd") is not None
        if can_make:
            hub.made_accounts = make_accounts(list(users.values()))
            found = python_for(users["alice"])
            if found is not None:
                hub.real_accounts = True
                python, python_env = found
        demo = _demo(root)
        trainee_ids = sorted(p.name for p in (demo / "reviews").iterdir())
        for role, trainee_id in zip(("alice", "bilal"), trainee_ids, strict=True):
            hub.trainee_ids[role] = trainee_id
            hub.cases[role], hub.case_codes[role], hub.reviews[role] = _first_session(
                demo, trainee_id
            )

        roster = {
            "version": 1,
            "trainees": {
                users["alice"]: {
                    "supervisors": [users["okafor"]],
                    "trainee_ids": [hub.trainee_ids["alice"]],
                },
                users["bilal"]: {
                    "supervisors": [users["lindqvist"]],
                    "trainee_ids": [hub.trainee_ids["bilal"]],
                },
            },
        }
        hub.exchange.mkdir(mode=0o755)
        (hub.exchange / "roster.json").write_text(json.dumps(roster), encoding="utf-8")
        (hub.exchange / "roster.json").chmod(0o644)
        result = setup_exchange(hub.exchange, shared_account=not hub.real_accounts)
        assert result.problems == [], result.problems

        # Each trainee's home holds their own workspace (a copy of the synthetic caseload).
        import pwd

        for role, name in users.items():
            home = root / "home" / name
            home.mkdir(parents=True)
            if role in ("alice", "bilal"):
                shutil.copytree(demo, home / "supervision-workspace")
            if hub.real_accounts:
                entry = pwd.getpwnam(name)
                subprocess.run(
                    ["usermod", "--home", str(home), name], check=True, capture_output=True
                )
                for path in [home, *home.rglob("*")]:
                    os.chown(path, entry.pw_uid, entry.pw_gid, follow_symlinks=False)
                home.chmod(0o700)

        ports = {k: free_port() for k in ("public", "hub", "proxy_api")}
        hub.base = f"http://127.0.0.1:{ports['public']}"
        config = root / "test_jupyterhub_config.py"
        config.write_text(_test_config(hub, ports, chp, python, python_env), encoding="utf-8")
        env = {
            **os.environ,
            "SWB_EXCHANGE": str(hub.exchange),
            "SWB_ROSTER": str(hub.exchange / "roster.json"),
            "PATH": f"{chp.parent}:{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
        }
        for key in ("JUPYTERHUB_USER", "SUPERVISION_WORKBOOK_WORKSPACE", "JUPYTER_TOKEN"):
            env.pop(key, None)
        with hub.log.open("wb") as log:
            hub.proc = subprocess.Popen(
                [str(Path(sys.executable).parent / "jupyterhub"), "-f", str(config)],
                cwd=root,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        deadline = time.monotonic() + 90
        while True:
            if hub.proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"JupyterHub did not start:\n{hub.tail()}")
            health = f"{hub.base}/hub/health"
            with contextlib.suppress(OSError), urllib.request.urlopen(health, timeout=2):  # noqa: S310
                break
            time.sleep(0.3)
        yield hub
    finally:
        _stop_everything(hub)
        remove_accounts(hub.made_accounts)
        shutil.rmtree(root, ignore_errors=True)


# --- the browser ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    from browser.conftest import launch_chromium

    with launch_chromium() as chromium:
        yield chromium


def log_in(browser: Browser, hub: Hub, role: str) -> Page:
    """Log in through the hub's login page; the hub starts the server and lands on Voila."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    from browser.conftest import local_only

    context.route("**/*", local_only())
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{hub.base}/hub/login")
    page.fill("#username_input", hub.users[role])
    page.fill("#password_input", hub.password)
    page.click("#login_submit")
    wait_for(page, hub, ".swb-landing")
    assert page.url.startswith(f"{hub.base}/user/{hub.users[role]}/voila/render/index.ipynb")
    return page


def wait_for(page: Page, hub: Hub, selector: str) -> None:
    """Wait for ``selector``; fail with the page's address, text and the hub's log."""
    from browser.conftest import VOILA_ERROR

    target = page.locator(selector).first
    try:
        target.or_(page.locator(VOILA_ERROR).first).wait_for(state="visible")
    except Exception as exc:  # playwright's TimeoutError
        body = page.locator("body").inner_text(timeout=5_000)[-2000:]
        pytest.fail(f"{selector} never appeared on {page.url}: {exc}\n{body}\n{hub.tail()}")
    if not target.is_visible():
        error = page.locator(VOILA_ERROR).first.inner_text()
        pytest.fail(f"{page.url} failed: {error}\n{hub.tail()}")


def shot(page: Page, name: str) -> None:
    """A screenshot into $SUPERVISION_WORKBOOK_TEST_SCREENSHOTS, when it is set (for people
    checking the pages by eye; the hub's own files are deleted with the test)."""
    folder = os.environ.get("SUPERVISION_WORKBOOK_TEST_SCREENSHOTS", "")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"hub-{name}.png"), full_page=True)


# --- the story ------------------------------------------------------------------------------------
def test_a_trainee_submits_through_the_hub_and_only_their_supervisor_can_collect_it(
    hub: Hub, browser: Browser
) -> None:
    from supervision_workbook.artifact import load
    from supervision_workbook.model import Status

    alice, okafor = hub.users["alice"], hub.users["okafor"]
    timings: dict[str, float] = {}
    started = time.monotonic()

    # The trainee logs in, lands on the Voila landing page (no Binder banner on a hub),
    # opens her session workbook through the hub, completes it and presses Submit.
    page = log_in(browser, hub, "alice")
    assert page.locator(".swb-binder-banner").count() == 0
    page.goto(
        f"{hub.base}/user/{alice}/voila/render/supervisee.ipynb"
        f"?trainee={hub.trainee_ids['alice']}&case={hub.cases['alice']}"
    )
    wait_for(page, hub, ".swb-supervisee .swb-step-title")
    assert page.locator(".swb-session-number input").input_value() == "3"  # next free number
    message = complete_and_submit_session(page, hub.tail)
    assert message.startswith(f"Submitted session 3 of case {hub.case_codes['alice']}"), message
    handover = page.locator(".swb-handover-result")
    handover.filter(has_text="Submitted to your supervisor's inbox as version 1.").wait_for()
    assert page.locator(".swb-submit").is_disabled()  # submitted once, and only once
    assert page.locator(".swb-handover-download").is_hidden()  # nothing to carry by hand
    shot(page, "1-trainee-submitted")
    page.context.close()
    timings["trainee: log in, complete, submit"] = time.monotonic() - started

    # What arrived is her session, in her own inbound folder, as the workbook saved it.
    (submitted,) = (hub.exchange / "inbound" / alice).glob("*.ipynb")
    review = load(submitted).review
    assert review.trainee.id == hub.trainee_ids["alice"] and review.status == Status.submitted
    assert [s.number for s in review.sessions] == [3]
    answers = {r.respondent.value: r.answers for r in review.sessions[0].responses}
    assert answers == {"client": CLIENT_ANSWERS, "therapist": THERAPIST_ANSWERS}
    if hub.real_accounts:
        info = submitted.stat()
        assert oct(info.st_mode & 0o777) == "0o640" and submitted.owner() == alice

    # The second trainee cannot read it: not with the operating system's file access, not
    # by listing her folder, and not through the exchange, all from his own server.
    started = time.monotonic()
    hub.start_server("bilal")
    probe = hub.run(
        "bilal",
        (
            "import os, pathlib\n"
            "from supervision_workbook.exchange import FolderExchange, ExchangeError\n"
            f"path = pathlib.Path({str(submitted)!r})\n"
            "try:\n    path.read_text(); print('READ')\n"
            "except PermissionError: print('os-denied')\n"
            "try:\n    os.listdir(path.parent); print('DIR-OPENED')\n"
            "except PermissionError: print('os-list-denied')\n"
            "exchange = FolderExchange(os.environ['SUPERVISION_WORKBOOK_EXCHANGE'])\n"
            "try:\n"
            f"    exchange.submissions({alice!r}); print('LISTED')\n"
            "except ExchangeError as exc: print('exchange-denied:', exc)\n"
            "from supervision_workbook.store import Workspace\n"
            "try:\n"
            "    exchange.collect(Workspace(os.environ['SUPERVISION_WORKBOOK_WORKSPACE']))\n"
            "    print('COLLECTED')\n"
            "except ExchangeError as exc: print('collect-denied:', exc)\n"
        ),
    )
    assert "exchange-denied" in probe and "LISTED" not in probe, probe
    assert "collect-denied" in probe and "COLLECTED" not in probe, probe
    if hub.real_accounts:
        assert "os-denied" in probe and "READ" not in probe, probe
        assert "os-list-denied" in probe, probe
    timings["second trainee: refused"] = time.monotonic() - started

    # The supervisor logs in, opens the case review, collects, and the case opens there.
    started = time.monotonic()
    page = log_in(browser, hub, "okafor")
    page.goto(f"{hub.base}/user/{okafor}/voila/render/case_review.ipynb")
    wait_for(page, hub, ".swb-case-review .swb-collect")
    report = page.locator(".swb-collect-result")
    click_for(page, ".swb-collect", report.locator(".swb-notice"), hub.tail)
    assert report.inner_text().startswith("Collected: 1 imported."), report.inner_text()
    assert review.id in report.inner_text()
    snapshot = page.locator(".swb-cr-snapshot").filter(has_text=hub.case_codes["alice"])
    snapshot.wait_for(state="visible")
    text = snapshot.inner_text()
    assert "1 session" in text and review.sessions[0].date.isoformat() in text
    assert "Mean item score 3.83" in text  # her client's ratings, as she clicked them
    assert "Session workbooks: 1" in page.locator(".swb-cr-workbooks").inner_text()
    assert page.locator(".swb-cr-case select").input_value() == hub.case_codes["alice"]
    shot(page, "2-supervisor-collected")
    page.context.close()
    timings["supervisor: log in, collect, open the case"] = time.monotonic() - started

    collected = list((hub.workspace("okafor") / "reviews").rglob("*.ipynb"))
    assert [p.name.split("_")[-1] for p in collected] == [f"{review.id}.ipynb"]
    print(
        "real OS accounts:",
        hub.real_accounts,
        "timings:",
        {k: round(v, 1) for k, v in timings.items()},
    )


def test_the_lab_face_works_under_the_users_prefix(hub: Hub, browser: Browser) -> None:
    """JupyterLab at ``/user/<name>/lab``: the Supervision cards open the case review behind
    the proxy under the user's prefix, and Verify review answers there too."""
    okafor = hub.users["okafor"]
    prefix = f"/user/{okafor}/"
    page = log_in(browser, hub, "okafor")
    page.goto(f"{hub.base}{prefix}lab?reset")
    section = page.locator(".jp-Launcher-section", has=page.locator("h2", has_text="Supervision"))
    section.locator(".jp-LauncherCard", has_text="Case review").click()
    frame_element = page.locator(".swb-AppPanel:not(.lm-mod-hidden) iframe")
    assert frame_element.get_attribute("src") == (
        f"{hub.base}{prefix}api/supervision-workbook/open/case_review"
    )
    frame = page.frame_locator(".swb-AppPanel:not(.lm-mod-hidden) iframe")
    try:
        frame.locator(".swb-case-review .swb-collect").wait_for(state="visible")
    except Exception as exc:  # playwright's TimeoutError
        pytest.fail(f"the case review did not open in Lab: {exc}\n{hub.tail()}")
    app = next(f for f in page.frames if "/supervision-workbook/voila/render/" in f.url)
    assert app.url.startswith(f"{hub.base}{prefix}supervision-workbook/voila/render/")
    shot(page, "3-lab-case-review")
    page.context.close()

    # The verify endpoint lives under the same prefix; the server's root on the hub is the
    # workbooks folder, whose notebooks are workbooks, not reviews, and are called so.
    verdict = hub.api("GET", "/supervision-workbook/verify?path=index.ipynb", user=okafor)
    assert verdict["valid"] is False and verdict["status"] == "corrupt"
    assert "not a supervision-workbook review" in verdict["message"]
