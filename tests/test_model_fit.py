"""Fitting models to their device, through the production loader: offloading (which a CPU runs as
well), a model whose family was configured wrong, and a model too big for the device: each load
that fails says so in one sentence, a job gets it in its message, and nothing is left half-loaded."""

from __future__ import annotations

import pytest
import torch
from diffusers import DiffusionPipeline

from bot.config import ImageSettings, Limits, ModelSettings
from bot.domain.errors import UserFacingError
from bot.domain.options import GenerationOptions, Variation
from bot.engines.hub import ModelLoadError
from bot.engines.imaging import ImageGenerator
from tests.support.tiny_families import TinyModels
from tests.test_imaging import pixels, same_pixels

LIMITS = Limits(min_side=64)
JOB = GenerationOptions("a red cat", seed=3, steps=2, count=1, width=64, height=64)


def settings(tiny_models: TinyModels, **model: object) -> ImageSettings:
    flux = ModelSettings(source=str(tiny_models["flux"]), **model)
    return ImageSettings(
        model=str(tiny_models["sd15"]),
        device="cpu",
        local_files_only=True,
        models={"flux": flux},
        max_resident_models=2,
    )


@pytest.mark.parametrize("offload", ["model", "group"])
def test_an_offloaded_model_draws_what_it_draws_in_place(tiny_models: TinyModels, offload):
    generator = ImageGenerator(settings(tiny_models, offload=offload), LIMITS)
    placed = ImageGenerator(settings(tiny_models), LIMITS)
    try:
        job = JOB.with_changes(model="flux")
        assert same_pixels(generator.generate(job), placed.generate(job))
        [grown] = generator.generate(job, variation=_zoom(generator.generate(job)[0].png))
        assert pixels(grown).shape == (128, 128, 3)
    finally:
        generator.close()
        placed.close()


def _zoom(png: bytes) -> Variation:
    return Variation(png, kind="zoom", factor=2.0)


def test_a_model_of_another_family_fails_its_load_in_one_sentence(tiny_models: TinyModels):
    generator = ImageGenerator(settings(tiny_models, family="sdxl"), LIMITS)
    try:
        with pytest.raises(ModelLoadError) as failed:
            generator.generate(JOB.with_changes(model="flux"))
        assert str(failed.value) == (
            "The image model flux could not be loaded: it is a FLUX.1 model, not Stable Diffusion XL."
        )
        assert 'Fix: Set its `family = "flux"` in image.models.flux.' in failed.value.admin_message
        assert generator.models.resident == [tiny_models["sd15"].name]
    finally:
        generator.close()


def test_a_model_too_big_for_the_device_fails_its_load_in_one_sentence(
    tiny_models: TinyModels, monkeypatch: pytest.MonkeyPatch
):
    """A GPU that runs out of memory while the model moves onto it (which this CPU cannot do)."""
    generator = ImageGenerator(settings(tiny_models), LIMITS)

    def too_big(pipeline: DiffusionPipeline, *args: object, **kwargs: object) -> None:
        raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 22.00 GiB")

    try:
        monkeypatch.setattr(DiffusionPipeline, "to", too_big)
        with pytest.raises(UserFacingError) as failed:
            generator.generate(JOB.with_changes(model="flux"))
        message = str(failed.value)
        assert message == (
            "The image model flux could not be loaded: it does not fit in the device's memory."
        )
        assert "\n" not in message and 'offload = "model"' in failed.value.admin_message
        monkeypatch.undo()
        assert len(generator.generate(JOB.with_changes(model="flux"))) == 1, "loads when it fits"
    finally:
        generator.close()
