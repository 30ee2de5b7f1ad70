"""The forensics page: served at /events/{code}/forensics in kk, ru and en with the caveat and valid SVG
figures, linked from the results page, its JSON beside it, and written into the static site."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.elections import load
from tests.integration.forensics_election import ABROAD, forensics_election

from saylau.api import create_app
from saylau.model import LANGS, Lang
from saylau.publish.site.i18n_forensics import forensics_strings
from saylau.services.context import Context
from saylau.services.paper.embargo import EmbargoInForce, kz_polls_close, set_embargo
from saylau.services.paper.forensics import event_forensics
from saylau.services.paper.publication import publish_release

SVG = re.compile(r"<svg .*?</svg>", re.S)
FIGURES = {"heatmap", "histogram", "digits", "slopes"}


@pytest.fixture
def code(ctx: Context) -> str:
    return load(ctx, forensics_election(), operators=("alice", "bob"))


@pytest.fixture
def client(ctx: Context, code: str) -> TestClient:
    return TestClient(create_app(ctx))


def _figures(page: str) -> list[ET.Element]:
    """Every inline SVG of a page, parsed as XML (a malformed one raises)."""
    return [ET.fromstring(svg) for svg in SVG.findall(page)]


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)).replace("&#39;", "'")


@pytest.mark.parametrize("lang", LANGS)
def test_the_page_shows_the_caveat_the_checks_and_valid_figures(client: TestClient, code: str, lang: Lang) -> None:
    response = client.get(f"/events/{code}/forensics", params={"lang": lang})
    assert response.status_code == 200
    page = response.text
    t = forensics_strings(lang)
    assert f'<html lang="{lang}">' in page
    assert t["caveat"] in _text(page)
    assert t["weak"] in page  # the digit tests are labelled weak evidence
    assert t["synthetic_label"] not in page  # not a shipped demo data set
    figures = _figures(page)
    kinds = {svg.get("data-figure") for svg in figures}
    assert kinds == FIGURES
    ns = "{http://www.w3.org/2000/svg}"
    for svg in figures:
        assert svg.get("role") == "img"
        title, desc = svg.find(f"{ns}title"), svg.find(f"{ns}desc")
        assert title is not None
        assert title.text
        assert desc is not None
        assert desc.text
        assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert f"({t['reason_special']}: {ABROAD})" in page  # the exclusions, counted by reason


def test_the_results_page_links_to_the_forensics_page(client: TestClient, code: str) -> None:
    page = client.get(f"/events/{code}", params={"lang": "ru"}).text
    assert f'href="/events/{code}/forensics?lang=ru" data-forensics>' in page


def test_the_json_has_every_figure_and_the_exclusions(client: TestClient, code: str) -> None:
    response = client.get(f"/events/{code}/forensics.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["format"] == "saylau-forensics-v1"
    assert doc["caveat"].startswith("These checks flag anomalies, not fraud.")
    (contest,) = doc["contests"]
    for check in ("fingerprint", "turnout", "share", "turnout_heaping", "second_digit", "slopes", "outliers"):
        assert check in contest
    assert len(contest["fingerprint"]["counts"]) == contest["settings"]["bins"]
    assert len(contest["exclusions"]) == ABROAD


def test_an_unknown_event_is_404(client: TestClient) -> None:
    assert client.get("/events/nope/forensics").status_code == 404


def test_the_static_site_carries_the_page_in_each_language_and_the_json(
    ctx: Context, code: str, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    release = publish_release(ctx, code, site)
    manifest = json.loads((site / "release.json").read_text(encoding="utf-8"))["release"]["files"]
    doc = json.loads((site / "forensics.json").read_text(encoding="utf-8"))
    assert doc["event"] == code
    assert "forensics.json" in manifest
    for lang in LANGS:
        path = f"{lang}/forensics.html"
        assert path in manifest
        page = (site / path).read_text(encoding="utf-8")
        assert forensics_strings(lang)["caveat"] in _text(page)
        assert {svg.get("data-figure") for svg in _figures(page)} == FIGURES
        national = (site / lang / "index.html").read_text(encoding="utf-8")
        assert f'href="/{lang}/forensics.html?lang={lang}" data-forensics>' in national
    again = publish_release(ctx, code, site)  # the same results: the forensics are reproduced byte for byte
    assert (again.created, again.hash) == (False, release.hash)
    elsewhere = tmp_path / "elsewhere"  # a second publication, from a fresh computation of the report
    publish_release(ctx, code, elsewhere)
    assert (elsewhere / "forensics.json").read_bytes() == (site / "forensics.json").read_bytes()
    published = list(_floats(doc))
    assert published
    assert all(float(f"{x:.10g}") == x for x in published)  # every float at 10 significant digits (§13)


def _floats(value: object) -> Iterator[float]:
    if isinstance(value, float):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _floats(v)
    elif isinstance(value, list):
        for v in value:
            yield from _floats(v)


def test_under_embargo_the_page_the_json_and_the_service_refuse(ctx: Context, code: str) -> None:
    set_embargo(ctx, code, kz_polls_close(dt.date(2022, 6, 5), [("Washington", dt.timezone(dt.timedelta(hours=-4)))]))
    client = TestClient(create_app(ctx))
    for path in (f"/events/{code}/forensics", f"/events/{code}/forensics.json"):
        response = client.get(path, headers={"accept": "text/html"})
        assert response.status_code == 409, path
        assert "under embargo until the last polls close" in response.text
    with pytest.raises(EmbargoInForce):
        event_forensics(ctx, code)
