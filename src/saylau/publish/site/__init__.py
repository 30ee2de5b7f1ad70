"""The HTML site: the live public pages, the static site's pages, the commission's pages and the e2e booth
and board; templates and static assets, rendered from view values (a ResultsView, the turnout reports, what
a route computed). No database, no web framework, no use case (the importers are ``api``, ``cli`` and
``services.paper.publication``). Import each name from the module that holds it:

- ``render``: the public results, message and turnout pages, live and static (``render_results`` …);
- ``pages``, ``turnout``, ``map``: the context a results, turnout page or map shows;
- ``live``: what a live page compares and the server-sent event (``fingerprint``, ``live_payload``);
- ``unit_json``: one unit of the published document (the drill-down API);
- ``commission``, ``e2e``: the commission's pages, the booth and the board;
- ``i18n``, ``i18n_commission``: the UI strings in Kazakh, Russian and English.

The one Jinja environment is ``saylau.publish.templating``.
"""

__all__: list[str] = []
