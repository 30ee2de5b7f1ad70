"""The deployment's settings, injected by ``cli``/``api`` through the Context (never read from the
environment here): the secret key that seals TOTP secrets, the policy for protocol scans, and the proxies
whose ``X-Forwarded-For`` names the client (none by default: the socket peer is the client)."""

from __future__ import annotations

from dataclasses import dataclass, field

from saylau.services.secret_key import SecretKey, SecretKeyError

__all__ = ["DEFAULT_SCAN_MAX_BYTES", "DeploymentSettings", "ScanPolicy"]

DEFAULT_SCAN_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ScanPolicy:
    """The largest scan accepted (default 20 MiB), and whether a protocol keyed through the entry form
    must come with its scan (default: optional; the law asks for the signed paper, not for its scan)."""

    max_bytes: int = DEFAULT_SCAN_MAX_BYTES
    required: bool = False


@dataclass(frozen=True, slots=True)
class DeploymentSettings:
    secret_key: SecretKey | None = field(default=None, repr=False)
    scans: ScanPolicy = field(default_factory=ScanPolicy)
    trusted_proxies: tuple[str, ...] = ()  # addresses or networks (``serve --trusted-proxy``)

    def require_key(self) -> SecretKey:
        """The secret key, or a clear error naming how to give one."""
        if self.secret_key is None:
            raise SecretKeyError(
                "no secret key is configured, so one-time-code (TOTP) secrets can be neither stored nor read: "
                "set SAYLAU_SECRET_KEY or give --key-file (make a key with `saylau user keygen`)",
                code="secret_key_missing",
            )
        return self.secret_key
