"""Zoom out and pan with a configured inpainting model: a tiny random-weight SD 1.5-style
inpainting pipeline (9-channel UNet), saved and loaded through the production loader."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError
from torch.utils.hooks import RemovableHandle

from bot.config import ImageSettings, ModelSettings
from bot.domain.options import Variation
from bot.engines.imaging import ImageGenerator
from bot.engines.pipelines import read_png_parameters
from tests.test_image_tools import LIMITS, decoded
from tests.test_imaging import options, pixels, same_pixels


def unet_inputs(generator: ImageGenerator, name: str) -> tuple[list[int], RemovableHandle]:
    """The input channels of every forward of the resident model ``name``'s UNet, as they come."""
    channels: list[int] = []
    unet = generator.models.get(name).pipeline.unet
    hook = unet.register_forward_hook(
        lambda module, args, output: channels.append(args[0].shape[1])
    )
    return channels, hook


def zoom(picture: bytes) -> Variation:
    return Variation(picture, source="job 1", kind="zoom", factor=2.0)


def test_a_zoom_out_fills_with_the_configured_inpainting_model(
    image_settings: ImageSettings, tiny_sd_dir: Path, tiny_sd_inpaint_dir: Path
) -> None:
    settings = image_settings.model_copy(
        update={"inpaint_model": str(tiny_sd_inpaint_dir), "max_resident_models": 2}
    )
    statuses: list[str | None] = []
    generator = ImageGenerator(settings, LIMITS, on_status=statuses.append)
    default, inpainter = tiny_sd_dir.name, tiny_sd_inpaint_dir.name
    [picture] = generator.generate(options(count=1).with_changes(height=48))
    assert generator.models.resident == [default], "loaded on first use, not at start"

    job = options(count=1, steps=2, seed=9)
    [image] = generator.generate(job, variation=zoom(picture.png))
    assert statuses[2:] == [f"warming up image model {inpainter}", None]
    assert generator.models.resident == [default, inpainter]
    drawn = pixels(image)
    assert drawn.shape == (96, 128, 3)
    assert np.array_equal(drawn[24:72, 32:96], decoded(picture.png)), "the picture's own pixels"
    parameters = read_png_parameters(image.png)
    assert (parameters["model"], parameters["inpaint_model"]) == (default, inpainter)
    assert parameters["picture_box"] == [32, 24, 96, 72]

    filled, hook = unet_inputs(generator, inpainter)
    plain, plain_hook = unet_inputs(generator, default)
    again = generator.generate(job, variation=zoom(picture.png))
    hook.remove()
    plain_hook.remove()
    assert filled and set(filled) == {9}, "the inpainting UNet ran, on latents + mask + picture"
    assert plain == [], "the model's own UNet did not"
    assert same_pixels([image], again) and len(statuses) == 4, "resident: not loaded again"
    generator.close()


def test_models_share_one_inpainting_model_that_leaves_like_any_model(
    image_settings: ImageSettings, tiny_sd_narrow_dir: Path, tiny_sd_inpaint_dir: Path
) -> None:
    source = str(tiny_sd_inpaint_dir)
    narrow = ModelSettings(source=str(tiny_sd_narrow_dir), inpaint_model=source)
    settings = image_settings.model_copy(
        update={"inpaint_model": source, "models": {"narrow": narrow}}
    )
    statuses: list[str | None] = []
    generator = ImageGenerator(settings, LIMITS, on_status=statuses.append)
    inpainter = tiny_sd_inpaint_dir.name
    [picture] = generator.generate(options(count=1, model="narrow").with_changes(height=48))
    job = options(count=1, steps=2)
    pan = Variation(picture.png, kind="pan", direction="left", factor=1.5)
    [panned] = generator.generate(job.with_changes(model="narrow"), variation=pan)
    assert generator.models.resident == [inpainter], "at most one resident: narrow left"
    assert pixels(panned).shape == (48, 96, 3)
    assert np.array_equal(pixels(panned)[:, 32:], decoded(picture.png))
    assert read_png_parameters(panned.png)["inpaint_model"] == inpainter
    warmed = len(statuses)
    generator.generate(job, variation=zoom(picture.png))
    assert len(statuses) == warmed, "the default model's zoom uses the same resident one"
    unet = weakref.ref(generator.models.get(inpainter).pipeline.unet)
    generator.generate(job.with_changes(model="narrow"))
    assert generator.models.resident == ["narrow"]
    gc.collect()
    assert unet() is None, "the evicted inpainting model's weights are freed"
    generator.close()


def test_the_inpaint_model_is_checked_at_start(tiny_sd_dir: Path, tiny_sd_inpaint_dir: Path):
    source = str(tiny_sd_inpaint_dir)
    settings = ImageSettings(model=str(tiny_sd_dir), inpaint_model=source)
    assert settings.inpainters == {tiny_sd_inpaint_dir.name: ModelSettings(source=source)}
    assert ImageSettings(inpaint_model="org/sd-inpainting").inpainters.keys() == {
        "org/sd-inpainting"
    }
    with pytest.raises(ValidationError, match="is not a diffusers model folder"):
        ImageSettings(inpaint_model=str(tiny_sd_dir / "unet"))
    with pytest.raises(ValidationError, match="is taken"):
        clash = {tiny_sd_inpaint_dir.name: ModelSettings(source=str(tiny_sd_dir))}
        ImageSettings(inpaint_model=source, models=clash)
    with pytest.raises(ValidationError, match="at least 1 character"):
        ModelSettings(source="x", inpaint_model="")
