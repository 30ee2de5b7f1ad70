"""The maps: shipped tile layouts, the tile cartogram, a GeoJSON choropleth, and the accessible SVG.
(The GeoJSON parser's own tests: test_io_geojson.py.)"""

from __future__ import annotations

import csv
import json
from fractions import Fraction
from importlib import resources

import pytest
from tests.unit.test_io_geojson import SQUARES

from saylau.io.geojson import parse_geojson
from saylau.publish.site.map import LAYOUTS, NO_DATA, PALETTE, choropleth, layout_for, load_layout, tile_map
from saylau.publish.templating import ENV

KZ_2022 = ["AKM", "AKT", "ALM", "ATY", "ZKO", "ZHA", "KAR", "KOS", "KZY", "MAN", "PAV", "SKO", "TUR", "VKO", "AST"]
KZ_2022 += ["ALA", "SHY", "ABR"]


def _top_units(dataset: str) -> list[str]:
    text = (resources.files("saylau") / "data" / "demo" / dataset / "territory.csv").read_text(encoding="utf-8")
    return [r["code"] for r in csv.DictReader(text.splitlines()) if r["parent"] == "KZ"]


@pytest.mark.parametrize("name", LAYOUTS)
def test_layouts_have_one_tile_per_cell_and_per_unit(name: str) -> None:
    layout = load_layout(name)
    cells = [(t.col, t.row) for t in layout.tiles]
    assert len(set(cells)) == len(cells)
    assert len(layout.codes) == len(layout.tiles)


def test_the_shipped_demos_pick_their_layout() -> None:
    units_2022, units_2023 = _top_units("kz-2022"), _top_units("kz-2023-election")
    assert sorted(units_2022) == sorted(KZ_2022)
    assert len(units_2023) == 21
    assert "ABR" in units_2023
    assert (lay := layout_for(units_2022)) is not None
    assert lay.name == "kz-2022"
    assert (lay := layout_for(units_2023)) is not None
    assert lay.name == "kz-2023"
    assert layout_for(["XX"]) is None
    assert layout_for([]) is None


def test_roughly_geographic_west_to_east_north_to_south() -> None:
    pos = {t.code: (t.col, t.row) for t in load_layout("kz-2023").tiles}
    assert pos["ZKO"][0] < pos["AKM"][0] < pos["VKO"][0]  # west to east
    assert pos["SKO"][1] < pos["KAR"][1] < pos["TUR"][1]  # north to south
    assert pos["ABA"][0] > pos["KAR"][0]
    assert pos["ULY"][0] < pos["KAR"][0]


def test_tile_map_colours_by_value_in_five_bins() -> None:
    layout = load_layout("kz-2022")
    values = {"AKM": Fraction(1, 2), "ALA": Fraction(1, 3), "TUR": Fraction(4, 5), "ABR": None}
    fig = tile_map("m", "Turnout", layout, values, {"ALA": "Almaty city"})
    shapes = {s.code: s for s in fig.shapes}
    assert set(shapes) == set(values)  # units without a value are not drawn
    assert shapes["ALA"].fill == PALETTE[0]
    assert shapes["TUR"].fill == PALETTE[-1]
    assert shapes["ABR"].fill == NO_DATA
    assert shapes["ABR"].value == ""
    assert shapes["ALA"].name == "Almaty city"
    assert shapes["ALA"].value == "33.33"
    assert shapes["AKM"].name == "AKM"  # no name given: the code
    assert len(fig.legend) == 5
    assert fig.legend[0][1] == "33.33–42.67"
    assert fig.legend[-1][1] == "70.67–80.00"


def test_equal_values_still_have_a_scale() -> None:
    fig = tile_map("m", "T", load_layout("kz-2022"), {"AKM": Fraction(1, 2), "SHY": Fraction(1, 2)}, {})
    assert {s.fill for s in fig.shapes} == {PALETTE[0]}


def test_choropleth_projects_polygons_and_multipolygons_into_the_box() -> None:
    geo = parse_geojson(json.dumps(SQUARES).encode(), "squares.geojson", "iso")
    assert len(geo.polygons["A"]) == 1
    assert len(geo.polygons["B"]) == 2
    fig = choropleth("g", "Yes", geo, {"A": Fraction(1, 4), "B": Fraction(3, 4), "C": Fraction(1)}, {"A": "Alpha"})
    shapes = {s.code: s for s in fig.shapes}
    assert set(shapes) == {"A", "B"}  # C has no polygon
    assert shapes["A"].fill == PALETTE[0]
    assert shapes["B"].fill == PALETTE[3]
    assert shapes["B"].d.count("M") == 3
    assert shapes["B"].d.count("Z") == 3
    # North up, west left: A's first corner (lon 0, lat 0) is at the bottom left of a 480-wide box
    assert shapes["A"].d.startswith("M0.0,120.0L")
    xs = [float(p.split(",")[0]) for p in shapes["B"].d.replace("M", "L").replace("Z", "").split("L") if p]
    assert max(xs) == pytest.approx(480, abs=0.1)


def test_the_svg_is_accessible_and_escaped() -> None:
    fig = tile_map("map-t", "Turnout (%)", load_layout("kz-2022"), {"AKM": Fraction(7, 10)}, {"AKM": "<Akmola>"})
    html = ENV.get_template("site/_map.html.j2").render(page={"maps": [fig.context()]}, t={"unit": "Unit"})
    assert '<svg role="img" aria-label="Turnout (%)"' in html
    assert "<title>&lt;Akmola&gt;: 70.00%</title>" in html
    assert '<th scope="row">&lt;Akmola&gt;</th><td class="num">70.00</td>' in html  # the text alternative
    assert 'data-unit="AKM"' in html
    assert ">AKM</text>" in html
