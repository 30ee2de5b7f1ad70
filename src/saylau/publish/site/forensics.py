"""The public forensics page of an event (``/events/{code}/forensics``, and ``<lang>/forensics.html`` in a
static site), rendered from the plain document (publish.forensics_json): the caveat at the top of every
page, the synthetic label where set, then per contest a table of the checks, the figures (inline SVG),
the outlier precincts (each linked to its page, where its protocol scans are) and the exclusions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import quote

from saylau.model import Lang
from saylau.publish.forensics_plots import contest_figures
from saylau.publish.site.i18n_forensics import forensics_strings
from saylau.publish.site.render import EventLink, _chrome
from saylau.publish.templating import render

__all__ = ["CHECKS", "MAX_ROWS", "check_rows", "forensics_page", "render_forensics", "render_static_forensics"]

MAX_ROWS = 500  # rows of a list (exclusions, outliers) on a page; the JSON has them all
CHECKS = (
    "fingerprint",
    "turnout",
    "share",
    "turnout_heaping",
    "share_heaping",
    "second_digit",
    "last_digit",
    "outliers",
    "channels",
)


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _figure(name: str, check: Mapping[str, Any]) -> str:
    """The figure a check's row shows (numbers only: the words around them are the page's)."""
    if name == "fingerprint":
        fit = check["fit"]
        return f"f_i = {_pct(fit['incremental'])}, f_e = {_pct(fit['extreme'])}"
    if name in ("turnout", "share"):
        return f"dip = {check['dip']:.4f}, p = {check['dip_p']:.3f}; kurtosis {check['kurtosis']:.2f}"
    if name.endswith("_heaping"):
        parts = [
            f"{c['step']}%: {c['observed']:,} / {c['expected']:,.1f}, p = {c['p_value']:.3f}" for c in check["counts"]
        ]
        return "; ".join(parts)
    if name in ("second_digit", "last_digit"):
        return (
            f"χ² = {check['chi2']:.1f}, p = {check['p_value']:.3f}; mean {check['mean']:.3f}"
            f" / {check['expected_mean']:.3f}"
        )
    if name == "outliers":
        return f"{len(check['precincts']):,}"
    return f"χ² = {check['chi2']:.1f} (df {check['df']}), p = {check['p_value']:.3f}"  # channels


def _note(name: str, check: Mapping[str, Any], t: Mapping[str, str]) -> str:
    """The words after a figure: the regions' dip tests beside the national one, a digit test's effect size."""
    if name in ("turnout", "share") and check.get("regions"):
        regions = check["regions"]
        flagged = [r["region"] for r in regions if r["flagged"]]
        words = ""
        if check.get("between_regions"):
            words += "; " + t["dip_between_regions"].format(p=f"{check['centred_dip_p']:.3f}")
        if flagged:
            words += "; " + t["dip_regions_flagged"].format(k=len(flagged), m=len(regions), regions=", ".join(flagged))
        return words
    if name in ("second_digit", "last_digit") and "mad" in check:
        return "; " + t["digit_mad"].format(mad=f"{check['mad']:.4f}", floor=f"{check['mad_floor']:.3f}")
    return ""


def _row(name: str, check: Mapping[str, Any], t: Mapping[str, str]) -> dict[str, Any]:
    skipped = bool(check.get("skipped"))
    state = "skipped" if skipped else ("flagged" if check.get("flagged") else "not_flagged")
    if state == "not_flagged" and check.get("assessed") is False:  # the fingerprint on too few precincts
        state = "not_assessed"
    return {
        "name": t["check_" + name],
        "state": state,
        "label": t[state],
        "figure": check["reason"] if skipped else _figure(name, check) + _note(name, check, t),
        "weak": name in ("second_digit", "last_digit"),
    }


def check_rows(doc: Mapping[str, Any], t: Mapping[str, str]) -> list[dict[str, Any]]:
    """Each check of one contest of the document: its name, flagged / not flagged / not run, its figure."""
    return [_row(name, doc[name], t) for name in CHECKS]


def _contest(
    doc: Mapping[str, Any],
    names: Mapping[str, str],
    t: Mapping[str, str],
    unit_url: Callable[[str], str],
) -> dict[str, Any]:
    exclusions = doc["exclusions"]
    outliers = doc["outliers"]["precincts"]
    reason = {r: t["reason_" + r] for r in ("special", "small", "no_votes", "over_registered")}
    return {
        "code": doc["contest"],
        "winner": doc["winner"],
        "precincts": f"{doc['precincts']:,}",
        "analysed": f"{doc['analysed']:,}",
        "excluded": f"{len(exclusions):,}",
        "by_reason": [{"reason": reason[r], "n": f"{n:,}"} for r, n in doc["excluded_by_reason"].items() if n],
        "checks": check_rows(doc, t),
        "figures": list(contest_figures(doc, t, names).values()),
        "outliers": [
            {
                "code": o["code"],
                "region": names.get(o["region"], o["region"]),
                "turnout": _pct(o["turnout"]),
                "share": _pct(o["share"]),
                "url": unit_url(o["code"]),
            }
            for o in outliers[:MAX_ROWS]
        ],
        "outliers_more": max(0, len(outliers) - MAX_ROWS),
        "exclusions": [
            {
                "code": e["code"],
                "region": names.get(e["region"], e["region"]),
                "reason": reason[e["reason"]] + (f" ({e['special']})" if e["special"] else ""),
            }
            for e in exclusions[:MAX_ROWS]
        ],
        "exclusions_more": max(0, len(exclusions) - MAX_ROWS),
    }


def forensics_page(
    doc: Mapping[str, Any],
    lang: Lang,
    *,
    names: Mapping[str, str],
    unit_url: Callable[[str], str],
    results_url: str,
    json_url: str,
) -> dict[str, Any]:
    """Everything the template shows: ``names`` a region's name by its code (in ``lang``)."""
    t = forensics_strings(lang)
    return {
        "event": {"code": doc["event"], "title": doc["title"]},
        "status": doc["status"],
        "synthetic": doc["synthetic"],
        "seed": doc["contests"][0]["seed"] if doc["contests"] else None,
        "results_sha256": doc["results_sha256"],
        "contests": [_contest(c, names, t, unit_url) for c in doc["contests"]],
        "not_examined": list(doc["not_examined"]),
        "results_url": results_url,
        "json_url": json_url,
    }


def render_forensics(
    doc: Mapping[str, Any],
    lang: Lang,
    *,
    names: Mapping[str, str],
    path: str,
    demo: bool,
    events: Sequence[EventLink] = (),
) -> str:
    """The served page (``path``: its own URL, for the language links)."""
    code = quote(str(doc["event"]), safe="")
    page = forensics_page(
        doc,
        lang,
        names=names,
        unit_url=lambda u: f"/events/{code}/units/{quote(u, safe='')}",
        results_url=f"/events/{code}",
        json_url=f"/events/{code}/forensics.json",
    )
    return render("site/forensics.html.j2", page=page, f=forensics_strings(lang), **_chrome(lang, path, demo, events))


def render_static_forensics(
    doc: Mapping[str, Any],
    lang: Lang,
    *,
    names: Mapping[str, str],
    unit_url: Callable[[Lang, str], str],
    page_url: Callable[[Lang], str],
    results_url: str,
    demo: bool,
) -> str:
    """The page for a static site: links to units by ``unit_url``, to itself in each language by ``page_url``."""
    page = forensics_page(
        doc,
        lang,
        names=names,
        unit_url=lambda u: unit_url(lang, u),
        results_url=results_url,
        json_url="/forensics.json",
    )
    chrome = _chrome(lang, "", demo, ())
    chrome["langs"] = [c | {"url": page_url(c["code"])} for c in chrome["langs"]]
    return render("site/forensics.html.j2", page=page, f=forensics_strings(lang), **chrome)
