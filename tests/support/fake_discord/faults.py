"""Faults a test injects at the REST boundary: an error status (5xx, 429 with its wait, any code)
or a request held unanswered, for the next N requests that match a method and a path."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass


@dataclass
class Fault:
    """Answers matching requests instead of the fake's Discord (or holds them)."""

    method: str
    """``GET``, ``POST``… or ``*``."""
    path: str
    """A glob over the path after the API base: ``/channels/*/messages*``, ``/webhooks/*``,
    ``/interactions/*/callback``."""
    status: int = 500
    code: int = 0
    message: str = "Internal Server Error"
    retry_after: float = 1.0
    """429 only: the seconds Discord asks the client to wait (body and headers)."""
    is_global: bool = False
    """429 only: a global rate limit (``X-RateLimit-Global``, ``"global": true``)."""
    hang: float | None = None
    """Hold the request this many seconds, then drop the connection without an answer (a
    timeout as the client sees it); None: answer with ``status`` at once."""
    times: int | None = 1
    """How many requests it answers; None: every one until it is removed."""
    hits: int = 0
    """How many requests it has answered so far."""

    @property
    def spent(self) -> bool:
        return self.times is not None and self.hits >= self.times

    def matches(self, method: str, path: str) -> bool:
        return (
            not self.spent and self.method in (method, "*") and fnmatch.fnmatchcase(path, self.path)
        )

    @property
    def label(self) -> str:
        kind = f"hang {self.hang:g}s" if self.hang is not None else str(self.status)
        return f"{kind} {self.method} {self.path}"

    def body(self) -> dict[str, object]:
        if self.status == 429:
            return {
                "message": "You are being rate limited.",
                "retry_after": self.retry_after,
                "global": self.is_global,
                "code": self.code,
            }
        return {"message": self.message, "code": self.code}

    def headers(self) -> dict[str, str]:
        """What Discord sends with a 429 (discord.py treats a 429 without ``Via`` as a
        Cloudflare ban and gives up)."""
        if self.status != 429:
            return {}
        headers = {
            "Via": "1.1 google",
            "Retry-After": str(max(1, round(self.retry_after))),
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset-After": f"{self.retry_after:.3f}",
            "X-RateLimit-Bucket": "fake-" + self.path,
            "X-RateLimit-Scope": "global" if self.is_global else "user",
        }
        if self.is_global:
            headers["X-RateLimit-Global"] = "true"
        return headers


class Faults:
    """The faults in force, first added first served."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> Fault:
        self._faults.append(fault)
        return fault

    def clear(self) -> None:
        self._faults.clear()

    def take(self, method: str, path: str) -> Fault | None:
        """The fault that answers this request (counted as a hit), or None."""
        for fault in self._faults:
            if fault.matches(method, path):
                fault.hits += 1
                if fault.spent:
                    self._faults.remove(fault)
                return fault
        return None
