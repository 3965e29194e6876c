"""Several image models and LoRA styles: two tiny pipelines of different shapes, saved and loaded
through the production loader; a LoRA with random weights."""

from __future__ import annotations

import asyncio
import gc
import weakref
from pathlib import Path
from typing import Any

import pytest

from bot.config import GenerationDefaults, ImageSettings, Limits, LoraSettings, ModelSettings
from bot.domain.options import GenerationOptions
from bot.engines.imaging import ImageGenerator
from bot.engines.pipelines import read_png_parameters
from tests.test_batching import CallSpy, worker_busy
from tests.test_imaging import options, pixels, same_pixels


@pytest.fixture(scope="module")
def two_models(image_settings: ImageSettings, tiny_sd_narrow_dir: Path) -> ImageSettings:
    narrow = ModelSettings(source=str(tiny_sd_narrow_dir), sampler="euler")
    return image_settings.model_copy(update={"models": {"narrow": narrow}})


def test_model_choice_loads_on_first_use_and_the_least_recent_leaves(
    two_models: ImageSettings, tiny_sd_dir: Path
) -> None:
    statuses: list[str | None] = []
    generator = ImageGenerator(two_models, on_status=statuses.append)
    default = tiny_sd_dir.name
    assert generator.models.resident == [default]
    assert statuses == [f"warming up image model {default}", None]
    first_unet = weakref.ref(generator.pipeline.unet)

    [narrow] = generator.generate(options(count=1, model="narrow"))
    assert statuses[2:] == ["warming up image model narrow", None]
    assert generator.models.resident == ["narrow"], "at most one resident: the default left"
    gc.collect()
    assert first_unet() is None, "the evicted model's weights are freed"
    unet = generator.models.get("narrow").pipeline.unet
    assert tuple(unet.config.block_out_channels) == (16, 32)
    parameters = read_png_parameters(narrow.png)
    assert (parameters["model"], parameters["sampler"]) == ("narrow", "euler")

    [plain] = generator.generate(options(count=1))
    assert read_png_parameters(plain.png)["model"] == default
    assert generator.models.resident == [default]
    assert not same_pixels([plain], [narrow])
    generator.close()


async def test_a_batch_never_mixes_models(two_models: ImageSettings, tiny_sd_dir: Path) -> None:
    settings = two_models.model_copy(update={"batch_jobs": 4, "max_resident_models": 2})
    generator = ImageGenerator(settings)
    calls: list[dict[str, Any]] = []
    for name in (tiny_sd_dir.name, "narrow"):
        model = generator.models.get(name)
        model.pipeline = CallSpy(model.pipeline, calls)
    jobs = [
        options(prompt="a red cat", count=1),
        options(prompt="a blue dog", count=1, model="narrow"),
        options(prompt="a green horse", count=1),
        options(prompt="a grey owl", count=1, model="narrow"),
    ]
    async with worker_busy(generator):
        tasks = [asyncio.create_task(generator.generate_async(job)) for job in jobs]
    results = await asyncio.gather(*tasks)
    assert [call["prompts"] for call in calls[1:]] == [
        ["a red cat", "a green horse"],
        ["a blue dog", "a grey owl"],
    ]
    models = [read_png_parameters(images[0].png)["model"] for images in results]
    assert models == [tiny_sd_dir.name, "narrow", tiny_sd_dir.name, "narrow"]
    assert sorted(generator.models.resident) == sorted([tiny_sd_dir.name, "narrow"])
    generator.close()


def test_a_lora_style_changes_the_pixels_and_is_recorded(
    image_settings: ImageSettings, tiny_sd_dir: Path, tiny_lora_dir: Path
) -> None:
    lora = LoraSettings(path=tiny_lora_dir)
    styled = ModelSettings(source=str(tiny_sd_dir), loras={"ink": lora}, fast_lora=lora)
    settings = image_settings.model_copy(
        update={"models": {"styled": styled}, "default_model": "styled"}
    )
    generator = ImageGenerator(settings)
    assert generator.models.resident == ["styled"]
    job = options(count=1, steps=3)
    [plain] = generator.generate(job)
    [ink] = generator.generate(job.with_changes(style="ink"))
    assert not same_pixels([plain], [ink]), "the LoRA changes the pixels"
    assert read_png_parameters(ink.png)["style"] == "ink"
    assert "style" not in read_png_parameters(plain.png)
    assert same_pixels([plain], generator.generate(job)), "switched off again"
    assert pixels(ink).shape == (64, 64, 3)

    fast = GenerationOptions.build(
        "a red cat",
        GenerationDefaults(),
        Limits(min_side=64),
        image=settings,
        fast=True,
        width=64,
        height=64,
        count=1,
        seed=1234,
    )
    [drawn] = generator.generate(fast)
    parameters = read_png_parameters(drawn.png)
    assert (parameters["fast"], parameters["sampler"], parameters["steps"]) == (True, "lcm", 4)
    generator.close()
