"""The public pages: templates and static assets rendered from a ResultsView. No database, no web framework."""

from saylau.web.i18n import LANG_LABELS, UI, strings
from saylau.web.live import fingerprint, live_payload
from saylau.web.render import EventLink, render_message, render_results, static_file
from saylau.web.unit_json import unit_json

__all__ = [
    "LANG_LABELS",
    "UI",
    "EventLink",
    "fingerprint",
    "live_payload",
    "render_message",
    "render_results",
    "static_file",
    "strings",
    "unit_json",
]
