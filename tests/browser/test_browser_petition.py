"""A petition's public page in headless Chromium (spec/petitions.md §3, §12): the counts and the progress
bar, and an online signature made by the page's script with WebCrypto (ECDSA P-256), verified by the server
and counted; under the Content-Security-Policy (no inline script)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx2 as httpx
import pytest
from tests.browser.site import Site, shot, wait_until

from saylau.services.petitions import create_petition

pytestmark = pytest.mark.browser


def test_a_voter_signs_online_in_the_browser(site: Site, new_page: Any) -> None:
    create_petition(site.ctx, "akm-d1", "kz-recall", "AKM-D1", dt.date(2024, 3, 10), dt.date(2024, 4, 10), count=40)
    page = new_page()
    page.goto(site.url + "/petitions/akm-d1?lang=en")
    assert page.locator("[data-required]").inner_text() == "40"
    assert page.locator("[data-percent]").inner_text() == "0.0%"
    page.fill("input[name=identifier]", "850101300012")
    page.fill("input[name=name]", "Әлиев Қайрат")
    page.fill("input[name=birth_date]", "1985-01-01")
    page.get_by_role("button", name="Sign").click()
    wait_until(page, "document.querySelector('[data-sign-result]').dataset.status !== undefined")
    result = page.locator("[data-sign-result]")
    assert result.get_attribute("data-status") == "201", result.inner_text()
    assert result.inner_text() == "Signed, received as online:1"
    shot(page, f"{site.backend}-petition-signed")
    facts = httpx.get(site.url + "/api/petitions/akm-d1").json()
    assert (facts["online"], facts["signatures"]) == (1, 1)
