"""The commission pages as HTML in Kazakh, Russian or English: login, board, protocol entry, upload, audit log,
the administrator's accounts page.

Pure rendering of values the services computed; no database, no web framework. The language is switched
as on the public pages: ``?lang=kk|ru|en`` on every link and form (``saylau.publish.site.i18n_commission``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from saylau.model import LANGS, Lang
from saylau.publish.site.i18n import LANG_LABELS, strings
from saylau.publish.site.i18n_audit import audit_strings
from saylau.publish.site.i18n_commission import commission_strings, field_label
from saylau.publish.templating import render

__all__ = ["PAGES", "render_commission", "with_lang"]

PAGES = frozenset(
    {
        "login",
        "commission_events",
        "commission_board",
        "commission_entry",
        "commission_upload",
        "commission_audit",
        "commission_accounts",
        "commission_copy",
    }
)


def with_lang(path: str, lang: Lang, query: Mapping[str, str] | None = None) -> str:
    """``path`` with ``query`` and ``lang=`` (the language switch of every commission link and form)."""
    params = {k: v for k, v in (query or {}).items() if k != "lang"}
    params["lang"] = lang
    return f"{path}?{urlencode(params)}"


def render_commission(
    page: str, *, lang: Lang = "en", path: str = "/commission", query: Mapping[str, str] | None = None, **values: Any
) -> str:
    """``page`` (one of PAGES) in ``lang`` with ``values``; ``user`` (or None) and ``csrf`` are expected by the
    layout. ``path`` and ``query`` make the language switch's links (the same page in another language)."""
    if page not in PAGES:
        raise ValueError(f"no commission page {page!r}")
    t = {**strings(lang), **commission_strings(lang)}
    chrome = {
        "lang": lang,
        "t": t,
        "a": audit_strings(lang),  # the risk-limiting audit's link (publish.site.audit)
        "demo": False,
        "langs": [
            {"code": c, "label": LANG_LABELS[c], "url": with_lang(path, c, query), "current": c == lang} for c in LANGS
        ],
        "events": [],
        "field_label": lambda f: field_label(lang, f),
        "phase_label": lambda p: t.get(f"phase_{p}", str(p)),
        "state_label": lambda s: t.get(f"state_{s}", t.get(f"decision_{s}", str(s).replace("_", " "))),
        "q": f"?lang={lang}",
    }
    values.setdefault("user", None)
    values.setdefault("csrf", "")
    values.setdefault("notice", None)
    return render(f"site/{page}.html.j2", **chrome, **values)
