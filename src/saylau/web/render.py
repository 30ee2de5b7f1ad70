"""The public pages as HTML: Jinja2 with autoescape, one CSS file, a few lines of script for live updates."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib import resources
from typing import Any
from urllib.parse import quote, unquote

from jinja2 import Environment, PackageLoader, StrictUndefined

from saylau.model import LANGS, Lang, ResultsView
from saylau.publish.figures import refuse_test
from saylau.web.i18n import LANG_LABELS, strings
from saylau.web.live import fingerprint
from saylau.web.map import national_maps
from saylau.web.pages import unit_page

__all__ = ["EventLink", "render_message", "render_results", "render_static_results", "static_file"]

_ENV = Environment(
    loader=PackageLoader("saylau.web", "templates"),
    autoescape=True,  # every piece of data is escaped, whatever the file name
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)

# (code, title) of an event, for the list of events in the page header
EventLink = tuple[str, str]


def static_file(name: str) -> str:
    return (resources.files("saylau.web") / "static" / name).read_text(encoding="utf-8")


def _chrome(lang: Lang, path: str, demo: bool, events: Sequence[EventLink]) -> dict[str, Any]:
    return {
        "lang": lang,
        "t": strings(lang),
        "demo": demo,
        "langs": [{"code": c, "label": LANG_LABELS[c], "url": f"{path}?lang={c}", "current": c == lang} for c in LANGS],
        "events": [{"code": c, "title": title, "url": f"/events/{quote(c, safe='')}"} for c, title in events],
    }


def _maps(view: ResultsView, unit: str, lang: Lang) -> list[dict[str, Any]]:
    t = strings(lang)
    return national_maps(view, unit, lang, {"turnout": f"{t['turnout']} (%)", "yes": f"{t['yes']} (%)"})


def render_results(
    view: ResultsView, unit: str, lang: Lang, *, path: str, demo: bool, events: Sequence[EventLink] = ()
) -> str:
    """An event's page at ``unit`` (the country: the national result). Test data is refused."""
    refuse_test(view)
    code = quote(str(view.event.code), safe="")
    urls = {"unit": f"/events/{code}/units/"}
    page = unit_page(view, unit, lang, urls) | {"maps": _maps(view, unit, lang)}
    live = {"stream": f"/api/events/{code}/stream", "fingerprint": fingerprint(view)}
    return _ENV.get_template("results.html.j2").render(page=page, live=live, **_chrome(lang, path, demo, events))


def render_message(
    title: str, detail: str, lang: Lang, *, path: str, demo: bool, status: int = 200, events: Sequence[EventLink] = ()
) -> str:
    """A page with one message: no event yet, or an error (its status shown beside the title)."""
    message = {"title": title, "detail": detail, "status": status}
    return _ENV.get_template("message.html.j2").render(message=message, **_chrome(lang, path, demo, events))


def render_static_results(
    view: ResultsView, unit: str, lang: Lang, *, unit_url: Callable[[Lang, str], str], demo: bool
) -> str:
    """The same page as ``render_results`` for a static site: every link to a unit, in every language,
    is ``unit_url(lang, unit)``; no event list, no live stream. Test data is refused."""
    refuse_test(view)
    page = unit_page(view, unit, lang, {"unit": ""}) | {"maps": _maps(view, unit, lang)}  # unit urls: below

    def link(row: dict[str, Any]) -> dict[str, Any]:
        return row | {"url": unit_url(lang, unquote(row["url"]))}

    page["breadcrumbs"] = [link(b) for b in page["breadcrumbs"]]
    page["children"] = [link(c) for c in page["children"]]
    page["questions"] = [q | {"children": [link(c) for c in q["children"]]} for q in page["questions"]]
    chrome = _chrome(lang, "", demo, ())
    chrome["langs"] = [lang_link | {"url": unit_url(lang_link["code"], unit)} for lang_link in chrome["langs"]]
    live = {"stream": "", "fingerprint": fingerprint(view)}
    return _ENV.get_template("results.html.j2").render(page=page, live=live, **chrome)
