"""The commission pages as HTML (English for now): login, board, protocol entry, upload, audit log.

Pure rendering of values the services computed; no database, no web framework.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from saylau.web.i18n import strings

__all__ = ["render_commission"]

_ENV = Environment(
    loader=PackageLoader("saylau.web", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)

PAGES = frozenset(
    {"login", "commission_events", "commission_board", "commission_entry", "commission_upload", "commission_audit"}
)


def render_commission(page: str, **values: Any) -> str:
    """``page`` (one of PAGES) with ``values``; ``user`` (or None) and ``csrf`` are expected by the layout."""
    if page not in PAGES:
        raise ValueError(f"no commission page {page!r}")
    chrome = {"lang": "en", "t": strings("en"), "demo": False, "langs": [], "events": []}
    values.setdefault("user", None)
    values.setdefault("csrf", "")
    values.setdefault("notice", None)
    return _ENV.get_template(f"{page}.html.j2").render(**chrome, **values)
