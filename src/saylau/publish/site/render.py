"""The public pages as HTML: Jinja2 with autoescape, one CSS file, a few lines of script for live updates."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from typing import Any
from urllib.parse import quote, unquote

from saylau.model import LANGS, Lang, Referendum, ResultsView, Territory
from saylau.model.geo import GeoMap
from saylau.publish.figures import refuse_test
from saylau.publish.site.i18n import LANG_LABELS, strings
from saylau.publish.site.i18n_audit import audit_strings
from saylau.publish.site.live import decided, fingerprint
from saylau.publish.site.map import national_maps
from saylau.publish.site.pages import unit_page
from saylau.publish.site.turnout import TurnoutReport, turnout_page
from saylau.publish.templating import render

__all__ = [
    "EventLink",
    "render_message",
    "render_results",
    "render_static_results",
    "render_static_turnout",
    "render_turnout",
    "static_file",
    "turnout_url",
]

# (code, title) of an event, for the list of events in the page header
EventLink = tuple[str, str]


def static_file(name: str) -> str:
    return (resources.files("saylau.publish.site") / "static" / name).read_text(encoding="utf-8")


def _chrome(lang: Lang, path: str, demo: bool, events: Sequence[EventLink]) -> dict[str, Any]:
    return {
        "lang": lang,
        "t": strings(lang),
        "demo": demo,
        "langs": [{"code": c, "label": LANG_LABELS[c], "url": f"{path}?lang={c}", "current": c == lang} for c in LANGS],
        "events": [{"code": c, "title": title, "url": f"/events/{quote(c, safe='')}"} for c, title in events],
    }


def _maps(view: ResultsView, unit: str, lang: Lang, geo: GeoMap | None) -> list[dict[str, Any]]:
    t = strings(lang)
    return national_maps(view, unit, lang, {"turnout": f"{t['turnout']} (%)", "yes": f"{t['yes']} (%)"}, geo=geo)


def turnout_url(event: str, root: str, unit: str) -> str:
    """The server's turnout page of ``unit``: the country's is ``/events/<event>/turnout``."""
    base = f"/events/{quote(event, safe='')}"
    return f"{base}/turnout" if unit == root else f"{base}/units/{quote(unit, safe='')}/turnout"


def render_results(
    view: ResultsView,
    unit: str,
    lang: Lang,
    *,
    path: str,
    demo: bool,
    events: Sequence[EventLink] = (),
    geo: GeoMap | None = None,
    scans: Sequence[Mapping[str, Any]] = (),
) -> str:
    """An event's page at ``unit`` (the country: the national result); the region maps are a choropleth
    of ``geo`` when given, else a tile cartogram. ``scans``: a precinct's protocol scans, each with ``url``,
    ``version``, ``sha256``, ``media_type`` and ``extension``. Test data is refused."""
    refuse_test(view)
    code = quote(str(view.event.code), safe="")
    urls = {"unit": f"/events/{code}/units/"}
    page = unit_page(view, unit, lang, urls) | {"maps": _maps(view, unit, lang, geo), "scans": list(scans)}
    page["turnout_url"] = turnout_url(str(view.event.code), view.territory.root, page["unit"]["code"])
    precinct = page["unit"]["kind"] == "precinct"
    page["history"] = f"/events/{code}/precincts/{quote(unit, safe='')}/versions" if precinct else ""
    page["forensics_url"] = f"/events/{code}/forensics"  # publish.site.forensics
    page["audit_url"] = f"/events/{code}/audit"  # publish.site.audit
    page["audit_label"] = audit_strings(lang)["link"]
    live = _live(view, page, lang, stream=f"/api/events/{code}/stream", unit_api=f"/api/events/{code}/units/")
    return render("site/results.html.j2", page=page, live=live, **_chrome(lang, path, demo, events))


def _live(view: ResultsView, page: dict[str, Any], lang: Lang, *, stream: str, unit_api: str) -> dict[str, Any]:
    """What live.js needs to update the page in place: the stream, the unit's JSON, the contests and the
    subdivisions the page shows figures of, who is decided, and the words it writes (publish/site/static/live.js)."""
    t = strings(lang)
    unit = page["unit"]["code"]
    shown = [q["code"] for q in page["questions"] if q["figures"] is not None] + [c["code"] for c in page["lists"]]
    words = ("outcome", "adopted", "rejected", "not_valid", "live_updated")
    return {
        "stream": stream,
        "fingerprint": fingerprint(view),
        "unit_api": unit_api + quote(unit, safe="") if unit_api else "",
        "contests": ",".join(shown),
        "children": ",".join(c["code"] for c in page["children"]),
        "decided": decided(view),
        "labels": {k: t[k] for k in words} | {s: t["status_" + s] for s in ("provisional", "final", "certified")},
    }


def render_message(
    title: str, detail: str, lang: Lang, *, path: str, demo: bool, status: int = 200, events: Sequence[EventLink] = ()
) -> str:
    """A page with one message: no event yet, or an error (its status shown beside the title)."""
    message = {"title": title, "detail": detail, "status": status}
    return render("site/message.html.j2", message=message, **_chrome(lang, path, demo, events))


def render_static_results(
    view: ResultsView,
    unit: str,
    lang: Lang,
    *,
    unit_url: Callable[[Lang, str], str],
    demo: bool,
    geo: GeoMap | None = None,
    turnout_link: Callable[[Lang, str], str | None] | None = None,
    forensics_link: Callable[[Lang], str | None] | None = None,
    audit_link: Callable[[Lang], str | None] | None = None,
) -> str:
    """The same page as ``render_results`` for a static site: every link to a unit, in every language,
    is ``unit_url(lang, unit)``, to its turnout page ``turnout_link(lang, unit)`` (None: no link), to the
    forensics page ``forensics_link(lang)``, to the audit page ``audit_link(lang)`` (None or no
    ``audit_link``: the release holds no audit); no event list, no live stream. Test data is refused."""
    refuse_test(view)
    page = unit_page(view, unit, lang, {"unit": ""}) | {"maps": _maps(view, unit, lang, geo)}  # unit urls: below
    page["turnout_url"] = turnout_link(lang, unit) if turnout_link is not None else None
    page["history"] = ""  # a static host has no per-precinct download (the corrections are in results.json)
    page["forensics_url"] = forensics_link(lang) if forensics_link is not None else None
    page["audit_url"] = audit_link(lang) if audit_link is not None else None
    page["audit_label"] = audit_strings(lang)["link"]

    def link(row: dict[str, Any]) -> dict[str, Any]:
        return row | {"url": unit_url(lang, unquote(row["url"]))}

    page["breadcrumbs"] = [link(b) for b in page["breadcrumbs"]]
    page["children"] = [link(c) for c in page["children"]]
    page["questions"] = [q | {"children": [link(c) for c in q["children"]]} for q in page["questions"]]
    chrome = _chrome(lang, "", demo, ())
    chrome["langs"] = [lang_link | {"url": unit_url(lang_link["code"], unit)} for lang_link in chrome["langs"]]
    live = _live(view, page, lang, stream="", unit_api="")
    return render("site/results.html.j2", page=page, live=live, **chrome)


def render_turnout(
    event: Referendum,
    territory: Territory,
    reports: Sequence[TurnoutReport],
    unit: str,
    lang: Lang,
    *,
    path: str,
    demo: bool,
    events: Sequence[EventLink] = (),
) -> str:
    """The intraday turnout page of ``unit`` (the country at ``/events/<event>/turnout``)."""
    code = str(event.code)
    unit_base = f"/events/{quote(code, safe='')}/units/"

    def link(u: str) -> str:
        return turnout_url(code, str(territory.root), u)

    page = turnout_page(
        event, territory, reports, unit, lang, turnout_url=link, results_url=unit_base + quote(unit, safe="")
    )
    return render("site/turnout.html.j2", page=page, **_chrome(lang, path, demo, events))


def render_static_turnout(
    event: Referendum,
    territory: Territory,
    reports: Sequence[TurnoutReport],
    unit: str,
    lang: Lang,
    *,
    unit_url: Callable[[Lang, str], str],
    turnout_link: Callable[[Lang, str], str | None],
    demo: bool,
) -> str:
    """The turnout page for a static site: links as ``render_static_results``' (no live stream here)."""
    page = turnout_page(
        event,
        territory,
        reports,
        unit,
        lang,
        turnout_url=lambda u: turnout_link(lang, u),
        results_url=unit_url(lang, unit),
    )
    chrome = _chrome(lang, "", demo, ())
    chrome["langs"] = [c | {"url": turnout_link(c["code"], unit) or unit_url(c["code"], unit)} for c in chrome["langs"]]
    return render("site/turnout.html.j2", page=page, **chrome)
