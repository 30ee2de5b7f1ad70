"""One Jinja environment for every page (issue 10): its options, its two prefixed folders, and the bytes
it renders (the pages end as they always have)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from jinja2 import UndefinedError
from test_publish_golden import view

from saylau.publish.html import render_html
from saylau.publish.site.commission import render_commission
from saylau.publish.site.e2e import render_e2e
from saylau.publish.site.render import render_message, render_results
from saylau.publish.templating import ENV, render

SRC = Path(__file__).resolve().parents[2] / "src" / "saylau"


def test_every_template_is_named_by_its_folder() -> None:
    names = ENV.list_templates()
    assert {n.split("/", 1)[0] for n in names} == {"site", "file"}
    for name in ("site/base.html.j2", "site/results.html.j2", "site/booth.html.j2", "file/results.html.j2"):
        assert name in names
    for name in names:  # every one compiles, includes and extends resolved by their prefixed names
        ENV.get_template(name)


def test_the_environment_escapes_and_refuses_a_missing_value() -> None:
    assert ENV.autoescape is True
    assert (ENV.trim_blocks, ENV.lstrip_blocks, ENV.keep_trailing_newline) == (True, True, True)
    html = render_message("<b>title</b>", "a & b", "en", path="/", demo=False)
    assert "&lt;b&gt;title&lt;/b&gt;" in html
    assert "a &amp; b" in html
    with pytest.raises(UndefinedError):
        render("site/message.html.j2", lang="en")


def test_pages_end_as_they_always_have() -> None:
    """The live pages end at ``</html>`` (site/base.html.j2 has no final newline), the one-file page
    (publish.html, golden) with a newline."""
    pages = [
        render_message("Title", "Detail", "en", path="/", demo=False),
        render_results(view(), "KZ", "en", path="/events/ref-2022", demo=False),
        render_commission("login", lang="kk", login_csrf="t", error=None),
        render_e2e("board", demo=True, board={"election": "e", "fingerprint": "f", "phase": "voting", "cast": 0,
                                              "spoiled": 0, "offset": 0, "limit": 100, "entries": []},
                   search=None, urls={"api": "/api/e2e/e", "booth": "/e2e/e/booth", "board": "/e2e/e/board"}),
    ]  # fmt: skip
    for html in pages:
        assert html.startswith("<!doctype html>\n")
        assert html.endswith("</html>")
    assert render_html(view()).endswith("</html>\n")


def test_no_other_jinja_environment_in_src() -> None:
    """Only publish/templating.py builds an Environment (today four did: web/render.py, web/commission.py,
    publish/html.py and api/routes_e2e.py)."""
    builders = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module is not None and node.module.startswith("jinja2"):
                builders.append(path.relative_to(SRC).as_posix())
            if isinstance(node, ast.Import) and any(a.name.startswith("jinja2") for a in node.names):
                builders.append(path.relative_to(SRC).as_posix())
    assert builders == ["publish/templating.py"]
