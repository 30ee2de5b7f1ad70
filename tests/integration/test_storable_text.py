"""Texts no engine can store are refused as input errors on both engines (store.db): a NUL character,
which PostgreSQL refuses, and a lone surrogate, which has no UTF-8; a one-time code in full-width digits
is a wrong code, not a TypeError. On main the first two were a driver error or UnicodeEncodeError (500)."""

from __future__ import annotations

import dataclasses

import pytest

from saylau.model import InputError
from saylau.services.access.accounts import AccessDenied, Role, create_account, login, require_totp
from saylau.services.context import Context
from saylau.services.secret_key import SecretKey
from saylau.services.settings import DeploymentSettings

KEY = SecretKey(bytes(range(32)))
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXA"


@pytest.mark.parametrize("name", ["a\x00b", "\ud800", "x\udfff"])
def test_a_text_no_engine_can_store_is_an_input_error(ctx: Context, name: str) -> None:
    with pytest.raises(InputError) as info:
        login(ctx, name, "a password of some length", "token", "csrf")
    assert [p.rule for p in info.value.problems] == ["storable_text"]
    with ctx.store.transaction() as tx:  # the refused transaction left nothing behind
        assert tx.audit_rows(None) == []
    with pytest.raises(InputError), ctx.store.transaction() as tx:
        tx.audit(None, "official", "test", "ok", {"note": "\ud83d"}, ctx.clock())


@pytest.mark.parametrize("code", ["１２３４５６", "٠١٢٣٤٥", "²²²²²²", "12345\x00"])
def test_a_one_time_code_is_six_ascii_digits(ctx: Context, code: str) -> None:
    ctx = dataclasses.replace(ctx, settings=DeploymentSettings(secret_key=KEY))
    account, _ = create_account(ctx, "cen", Role.CENTRAL, "correct horse battery", [], SECRET)
    with pytest.raises(AccessDenied) as info:
        require_totp(ctx, account, code, "phase.change", None)
    assert info.value.code == "totp_required"
