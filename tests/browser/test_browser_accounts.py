"""The administrator's accounts page in headless Chromium (issue #9): the admin disables a member with their
own one-time code and the member's open page falls back to the log-in form at its next request; the
member's TOTP secret is reset (the new provisioning URI shown once) and the account is enabled again."""

from __future__ import annotations

import re
from typing import Any

import pytest
from tests.browser.site import PASSWORD, SECRETS, Site, shot

from saylau.services.access.accounts import Role, create_account

pytestmark = pytest.mark.browser

BOARD = "/commission/events/small"


@pytest.fixture(scope="module", autouse=True)
def _accounts(site: Site) -> None:
    create_account(site.ctx, "adm", Role.ADMIN, PASSWORD, [], SECRETS["adm"])
    create_account(site.ctx, "op-a", Role.DISTRICT, PASSWORD, ["AKM-D1"], SECRETS["op-a"], event="small")


def log_in(site: Site, new_page: Any, name: str) -> Any:
    page = new_page()
    page.goto(site.url + "/login")
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/commission(\?lang=\w+)?$"))
    return page


def act(site: Site, admin: Any, account: str, button: str) -> str:
    row = admin.locator(f'tr[data-account="{account}"]')
    row.locator('input[name="totp"]').fill(site.clock.fresh_code("adm"))
    with admin.expect_navigation():
        row.get_by_role("button", name=button).click()
    return str(admin.locator("#account-done").inner_text())


def test_the_admin_disables_resets_and_enables_a_member(site: Site, new_page: Any) -> None:
    member = log_in(site, new_page, "op-a")
    member.goto(site.url + BOARD)
    assert "Signed in as op-a" in member.locator("nav.commission").inner_text()
    assert "AKM-D1@small" in member.locator("nav.commission").inner_text()
    admin = log_in(site, new_page, "adm")
    admin.get_by_role("link", name="Accounts", exact=True).click()
    admin.wait_for_url(re.compile(r"/commission/accounts"))
    shot(admin, f"accounts-{site.backend}")
    done = act(site, admin, "op-a", "Disable")
    assert "op-a" in done
    assert "disabled" in done
    assert "sessions ended: 1" in done
    member.goto(site.url + BOARD)
    assert member.url.split("?")[0].endswith("/login")  # the cookie stopped working at once
    done = act(site, admin, "op-a", "Reset one-time codes")
    uri = admin.locator("#new-totp code").inner_text()
    assert uri.startswith("otpauth://totp/saylau:op-a?secret=")
    shot(admin, f"accounts-reset-totp-{site.backend}")
    admin.goto(site.url + "/commission/accounts")
    assert admin.locator("#new-totp").count() == 0  # shown once
    act(site, admin, "op-a", "Enable")
    again = log_in(site, new_page, "op-a")
    assert "Signed in as op-a" in again.locator("nav.commission").inner_text()
