"""The new image options in the domain: aspect ratios, models, samplers, styles, fast mode and
the kinds of variation, validated with messages a user can act on."""

from __future__ import annotations

import pytest

from bot.config import GenerationDefaults, ImageSettings, Limits, LoraSettings, ModelSettings
from bot.domain.aspect import ASPECTS, aspect_size
from bot.domain.choices import SAMPLERS
from bot.domain.options import GenerationOptions, Variation
from bot.domain.records import known_fields
from bot.engines.samplers import SCHEDULERS
from tests.support.refusals import refused

IMAGE = ImageSettings(
    model="base/model",
    models={
        "turbo": ModelSettings(
            source="stabilityai/sdxl-turbo",
            steps=1,
            guidance=0.0,
            min_guidance=0.0,
            width=1024,
            height=1024,
            sampler="euler-a",
            size_multiple=64,
        ),
        "styled": ModelSettings(
            source="/models/sd15",
            loras={"ink": LoraSettings(path="/models/ink.safetensors")},
            fast_lora=LoraSettings(path="/models/lcm-lora"),
        ),
    },
)


def build(**options: object) -> GenerationOptions:
    return GenerationOptions.build("a cat", GenerationDefaults(), Limits(), image=IMAGE, **options)


@pytest.mark.parametrize("native", [(512, 512), (1024, 1024), (768, 512)])
@pytest.mark.parametrize("multiple", [8, 64])
@pytest.mark.parametrize("limits", [Limits(), Limits(min_side=64, max_side=512)])
def test_every_aspect_keeps_the_pixel_budget_within_the_limits(native, multiple, limits) -> None:
    for aspect in ASPECTS:
        width, height = aspect_size(aspect, native, limits, multiple)
        assert width % multiple == 0 and height % multiple == 0, (aspect, width, height)
        assert limits.min_side <= min(width, height) and max(width, height) <= limits.max_side
        across, down = (int(part) for part in aspect.split(":"))
        assert (width >= height) == (across >= down)
        if max(width, height) < limits.max_side and min(width, height) > limits.min_side:
            assert abs(width * height / (native[0] * native[1]) - 1) < 0.2


def test_aspect_examples_and_errors() -> None:
    assert aspect_size("16:9", (512, 512), Limits()) == (680, 384)
    assert aspect_size("9:16", (1024, 1024), Limits(), 64) == (576, 1024)
    with refused("`aspect` must be one of 1:1"):
        aspect_size("5:1", (512, 512), Limits())
    with refused("either `aspect` or `width`"):
        build(aspect="4:3", width=512)


def test_a_model_brings_its_defaults_limits_and_native_size() -> None:
    turbo = build(model="turbo", aspect="16:9")
    assert (turbo.model, turbo.steps, turbo.guidance, turbo.sampler) == ("turbo", 1, 0.0, "euler-a")
    assert (turbo.width, turbo.height) == (1024, 576)
    default = build()
    assert (default.model, default.steps, default.guidance, default.sampler) == (
        "base/model",
        25,
        7.0,
        "",
    )
    with refused(r"`guidance` must be between 1 and 20 \(got 0\)"):
        build(guidance=0.0)  # only the turbo model allows guidance 0


def test_fast_mode_is_the_lcm_lora_or_the_fast_model() -> None:
    fast = build(model="styled", fast=True)
    assert (fast.steps, fast.guidance, fast.sampler, fast.fast) == (4, 1.0, "lcm", True)
    with refused("No fast mode is configured for the model base"):
        build(fast=True)
    with_fast_model = IMAGE.model_copy(update={"fast_model": "turbo"})
    options = GenerationOptions.build(
        "a cat", GenerationDefaults(), Limits(), image=with_fast_model, fast=True
    )
    assert (options.model, options.steps) == ("turbo", 1)


def test_unknown_model_sampler_and_style_are_refused() -> None:
    with refused("`model` must be one of base/model, turbo, styled"):
        build(model="dalle")
    with refused("`sampler` must be one of dpm\\+\\+2m-karras"):
        build(sampler="heun")
    with refused(r"style.*\(ink\)"):
        build(model="styled", style="oil")
    with refused("none are configured"):
        build(style="ink")
    assert build(model="styled", style="ink", sampler="ddim").style == "ink"


def test_every_sampler_name_has_a_scheduler() -> None:
    assert set(SAMPLERS) == set(SCHEDULERS)


def test_settings_name_only_configured_models() -> None:
    with pytest.raises(ValueError, match=r"default_model 'nope' is not one of image\.models"):
        ImageSettings(default_model="nope")
    assert list(IMAGE.choices) == ["base/model", "turbo", "styled"]
    assert IMAGE.model_copy(update={"default_model": "turbo"}).default_model_name == "turbo"


@pytest.mark.parametrize(
    ("variation", "message"),
    [
        (Variation(b"", kind="zoom", factor=3.0), "Zoom out by more than 1 and at most 2"),
        (Variation(b"", kind="zoom", factor=1.0), "Zoom out by more than 1"),
        (Variation(b"", kind="pan"), "A pan needs a direction"),
        (Variation(b"", kind="pan", direction="sideways"), "Pan left, right, up or down"),
        (Variation(b"", kind="upscale", factor=1.0), "`factor` must be above 1"),
        (Variation(b"", kind="stretch"), "Unknown kind"),  # type: ignore[arg-type]
        (Variation(b"", strength=0.0), "`strength` must be between 0.05 and 1"),
    ],
)
def test_variation_kinds_are_validated(variation: Variation, message: str) -> None:
    with refused(message):
        variation.validate()
    Variation(b"", kind="pan", direction="left", factor=1.5).validate()
    Variation(b"", kind="zoom", factor=1.25).validate()  # Custom Zoom
    Variation(b"", kind="square").validate()


def test_a_newer_bots_options_are_read_without_its_new_fields():
    options = GenerationOptions("a kite", seed=7, steps=12, sampler="euler", style="ink")
    sent = {**options.to_dict(), "field_of_a_later_version": True}
    with pytest.raises(TypeError):
        GenerationOptions(**sent)  # as the worker read them before
    assert GenerationOptions(**known_fields(GenerationOptions, sent)) == options
