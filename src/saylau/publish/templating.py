"""The one Jinja environment of the presentation: the live site's pages (``publish.site``), the static
site's, the commission's, the e2e booth and board, and the self-contained results file (``publish.html``).

Two template folders under one loader, by prefix, so no name can shadow another:
``site/…`` is ``publish/site/templates/`` (the pages, extending ``site/base.html.j2``) and ``file/…`` is
``publish/templates/`` (the one-file HTML results). Every piece of data is escaped, whatever the file name
(``autoescape``); a missing value is an error, never an empty string (``StrictUndefined``); block tags
leave no blank lines (``trim_blocks``, ``lstrip_blocks``); a template's final newline is kept, so what a
template file ends with is what its page ends with (``site/base.html.j2`` has none: the pages end at
``</html>``, as they always have).
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, PrefixLoader, StrictUndefined

__all__ = ["ENV", "render"]

ENV = Environment(
    loader=PrefixLoader(
        {
            "site": PackageLoader("saylau.publish.site", "templates"),
            "file": PackageLoader("saylau.publish", "templates"),
        }
    ),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def render(template: str, **values: Any) -> str:
    """``template`` (``site/<name>`` or ``file/<name>``) rendered with ``values``."""
    return ENV.get_template(template).render(**values)
