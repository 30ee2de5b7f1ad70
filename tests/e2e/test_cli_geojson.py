"""`saylau serve|publish --geojson FILE [--geojson-key PROP]`: the user's GeoJSON draws the region map."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient
from tests.integration.test_api_json import counting_small
from typer.testing import CliRunner

from saylau.cli.main import app
from saylau.services.context import Context

SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "maps" / "small.geojson"
runner = CliRunner()


def _geojson(tmp_path: Path, name: str, edit: Any) -> Path:
    doc = json.loads(SMALL.read_text(encoding="utf-8"))
    edit(doc)
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _shapes(html: str, fig: str) -> dict[str, str]:
    """unit -> path data of the map figure ``fig``."""
    figure = re.search(rf'<figure class="map" id="{fig}">.*?</figure>', html, re.S)
    assert figure is not None, fig
    return dict(re.findall(r'data-unit="([^"]+)"><title>[^<]*</title>\s*<path d="([^"]+)"', figure[0]))


def test_publish_draws_the_choropleth_and_records_the_map(db_url: str, ctx: Context, tmp_path: Path) -> None:
    counting_small(ctx)
    site = tmp_path / "site"
    args = ["publish", "--static", str(site), "--db", db_url, "--geojson", str(SMALL), "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["number"] == 1
    page = (site / "en" / "index.html").read_text(encoding="utf-8")
    shapes = _shapes(page, "map-turnout")
    assert set(shapes) == {"R1", "R2", "AB"}
    assert all(d.startswith("M") and "L" in d for d in shapes.values())  # polygons, not tiles ("h", "v")
    assert shapes["AB"].count("M") == 2  # the MultiPolygon
    assert set(_shapes(page, "map-yes")) == {"R1", "R2", "AB"}
    about = json.loads((site / "map.json").read_text(encoding="utf-8"))
    assert about["geojson_sha256"] == hashlib.sha256(SMALL.read_bytes()).hexdigest()
    assert about["units"] == ["AB", "R1", "R2"]
    assert "map.json" in json.loads((site / "release.json").read_text(encoding="utf-8"))["release"]["files"]
    # The same results and the same map: the same release. Another map alone: the next release.
    again = runner.invoke(app, args)
    assert (json.loads(again.stdout)["number"], json.loads(again.stdout)["created"]) == (1, False)
    other = _geojson(
        tmp_path, "iso.geojson", lambda d: [f["properties"].update(iso=f["properties"]["code"]) for f in d["features"]]
    )
    keyed = runner.invoke(app, [*args[:-3], "--geojson", str(other), "--geojson-key", "iso", "--json"])
    assert keyed.exit_code == 0, keyed.output
    assert (json.loads(keyed.stdout)["number"], json.loads(keyed.stdout)["created"]) == (2, True)
    assert json.loads((site / "map.json").read_text(encoding="utf-8"))["code_property"] == "iso"
    wrong_key = runner.invoke(app, [*args[:-3], "--geojson", str(SMALL), "--geojson-key", "iso"])
    assert wrong_key.exit_code == 1  # "T-R1" names no unit
    assert "features[0].properties.iso" in wrong_key.output
    assert "'T-R1'" in wrong_key.output


def test_a_feature_that_names_no_unit_is_an_error_a_unit_without_one_a_warning(
    db_url: str, ctx: Context, tmp_path: Path
) -> None:
    counting_small(ctx)
    unknown = _geojson(tmp_path, "unknown.geojson", lambda d: d["features"][1]["properties"].update(code="ZZ"))
    result = runner.invoke(app, ["publish", "--static", str(tmp_path / "a"), "--db", db_url, "--geojson", str(unknown)])
    assert result.exit_code == 1
    assert str(unknown) in result.output
    assert "features[1].properties.code" in result.output
    assert "'ZZ'" in result.output
    assert not (tmp_path / "a").exists()
    broken = tmp_path / "broken.geojson"
    broken.write_text("{not json", encoding="utf-8")
    result = runner.invoke(app, ["publish", "--static", str(tmp_path / "b"), "--db", db_url, "--geojson", str(broken)])
    assert result.exit_code == 1
    assert "broken.geojson" in result.output
    assert "not JSON" in result.output
    missing = runner.invoke(app, ["publish", "--static", str(tmp_path / "c"), "--db", db_url, "--geojson", "nope.json"])
    assert missing.exit_code == 1
    assert "cannot read the GeoJSON nope.json" in missing.output
    no_abroad = _geojson(tmp_path, "two.geojson", lambda d: d["features"].pop())
    result = runner.invoke(
        app, ["publish", "--static", str(tmp_path / "d"), "--db", db_url, "--geojson", str(no_abroad)]
    )
    assert result.exit_code == 0, result.output
    assert re.search(r"warning.*no feature for 1 unit\(s\) of small, not drawn: AB", " ".join(result.output.split()))
    assert set(_shapes((tmp_path / "d" / "en" / "index.html").read_text(encoding="utf-8"), "map-turnout")) == {
        "R1",
        "R2",
    }


def test_serve_uses_the_geojson(db_url: str, ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:

    counting_small(ctx)
    served: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn.Server, "run", lambda server, sockets: served.update(app=server.config.app))
    result = runner.invoke(app, ["serve", "--db", db_url, "--geojson", str(SMALL), "--port", "0"])
    assert result.exit_code == 0, result.output
    page = TestClient(served["app"]).get("/").text
    assert set(_shapes(page, "map-turnout")) == {"R1", "R2", "AB"}
    bad = _geojson(tmp_path, "bad.geojson", lambda d: d["features"][0]["properties"].pop("code"))
    served.clear()
    result = runner.invoke(app, ["serve", "--db", db_url, "--geojson", str(bad)])
    assert result.exit_code == 1
    assert "features[0].properties.code" in result.output
    assert not served  # never started
    result = runner.invoke(app, ["serve", "--db", db_url, "--geojson-key", "iso"])
    assert result.exit_code == 1
    assert "--geojson-key" in result.output
