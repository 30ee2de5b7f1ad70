"""Laws of the rules engine: more Yes never turns adopted into rejected; everything stays exact."""

from __future__ import annotations

import ast
import itertools
from fractions import Fraction
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import saylau.rules
from saylau.model import Outcome, QuestionCode, Tally, UnitRow
from saylau.rules import PresetVersion, decide, list_presets, outcome_json

VERSIONS: list[tuple[PresetVersion, dict[str, str]]] = []
for _preset in list_presets():
    for _version in _preset.versions:
        _rule_settings = [s for s in _version.settings if s.name != "received_balance"]
        for _combo in itertools.product(*(s.allowed for s in _rule_settings)):
            VERSIONS.append((_version, {s.name: v for s, v in zip(_rule_settings, _combo, strict=True)}))


@st.composite
def unit_rows(draw: st.DrawFn) -> list[UnitRow]:
    rows = []
    for i in range(draw(st.integers(1, 6))):
        yes, no, nc, inv = (draw(st.integers(0, 40)) for _ in range(4))
        participated = yes + no + nc + inv
        registered = participated + draw(st.integers(0, 60))
        weight = draw(st.sampled_from([Fraction(1), Fraction(1, 2), Fraction(0)]))
        rows.append(UnitRow(f"u{i}", Tally(registered, participated, yes, no, nc, inv), weight))
    return rows


def _decide(version: PresetVersion, chosen: dict[str, str], rows: list[UnitRow]) -> Outcome:
    national = Tally.total(r.tally for r in rows)
    return decide(version, version.resolve_settings(chosen), QuestionCode("q"), national, rows)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(VERSIONS), unit_rows(), st.data())
def test_more_yes_never_flips_adopted_to_rejected(
    pick: tuple[PresetVersion, dict[str, str]], rows: list[UnitRow], data: st.DataObject
) -> None:
    version, chosen = pick
    before = _decide(version, chosen, rows)
    i = data.draw(st.integers(0, len(rows) - 1))
    t = rows[i].tally
    if data.draw(st.booleans()) and t.no > 0:
        k = data.draw(st.integers(1, t.no))  # shift k ballots from No to Yes
        new = Tally(t.registered, t.participated, t.yes + k, t.no - k, t.not_counted, t.invalid)
    else:
        k = data.draw(st.integers(1, 20))  # k new Yes participants (registered grows if needed)
        slack = t.registered - t.participated
        new = Tally(t.registered + max(0, k - slack), t.participated + k, t.yes + k, t.no, t.not_counted, t.invalid)
    rows = [*rows[:i], UnitRow(rows[i].unit, new, rows[i].weight), *rows[i + 1 :]]
    after = _decide(version, chosen, rows)
    assert not (before.adopted and not after.adopted)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(VERSIONS), unit_rows())
def test_outcome_is_exact_and_json_has_no_float(
    pick: tuple[PresetVersion, dict[str, str]], rows: list[UnitRow]
) -> None:
    out = _decide(*pick, rows)
    for value in (out.turnout, out.yes_share, out.units_yes, out.units_total, out.units_required):
        assert value is None or type(value) is Fraction
    for key, value in outcome_json(out).items():
        assert not isinstance(value, float), key
    assert Fraction(outcome_json(out)["turnout_exact"]) == out.turnout


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(VERSIONS), unit_rows(), st.randoms(use_true_random=False))
def test_unit_order_does_not_matter(pick: tuple[PresetVersion, dict[str, str]], rows: list[UnitRow], rnd) -> None:  # type: ignore[no-untyped-def]
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    a, b = _decide(*pick, rows), _decide(*pick, shuffled)
    assert (a.valid, a.adopted, a.units_yes) == (b.valid, b.adopted, b.units_yes)


def test_no_float_in_the_rules_package() -> None:
    root = Path(saylau.rules.__file__).parent
    for path in root.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            assert not (isinstance(node, ast.Constant) and isinstance(node.value, float)), path
            assert not (isinstance(node, ast.Name) and node.id == "float"), path
