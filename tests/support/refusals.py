"""Refusals as a user reads them: a :class:`UserFacingError` rendered from the English catalog."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from bot.domain.errors import UserFacingError
from cogs.i18n.catalog import render


def english(error: UserFacingError) -> str:
    return render(error.message, "en-US")


@contextmanager
def refused(match: str) -> Iterator[pytest.ExceptionInfo[UserFacingError]]:
    """Like ``pytest.raises(UserFacingError, match=...)``, matched against the English text."""
    with pytest.raises(UserFacingError) as caught:
        yield caught
    said = english(caught.value)
    assert re.search(match, said), f"{match!r} not in {said!r}"
