"""What one check of ``python -m bot doctor`` found."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Literal

from bot.config import Settings

Status = Literal["ok", "warn", "FAIL", "skip"]


@dataclass(frozen=True)
class Finding:
    """One check's outcome: ``said`` what was found, ``fix`` what to do (failures, warnings)."""

    check: str
    status: Status
    said: str
    fix: str = ""


Checks = Callable[[Settings], AsyncIterator[Finding]]
"""A section of checks, each finding yielded as soon as it is known."""
