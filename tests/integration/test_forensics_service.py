"""The forensics service (services.paper.forensics): the input built from the accepted protocols, the seed
from the results, the synthetic flag of the shipped demo data sets, and a plain, reproducible document."""

from __future__ import annotations

import json

import pytest
from tests.elections import MINI, load
from tests.integration.forensics_election import ABROAD, PRECINCTS, REGIONS, forensics_election

from saylau.forensics import CAVEAT, Special
from saylau.model import NotFound
from saylau.publish.forensics_json import fine_histogram, plain
from saylau.publish.static_site import results_digest
from saylau.services.context import Context
from saylau.services.lookup import load_event
from saylau.services.paper.demo import DEMO_DATASET, ELECTION_DATASET, demo_file
from saylau.services.paper.events import create_event
from saylau.services.paper.forensics import (
    ForensicsCache,
    event_forensics,
    forensics_input,
    forensics_seed,
    is_shipped_demo,
)
from saylau.services.paper.results import results


@pytest.fixture
def counted(ctx: Context) -> str:
    return load(ctx, forensics_election(), operators=("alice", "bob"))


def test_the_input_is_one_row_per_accepted_protocol_with_its_region_and_abroad_marked(
    ctx: Context, counted: str
) -> None:
    view = results(ctx, counted)
    data = forensics_input(view, view.event.contests[0], synthetic=False)
    assert len(data.precincts) == len(REGIONS) * PRECINCTS + ABROAD
    assert {p.region for p in data.precincts} == {*REGIONS, "AB"}
    abroad = [p for p in data.precincts if p.special is Special.ABROAD]
    assert {p.region for p in abroad} == {"AB"}
    assert len(abroad) == ABROAD
    first = data.precincts[0]
    counts = view.results[first.code].totals[view.event.contests[0].code]
    assert (first.registered, first.cast) == (counts["registered"], counts["participated"])
    assert first.votes == {"yes": counts["yes"], "no": counts["no"]}
    assert data.winner == "yes"  # the option with the most votes
    assert data.channels == ()  # no e-election linked


def test_the_report_is_seeded_by_the_results_and_reproduced(ctx: Context, counted: str) -> None:
    first = event_forensics(ctx, counted)
    again = event_forensics(ctx, counted)
    digest = results_digest(results(ctx, counted))
    assert first.seed == forensics_seed(digest) == int(digest[:16], 16)
    assert first.document == again.document
    doc = first.document
    assert doc["results_sha256"] == digest
    assert doc["caveat"] == CAVEAT
    assert doc["synthetic"] is False
    assert doc["synthetic_note"] == ""
    (contest,) = doc["contests"]
    assert contest["seed"] == first.seed
    assert contest["excluded_by_reason"]["special"] == ABROAD
    assert {e["reason"] for e in contest["exclusions"]} == {"special"}
    assert {e["special"] for e in contest["exclusions"]} == {"abroad"}
    assert contest["analysed"] == len(REGIONS) * PRECINCTS
    assert sum(contest["fine"]["turnout"]) == contest["analysed"] == sum(contest["fine"]["share"])
    assert contest["second_digit"]["evidence"] == "weak"
    json.dumps(doc, allow_nan=False)  # plain JSON values only


def test_nothing_is_examined_before_a_protocol_is_accepted(ctx: Context) -> None:
    code = load(ctx, forensics_election())
    doc = event_forensics(ctx, code).document
    assert doc["contests"] == []
    assert [n["contest"] for n in doc["not_examined"]] == ["q1"]


def test_an_unknown_event_is_not_found(ctx: Context) -> None:
    with pytest.raises(NotFound):
        ForensicsCache(ctx).get("nope")


def test_the_cache_reuses_a_report_until_the_results_change(ctx: Context, counted: str) -> None:
    cache = ForensicsCache(ctx)
    assert cache.get(counted) is cache.get(counted)


@pytest.mark.parametrize("dataset", [DEMO_DATASET, ELECTION_DATASET])
def test_a_shipped_demo_data_set_is_recognised_as_synthetic(ctx: Context, dataset: str) -> None:
    ref = create_event(ctx, demo_file("event.json", dataset), "event.json")
    with ctx.store.transaction() as tx:
        assert is_shipped_demo(load_event(tx, ref.code))


def test_another_event_is_not_synthetic(ctx: Context, counted: str) -> None:
    with ctx.store.transaction() as tx:
        assert not is_shipped_demo(load_event(tx, counted))


def test_the_fine_histogram_centres_its_bins_on_each_tenth_of_a_percent() -> None:
    # 1658 of 1950 is 85.03% (bin 850); 1 of 3 is 33.33% (bin 333); 0 and all at the ends; n = 0 ignored
    bins = fine_histogram([(1658, 1950), (1, 3), (0, 10), (10, 10), (5, 0), (1949, 2000)])
    assert len(bins) == 1001
    assert (bins[850], bins[333], bins[0], bins[1000], bins[975]) == (1, 1, 1, 1, 1)
    assert sum(bins) == 5


def test_a_value_that_is_not_plain_is_refused() -> None:
    class Number(int):
        pass

    with pytest.raises(TypeError):
        plain(Number(3))
    assert plain({"a": (1, 2.5, float("nan"))}) == {"a": [1, 2.5, None]}
    assert plain(frozenset({Special.ABROAD, Special.HOSPITAL})) == ["abroad", "hospital"]


def test_published_floats_are_rounded_to_ten_significant_digits() -> None:
    assert plain(0.1 + 0.2) == plain(0.3) == 0.3
    x = 0.123456789012345
    assert plain(x) == 0.123456789
    assert plain(x * (1 + 2**-52)) == plain(x)  # a platform's last bit does not reach the document
    assert plain([-0.0, 1e-300, 2.0 / 3.0]) == [0.0, 1e-300, 0.6666666667]
    assert json.dumps(plain(1 / 7)) == "0.1428571429"


def test_an_election_examines_its_party_list_with_every_option(ctx: Context) -> None:
    code = load(ctx, MINI, operators=("alice", "bob"))
    view = results(ctx, code)
    lists = [q for q in view.event.contests if q.scope is None]
    assert [str(q.code) for q in lists] == ["list"]  # the single-member districts are inside it
    data = forensics_input(view, lists[0], synthetic=False)
    assert set(data.precincts[0].votes) == {"amanat", "auyl", "respublica", "against_all"}
    assert data.winner == "amanat"
    assert {p.code: p.region for p in data.precincts} == {"P1": "R1", "P2": "R1", "P3": "R1", "P4": "AB"}
    doc = event_forensics(ctx, code).document
    assert [c["contest"] for c in doc["contests"]] == ["list"]
    assert doc["contests"][0]["fingerprint"]["skipped"] is True  # 3 precincts analysed: too few
