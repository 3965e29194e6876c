"""Every family through the image engine, on tiny random-weight pipelines of its real layout
loaded by the production loader: the same list for SD 1.5, SDXL, SD3 and FLUX.1 (text to image,
variations, image prompts, upscales at exactly 2×, zoom out, pan, negative prompts, a LoRA style,
the fast mode, every sampler the family can use, cancelling, batching, the PNG's parameters)."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from bot.config import (
    FastLoraSettings,
    GenerationDefaults,
    ImageSettings,
    Limits,
    LoraSettings,
    ModelSettings,
)
from bot.domain.errors import UserFacingError
from bot.domain.families import FAMILIES
from bot.domain.options import GenerationOptions, Variation
from bot.engines.imaging import ImageGenerator, JobCancelled
from bot.engines.pipelines import read_png_parameters
from tests.support.tiny_diffusion import build_random_lora
from tests.support.tiny_families import FAMILIES as TINY
from tests.support.tiny_families import TinyModels
from tests.test_image_tools import decoded
from tests.test_imaging import assert_same_up_to_rounding, gradient_png, pixels, same_pixels

LIMITS = Limits(min_side=64, max_side=128)
DEFAULTS = GenerationDefaults(width=64, height=64)


@pytest.fixture(scope="module", params=TINY)
def family(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def settings(family: str, tiny_models: TinyModels, tmp_path_factory) -> ImageSettings:
    """The family's tiny model as ``tiny`` (64 px, 3 steps), with a LoRA style ``ink`` and a
    fast LoRA (the same random LoRA: what counts is that each loads and changes the drawing)."""
    folder = tiny_models[family]
    lora = tmp_path_factory.mktemp(f"lora-{family}")
    build_random_lora(folder, lora)
    tiny = ModelSettings(
        source=str(folder),
        width=64,
        height=64,
        steps=3,
        loras={"ink": LoraSettings(path=lora)},
        fast_lora=FastLoraSettings(path=lora, steps=2),
    )
    return ImageSettings(
        model=str(folder),
        device="cpu",
        dtype="float32",
        local_files_only=True,
        models={"tiny": tiny},
        default_model="tiny",
    )


@pytest.fixture(scope="module")
def generator(settings: ImageSettings):
    generator = ImageGenerator(settings, LIMITS)
    yield generator
    generator.close()


def build(settings: ImageSettings, **options: object) -> GenerationOptions:
    values = {"seed": 7, "count": 1, "model": "tiny"} | options
    return GenerationOptions.build("a red cat", DEFAULTS, LIMITS, image=settings, **values)


def test_the_family_is_recognised_and_its_defaults_apply(
    family: str, generator: ImageGenerator, settings: ImageSettings
) -> None:
    model = generator.models.get("tiny")
    assert model.family.name == family
    options = build(settings)
    expected = FAMILIES[family]
    assert options.sampler == "" and options.steps == 3
    assert options.guidance == (expected.guidance if expected.guidance is not None else 7.0)


def test_text_to_image_size_seeds_and_png_parameters(
    generator: ImageGenerator, settings: ImageSettings
) -> None:
    images = generator.generate(build(settings, count=2, width=64, height=96))
    assert [pixels(image).shape for image in images] == [(96, 64, 3)] * 2
    assert [image.seed for image in images] == [7, 8]
    assert not same_pixels(images[:1], images[1:])
    again = generator.generate(build(settings, count=1, seed=8, width=64, height=96))
    assert_same_up_to_rounding(again, images[1:])  # any image can be drawn again alone
    parameters = read_png_parameters(images[0].png)
    assert (parameters["model"], parameters["seed"], parameters["prompt"]) == (
        "tiny",
        7,
        "a red cat",
    )
    assert (parameters["width"], parameters["height"]) == (64, 96)
    assert parameters["sampler"] == type(generator.models.get("tiny").base_scheduler).__name__


def test_variations_and_image_prompts_draw_every_image_at_the_jobs_size(
    generator: ImageGenerator, settings: ImageSettings
) -> None:
    [picture] = generator.generate(build(settings))
    varied = generator.generate(
        build(settings, count=2, seed=3), variation=Variation(picture.png, strength=0.6)
    )
    assert [pixels(image).shape for image in varied] == [(64, 64, 3)] * 2
    assert not same_pixels(varied[:1], varied[1:])
    prompt = Variation(gradient_png(80, 48), strength=0.5, source="image prompt")
    [drawn] = generator.generate(build(settings, width=64, height=96), variation=prompt)
    assert pixels(drawn).shape == (96, 64, 3)
    assert read_png_parameters(drawn.png)["strength"] == 0.5
    [stronger] = generator.generate(
        build(settings, width=64, height=96), variation=Variation(prompt.image, strength=1.0)
    )
    assert not same_pixels([drawn], [stronger]), "the strength changes the drawing"


def test_upscale_is_exactly_twice_the_size_with_the_same_seed(
    generator: ImageGenerator, settings: ImageSettings
) -> None:
    [picture] = generator.generate(build(settings))
    upscale = Variation(picture.png, strength=0.35, kind="upscale", factor=2.0)
    [big] = generator.generate(build(settings, steps=3), variation=upscale)
    assert pixels(big).shape == (128, 128, 3)
    parameters = read_png_parameters(big.png)
    assert (parameters["upscaled_from"], parameters["width"]) == ([64, 64], 128)


@pytest.mark.parametrize(
    ("variation", "shape", "kept"),
    [
        (dict(kind="zoom", factor=2.0), (128, 128, 3), np.s_[32:96, 32:96]),
        (dict(kind="pan", direction="right", factor=1.5), (64, 96, 3), np.s_[:, :64]),
    ],
)
def test_zoom_out_and_pan_inpaint_around_the_picture(
    generator: ImageGenerator, settings: ImageSettings, variation, shape, kept
) -> None:
    [picture] = generator.generate(build(settings))
    [grown] = generator.generate(build(settings), variation=Variation(picture.png, **variation))
    drawn = pixels(grown)
    assert drawn.shape == shape
    assert np.array_equal(drawn[kept], decoded(picture.png)), "the picture's own pixels"
    assert drawn[kept].shape != drawn.shape and drawn.std() > 0


def test_negative_prompt_style_and_fast_mode_change_the_drawing(
    family: str, generator: ImageGenerator, settings: ImageSettings
) -> None:
    guidance = 5.0 if FAMILIES[family].guidance_kind == "cfg" else None
    [plain] = generator.generate(build(settings, guidance=guidance))
    [negative] = generator.generate(build(settings, guidance=guidance, negative_prompt="a dog"))
    assert not same_pixels([plain], [negative]), "the negative prompt is used"
    assert read_png_parameters(negative.png)["negative_prompt"] == "a dog"
    [ink] = generator.generate(build(settings, guidance=guidance, style="ink"))
    assert not same_pixels([plain], [ink]) and read_png_parameters(ink.png)["style"] == "ink"
    assert same_pixels([plain], generator.generate(build(settings, guidance=guidance)))
    fast = build(settings, fast=True)
    assert (fast.steps, fast.sampler) == (2, FAMILIES[family].fast.sampler)
    [quick] = generator.generate(fast)
    assert read_png_parameters(quick.png)["fast"] is True


def test_every_sampler_of_the_family_draws_and_the_others_are_refused(
    family: str, generator: ImageGenerator, settings: ImageSettings
) -> None:
    [picture] = generator.generate(build(settings))
    drawn = set()
    for sampler in FAMILIES[family].samplers:
        options = build(settings, sampler=sampler, steps=2)
        [image] = generator.generate(options)
        assert read_png_parameters(image.png)["sampler"] == sampler
        drawn.add(pixels(image).tobytes())
        if FAMILIES[family].flow:  # their image to image and inpainting need `scale_noise`
            generator.generate(options, variation=Variation(picture.png, strength=0.6))
            generator.generate(options, variation=Variation(picture.png, kind="zoom", factor=1.5))
    assert len(drawn) > 1, "samplers draw differently"
    other = "ddim" if FAMILIES[family].flow else "flow-euler"
    with pytest.raises(UserFacingError, match="sampler-unusable") as refused:
        build(settings, sampler=other)
    args = refused.value.message.args
    assert (args["sampler"], args["model"]) == (other, "tiny")
    assert args["known"] == ", ".join(FAMILIES[family].samplers)


def test_cancel_mid_draw_and_the_model_draws_on(
    generator: ImageGenerator, settings: ImageSettings
) -> None:
    steps: list[int] = []
    with pytest.raises(JobCancelled):
        generator.generate(
            build(settings, steps=6), lambda done, total: steps.append(done), lambda: bool(steps)
        )
    assert len(steps) == 1
    assert len(generator.generate(build(settings))) == 1


async def test_jobs_of_the_family_are_batched_with_the_pixels_of_each_alone(
    settings: ImageSettings, generator: ImageGenerator
) -> None:
    batching = ImageGenerator(settings.model_copy(update={"batch_jobs": 2}), LIMITS)
    try:
        calls: list[int] = []
        run = batching._run_batch
        batching._run_batch = lambda part, step_end: (  # type: ignore[method-assign]
            calls.append(sum(piece.size for piece in part)) or run(part, step_end)
        )
        jobs = [build(settings, seed=seed, negative_prompt="fog") for seed in (1, 2)]
        together = await asyncio.gather(*(batching.generate_async(job) for job in jobs))
        assert calls == [2]
        for job, images in zip(jobs, together, strict=True):
            alone = generator.generate(job)
            diff = np.abs(pixels(alone[0]).astype(int) - pixels(images[0]))
            assert diff.max() <= 1 and (diff > 0).mean() < 0.01
    finally:
        batching.close()


def test_sizes_follow_the_family_multiple(family: str, settings: ImageSettings) -> None:
    multiple = FAMILIES[family].multiple
    options = build(settings, aspect="16:9")
    assert options.width % multiple == 0 and options.height % multiple == 0
    if multiple > 8:
        with pytest.raises(UserFacingError, match=f"bad-multiple.*multiple={multiple}"):
            build(settings, width=72, height=64)
