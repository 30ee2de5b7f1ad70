"""The hand-count form of the risk-limiting audit in headless Chromium: the small referendum made final,
its audit planned, published, seeded and drawn through the services; two central members each key the
first drawn batch in their own browser (the second never sees the first's figures), and the batch is
accepted. No page logs a Content-Security-Policy violation (the ``new_page`` fixture checks it)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from tests.browser.site import GOOD, PASSWORD, SECRETS, Site, shot
from tests.elections import as_operator, protocols_csv

from saylau.model import Phase
from saylau.services.access.accounts import Role, create_account
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.audit.reading import audit_view
from saylau.services.audit.workflow import draw_round, enter_seed, plan_audit, publish_manifest
from saylau.services.paper.lifecycle import advance
from saylau.services.paper.protocols import enter_file

pytestmark = pytest.mark.browser
SEED = "31415926535897932384"
COUNTERS = ("op-a", "op-b")  # central members here (central members may count any batch)


@pytest.fixture(scope="module")
def batch(site: Site) -> tuple[str, dict[str, int]]:
    """The event final (P2 entered by two operators), the audit drawn; the first drawn batch and its
    reported figures."""
    ctx = site.ctx
    for who in ("loader-1", "loader-2"):
        enter_file(as_operator(ctx, who), "small", protocols_csv({"P2": GOOD["P2"]}), "p2.csv", "csv", factor=LOCAL_CLI)
    advance(ctx, "small", Phase.PROVISIONAL, LOCAL_CLI)
    advance(ctx, "small", Phase.FINAL, LOCAL_CLI)
    for name in COUNTERS:
        create_account(ctx, name, Role.CENTRAL, PASSWORD, [], SECRETS[name])
    plan_audit(ctx, "small", factor=LOCAL_CLI)
    publish_manifest(ctx, "small", factor=LOCAL_CLI)
    enter_seed(ctx, "small", SEED, "member-1", factor=LOCAL_CLI)
    enter_seed(ctx, "small", SEED, "member-2", factor=LOCAL_CLI)
    drawn = draw_round(ctx, "small", factor=LOCAL_CLI)
    assert drawn.to_count, drawn
    first = drawn.to_count[0]
    reported = next(b for b in audit_view(ctx, "small").rounds[0].batches if b.batch == first).reported
    return first, {f: int(getattr(reported, f)) for f in ("yes", "no", "invalid", "not_counted")}


def _log_in(site: Site, new_page: Any, name: str) -> Any:
    page = new_page()
    page.goto(site.url + "/login")
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/commission(\?lang=\w+)?$"))
    return page


def _count(site: Site, page: Any, name: str, figures: dict[str, int]) -> str:
    form = page.locator('form[data-form="count"]')
    for field, value in figures.items():
        form.locator(f'input[name="{field}"]').fill(str(value))
    form.locator('input[name="totp"]').fill(site.clock.fresh_code(name))
    with page.expect_navigation():
        form.get_by_role("button", name="Enter this hand count").click()
    return str(page.locator("[data-state]").first.get_attribute("data-state"))


def test_two_operators_key_a_drawn_batch_in_the_hand_count_form(
    site: Site, new_page: Any, batch: tuple[str, dict[str, int]]
) -> None:
    name, figures = batch
    first = _log_in(site, new_page, "op-a")
    first.goto(site.url + "/commission/events/small/rla?lang=en")
    first.locator(f'tr[data-batch="{name}"]').get_by_role("link", name="Enter the hand count").click()
    first.wait_for_url(re.compile(rf"/rla/batches/{name}\?lang=en$"))
    assert _count(site, first, "op-a", figures) == "awaiting_second"
    assert first.get_by_role("status").first.inner_text() == "Your entry was kept."
    assert first.locator('form[data-form="count"]').count() == 0  # keyed: the form is gone
    second = _log_in(site, new_page, "op-b")
    second.goto(site.url + f"/commission/events/small/rla/batches/{name}?lang=en")
    body = second.locator("main").inner_text()
    assert str(figures["no"]) not in body  # blind: the first operator's figures are not shown
    assert _count(site, second, "op-b", figures) == "accepted"
    shot(second, f"audit-hand-count-{site.backend}")
    second.goto(site.url + "/events/small/audit?lang=en")
    row = second.locator(f'tr[data-batch="{name}"]')
    assert row.get_attribute("data-state") == "accepted"
    assert row.locator("td[data-discrepancy]").inner_text() == "none"
