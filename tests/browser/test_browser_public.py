"""The public pages in headless Chromium: the national outcome, the tile map, the drill-down, Russian."""

from __future__ import annotations

import re
from typing import Any

import pytest
from tests.browser.site import GOOD, TOP_LEVEL, Site, _protocols, shot, wait_until

from saylau.services.access.factor import LOCAL_CLI
from saylau.services.context import Context
from saylau.services.paper.protocols import enter_file

pytestmark = pytest.mark.browser


def test_national_page_map_drill_down_and_language_switch(site: Site, new_page: Any) -> None:
    page = new_page()
    page.goto(site.url + "/")
    assert page.locator("h1, h2").filter(has_text="National result").count() >= 1
    assert page.get_by_text("Do you accept the amendments?").first.is_visible()
    assert page.locator(".outcome .verdict").first.inner_text().strip() == "Outcome: Adopted"
    assert "Precincts reported: 3 of 4" in page.locator("main").inner_text()

    # The tile map: an inline SVG with one tile per top-level unit.
    turnout_map = page.locator("figure#map-turnout svg")
    assert turnout_map.is_visible()
    tiles = turnout_map.locator("g.map-unit")
    assert sorted(tiles.evaluate_all("gs => gs.map(g => g.dataset.unit)")) == sorted(TOP_LEVEL)
    shot(page, f"{site.backend}-1-national")

    # Drill down: a region, then its district; the breadcrumbs follow.
    page.get_by_role("link", name="Akmola Region", exact=True).first.click()
    page.wait_for_url(re.compile(r"/events/small/units/AKM\?lang=en$"))
    crumbs = page.get_by_role("navigation", name="You are here")
    assert crumbs.locator("li").all_inner_texts() == ["Kazakhstan", "Akmola Region"]
    assert page.locator("figure.map").count() == 0  # maps on the national page only
    shot(page, f"{site.backend}-2-region")
    page.get_by_role("link", name="Kokshetau District", exact=True).first.click()
    page.wait_for_url(re.compile(r"/events/small/units/AKM-D1\?lang=en$"))
    assert crumbs.locator("li").all_inner_texts() == ["Kazakhstan", "Akmola Region", "Kokshetau District"]
    assert page.get_by_role("link", name="Precinct 1", exact=True).count() >= 1
    shot(page, f"{site.backend}-3-district")

    # Back up through the breadcrumbs, then switch to Russian: the UI strings and unit names change.
    crumbs.get_by_role("link", name="Kazakhstan").click()
    page.wait_for_url(re.compile(r"/events/small(/units/KZ)?\?lang=en$"))
    page.locator("nav.langs a[hreflang=ru]").click()
    page.wait_for_url(re.compile(r"lang=ru"))
    assert page.locator("html").get_attribute("lang") == "ru"
    body = page.locator("body").inner_text()
    assert "Итоги по стране" in body
    assert "Принимаете ли Вы изменения?" in body
    assert "Акмолинская область" in body
    assert "National result" not in body
    assert page.locator(".outcome .verdict").first.inner_text().strip() == "Результат: Принято"
    assert page.locator("figure#map-turnout svg g.map-unit").count() == len(TOP_LEVEL)
    shot(page, f"{site.backend}-4-national-ru")


def test_live_update_in_place_without_a_navigation(site: Site, new_page: Any) -> None:
    """A protocol accepted while the national page is open: the figures change in place (no reload: a
    marker set on window survives), focus stays, the maps are redrawn, and the change is announced."""
    page = new_page()
    page.goto(site.url + "/?lang=en")
    reported = page.locator('[data-live="reported"]')
    assert reported.inner_text() == "3"
    assert page.locator('[data-live="q1.participated"]').inner_text() == "1,770"
    assert page.locator('[data-live="q1@AKM.yes_pct"]').inner_text() == "72.46"  # 500 / 690
    page.evaluate("window.__saylauMarker = 'still here'")
    link = page.get_by_role("link", name="Akmola Region", exact=True).first
    link.focus()
    page.wait_for_timeout(300)  # the stream is open (its first event is the page's own state)

    batch = _protocols({"P2": GOOD["P2"]})
    for who in ("loader-1", "loader-2"):
        enter_file(Context(site.ctx.store, site.ctx.clock, who), "small", batch, "p2.csv", "csv", factor=LOCAL_CLI)

    wait_until(page, "document.querySelector('[data-live=reported]').textContent === '4'", timeout=15_000)
    assert page.evaluate("window.__saylauMarker") == "still here"  # no navigation
    assert "Precincts reported: 4 of 4 (100.00%)" in page.locator("main").inner_text()
    assert page.locator('[data-live="q1.participated"]').inner_text() == "2,370"  # + 600
    assert page.locator('[data-live="q1@AKM.yes_pct"]').inner_text() == "69.77"  # 900 / 1290
    bar = page.locator('[data-live-bar="q1@AKM.yes_pct"]').get_attribute("style")
    assert "69.77%" in str(bar)
    assert page.evaluate("document.activeElement.textContent") == "Akmola Region"
    wait_until(page, "document.getElementById('live-note').textContent.startsWith('Figures updated')")
    note = page.locator("#live-note").inner_text()
    assert re.fullmatch(r"Figures updated · \d{4}-\d\d-\d\d \d\d:\d\d UTC", note), note  # as the page says times
    assert page.locator("#live-note").get_attribute("aria-live") == "polite"
    wait_until(
        page,
        "document.querySelector('figure#map-turnout table').textContent.includes('71.67')",  # 1290 / 1800
    )
    assert page.evaluate("window.__saylauMarker") == "still here"
    shot(page, f"{site.backend}-5-live-update")
