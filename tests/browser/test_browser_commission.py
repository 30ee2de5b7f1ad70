"""The commission pages in headless Chromium: log in, blind double entry (the first with the scan of the
signed protocol, published with its hash) with a mismatch that a third member resolves, a correction with
a reason, the completeness board, and the pages in Russian. Every member has their own
browser context (own cookies); TOTP codes come from the stored secrets via pyotp."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
from tests.browser.site import FIELDS, GOOD, PASSWORD, Site, create_accounts, shot

ENTRY = "/commission/events/small/precincts/P2"
BOARD = "/commission/events/small"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", autouse=True)
def _members(site: Site) -> None:
    create_accounts(site.ctx)


def log_in(site: Site, new_page: Any, name: str) -> Any:
    page = new_page()
    page.goto(site.url + "/login")
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/commission(\?lang=\w+)?$"))
    assert f"Signed in as {name}" in page.locator("nav.commission").inner_text()
    return page


def enter(
    site: Site, page: Any, name: str, values: tuple[int, ...], reason: str | None = None, scan: Path | None = None
) -> str:
    """Key a protocol into the open entry form (with a fresh TOTP code when the form asks for one, and the
    scan file when given); returns the result line."""
    form = page.locator("form#entry")
    if scan is not None:
        form.locator('input[name="scan"]').set_input_files(str(scan))
    for field, value in zip(FIELDS, values, strict=True):
        form.locator(f'input[name="q1.{field}"]').fill(str(value))
    if reason is not None:
        form.locator('textarea[name="reason"]').fill(reason)
    totp = form.locator('input[name="totp"]')
    if totp.count():
        totp.fill(site.clock.fresh_code(name))
    with page.expect_navigation():
        form.get_by_role("button", name="Enter").click()
    return page.get_by_role("status").first.inner_text()


def _scan_file(folder: Path) -> tuple[Path, str]:
    scan = folder / "p2-protocol.pdf"
    scan.write_bytes(b"%PDF-1.4\n% the signed protocol of P2\n%%EOF\n")
    return scan, hashlib.sha256(scan.read_bytes()).hexdigest()


def _published(site: Site, public: Any, scan: Path, digest: str) -> None:
    """The public page of P2 links the scan with its hash; the link gives the exact bytes."""
    public.goto(site.url + "/events/small/units/P2")
    assert digest in public.locator("section.scans").inner_text()
    assert public.request.get(site.url + "/events/small/precincts/P2/scan").body() == scan.read_bytes()


def test_double_entry_mismatch_resolution_correction_and_board(site: Site, new_page: Any, tmp_path: Path) -> None:
    good = GOOD["P2"]
    scan, digest = _scan_file(tmp_path)
    wrong = (*good[:5], good[5] + 1, good[6] - 1, *good[7:])  # yes 401, no 179: the control relations hold

    a = log_in(site, new_page, "op-a")
    a.goto(site.url + ENTRY)
    assert "state missing" in a.locator("main").inner_text()
    first = enter(site, a, "op-a", good, scan=scan)
    assert "awaiting second" in first
    assert digest in first
    shot(a, f"{site.backend}-5-entry-a")

    # B keys blind: A's figures are nowhere on B's page, and B needs a one-time code.
    b = log_in(site, new_page, "op-b")
    b.goto(site.url + ENTRY)
    text = b.locator("main").inner_text()
    assert "awaiting second" in text
    assert str(good[5]) not in text
    assert str(good[6]) not in text
    assert b.locator("form#entry input[name='totp']").count() == 1
    assert all(v == "" for v in b.locator("form#entry input[name^='q1.']").evaluate_all("es => es.map(e => e.value)"))
    result = enter(site, b, "op-b", wrong)
    assert "mismatch" in result
    assert str(good[5]) not in b.locator("main").inner_text()
    shot(b, f"{site.backend}-6-mismatch-b")

    # A third member sees the differences (both operators' figures) and resolves the round.
    c = log_in(site, new_page, "op-c")
    c.goto(site.url + ENTRY)
    differences = c.get_by_role("table").first
    assert "Differences" in c.locator("main").inner_text()
    rows = differences.locator("tbody tr").all_inner_texts()
    assert differences.locator("thead th").all_inner_texts() == ["Contest", "Field", "op-a", "op-b"]
    assert sorted(r.split("\t") for r in rows) == [
        ["q1", "No", str(good[6]), str(wrong[6])],
        ["q1", "Yes", str(good[5]), str(wrong[5])],
    ]
    shot(c, f"{site.backend}-7-differences-c")
    result = enter(site, c, "op-c", good)
    assert "agreed" in result
    assert "version 1 accepted" in result
    _published(site, new_page(), scan, digest)

    # A correction: a reason is required; a second member confirms it, making version 2.
    a.goto(site.url + ENTRY)
    assert a.get_by_label("Reason for the correction (required)").is_visible()
    fixed = (*good[:5], good[5] - 1, good[6] + 1, *good[7:])
    assert "awaiting second" in enter(site, a, "op-a", fixed, reason="recount of box 2")
    b.goto(site.url + ENTRY)
    result = enter(site, b, "op-b", fixed, reason="recount of box 2")
    assert "version 2 accepted" in result

    c.goto(site.url + BOARD)
    board = c.locator("main").inner_text()
    assert "Missing: 0" in board
    assert "Mismatch: 0" in board
    assert "Accepted: 2" in board  # op-c's units: P1 and P2
    p2 = c.locator("tbody tr").filter(has_text="Precinct 2")
    assert p2.locator("td").all_inner_texts()[2:4] == ["accepted", "2"]
    shot(c, f"{site.backend}-8-board")


def test_the_commission_pages_switch_to_russian(site: Site, new_page: Any) -> None:
    page = log_in(site, new_page, "op-a")
    page.get_by_role("link", name="Русский").click()
    page.wait_for_url(re.compile(r"lang=ru"))
    assert "Вы вошли как op-a" in page.locator("nav.commission").inner_text()
    page.goto(site.url + BOARD + "?lang=ru")
    assert "Полнота данных" in page.locator("main h1").inner_text()
    shot(page, f"{site.backend}-9-board-ru")
