"""Migration 0014 (observer_copy) on SQLite and PostgreSQL: it creates ``observer_copy`` (and a downgrade
drops it, an upgrade recreates it), and the database enforces who a copy is from: an account or a label,
exactly one of the two."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from importlib import resources

import pytest
from alembic import command
from alembic.config import Config
from pyotp import random_base32
from sqlalchemy import insert, inspect
from sqlalchemy.exc import IntegrityError
from tests.elections import SMALL, load

from saylau.services.access.accounts import Role, create_account
from saylau.services.context import Context
from saylau.services.secret_key import SecretKey
from saylau.services.settings import DeploymentSettings
from saylau.store import Store
from saylau.store.observer_schema import observer_copy
from saylau.store.scans_repo import ScansTx

PNG = b"\x89PNG\r\n\x1a\n" + bytes(8)
SHA = "ab" * 32


def _alembic(store: Store, action: Callable[[Config, str], None], revision: str) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("saylau.store") / "migrations"))
    with store.engine.begin() as connection:
        cfg.attributes["connection"] = connection
        action(cfg, revision)


def test_the_table_comes_and_goes_with_its_revision(ctx: Context) -> None:
    assert "observer_copy" in inspect(ctx.store.engine).get_table_names()
    _alembic(ctx.store, command.downgrade, "0013")  # the audit's revision, just below
    assert "observer_copy" not in inspect(ctx.store.engine).get_table_names()
    _alembic(ctx.store, command.upgrade, "head")
    assert "observer_copy" in inspect(ctx.store.engine).get_table_names()


@pytest.mark.parametrize(
    ("account", "label"),
    [(None, None), (None, ""), ("account", "and a label")],
    ids=["nobody", "empty label", "both"],
)
def test_a_copy_is_from_an_account_or_a_label(ctx: Context, account: str | None, label: str | None) -> None:
    ctx = dataclasses.replace(ctx, settings=DeploymentSettings(secret_key=SecretKey(bytes(range(32)))))
    load(ctx, SMALL)
    with ctx.store.transaction() as tx:
        event_id = tx.find_event("small").id  # type: ignore[union-attr]
        precinct_id = tx.unit_ids(event_id)["P1"]
        ScansTx(tx).put_blob(SHA, "image/png", PNG)
    row = {
        "event_id": event_id,
        "precinct_id": precinct_id,
        "account_id": None,
        "label": label,
        "submitted_at": dt.datetime(2022, 6, 5, 21, tzinfo=dt.UTC),
        "figures": "{}",
        "figures_sha256": SHA,
        "relations_ok": True,
        "violations": "[]",
        "photo_sha256": SHA,
    }
    if account is not None:  # a real account, so that only the check can refuse the row
        made, _ = create_account(ctx, account, Role.OBSERVER, "correct horse battery staple 42", [], random_base32())
        row["account_id"] = made.id
    with pytest.raises(IntegrityError), ctx.store.engine.begin() as conn:
        conn.execute(insert(observer_copy), row)
    with ctx.store.engine.begin() as conn:  # the same row from a label alone is accepted
        conn.execute(insert(observer_copy), row | {"account_id": None, "label": "a citizen"})
