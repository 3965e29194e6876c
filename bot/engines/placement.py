"""Fitting a big model into its device: a quantized denoiser (diffusers' quantization configs)
and offloading (components or their blocks moved to the device only while they run)."""

from __future__ import annotations

from typing import Any

import torch
from diffusers import DiffusionPipeline

from bot.config import ModelSettings
from bot.domain.families import Family

DENOISERS = {"sd15": "UNet2DConditionModel", "sdxl": "UNet2DConditionModel"}
DENOISERS |= {"sd3": "SD3Transformer2DModel", "flux": "FluxTransformer2DModel"}
"""The diffusers class of each family's denoiser (to load a GGUF file of it)."""
BITSANDBYTES = {
    "nf4": ("bitsandbytes_4bit", {"load_in_4bit": True, "bnb_4bit_quant_type": "nf4"}),
    "fp4": ("bitsandbytes_4bit", {"load_in_4bit": True, "bnb_4bit_quant_type": "fp4"}),
    "int8": ("bitsandbytes_8bit", {"load_in_8bit": True}),
}


def quantized(
    model: ModelSettings, family: Family, dtype: torch.dtype, **loading: Any
) -> dict[str, Any]:
    """What ``from_pretrained`` needs to load the model's denoiser quantized (nothing without
    ``quantization``): a GGUF file loaded as the denoiser, or a pipeline quantization config
    for torchao or bitsandbytes; ``loading``: where the model's files come from."""
    settings = model.quantization
    if settings is None:
        return {}
    import diffusers
    from diffusers import GGUFQuantizationConfig, PipelineQuantizationConfig

    if settings.backend == "gguf":
        kind = getattr(diffusers, DENOISERS[family.name])
        denoiser = kind.from_single_file(
            settings.file,
            quantization_config=GGUFQuantizationConfig(compute_dtype=dtype),
            config=model.source,
            subfolder=family.denoiser,
            torch_dtype=dtype,
            **loading,
        )
        return {family.denoiser: denoiser}
    if settings.backend == "torchao":
        backend, options = "torchao", {"quant_type": settings.type}
    else:
        if settings.type not in BITSANDBYTES:
            raise ValueError(
                f"bitsandbytes type {settings.type!r}: one of {', '.join(BITSANDBYTES)}"
            )
        backend, options = BITSANDBYTES[settings.type]
        options = options | ({"bnb_4bit_compute_dtype": dtype} if "4bit" in backend else {})
    config = PipelineQuantizationConfig(
        quant_backend=backend, quant_kwargs=options, components_to_quantize=[family.denoiser]
    )
    return {"quantization_config": config}


def place(pipeline: DiffusionPipeline, model: ModelSettings, device: str) -> None:
    """Put ``pipeline`` on ``device``, or offload it there as ``model.offload`` says."""
    if model.offload == "model":
        pipeline.enable_model_cpu_offload(device=device)
    elif model.offload == "group":
        pipeline.enable_group_offload(
            onload_device=torch.device(device), offload_type="block_level", num_blocks_per_group=1
        )
    else:
        pipeline.to(device)
