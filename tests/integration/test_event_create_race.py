"""Two creations of one event at the same moment (issue 11, a mend): the second is refused as
``duplicate_event`` (409), never a raw IntegrityError, on SQLite and PostgreSQL; nothing of it is
written, and the event the first created stays as it was."""

from __future__ import annotations

import threading

import pytest
from tests.integration.small import event_bytes

from saylau.model import Conflict
from saylau.services.context import Context
from saylau.services.paper.events import create_event
from saylau.store import EventCodeTaken
from saylau.store.repo import Tx


def _events(ctx: Context) -> list[str]:
    with ctx.store.transaction() as tx:
        return list(tx.event_codes())


def test_a_creation_that_meets_the_code_only_at_insert_is_a_duplicate_event(
    ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race made certain: the second creation's look-up misses the first's event (as it does when
    both look before either commits), and the UNIQUE on the code refuses its insert."""
    create_event(ctx, event_bytes(), "event.json")
    monkeypatch.setattr(Tx, "find_event", lambda self, code: None)
    with pytest.raises(Conflict) as err:
        create_event(ctx, event_bytes(), "again.json")
    assert err.value.code == "duplicate_event"
    assert not isinstance(err.value, EventCodeTaken)
    monkeypatch.undo()
    assert _events(ctx) == ["small"]
    with ctx.store.transaction() as tx:
        created = [r for r in tx.audit_rows("small") if r["action"] == "event.create"]
    assert [r["details"]["source"] for r in created] == ["event.json"]


def test_two_creations_at_once_one_is_kept_the_other_is_a_duplicate_event(ctx: Context) -> None:
    barrier = threading.Barrier(2)
    made: list[str] = []
    refused: list[str] = []
    errors: list[BaseException] = []

    def create(source: str) -> None:
        try:
            barrier.wait(timeout=60)
            create_event(ctx, event_bytes(), source)
            made.append(source)
        except Conflict as exc:
            refused.append(exc.code)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=create, args=(s,)) for s in ("a.json", "b.json")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert len(made) == 1
    assert refused == ["duplicate_event"]
    assert _events(ctx) == ["small"]
