"""Upscale, zoom out, pan and image prompts on the tiny random-weight pipeline, loaded
by the production loader."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from bot.config import ImageSettings, Limits
from bot.domain.options import Variation
from bot.engines.canvas import square_layout, zoom_layout
from bot.engines.imaging import ImageGenerator
from bot.engines.pictures import read_picture
from bot.engines.pipelines import read_png_parameters
from tests.support.refusals import refused
from tests.test_imaging import gradient_png, options, pixels, same_pixels

LIMITS = Limits(min_side=64, max_side=128, max_picture_bytes=200_000, max_picture_pixels=300_000)


@pytest.fixture(scope="module")
def generator(image_settings: ImageSettings):
    """Tiles the VAE above 64 px (the tiny VAE's own tile), within sides of 128 px."""
    generator = ImageGenerator(image_settings.model_copy(update={"vae_tiling_above": 64}), LIMITS)
    yield generator
    generator.close()


@pytest.fixture(scope="module")
def picture(generator: ImageGenerator) -> bytes:
    """A 64×48 picture the model drew (what the U/zoom/pan buttons start from)."""
    return generator.generate(options(count=1).with_changes(height=48))[0].png


def decoded(png: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png)) as image:
        return np.asarray(image.convert("RGB"))


def test_upscale_doubles_the_size_with_the_same_seed(
    generator: ImageGenerator, picture: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    vae = generator.pipeline.vae
    tiles: list[object] = []
    real = vae.tiled_decode
    monkeypatch.setattr(vae, "tiled_decode", lambda *a, **k: tiles.append(a) or real(*a, **k))
    job = options(count=1, steps=4, seed=77)
    upscale = Variation(picture, strength=0.35, source="job 1 U1", kind="upscale")
    [image] = generator.generate(job, variation=upscale)
    assert pixels(image).shape == (96, 128, 3)
    parameters = read_png_parameters(image.png)
    assert parameters["seed"] == 77 and image.seed == 77
    assert parameters | {"kind": "upscale", "width": 128, "height": 96} == parameters
    assert parameters["upscaled_from"] == [64, 48] and parameters["strength"] == 0.35
    assert tiles, "a picture over vae_tiling_above is decoded in tiles"
    assert not vae.use_tiling, "tiling is switched off again"
    enlarged = np.asarray(Image.fromarray(decoded(picture)).resize((128, 96)), dtype=int)
    assert np.abs(pixels(image).astype(int) - enlarged).mean() < 40, "close to the picture"
    again = generator.generate(job, variation=upscale)
    assert same_pixels([image], again)
    capped = generator.generate(job, variation=Variation(picture, 0.35, kind="upscale", factor=4))
    assert pixels(capped[0]).shape == (96, 128, 3), "capped by limits.max_side"
    big = generator.generate(job, variation=upscale)[0].png
    with refused("already as large as allowed"):
        generator.generate(job, variation=Variation(big, 0.35, kind="upscale"))


@pytest.mark.parametrize(
    ("variation", "size", "box"),
    [
        (Variation(b"", kind="zoom", factor=2.0), (128, 96), (32, 24, 96, 72)),
        (Variation(b"", kind="zoom", factor=1.5), (96, 72), (16, 12, 80, 60)),
        (Variation(b"", kind="pan", direction="left", factor=1.5), (96, 48), (32, 0, 96, 48)),
        (Variation(b"", kind="pan", direction="right", factor=1.5), (96, 48), (0, 0, 64, 48)),
        (Variation(b"", kind="pan", direction="up", factor=1.5), (64, 72), (0, 24, 64, 72)),
        (Variation(b"", kind="pan", direction="down", factor=2.0), (64, 96), (0, 0, 64, 48)),
    ],
)
def test_zoom_and_pan_keep_the_original_pixels(
    generator: ImageGenerator, picture: bytes, variation: Variation, size, box
) -> None:
    job = options(count=2, steps=3, seed=5)
    variation = Variation(
        picture,
        source="job 1",
        kind=variation.kind,
        factor=variation.factor,
        direction=variation.direction,
    )
    images = generator.generate(job, variation=variation)
    original = decoded(picture)
    left, top, right, bottom = box
    for image in images:
        drawn = pixels(image)
        assert drawn.shape == (size[1], size[0], 3)
        assert np.array_equal(drawn[top:bottom, left:right], original)
        outside = np.ones(drawn.shape[:2], bool)
        outside[top:bottom, left:right] = False
        assert drawn[outside].std() > 0, "the new area is drawn, not a flat fill"
        parameters = read_png_parameters(image.png)
        assert parameters["picture_box"] == list(box) and parameters["kind"] == variation.kind
    assert [image.seed for image in images] == [5, 6]
    assert not same_pixels(images[:1], images[1:])


def test_pan_beyond_the_limit_is_refused(generator: ImageGenerator) -> None:
    wide = generator.generate(options(count=1, width=128, height=64))[0].png
    with refused("already 128 px that way"):
        generator.generate(
            options(count=1), variation=Variation(wide, kind="pan", direction="left", factor=1.5)
        )


def jpeg_of(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()


def header_bomb(width: int, height: int) -> bytes:
    """A valid small PNG whose header claims ``width`` × ``height`` pixels."""
    data = bytearray(gradient_png(8, 8))
    header = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + header))
    return bytes(data)


def test_image_prompt_draws_from_the_users_picture(generator: ImageGenerator) -> None:
    photo = decoded(gradient_png(100, 60))
    job = options(count=1, steps=4)
    prompt = Variation(jpeg_of(photo), strength=0.6, source="image prompt")
    [image] = generator.generate(job, variation=prompt)
    assert pixels(image).shape == (64, 64, 3)
    assert not same_pixels([image], generator.generate(job))
    flipped = Variation(jpeg_of(np.ascontiguousarray(photo[:, ::-1])), strength=0.6)
    assert not same_pixels([image], generator.generate(job, variation=flipped))
    webp = io.BytesIO()
    Image.fromarray(photo).save(webp, format="WEBP")
    assert read_picture(webp.getvalue(), LIMITS).size == (100, 60)
    assert generator.generate(job, variation=Variation(webp.getvalue(), 0.6))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a not really", "not a PNG, JPEG or WebP"),
        (b"\x00" * 300_000, "over 0.191 MiB"),
        (gradient_png(600, 600), r"600×600: at most 300,000 pixels"),
        (header_bomb(5000, 5000), r"5000×5000: at most 300,000 pixels"),
        (header_bomb(100_000, 100_000), "too many pixels"),  # PIL's own bomb guard
    ],
)
def test_bad_pictures_are_refused_before_decoding(
    generator: ImageGenerator, data: bytes, message: str
) -> None:
    with refused(message):
        generator.generate(options(count=1, steps=4), variation=Variation(data, 0.6))


def test_make_square_centres_the_picture_and_refuses_a_square_one() -> None:
    layout = square_layout((96, 64), max_side=1024, multiple=8)
    assert (layout.size, layout.picture, layout.offset) == ((96, 96), (96, 64), (0, 16))
    tall = square_layout((300, 1400), max_side=1024, multiple=8)  # shrinks to fit the limit
    assert (tall.size, tall.picture, tall.offset) == ((1024, 1024), (219, 1024), (402, 0))
    with refused("already square"):
        square_layout((64, 64), max_side=1024, multiple=8)


def test_a_zoom_beyond_the_limit_shrinks_the_picture() -> None:
    layout = zoom_layout((128, 96), 2.0, max_side=128, multiple=8)
    assert (layout.size, layout.picture, layout.offset) == ((128, 96), (64, 48), (32, 24))
    assert layout.mask().getextrema() == (0, 255)
