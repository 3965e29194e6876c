"""Presets: a short name gives a model id with its tuned defaults, fast mode and inpainting model;
what is set beside it wins. A preset's always-on LoRA (SDXL-Lightning's) is fused at load, and its
scheduler settings are what every sampler starts from."""

from __future__ import annotations

import pytest

from bot.config import (
    ConfigError,
    GenerationDefaults,
    ImageSettings,
    Limits,
    LoraSettings,
    ModelSettings,
    load_settings,
)
from bot.config.presets import PRESETS
from bot.domain.choices import choose_model
from bot.domain.errors import UserFacingError
from bot.domain.families import FAMILIES, family_of
from bot.domain.options import GenerationOptions
from bot.engines.imaging import ImageGenerator
from tests.support.tiny_diffusion import build_random_lora
from tests.support.tiny_families import TinyModels
from tests.test_imaging import same_pixels


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_names_a_model_of_its_family_with_usable_defaults(name: str) -> None:
    image = ImageSettings(preset=name)
    assert image.display_name == name and image.model == PRESETS[name]["source"]
    choice = choose_model(image, GenerationDefaults(), Limits())
    assert choice.family is FAMILIES[PRESETS[name]["family"]] is family_of(image.choices[name])
    options = GenerationOptions.build("a cat", GenerationDefaults(), Limits(), image=image)
    assert options.width % choice.multiple == 0 and options.sampler in ("", *choice.samplers)
    if image.choices[name].fast_lora is not None:
        fast = GenerationOptions.build(
            "a cat", GenerationDefaults(), Limits(), image=image, fast=True
        )
        assert fast.fast and fast.steps < options.steps


def test_values_beside_a_preset_win_and_the_defaults_fit_the_family() -> None:
    image = ImageSettings(
        models={"flux": ModelSettings(preset="flux-schnell", source="/models/schnell", steps=2)}
    )
    flux = image.choices["flux"]
    assert (flux.source, flux.steps, flux.guidance_kind) == ("/models/schnell", 2, "none")
    options = GenerationOptions.build(
        "a cat", GenerationDefaults(), Limits(), image=image, model="flux"
    )
    assert (options.steps, options.guidance, options.width, options.height) == (2, 0.0, 1024, 1024)
    with pytest.raises(UserFacingError, match=r"guidance-ignored\(model=flux\)"):
        GenerationOptions.build(
            "a cat", GenerationDefaults(), Limits(), image=image, model="flux", guidance=5.0
        )
    portrait = GenerationOptions.build(
        "a cat", GenerationDefaults(), Limits(), image=image, model="flux", size="portrait"
    )
    assert portrait.height == 1024 and portrait.width % 16 == 0 and portrait.width < 1024


def test_an_unknown_preset_stops_the_start_naming_the_key(tmp_path, monkeypatch) -> None:
    config = tmp_path / "bot.toml"
    config.write_text('[image.models.x]\npreset = "flux-pro"\n')
    monkeypatch.setenv("S2I_CONFIG", str(config))
    with pytest.raises(ConfigError, match=r"image\.models\.x.*unknown preset 'flux-pro'"):
        load_settings()


def test_a_negative_prompt_that_changes_nothing_is_refused_and_a_default_one_left_out() -> None:
    image = ImageSettings(preset="sdxl-turbo")
    defaults = GenerationDefaults(negative_prompt="blurry")
    options = GenerationOptions.build("a cat", defaults, Limits(), image=image)
    assert options.negative_prompt == ""
    with pytest.raises(UserFacingError, match="negative-ignored"):
        GenerationOptions.build("a cat", defaults, Limits(), image=image, negative_prompt="fog")
    kept = GenerationOptions.build("a cat", defaults, Limits(), image=image, guidance=3.0)
    assert kept.negative_prompt == "blurry"


def test_an_always_on_lora_is_fused_and_the_scheduler_settings_apply(
    tiny_models: TinyModels, tmp_path
) -> None:
    folder = tiny_models["sdxl"]
    lora = tmp_path / "lora"
    build_random_lora(folder, lora)
    plain = ModelSettings(source=str(folder), width=64, height=64)
    lightning = plain.model_copy(
        update={
            "lora": LoraSettings(path=lora),
            "scheduler": {"timestep_spacing": "trailing"},
            "loras": {"ink": LoraSettings(path=lora)},
        }
    )
    settings = ImageSettings(
        model=str(folder),
        device="cpu",
        local_files_only=True,
        models={"plain": plain, "lightning": lightning},
        default_model="plain",
        max_resident_models=2,
    )
    generator = ImageGenerator(settings, Limits(min_side=64))
    try:
        job = GenerationOptions("a cat", seed=1, steps=2, count=1, width=64, height=64)
        [before] = generator.generate(job.with_changes(model="plain"))
        [fused] = generator.generate(job.with_changes(model="lightning"))
        [styled] = generator.generate(job.with_changes(model="lightning", style="ink"))
        model = generator.models.get("lightning")
        assert model.base_scheduler.config.timestep_spacing == "trailing"
        assert "always" not in model.pipeline.get_list_adapters().get("unet", [])
        assert not same_pixels([before], [fused]) and not same_pixels([fused], [styled])
        assert same_pixels([fused], generator.generate(job.with_changes(model="lightning")))
    finally:
        generator.close()
