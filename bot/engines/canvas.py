"""Geometry of upscales, zooms, pans and squares: the new size, where the picture goes, what to inpaint."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageStat

from bot.domain.errors import UserFacingError


@dataclass(frozen=True)
class Layout:
    """A canvas of ``size`` with the picture (``picture`` pixels) pasted at ``offset``."""

    size: tuple[int, int]
    picture: tuple[int, int]
    offset: tuple[int, int]

    @property
    def box(self) -> tuple[int, int, int, int]:
        (left, top), (width, height) = self.offset, self.picture
        return left, top, left + width, top + height

    def canvas(self, picture: Image.Image) -> Image.Image:
        """The picture on the canvas; the new area its mean colour (inpainting redraws it)."""
        fill = tuple(round(mean) for mean in ImageStat.Stat(picture).mean)
        canvas = Image.new("RGB", self.size, fill)
        canvas.paste(picture, self.offset)
        return canvas

    def mask(self) -> Image.Image:
        """White where the inpainting draws, black over the picture."""
        mask = Image.new("L", self.size, 255)
        mask.paste(0, self.box)
        return mask

    def paste_back(self, drawn: Image.Image, picture: Image.Image) -> Image.Image:
        """``drawn`` with the picture's own pixels put back where they were."""
        result = drawn.convert("RGB")
        result.paste(picture, self.offset)
        return result


def upscale_size(
    size: tuple[int, int], factor: float, max_side: int, multiple: int
) -> tuple[int, int]:
    """``size`` × ``factor``, scaled down to fit ``max_side``, sides rounded down to ``multiple``."""
    scale = min(factor, max_side / max(size))
    width, height = (int(side * scale) // multiple * multiple for side in size)
    if scale <= 1 or min(width, height) < multiple:
        raise UserFacingError("picture-at-max-size", max_side=max_side)
    return width, height


def zoom_layout(size: tuple[int, int], factor: float, max_side: int, multiple: int) -> Layout:
    """The picture centred on a canvas ``factor`` × larger (the picture shrinks when the canvas
    would pass ``max_side``)."""
    scale = min(1.0, max_side / (factor * max(size)))
    picture = (int(size[0] * scale), int(size[1] * scale))
    canvas = tuple(_up(side * factor, multiple) for side in picture)
    canvas = tuple(min(side, max_side // multiple * multiple) for side in canvas)
    offset = ((canvas[0] - picture[0]) // 2, (canvas[1] - picture[1]) // 2)
    return Layout(size=canvas, picture=picture, offset=offset)  # type: ignore[arg-type]


def pan_layout(
    size: tuple[int, int], direction: str, factor: float, max_side: int, multiple: int
) -> Layout:
    """The canvas grown by ``factor - 1`` of the picture towards ``direction`` (at most to
    ``max_side``), the picture on the other side."""
    width, height = size
    across = direction in ("left", "right")
    side = width if across else height
    grown = min(_up(side * factor, multiple), max_side // multiple * multiple)
    added = grown - side
    if added <= 0:
        raise UserFacingError("picture-at-max-side", max_side=max_side)
    other = _up(height if across else width, multiple)
    canvas = (grown, other) if across else (other, grown)
    centre = (other - (height if across else width)) // 2
    first = direction in ("left", "up")  # the new area comes first: the picture moves over
    offset = (added if first else 0, centre) if across else (centre, added if first else 0)
    return Layout(size=canvas, picture=size, offset=offset)


def square_layout(size: tuple[int, int], max_side: int, multiple: int) -> Layout:
    """The picture centred on a square canvas as wide as its longer side (the picture shrinks
    when that would pass ``max_side``); the short sides are drawn out to it."""
    if size[0] == size[1]:
        raise UserFacingError("picture-square")
    top = max_side // multiple * multiple
    scale = min(1.0, top / max(size))
    picture = (int(size[0] * scale), int(size[1] * scale))
    side = min(_up(max(picture), multiple), top)
    offset = ((side - picture[0]) // 2, (side - picture[1]) // 2)
    return Layout(size=(side, side), picture=picture, offset=offset)


def _up(value: float, multiple: int) -> int:
    return -(-round(value) // multiple) * multiple
