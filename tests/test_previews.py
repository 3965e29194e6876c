"""Live previews in the image engine: the families' linear latent → RGB maps, FLUX's packed
latents, a tiny autoencoder loaded once (and the map when it cannot be), the 5 % budget, grids,
batches where each job gets its own pictures, and no preview that the safety checker flags."""

from __future__ import annotations

import asyncio
import io
import logging
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from bot.config import ImageSettings, ModelSettings
from bot.domain.families import FAMILIES
from bot.domain.options import GenerationOptions
from bot.engines.imaging import ImageGenerator
from bot.engines.previews import (
    BUDGET,
    PREVIEW_SIDE,
    LatentDecoder,
    Previews,
    grid,
    load_decoder,
    unpack,
)
from tests.support.tiny_families import FAMILIES as TINY
from tests.support.tiny_families import TinyModels

SD15 = FAMILIES["sd15"]


def build_tiny_taesd(folder: Path, latent_channels: int = 4) -> None:
    """A random-weight ``AutoencoderTiny`` of TAESD's layout (8× up), a few channels wide."""
    from diffusers import AutoencoderTiny

    torch.manual_seed(3)
    AutoencoderTiny(
        encoder_block_out_channels=(8, 8, 8, 8),
        decoder_block_out_channels=(8, 8, 8, 8),
        num_encoder_blocks=(1, 1, 1, 1),
        num_decoder_blocks=(1, 1, 1, 1),
        latent_channels=latent_channels,
    ).save_pretrained(folder)


@pytest.fixture(scope="session")
def tiny_taesd_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tiny-taesd")
    build_tiny_taesd(folder)
    return folder


def jpeg(data: bytes) -> Image.Image:
    picture = Image.open(io.BytesIO(data))
    assert picture.format == "JPEG"
    return picture.convert("RGB")


def test_the_linear_map_gives_each_channel_its_colour() -> None:
    decoder = LatentDecoder(SD15.preview)
    latents = torch.zeros(2, 4, 8, 8)
    latents[0, 0] = 1.0  # channel 0 alone: the colour of its row, from -1…1 to 0…255
    [first, second] = decoder.pictures(latents, (64, 64))
    expected = [round((value + 1) / 2 * 255) for value in SD15.preview.latent_rgb[0]]
    assert first.size == (8, 8) and list(first.getpixel((3, 3))) == expected
    assert second.getpixel((0, 0)) == (128, 128, 128)  # zero latents: grey


@pytest.mark.parametrize("family", list(FAMILIES))
def test_every_family_has_a_linear_map_for_its_latent_channels(family: str) -> None:
    preview = FAMILIES[family].preview
    channels = 16 if family in ("sd3", "flux") else 4
    assert len(preview.latent_rgb) == channels and all(len(row) == 3 for row in preview.latent_rgb)
    assert preview.packed == (family == "flux")


def test_flux_latents_are_unpacked_as_its_pipeline_unpacks_them() -> None:
    from diffusers import FluxPipeline

    packed = torch.randn(2, (48 // 16) * (80 // 16), 64)  # 80×48 pixels: 2×2 patches of 16 ch
    ours = unpack(packed, (80, 48))
    theirs = FluxPipeline._unpack_latents(packed, 48, 80, 8)
    assert ours.shape == (2, 16, 6, 10) and torch.equal(ours, theirs)
    pictures = LatentDecoder(FAMILIES["flux"].preview).pictures(packed, (80, 48))
    assert [picture.size for picture in pictures] == [(10, 6), (10, 6)]


def test_a_sigma_scaled_sampler_is_brought_back_to_unit_noise() -> None:
    from diffusers import EulerDiscreteScheduler

    scheduler = EulerDiscreteScheduler()
    scheduler.set_timesteps(10)
    scheduler._step_index = 0  # the first step: σ ≈ 14.6
    noisy = torch.randn(1, 4, 8, 8) * float(scheduler.sigmas[0])
    decoder = LatentDecoder(SD15.preview)
    raw = np.asarray(decoder.pictures(noisy, (64, 64))[0])
    unit = np.asarray(decoder.pictures(noisy, (64, 64), scheduler)[0])
    assert saturated(raw) > 0.5 > saturated(unit)


def saturated(pixels: np.ndarray) -> float:
    """The share of colour values clipped to black or white."""
    return float(np.mean((pixels == 0) | (pixels == 255)))


def test_a_tiny_autoencoder_is_loaded_once_per_model_and_decodes_at_full_size(
    tiny_taesd_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = ImageSettings(local_files_only=True)
    model = ModelSettings(source="unused", preview_decoder=str(tiny_taesd_dir))
    decoder = load_decoder(settings, model, SD15, "cpu", torch.float32)
    assert decoder.kind == "tiny autoencoder" and decoder.rate > 0  # measured at load
    [picture] = decoder.pictures(torch.randn(1, 4, 8, 12), (96, 64))
    assert picture.size == (96, 64)
    with caplog.at_level(logging.WARNING):
        missing = ModelSettings(source="unused", preview_decoder=str(tiny_taesd_dir / "nope"))
        assert load_decoder(settings, missing, SD15, "cpu", torch.float32).kind == "linear"
        sd3 = ModelSettings(source="unused", preview_decoder=str(tiny_taesd_dir))
        assert load_decoder(settings, sd3, FAMILIES["sd3"], "cpu", torch.float32).kind == "linear"
    assert "could not be loaded" in caplog.text and "decodes 4 latent channels" in caplog.text
    plain = ModelSettings(source="unused")
    assert load_decoder(settings, plain, SD15, "cpu", torch.float32).kind == "linear"


def test_previews_come_every_interval_and_stay_within_the_budget() -> None:
    decoder = LatentDecoder(SD15.preview)
    previews = Previews(decoder, interval=2.0)
    start = previews.started
    assert not previews.due(start + 1.0, 64)  # not before the interval
    assert previews.due(start + 2.0, 64)
    previews.spent = 0.2  # 0.2 s of previews: due again only once 4 s were drawn
    assert not previews.due(start + 3.9, 64) and previews.due(start + 0.2 / BUDGET, 64)
    decoder.measured(0.3, 1000)  # the next one is expected to cost 0.3 s more: 10 s drawn
    assert not previews.due(start + 9.9, 1000) and previews.due(start + 0.5 / BUDGET, 1000)
    previews.failed = True
    assert not previews.due(start + 100, 64)


def test_a_grid_shows_every_picture_in_its_place_within_the_preview_side() -> None:
    red, blue = Image.new("RGB", (64, 48), (255, 0, 0)), Image.new("RGB", (64, 48), (0, 0, 255))
    sheet = jpeg(grid({0: red, 3: blue}, count=4))  # 2×2, pictures 1 and 2 not drawn yet
    assert max(sheet.size) == PREVIEW_SIDE and sheet.size == (384, 288)
    assert sheet.getpixel((96, 72))[0] > 200 and sheet.getpixel((288, 216))[2] > 200
    assert max(sheet.getpixel((288, 72))) < 60  # empty cell
    assert jpeg(grid({0: red}, count=1)).size == (384, 288)


def drawing(steps: int = 12, count: int = 2, **changes: object) -> GenerationOptions:
    values = {"prompt": "a red cat", "seed": 3, "steps": steps, "count": count}
    values |= {"width": 64, "height": 64, "guidance": 7.0}
    return GenerationOptions(**(values | changes))  # type: ignore[arg-type]


def previewing_settings(model: Path, **more: object) -> ImageSettings:
    """The tiny model on the CPU, a preview due after every step (the budget still applies)."""
    values = {"device": "cpu", "dtype": "float32", "local_files_only": True}
    return ImageSettings(model=str(model), preview_seconds=1e-9, **values, **more)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def previewing(tiny_sd_dir: Path):
    """A generator making a preview after every step (no interval; the budget still applies)."""
    generator = ImageGenerator(previewing_settings(tiny_sd_dir, batch_jobs=2))
    yield generator
    generator.close()


def test_a_draw_hands_its_job_distinct_previews_and_the_same_pictures(
    previewing: ImageGenerator, image_generator: ImageGenerator, monkeypatch
) -> None:
    monkeypatch.setattr("bot.engines.previews.BUDGET", 10.0)  # every step: a test of the path
    shown: list[bytes] = []
    images = previewing.generate(drawing(), on_preview=shown.append)
    assert len(set(shown)) >= 2
    assert all(jpeg(data).size == (PREVIEW_SIDE, PREVIEW_SIDE // 2) for data in shown)  # 2 × 1
    unseen = image_generator.generate(drawing())
    assert [image.png for image in images] == [image.png for image in unseen]  # nothing changed


@pytest.mark.parametrize("family", TINY)
def test_every_family_draws_with_previews_of_its_tiny_autoencoder_and_the_same_pictures(
    family: str, tiny_models: TinyModels, tmp_path: Path, monkeypatch
) -> None:
    """Each family's latents (FLUX's packed, SD3's and FLUX's 16 channels) on a picture wider
    than tall, through a tiny autoencoder of the family's channels: previews of the grid's
    shape, and pictures equal to those drawn without previews."""
    monkeypatch.setattr("bot.engines.previews.BUDGET", 10.0)
    build_tiny_taesd(tmp_path, latent_channels=len(FAMILIES[family].preview.latent_rgb))
    generator = ImageGenerator(
        previewing_settings(tiny_models[family], preview_decoder=str(tmp_path))
    )
    try:
        assert generator.models.get(generator.model_name).decoder.kind == "tiny autoencoder"
        wide = drawing(steps=3, width=80, height=48)
        shown: list[bytes] = []
        images = generator.generate(wide, on_preview=shown.append)
        assert len(set(shown)) >= 2
        sheet = (PREVIEW_SIDE, round(48 * PREVIEW_SIDE / (2 * 80)))  # two 80×48 side by side
        assert all(jpeg(data).size == sheet for data in shown)
        unseen = generator.generate(wide)
        assert [image.png for image in images] == [image.png for image in unseen]
    finally:
        generator.close()


def test_batched_jobs_each_get_a_preview_of_their_own_pictures(
    previewing: ImageGenerator, monkeypatch
) -> None:
    monkeypatch.setattr("bot.engines.previews.BUDGET", 10.0)
    mine: list[bytes] = []
    theirs: list[bytes] = []

    async def both() -> None:
        await asyncio.gather(
            previewing.generate_async(drawing(count=1), on_preview=mine.append),
            previewing.generate_async(drawing(count=3, seed=9), on_preview=theirs.append),
            previewing.generate_async(drawing(count=1, seed=5)),  # wants none
        )

    asyncio.run(both())
    assert mine and theirs
    assert jpeg(mine[-1]).size == (PREVIEW_SIDE, PREVIEW_SIDE)  # one picture
    assert jpeg(theirs[-1]).size == (PREVIEW_SIDE, PREVIEW_SIDE)  # 2×2 grid of 3 (one empty)
    assert max(jpeg(theirs[-1]).getpixel((300, 300))) < 60


def test_no_preview_passes_a_checker_that_flags_the_picture(tiny_sd_nsfw_dir: Path, monkeypatch):
    monkeypatch.setattr("bot.engines.previews.BUDGET", 10.0)
    generator = ImageGenerator(previewing_settings(tiny_sd_nsfw_dir))
    try:
        shown: list[bytes] = []
        images = generator.generate(drawing(), on_preview=shown.append, preview_check=True)
        assert shown == [] and all(image.nsfw for image in images)
        unchecked: list[bytes] = []
        generator.generate(drawing(), on_preview=unchecked.append, safety_check=False)
        assert unchecked  # the same draw, where nothing would be hidden
    finally:
        generator.close()
