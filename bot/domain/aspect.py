"""Aspect ratios: the width and height that keep a model's native pixel count (pure arithmetic)."""

from __future__ import annotations

import math

from bot.config import Limits
from bot.domain.errors import UserFacingError

ASPECTS = ("1:1", "4:3", "3:4", "3:2", "2:3", "16:9", "9:16", "21:9", "9:21")
"""The ratios a job may ask for (width:height); landscape and portrait forms."""
SHAPES = {"square": ("1:1", 1.0), "portrait": ("2:3", 1.5), "landscape": ("3:2", 1.5)}
"""``/imagine size``: an aspect and how many native pixels (portrait on SD 1.5: 512×768)."""


def aspect_size(
    aspect: str, native: tuple[int, int], limits: Limits, multiple: int = 8
) -> tuple[int, int]:
    """The (width, height) of ``aspect`` with about ``native``'s pixel count, each side a multiple
    of ``multiple`` within ``limits`` (a side that would leave them scales both down or up)."""
    if aspect not in ASPECTS:
        raise UserFacingError("bad-one-of", option="aspect", known=", ".join(ASPECTS), value=aspect)
    across, down = (int(part) for part in aspect.split(":"))
    return ratio_size((across, down), native, limits, multiple)


def ratio_size(
    ratio: tuple[int, int], native: tuple[int, int], limits: Limits, multiple: int = 8
) -> tuple[int, int]:
    """The (width, height) of ``ratio`` (across, down) as :func:`aspect_size` gives them."""
    across, down = ratio
    pixels = native[0] * native[1]
    width, height = math.sqrt(pixels * across / down), math.sqrt(pixels * down / across)
    low = math.ceil(limits.min_side / multiple) * multiple
    high = limits.max_side // multiple * multiple
    if low > high:
        raise UserFacingError("aspect-no-side", multiple=multiple)
    shrink = min(1.0, high / max(width, height))
    grow = max(1.0, low / min(width, height))
    scale = shrink if shrink < 1 else grow
    return _side(width * scale, multiple, low, high), _side(height * scale, multiple, low, high)


def _side(value: float, multiple: int, low: int, high: int) -> int:
    return min(high, max(low, round(value / multiple) * multiple))
