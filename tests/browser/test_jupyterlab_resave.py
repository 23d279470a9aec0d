"""A signed case review opened and saved in a real JupyterLab is still a valid record.

Story: a supervisor opens a signed record in JupyterLab (the docs invite it) and saves it
without editing anything. JupyterLab rewrites the file its own way (numbers, metadata,
layout); ``validate`` still passes it with the same content hash. The file on disk is
read-only until the supervisor allows the write, so the editor cannot write it unasked.
"""

from __future__ import annotations

import json
import os
import secrets
import stat
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from fixtures.reviews import case_review, signoff
from supervision_workbook.artifact import amend, load, sign_off
from supervision_workbook.store import Workspace, init_workspace

from .conftest import free_port, local_only

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

JUPYTER_LAB = Path(sys.executable).parent / "jupyter-lab"


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A JupyterLab serving ``tmp_path/lab`` on 127.0.0.1 with a token, nothing else."""
    if not JUPYTER_LAB.exists():
        pytest.skip("jupyterlab is not installed in this environment")
    root = tmp_path / "lab"
    root.mkdir()
    port, token = free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"),
        "JUPYTER_TOKEN": token,
    }
    log = (tmp_path / "lab.log").open("wb")
    proc = subprocess.Popen(
        [
            str(JUPYTER_LAB),
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            f"--ServerApp.root_dir={root}",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
            *(["--allow-root"] if os.geteuid() == 0 else []),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)  # noqa: S310
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("jupyter lab did not start:\n" + (tmp_path / "lab.log").read_text())
                time.sleep(0.5)
        yield f"{base}/lab/tree/{{name}}?token={token}", root
    finally:
        os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait(timeout=30)
        log.close()


def _signed_record(root: Path) -> Path:
    ws = Workspace(init_workspace(root.parent / "ws"))
    review = sign_off(case_review(), signoff())
    review = amend(
        review,
        "Dr. Ruth Kay",
        "Answers entered one row off.",
        {"sessions.0.responses.0.answers": [3.0, 4.0, 4.0, 4.0, 2.0, 4.0]},
    )
    ref = ws.save(review)
    assert stat.S_IMODE(ref.path.stat().st_mode) & 0o222 == 0  # written read-only
    target = root / "signed-review.ipynb"
    target.write_bytes(ref.path.read_bytes())
    return target


def test_a_signed_record_saved_by_jupyterlab_is_still_valid(
    lab: tuple[str, Path], browser: Browser
) -> None:
    # The package's one Chromium (``conftest.browser``): a second sync Playwright started
    # while it runs would find Playwright's asyncio loop already running.
    url, root = lab
    path = _signed_record(root)
    before = load(path, strict=True)
    written = path.read_bytes()
    mtime = path.stat().st_mtime_ns

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", local_only())
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(url.format(name=path.name), wait_until="commit")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(state="visible")
    # Save as a person does (Ctrl+S), again until it lands: on a busy machine the first
    # press can come before JupyterLab has finished opening the notebook and its kernel.
    deadline = time.monotonic() + 120
    while path.stat().st_mtime_ns == mtime and time.monotonic() < deadline:
        page.locator(".jp-Notebook").first.click()
        page.keyboard.press("Control+s")
        for _ in range(10):
            if path.stat().st_mtime_ns != mtime:
                break
            time.sleep(0.5)
    context.close()

    assert path.stat().st_mtime_ns != mtime, "JupyterLab did not save the file"
    resaved = path.read_bytes()
    assert resaved != written  # JupyterLab wrote its own serialisation
    notebook = json.loads(resaved)
    assert "supervision_workbook" in notebook["metadata"]
    after = load(path, strict=True)
    assert after.review == before.review
    assert after.content_hash == before.content_hash
    assert after.cells_verified
