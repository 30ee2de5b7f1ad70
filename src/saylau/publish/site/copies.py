"""The observers' parallel check as HTML in Kazakh, Russian or English: the public page of a unit's copies
(each difference with the official figure beside the copy's, the copy's photo and the official scan), and
the anonymous form of a copy. Pure rendering of plain values (the JSON of a compared copy, spec/formats.md
§16); no database, no web framework."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from saylau.model import LANGS, Lang
from saylau.publish.site.i18n import LANG_LABELS, strings
from saylau.publish.site.i18n_commission import commission_strings, field_label
from saylau.publish.site.i18n_copies import copy_strings
from saylau.publish.templating import render

__all__ = ["copies_path", "copy_form_path", "copy_form_values", "photo_path", "render_copies", "render_copy_form"]


def copies_path(event: str, unit: str) -> str:
    return f"/events/{quote(event, safe='')}/units/{quote(unit, safe='')}/copies"


def copy_form_path(event: str, precinct: str, *, commission: bool = False) -> str:
    base = "/commission/events" if commission else "/events"
    return f"{base}/{quote(event, safe='')}/precincts/{quote(precinct, safe='')}/copy"


def photo_path(event: str, copy_id: int) -> str:
    return f"/events/{quote(event, safe='')}/copies/{copy_id}/photo"


def _chrome(lang: Lang, path: str, demo: bool, events: Sequence[tuple[str, str]]) -> dict[str, Any]:
    return {
        "lang": lang,
        "t": {**strings(lang), **commission_strings(lang)},
        "c": copy_strings(lang),
        "demo": demo,
        "langs": [{"code": c, "label": LANG_LABELS[c], "url": f"{path}?lang={c}", "current": c == lang} for c in LANGS],
        "events": [{"code": c, "title": title, "url": f"/events/{quote(c, safe='')}"} for c, title in events],
        "field_label": lambda f: field_label(lang, f),
        "q": f"?lang={lang}",
    }


def render_copies(
    event: str,
    unit: str,
    unit_name: str,
    copies: Sequence[Mapping[str, Any]],
    total: int,
    lang: Lang,
    *,
    is_precinct: bool,
    scans: Mapping[str, str],
    names: Mapping[str, str],
    demo: bool = False,
    events: Sequence[tuple[str, str]] = (),
) -> str:
    """The copies of ``unit``'s precincts (``copies``: compared copies as JSON, the newest ``len`` of
    ``total``); ``scans``: precinct -> the URL of its official scan; ``names``: precinct -> its name."""
    shown = [
        {**x, "photo_url": photo_path(event, int(x["id"])), "scan_url": scans.get(str(x["precinct"])),
         "precinct_name": names.get(str(x["precinct"]), str(x["precinct"]))}
        for x in copies
    ]  # fmt: skip
    page = {
        "event": event,
        "unit": unit,
        "unit_name": unit_name,
        "unit_url": f"/events/{quote(event, safe='')}/units/{quote(unit, safe='')}?lang={lang}",
        "form_url": f"{copy_form_path(event, unit)}?lang={lang}" if is_precinct else None,
        "copies": shown,
        "total": total,
        "targeted": sorted({str(x["precinct"]) for x in copies if x["status"] == "different"}),
    }
    return render("site/copies.html.j2", page=page, **_chrome(lang, copies_path(event, unit), demo, events))


def copy_form_values(
    event: str,
    precinct: str,
    precinct_name: str,
    contests: Sequence[tuple[str, Sequence[str]]],
    lang: Lang,
    photo_max_bytes: int,
    *,
    commission: bool = False,
) -> dict[str, Any]:
    """What the form of a copy shows (the public one, or the observer's on the commission pages)."""
    return {
        "event": event,
        "precinct": precinct,
        "precinct_name": precinct_name,
        "contests": [{"code": q, "fields": list(f)} for q, f in contests],
        "action": f"{copy_form_path(event, precinct, commission=commission)}?lang={lang}",
        "copies_url": f"{copies_path(event, precinct)}?lang={lang}",
        "photo_max_mb": round(photo_max_bytes / 1048576, 1),
    }


def render_copy_form(
    event: str,
    precinct: str,
    precinct_name: str,
    contests: Sequence[tuple[str, Sequence[str]]],
    lang: Lang,
    *,
    csrf: str,
    photo_max_bytes: int,
    kept: Mapping[str, Any] | None = None,
    problems: Sequence[Any] = (),
    demo: bool = False,
) -> str:
    """The anonymous form of a copy of ``precinct``'s protocol (its ``contests`` and fields), with what the
    last submission gave: ``kept`` (the compared copy) or ``problems``."""
    form = copy_form_values(event, precinct, precinct_name, contests, lang, photo_max_bytes)
    chrome = _chrome(lang, copy_form_path(event, precinct), demo, ())
    return render("site/copy_form.html.j2", form=form, csrf=csrf, kept=kept, problems=list(problems), **chrome)
