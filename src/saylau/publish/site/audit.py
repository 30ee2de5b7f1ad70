"""The risk-limiting audit's pages: the public one (``/events/{code}/audit``) and the commission's (the
status with its forms, and a batch's hand-count form), rendered from the plain facts the services give
(``saylau.services.audit.reading.public_json``, ``...desk.desk_json``). No database, no web framework.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import quote

from saylau.model import LANGS, Lang
from saylau.publish.site.audit_contest_words import (
    contest_outcome_text,
    contest_statement_text,
    contest_why_text,
    field_text,
    scope_text,
)
from saylau.publish.site.audit_words import method_text, statement_text, unit_text, why_hardest_text
from saylau.publish.site.commission import with_lang
from saylau.publish.site.i18n import LANG_LABELS, strings
from saylau.publish.site.i18n_audit import audit_strings
from saylau.publish.site.i18n_commission import commission_strings
from saylau.publish.site.render import EventLink, _chrome
from saylau.publish.templating import render

__all__ = ["DESK_PAGES", "render_audit_desk", "render_audit_public", "render_static_audit", "risk_text"]

DESK_PAGES = frozenset({"commission_rla", "commission_rla_batch"})


def risk_text(risk: str) -> str:
    """A recorded risk ("0.0312…", the float's text) as the pages show it: 4 decimals."""
    return f"{float(risk):.4f}"


def _words(lang: Lang) -> dict[str, Any]:
    """The plan's sentences in the page's language (``audit_words``), as the templates call them."""
    return {
        "say_statement": lambda x: statement_text(x, lang),
        "say_unit": lambda x: unit_text(x, lang),
        "say_method": lambda m: method_text(m, lang),
        "say_why": lambda plan: why_hardest_text(plan, lang),
        # an election contest's audit (``audit.contest``): its plan's words, its options' names
        "say_contest": lambda x, plan: contest_statement_text(x, plan, lang),
        "say_contest_why": lambda plan: contest_why_text(plan, lang),
        "say_outcome": lambda plan: contest_outcome_text(plan, lang),
        "say_scope": lambda plan: scope_text(plan, lang),
        "say_field": lambda plan, f: field_text(plan, f, lang),
    }


def _urls(code: str) -> dict[str, str]:
    base = f"/events/{quote(code, safe='')}"
    return {
        "results": base,
        "page": f"{base}/audit",
        "json": f"{base}/audit.json",
        "manifest": f"{base}/audit/manifest.json",
        "desk": f"/commission/events/{quote(code, safe='')}/rla",
    }


def render_audit_public(
    facts: Mapping[str, Any] | None, code: str, lang: Lang, *, path: str, demo: bool, events: Sequence[EventLink]
) -> str:
    """The public page; ``facts`` None: no audit is planned (the page says so)."""
    return render(
        "site/audit.html.j2",
        **_chrome(lang, path, demo, events),
        a=audit_strings(lang),
        audit=facts,
        code=code,
        urls=_urls(code),
        risk_text=risk_text,
        **_words(lang),
    )


def render_static_audit(
    facts: Mapping[str, Any],
    lang: Lang,
    *,
    page_url: Callable[[Lang], str],
    results_url: str,
    json_url: str,
    manifest_url: str,
    demo: bool,
) -> str:
    """The public page for a static site (``facts``: the audit's public facts): links to itself in each
    language by ``page_url``, to the results page, the JSON and the manifest file beside it."""
    chrome = _chrome(lang, "", demo, ())
    chrome["langs"] = [c | {"url": page_url(c["code"])} for c in chrome["langs"]]
    urls = {"results": results_url, "page": page_url(lang), "json": json_url, "manifest": manifest_url, "desk": ""}
    code = str(facts.get("event", ""))
    return render(
        "site/audit.html.j2", **chrome, a=audit_strings(lang), audit=facts, code=code, urls=urls, risk_text=risk_text,
        **_words(lang),
    )  # fmt: skip


def render_audit_desk(
    page: str,
    *,
    lang: Lang,
    path: str,
    query: Mapping[str, str] | None = None,
    user: Any = None,
    csrf: str = "",
    **values: Any,
) -> str:
    """A commission audit page (one of DESK_PAGES) in the commission's layout."""
    if page not in DESK_PAGES:
        raise ValueError(f"no audit page {page!r}")
    t = {**strings(lang), **commission_strings(lang)}
    chrome = {
        "lang": lang,
        "t": t,
        "a": audit_strings(lang),
        "demo": False,
        "langs": [
            {"code": c, "label": LANG_LABELS[c], "url": with_lang(path, c, query), "current": c == lang} for c in LANGS
        ],
        "events": [],
        "q": f"?lang={lang}",
        "user": user,
        "csrf": csrf,
        "notice": None,
        "risk_text": risk_text,
    }
    code = str(values.get("code", ""))
    return render(f"site/{page}.html.j2", **chrome, urls=_urls(code), **_words(lang), **values)
