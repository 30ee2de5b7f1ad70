"""The petitions' pages (spec/petitions.md §12): a petition's public page (counts only, a progress bar
against the threshold with its percentage, dates, the rule; kk/ru/en) and the commission's list with its
verification form, rendered from the plain facts of saylau.services.petitions.desk. No database, no web."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from saylau.model import LANGS, Lang
from saylau.publish.site.commission import with_lang
from saylau.publish.site.i18n import LANG_LABELS, strings
from saylau.publish.site.i18n_commission import commission_strings
from saylau.publish.site.i18n_petitions import petition_strings
from saylau.publish.site.render import EventLink, _chrome
from saylau.publish.templating import render

__all__ = ["petition_urls", "render_petition_desk", "render_petition_public"]


def petition_urls(code: str) -> dict[str, str]:
    q = quote(code, safe="")
    return {"page": f"/petitions/{q}", "json": f"/api/petitions/{q}"}


def render_petition_public(
    facts: Mapping[str, Any], lang: Lang, *, path: str, demo: bool, events: Sequence[EventLink]
) -> str:
    return render(
        "site/petition.html.j2",
        **_chrome(lang, path, demo, events),
        p=petition_strings(lang),
        f=facts,
        urls=petition_urls(str(facts["petition"])),
    )


def render_petition_desk(
    desk: Mapping[str, Any],
    *,
    lang: Lang,
    path: str,
    query: Mapping[str, str] | None = None,
    user: Any = None,
    csrf: str = "",
    refused: str | None = None,
    problems: Sequence[Any] = (),
) -> str:
    """The commission's list of petitions in the commission's layout."""
    chrome = {
        "lang": lang,
        "t": {**strings(lang), **commission_strings(lang)},
        "p": petition_strings(lang),
        "demo": False,
        "langs": [
            {"code": c, "label": LANG_LABELS[c], "url": with_lang(path, c, query), "current": c == lang} for c in LANGS
        ],
        "events": [],
        "q": f"?lang={lang}",
        "user": user,
        "csrf": csrf,
        "notice": None,
    }
    return render("site/commission_petitions.html.j2", **chrome, desk=desk, refused=refused, problems=problems)
