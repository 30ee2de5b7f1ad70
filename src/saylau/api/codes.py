"""The stable error codes of the web layer itself (spec/formats.md §11, §15): refusals made before or
beside any use case, and the codes api/problems.py gives a request it cannot serve."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ApiCode"]


class ApiCode(StrEnum):
    """Codes raised or answered by saylau.api."""

    NO_SESSION = "no_session"  # no (valid) session cookie: log in first (reason of not_authenticated)
    CSRF = "csrf"  # a missing or wrong CSRF token (reason of forbidden)
    BAD_REQUEST = "bad_request"  # the request does not validate (its parameters or body); ``problems`` lists why
    BODY_TOO_LARGE = "body_too_large"  # the request body is over its route's limit; details.limit
    TOO_MANY_STREAMS = "too_many_streams"  # every live-stream slot is taken; details.max_streams, Retry-After
    HTTP_400 = "http_400"  # a form the web layer cannot read
    HTTP_422 = "http_422"  # a form value the web layer does not know (e.g. no such phase)
    HTTP_429 = "http_429"  # too many failed attempts (details.reason: too_many_attempts; details.retry_after)
    INTERNAL_ERROR = "internal_error"  # a bug: nothing of it is in the answer, its traceback is in the server's log
