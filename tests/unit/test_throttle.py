"""The throttle's pure parts: the back-off (exact, never a hard lock), the wait left, the keys (bounded,
unambiguous) and the client address (X-Forwarded-For read only from a trusted proxy)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from saylau.services.access.throttle import (
    FORGET,
    LOGIN_PAIR,
    Policy,
    backoff,
    client_address,
    login_keys,
    retry_seconds,
    totp_keys,
    wait_left,
)

S = dt.timedelta(seconds=1)
P = Policy(free=3, base=2 * S, cap=60 * S)
T0 = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)


def test_the_free_failures_cost_nothing_then_each_one_doubles_the_wait_up_to_the_cap() -> None:
    assert [backoff(n, P) for n in range(10)] == [
        dt.timedelta(0),
        dt.timedelta(0),
        dt.timedelta(0),
        2 * S,
        4 * S,
        8 * S,
        16 * S,
        32 * S,
        60 * S,
        60 * S,
    ]
    assert backoff(10**9, P) == 60 * S  # no overflow, never more than the cap: back-off, not a lock


@given(st.integers(min_value=0, max_value=10_000))
def test_the_wait_grows_with_the_failures_and_is_bounded(n: int) -> None:
    assert backoff(n, LOGIN_PAIR) <= backoff(n + 1, LOGIN_PAIR) <= LOGIN_PAIR.cap


def test_the_wait_left_runs_from_the_last_failure_and_a_quiet_key_is_forgotten() -> None:
    assert wait_left(0, T0, T0, P) == dt.timedelta(0)
    assert wait_left(2, T0, T0, P) == dt.timedelta(0)
    assert wait_left(4, T0, T0 + S, P) == 3 * S
    assert wait_left(4, T0, T0 + 4 * S, P) == dt.timedelta(0)
    assert wait_left(10**6, T0, T0 + FORGET, P) == dt.timedelta(0)
    assert retry_seconds(dt.timedelta(milliseconds=1)) == 1
    assert retry_seconds(dt.timedelta(seconds=2, microseconds=1)) == 3


def test_keys_are_bounded_digests_distinct_per_name_address_and_purpose() -> None:
    long = login_keys("x" * 100_000, "10.0.0.1")
    assert all(len(k.digest) == 64 for k in long)
    a = login_keys("a,b", "c")
    b = login_keys("a", "b,c")
    assert a[0].digest != b[0].digest  # the name and the address are not just joined
    assert len({k.digest for k in (*a, *login_keys("a,b", "d"), *totp_keys("a,b"))}) == 6  # the name key is shared
    assert [k.reset_on_success for k in a] == [True, True, False]
    same = [login_keys("a", x)[2].digest for x in ("2001:db8::1", "2001:db8::ffff:1", "2001:db8:0:0:1::9")]
    assert len(set(same)) == 1  # an IPv6 client is counted by its /64
    assert login_keys("a", "2001:db8:0:1::1")[2].digest != same[0]
    assert login_keys("a", "::ffff:10.0.0.1")[2].digest == login_keys("a", "10.0.0.1")[2].digest


def test_x_forwarded_for_is_read_only_from_a_trusted_proxy() -> None:
    assert client_address("10.0.0.9", "1.2.3.4", ()) == "10.0.0.9"
    assert client_address("10.0.0.9", "1.2.3.4", ("10.0.0.1",)) == "10.0.0.9"
    assert client_address("10.0.0.1", "1.2.3.4", ("10.0.0.1",)) == "1.2.3.4"
    assert client_address("10.0.0.1", "6.6.6.6, 1.2.3.4", ("10.0.0.1",)) == "1.2.3.4"  # the client's lie is left
    assert client_address("10.0.0.1", "6.6.6.6, 1.2.3.4, 10.0.0.2", ("10.0.0.0/24",)) == "1.2.3.4"
    assert client_address("10.0.0.1", "not an address", ("10.0.0.1",)) == "10.0.0.1"
    assert client_address("10.0.0.1", None, ("10.0.0.1",)) == "10.0.0.1"
    assert client_address("::1", "2001:db8::5", ("::1",)) == "2001:db8::5"
    assert client_address("testclient", "1.2.3.4", ("10.0.0.1",)) == "testclient"
    assert client_address(None, "1.2.3.4", ()) == "?"
