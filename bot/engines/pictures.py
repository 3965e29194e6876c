"""Pictures users hand in (image prompts, variations): checked from their header before decoding.

PIL's ``Image.open`` reads only the header; the size, the pixel count and the format are checked
then, so a decompression bomb (a small file that decodes to a huge bitmap) is refused before any
pixel is decoded. PIL's own bomb guard (``DecompressionBombWarning``) is turned into a refusal too.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

from PIL import Image, ImageOps, UnidentifiedImageError

from bot.config import Limits
from bot.domain.errors import UserFacingError

FORMATS = ("PNG", "JPEG", "WEBP")


def read_picture(data: bytes, limits: Limits) -> Image.Image:
    """The picture decoded to RGB (EXIF orientation applied); :class:`UserFacingError` when it is
    not a PNG, JPEG or WebP, or is over ``limits.max_picture_bytes`` / ``max_picture_pixels``
    (checked from its header, before decoding)."""
    with _opened(data, limits) as image:
        try:
            return ImageOps.exif_transpose(image).convert("RGB")
        except OSError as error:  # truncated or corrupt pixel data
            raise UserFacingError("picture-unreadable") from error


def fit_picture(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """``image`` at ``size``: cropped to its aspect (centred), then resized."""
    if image.size == size:
        return image
    return ImageOps.fit(image, size, Image.Resampling.LANCZOS)


@contextmanager
def _opened(data: bytes, limits: Limits) -> Iterator[Image.Image]:
    if len(data) > limits.max_picture_bytes:
        mib = limits.max_picture_bytes / 2**20
        raise UserFacingError("picture-too-big", limit_mib=mib)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=FORMATS) as image:
                width, height = image.size
                if width * height > limits.max_picture_pixels or not width or not height:
                    raise UserFacingError(
                        "picture-too-many-pixels",
                        width=str(width),
                        height=str(height),
                        limit=limits.max_picture_pixels,
                    )
                yield image
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise UserFacingError("picture-bomb") from error
    except UnidentifiedImageError as error:
        raise UserFacingError("picture-not-a-picture") from error
    except OSError as error:
        raise UserFacingError("picture-unreadable") from error
