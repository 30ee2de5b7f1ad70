"""The presentation layer: results as terminal text, JSON, CSV, NIST SP 1500-100 v2, a PDF protocol, one
self-contained HTML file and a static site; and the HTML site itself (``publish.site``: the live public
pages, the commission's, the e2e booth and board, their templates and static assets). One Jinja
environment renders every page (``publish.templating``).

Pure: view values in, text or bytes out; no database, no use case, no web framework.
"""

from saylau.publish.csv_out import to_csv
from saylau.publish.html import render_html
from saylau.publish.json_out import to_json
from saylau.publish.nist import to_nist
from saylau.publish.terminal import render_terminal

__all__ = ["render_html", "render_terminal", "to_csv", "to_json", "to_nist"]
