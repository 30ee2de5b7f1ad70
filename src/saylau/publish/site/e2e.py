"""The two pages of an e2e election (spec/booth.md): the voting booth and the public bulletin board.
English only for now, in the public pages' layout. Pure rendering of values the routes computed.
"""

from __future__ import annotations

from typing import Any, Literal

from saylau.publish.site.i18n import strings
from saylau.publish.templating import render

__all__ = ["E2ePage", "render_e2e"]

E2ePage = Literal["booth", "board"]


def render_e2e(page: E2ePage, *, demo: bool, **values: Any) -> str:
    """``page`` with ``values``: the booth takes ``info`` (the device information) and ``urls``; the board
    ``board``, ``search`` (a tracking-code look-up or None) and ``urls``."""
    chrome = {"lang": "en", "t": strings("en"), "demo": demo, "langs": [], "events": []}
    return render(f"site/{page}.html.j2", **chrome, **values)
