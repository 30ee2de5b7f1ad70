"""The public page where a voter checks their own register entry (spec/register.md §8), on SQLite and
PostgreSQL: its form and token, the answer in the voter's language, the one refusal, the JSON route."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from fastapi.testclient import TestClient
from tests.integration.test_register import APPLY, iin, row, write

from saylau.api import create_app
from saylau.services.context import Context
from saylau.services.register import import_register


def test_a_voter_checks_their_entry_on_the_page_and_by_json(ctx: Context, tmp_path: Path) -> None:
    import_register(ctx, write(tmp_path, "r.csv", [row(1)]), APPLY)
    ident = iin(dt.date(1980, 3, 2), "m", 10)
    c = TestClient(create_app(ctx))
    page = c.get("/register/check?lang=ru")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token is not None
    form = {"csrf": token.group(1), "identifier": ident, "born": "1980-03-02"}
    found = c.post("/register/check?lang=ru", data=form)
    assert found.status_code == 200
    assert "P1" in found.text
    assert "в списке" in found.text
    assert "әлиев" not in found.text.lower()  # no name is ever shown
    wrong = c.post("/register/check?lang=kk", data={**form, "born": "1980-03-03"})
    assert (wrong.status_code, "Мұндай ЖСН мен туған күнге жазба жоқ." in wrong.text) == (404, True)
    assert c.post("/register/check", data={**form, "born": "March"}).status_code == 422
    assert c.post("/register/check", data={**form, "csrf": "forged"}).status_code == 403
    api = c.post("/api/register/check", json={"identifier": ident, "birth_date": "1980-03-02"})
    assert (api.status_code, api.json()) == (200, {"precinct": "P1", "status": "active"})
    assert (
        c.post("/api/register/check", json={"identifier": ident, "birth_date": "1980-03-02", "x": 1}).status_code == 422
    )
