"""Publication of results: terminal, JSON, CSV, NIST SP 1500-100 v2 and one self-contained HTML page.

Pure: view in, text out.
"""

from saylau.publish.csv_out import to_csv
from saylau.publish.html import render_html
from saylau.publish.json_out import to_json
from saylau.publish.nist import to_nist
from saylau.publish.terminal import render_terminal

__all__ = ["render_html", "render_terminal", "to_csv", "to_json", "to_nist"]
