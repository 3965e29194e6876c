"""A quantized denoiser loaded through the production loader (``[image.models.X.quantization]``),
where this CPU can run it: a Q8_0 GGUF file of each family's tiny denoiser (the SD 1.5 and SDXL
UNets, the SD3 and FLUX.1 transformers), and torchao's
int8 weight-only quantization; each draws a picture close to the full model's, not the same one.
bitsandbytes runs on CUDA only: asking for it on a CPU fails the load in one line."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pydantic
import pytest
import torch

from bot.config import (
    GenerationDefaults,
    ImageSettings,
    Limits,
    ModelSettings,
    QuantizationSettings,
    Settings,
)
from bot.config.image import QUANTIZATION_TYPES
from bot.domain.families import FAMILIES
from bot.domain.options import GenerationOptions
from bot.engines.hub import ModelLoadError
from bot.engines.imaging import ImageGenerator
from bot.engines.placement import BITSANDBYTES, TORCHAO, quantized
from bot.engines.runner import Engines
from tests.support.tiny_families import FAMILIES as TINY
from tests.support.tiny_families import TinyModels
from tests.support.tiny_gguf import write_gguf
from tests.test_imaging import pixels

LIMITS = Limits(min_side=64, max_side=128)


def image_settings(folder: Path, **quantization: str) -> ImageSettings:
    """The tiny model twice: ``full``, and ``small`` with ``quantization``."""
    models = {
        "full": ModelSettings(source=str(folder), width=64, height=64, steps=3),
        "small": ModelSettings(
            source=str(folder), width=64, height=64, steps=3, quantization=quantization or None
        ),
    }
    return ImageSettings(
        model=str(folder),
        device="cpu",
        dtype="float32",
        local_files_only=True,
        models=models,
        default_model="full",
        max_resident_models=2,
    )


def draw_both(settings: ImageSettings) -> tuple[ImageGenerator, np.ndarray, np.ndarray]:
    """The generator and the same job drawn by ``full`` and by ``small``."""
    generator = ImageGenerator(settings, LIMITS)
    drawn = []
    for model in ("full", "small"):
        options = GenerationOptions.build(
            "a red cat", GenerationDefaults(), LIMITS, image=settings, seed=7, count=1, model=model
        )
        [image] = generator.generate(options)
        drawn.append(pixels(image).astype(int))
    return generator, *drawn


def assert_close_not_equal(full: np.ndarray, small: np.ndarray) -> None:
    difference = np.abs(full - small)
    assert full.shape == small.shape == (64, 64, 3)
    assert difference.max() > 0, "the quantized weights draw a slightly different picture"
    assert difference.max() <= 16 and difference.mean() < 1, (difference.max(), difference.mean())


@pytest.mark.parametrize("family", TINY)
def test_a_gguf_denoiser_loads_quantized_and_draws_close_to_the_full_one(
    family: str, tiny_models: TinyModels, tmp_path: Path
) -> None:
    from diffusers.quantizers.gguf.utils import GGUFLinear, dequantize_gguf_tensor
    from gguf import GGMLQuantizationType

    folder, denoiser = tiny_models[family], FAMILIES[family].denoiser
    file = write_gguf(folder, denoiser, tmp_path / f"{family}-Q8_0.gguf")
    generator, full, small = draw_both(image_settings(folder, backend="gguf", file=str(file)))
    try:
        assert_close_not_equal(full, small)
        quantized = getattr(generator.models.get("small").pipeline, denoiser)
        original = dict(getattr(generator.models.get("full").pipeline, denoiser).named_modules())
        layers = [(n, m) for n, m in quantized.named_modules() if isinstance(m, GGUFLinear)]
        assert len(layers) > 10
        for name, layer in layers:
            assert layer.weight.quant_type == GGMLQuantizationType.Q8_0
            assert layer.weight.dtype == torch.uint8  # 34 bytes per 32 weights
            weight, exact = dequantize_gguf_tensor(layer.weight), original[name].weight.detach()
            step = exact.abs().max() / 127  # Q8_0: a scale per 32 weights, 8-bit steps
            assert torch.allclose(weight.float(), exact, atol=float(step)), name
    finally:
        generator.close()


def test_torchao_int8_weight_only_loads_quantized_and_draws_close_to_the_full_one(
    tiny_models: TinyModels,
) -> None:
    from torchao.utils import TorchAOBaseTensor

    folder = tiny_models["flux"]
    generator, full, small = draw_both(image_settings(folder, backend="torchao", type="int8wo"))
    try:
        assert_close_not_equal(full, small)
        transformer = generator.models.get("small").pipeline.transformer
        linear = [m for m in transformer.modules() if isinstance(m, torch.nn.Linear)]
        assert linear and all(isinstance(m.weight, TorchAOBaseTensor) for m in linear)
        full_model = generator.models.get("full").pipeline.transformer
        assert not any(isinstance(p, TorchAOBaseTensor) for p in full_model.parameters())
    finally:
        generator.close()


def test_bitsandbytes_on_a_cpu_fails_the_load_in_one_line(
    tiny_models: TinyModels, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tiny_models["flux"]
    image = image_settings(folder, backend="bitsandbytes", type="nf4")
    image = image.model_copy(update={"default_model": "small"})
    engines = Engines(Settings(image=image), speech=False)
    try:
        with (
            caplog.at_level(logging.ERROR, logger="bot.engines"),
            pytest.raises(ModelLoadError) as failed,
        ):
            engines.start_loading().result()
    finally:
        engines.close()
    said = "The image model small could not be loaded: bitsandbytes quantization needs a CUDA GPU"
    assert str(failed.value) == f"{said} and this one runs on the CPU."
    [record] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.exc_info is None, "one line, no traceback"
    assert record.getMessage().startswith(said) and "\n" not in record.getMessage()
    assert 'Fix: Use quantization backend "gguf" or "torchao"' in record.getMessage()
    assert "in image.models.small" in record.getMessage()


def test_a_quantization_type_is_checked_when_the_settings_are_read() -> None:
    with pytest.raises(pydantic.ValidationError, match="one of int8wo, int8dq, float8wo"):
        QuantizationSettings(backend="torchao", type="int3")
    with pytest.raises(pydantic.ValidationError, match="one of nf4, fp4, int8"):
        QuantizationSettings(backend="bitsandbytes")
    assert QuantizationSettings(backend="gguf", file="flux1-dev-Q4_K_S.gguf").type == ""


def test_every_type_the_settings_accept_maps_to_its_librarys_config() -> None:
    """The settings' types and the loader's tables are one list (a type added to one only would
    pass the settings and fail the load); each torchao type builds its torchao config (only
    int8wo is drawn here: the others need CUDA), named as the CUDA machine would."""
    assert set(TORCHAO) == set(QUANTIZATION_TYPES["torchao"])
    assert set(BITSANDBYTES) == set(QUANTIZATION_TYPES["bitsandbytes"])
    for kind, name in TORCHAO.items():
        model = ModelSettings(source="unused", quantization={"backend": "torchao", "type": kind})
        config = quantized(model, FAMILIES["flux"], torch.bfloat16, "cuda")["quantization_config"]
        assert type(config.quant_mapping["transformer"].quant_type).__name__ == name
