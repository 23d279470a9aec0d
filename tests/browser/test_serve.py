"""`supervision-workbook serve` as a user meets it: loopback only, token required, and a
landing page that leads to the three workbooks."""

from __future__ import annotations

import http.client
import json
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from .conftest import Server, open_workbook, screenshot

pytestmark = pytest.mark.browser

WORKBOOK_LINKS = ["supervisee.ipynb", "case_review.ipynb", "caseload.ipynb"]


def _get(server: Server, path: str) -> http.client.HTTPResponse:
    """One GET that does not follow redirects, so a login redirect stays visible."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    conn.close()
    return response


def _listening_addresses(port: int) -> list[str]:
    """Local addresses (hex, as the kernel writes them) of sockets listening on ``port``."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        path = Path(table)
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].split(":")
            if int(hex_port, 16) == port and fields[3] == "0A":  # 0A = LISTEN
                found.append(address)
    return found


def test_the_server_listens_on_127_0_0_1_only(server: Server) -> None:
    if not Path("/proc/net/tcp").exists():
        pytest.skip("needs Linux /proc/net/tcp")
    assert urlsplit(server.url).hostname == "127.0.0.1"
    # 0100007F is 127.0.0.1 in the kernel's little-endian notation; 0.0.0.0 or :: would
    # show as zeros, and any IPv6 listener would show up in tcp6.
    assert _listening_addresses(server.port) == ["0100007F"]


def test_the_token_is_not_on_any_command_line(server: Server) -> None:
    proc_root = Path("/proc")
    if not proc_root.exists():
        pytest.skip("needs Linux /proc")
    lines = []
    for entry in proc_root.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            lines.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except OSError:
            continue
    assert any("voila" in line and str(server.port) in line for line in lines)
    assert not [line for line in lines if server.token in line]


def test_pages_without_the_token_redirect_to_login_and_show_nothing(server: Server) -> None:
    for path in ("/voila/render/index.ipynb", "/voila/render/caseload.ipynb?token=wrong"):
        response = _get(server, path)
        assert response.status == 302, path
        assert response.getheader("Location", "").startswith("/login")
        assert b"swb-" not in response.body  # type: ignore[attr-defined]


def test_the_api_without_the_token_is_forbidden(server: Server) -> None:
    assert _get(server, "/voila/api/contents/").status == 403
    assert _get(server, f"/voila/api/contents/?token={server.token}x").status == 403


def test_the_token_opens_the_server_which_lists_only_the_workbooks(server: Server) -> None:
    response = _get(server, f"/voila/api/contents/?token={server.token}")
    assert response.status == 200
    listing = json.loads(response.body)  # type: ignore[attr-defined]
    names = {item["name"] for item in listing["content"]}
    assert {"index.ipynb", *WORKBOOK_LINKS} <= names
    assert not names & {"reviews", "drafts", "private", "supervision-workbook.toml"}


def test_a_review_in_the_workspace_cannot_be_rendered_through_the_server(server: Server) -> None:
    artifact = next((server.workspace / "reviews").rglob("*.ipynb"))
    root = Path(server.stdout.read_text().split("Serving the workbooks from ", 1)[1].split("\n")[0])
    up = "/".join([".."] * len(root.parts))
    for path in (f"{up}{artifact}", quote(str(artifact), safe="")):
        response = _get(server, f"/voila/render/{path}?token={server.token}")
        assert response.status == 404, path


def test_the_landing_page_links_the_three_workbooks_relatively(
    server: Server, page, blocked: list[str]
) -> None:
    open_workbook(page, server, "index.ipynb", ".swb-workbook-link")
    links = page.locator("a.swb-workbook-link")
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == WORKBOOK_LINKS
    # Relative links resolve beside the page, so they survive a Binder or hub prefix.
    resolved = [links.nth(i).evaluate("a => a.href") for i in range(links.count())]
    assert resolved == [f"{server.base}/voila/render/{name}" for name in WORKBOOK_LINKS]
    assert page.locator(".swb-workspace-name").inner_text() == server.workspace.name
    assert page.locator(".swb-binder-banner").count() == 0  # not on Binder
    # No request leaves the server: Voila's lab template asked a CDN for Font Awesome on
    # every page; our template does not, and the icons come from Voila's own bundle.
    assert blocked == []
    icon = page.evaluate(
        "() => { const i = document.createElement('i'); i.className = 'fa fa-check';"
        " document.body.appendChild(i); return getComputedStyle(i).fontFamily; }"
    )
    assert "Font Awesome" in icon
    screenshot(page, "landing")


def test_a_workbook_link_opens_without_repeating_the_token(server: Server, page) -> None:
    open_workbook(page, server, "index.ipynb", ".swb-workbook-link")
    page.locator("a.swb-workbook-link", has_text="Caseload dashboard").click()
    page.wait_for_url(f"{server.base}/voila/render/caseload.ipynb")
    page.locator(".swb-caseload-table").wait_for(state="visible")
    assert "token" not in page.url
