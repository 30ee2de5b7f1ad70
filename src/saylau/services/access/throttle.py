"""The throttle of failed log-ins and one-time codes: exponential back-off, shared by every worker.

Each attempt is counted against keys (the log-in name with the client address, the name alone, the
address alone; an account's one-time codes). A key's first ``free`` failures cost nothing; each further
one doubles the wait before the next attempt (``base``, 2·``base``, ... up to ``cap``): never a hard lock,
so the owner gets in after the wait, and from another address at once unless the name itself is under
attack from many addresses. A success resets the keys of the name (not the address's); a key left quiet
for ``FORGET`` starts again from nothing.

The check and the count are one step: ``reserve`` counts the attempt as a failure under the keys' row
locks, in a short write transaction committed *before* the password or code is checked; a success then
resets it. So a simultaneous burst can never be checked more often than the limit allows, and a wrong
code stays counted even when the transaction that checked it is rolled back. The back-off
itself (``backoff``, ``wait_left``) is pure and exact (``timedelta``); the clock is the caller's.

Keys are SHA-256 digests of what they count: a long name costs no more room than a short one, and
nothing is kept in a worker's memory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import json
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from saylau.model import SaylauError
from saylau.services.access.codes import AccessCode
from saylau.services.context import Context
from saylau.store.accounts_repo import ThrottleTx
from saylau.store.repo import Tx

__all__ = [
    "FORGET",
    "LOGIN_ADDRESS",
    "LOGIN_NAME",
    "LOGIN_PAIR",
    "PETITION_SIGN_ADDRESS",
    "REGISTER_CHECK_ADDRESS",
    "REGISTER_CHECK_IDENTIFIER",
    "TOTP",
    "Policy",
    "ThrottleKey",
    "TooManyAttempts",
    "backoff",
    "client_address",
    "login_keys",
    "petition_sign_keys",
    "register_check_keys",
    "reserve",
    "reserve_totp",
    "retry_seconds",
    "succeeded",
    "throttle_totp",
    "totp_keys",
    "totp_succeeded",
    "wait_left",
]

FORGET = dt.timedelta(days=1)  # a key quiet this long starts again from nothing (longer than any cap)
_FORGET_BATCH = 100  # stale rows deleted per attempt at most


@dataclass(frozen=True, slots=True)
class Policy:
    """``free`` failures without a wait; then ``base``, doubled at each further failure, at most ``cap``."""

    free: int
    base: dt.timedelta
    cap: dt.timedelta


LOGIN_PAIR = Policy(free=5, base=dt.timedelta(seconds=1), cap=dt.timedelta(minutes=15))  # one name from one address
LOGIN_NAME = Policy(free=20, base=dt.timedelta(seconds=1), cap=dt.timedelta(minutes=15))  # one name, any address
LOGIN_ADDRESS = Policy(free=50, base=dt.timedelta(seconds=1), cap=dt.timedelta(minutes=15))  # any name, one address
TOTP = Policy(free=5, base=dt.timedelta(seconds=1), cap=dt.timedelta(minutes=15))  # one account's one-time codes
# a voter's check of their own register entry (spec/register.md §8): each attempt counted, a success forgiving
# the identifier's; an address trying many identifiers waits, never a hard lock
REGISTER_CHECK_IDENTIFIER = Policy(free=5, base=dt.timedelta(seconds=2), cap=dt.timedelta(hours=1))
REGISTER_CHECK_ADDRESS = Policy(free=30, base=dt.timedelta(seconds=2), cap=dt.timedelta(hours=1))
# an online petition signature from the public page (spec/petitions.md §12): every one counted per address,
# none forgiven (a household may sign from one address; a flood waits)
PETITION_SIGN_ADDRESS = Policy(free=20, base=dt.timedelta(seconds=2), cap=dt.timedelta(hours=1))


class TooManyAttempts(SaylauError):
    """Refused before any check: wait ``retry_after`` seconds (HTTP 429 with a Retry-After header)."""

    code: str = AccessCode.TOO_MANY_ATTEMPTS

    def __init__(self, what: str, wait: dt.timedelta):
        self.retry_after = retry_seconds(wait)
        super().__init__(
            f"too many failed {what}: try again in {self.retry_after} s", details={"retry_after": self.retry_after}
        )


def retry_seconds(wait: dt.timedelta) -> int:
    """A wait in whole seconds, rounded up (at least 1), as ``Retry-After`` says it."""
    return max(1, math.ceil(wait / dt.timedelta(seconds=1)))


@dataclass(frozen=True, slots=True)
class ThrottleKey:
    digest: str  # SHA-256 hex of what the key counts
    policy: Policy
    reset_on_success: bool


def backoff(failures: int, policy: Policy) -> dt.timedelta:
    """The wait after ``failures`` counted failures: none for the free ones, then base·2^k up to cap."""
    if failures < policy.free:
        return dt.timedelta(0)
    wait = policy.base
    for _ in range(failures - policy.free):
        if wait >= policy.cap:
            break
        wait *= 2
    return min(wait, policy.cap)


def wait_left(failures: int, last: dt.datetime, now: dt.datetime, policy: Policy) -> dt.timedelta:
    """How long from ``now`` before the next attempt on a key with ``failures``, the last at ``last``."""
    if failures == 0 or now - last >= FORGET:
        return dt.timedelta(0)
    return max(dt.timedelta(0), last + backoff(failures, policy) - now)


def _digest(*parts: str) -> str:
    encoded = json.dumps(list(parts)).encode("ascii")  # unambiguous (a JSON array), ASCII whatever the name
    return hashlib.sha256(b"saylau-throttle\x00" + encoded).hexdigest()


def _counted_address(client: str) -> str:
    """What an address is counted as: an IPv4 address itself, an IPv6 one by its /64 (one host often
    holds a whole /64, so each of its addresses is not a new client); anything else as given."""
    try:
        ip = ipaddress.ip_address(client)
    except ValueError:
        return client
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def login_keys(name: str, client: str) -> tuple[ThrottleKey, ...]:
    address = _counted_address(client)
    return (
        ThrottleKey(_digest("login-pair", name, address), LOGIN_PAIR, True),
        ThrottleKey(_digest("login-name", name), LOGIN_NAME, True),
        ThrottleKey(_digest("login-address", address), LOGIN_ADDRESS, False),
    )


def register_check_keys(identifier: str, client: str) -> tuple[ThrottleKey, ...]:
    """The keys a voter's check of their own entry counts against: the identifier, and the address."""
    return (
        ThrottleKey(_digest("register-check", identifier), REGISTER_CHECK_IDENTIFIER, True),
        ThrottleKey(_digest("register-check-address", _counted_address(client)), REGISTER_CHECK_ADDRESS, False),
    )


def petition_sign_keys(client: str) -> tuple[ThrottleKey, ...]:
    """The key an online signature from the public page counts against: the address."""
    return (ThrottleKey(_digest("petition-sign-address", _counted_address(client)), PETITION_SIGN_ADDRESS, False),)


def totp_keys(account: str) -> tuple[ThrottleKey, ...]:
    return (ThrottleKey(_digest("totp", account), TOTP, True),)


def reserve(tx: Tx, keys: Sequence[ThrottleKey], now: dt.datetime) -> dt.timedelta | None:
    """Count one attempt on every key and return None; or, when a key must still wait, count nothing and
    return the longest wait. Call it in a write transaction, before the secret is checked."""
    repo = ThrottleTx(tx)
    rows = repo.lock([k.digest for k in keys], now)
    repo.forget_before(now - FORGET, _FORGET_BATCH, keep=list(rows))  # after the locks: it waits for nobody
    counted = {k.digest: (0 if now - rows[k.digest][1] >= FORGET else rows[k.digest][0]) for k in keys}
    waits = [wait_left(counted[k.digest], rows[k.digest][1], now, k.policy) for k in keys]
    longest = max(waits, default=dt.timedelta(0))
    if longest > dt.timedelta(0):
        return longest
    for key in keys:
        repo.put(key.digest, counted[key.digest] + 1, now)
    return None


def succeeded(tx: Tx, keys: Sequence[ThrottleKey]) -> None:
    """The secret was right: the attempt ``reserve`` counted, and every earlier failure, are forgiven on the
    keys that reset (the name's; not the address's, which another account's owner could otherwise reset)."""
    ThrottleTx(tx).reset([k.digest for k in keys if k.reset_on_success])


def reserve_totp(tx: Tx, account: str, now: dt.datetime) -> dt.timedelta | None:
    """``reserve`` on ``account``'s one-time codes (in the transaction that checks the code)."""
    return reserve(tx, totp_keys(account), now)


def totp_succeeded(tx: Tx, account: str) -> None:
    """The code was right: call it in the transaction that checked (and consumed) the code."""
    succeeded(tx, totp_keys(account))


def throttle_totp(
    ctx: Context, account: str, code: str | None, action: str, event: str | None, now: dt.datetime
) -> None:
    """Count one one-time-code attempt of ``account`` in a write transaction of its own, committed before
    the code is checked (a wrong code stays counted even though the transaction that checks it is rolled
    back); while the account must wait, log the refusal and raise TooManyAttempts. A blank code is no
    guess and is not counted (it is refused as missing). Call it before the transaction that checks the
    code is opened, never inside it (on SQLite it would wait for that transaction's own write lock)."""
    if not (code or "").strip():
        return
    with ctx.store.transaction(write=True) as tx:
        wait = reserve_totp(tx, account, now)
        if wait is not None:
            details = {"reason": "throttled", "retry_after": retry_seconds(wait)}
            tx.audit(event, account, action, "refused", details, now)
    if wait is not None:
        raise TooManyAttempts("one-time codes", wait)


def client_address(peer: str | None, forwarded_for: str | None, trusted: Collection[str]) -> str:
    """The client's address: the socket peer, unless the peer is a trusted proxy; then the nearest address
    in ``X-Forwarded-For`` (read from the right) that is not itself a trusted proxy. ``trusted`` holds
    addresses or networks ("10.0.0.1", "10.0.0.0/8"); with none, the header is never read."""
    networks = [ipaddress.ip_network(t, strict=False) for t in trusted]

    def is_trusted(address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in n for n in networks)

    client = peer or "?"
    if not networks or not is_trusted(client) or not forwarded_for:
        return client
    for hop in reversed([h.strip() for h in forwarded_for.split(",")]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return client  # not an address: the hop that handed it on is the last one known
        client = hop
        if not is_trusted(hop):
            return hop
    return client
