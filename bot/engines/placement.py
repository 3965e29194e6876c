"""Fitting a big model into its device: a quantized denoiser (diffusers' quantization configs)
and offloading (components or their blocks moved to the device only while they run)."""

from __future__ import annotations

import importlib.util
from typing import Any

import torch
from diffusers import DiffusionPipeline

from bot.config import ModelSettings, QuantizationSettings
from bot.domain.errors import ModelUnfit
from bot.domain.families import Family

DENOISERS = {"sd15": "UNet2DConditionModel", "sdxl": "UNet2DConditionModel"}
DENOISERS |= {"sd3": "SD3Transformer2DModel", "flux": "FluxTransformer2DModel"}
"""The diffusers class of each family's denoiser (to load a GGUF file of it)."""
TORCHAO = {
    "int8wo": "Int8WeightOnlyConfig",
    "int8dq": "Int8DynamicActivationInt8WeightConfig",
    "float8wo": "Float8WeightOnlyConfig",
    "int4wo": "Int4WeightOnlyConfig",
    "float8dq": "Float8DynamicActivationFloat8WeightConfig",
}
"""torchao's config class of each ``type`` (diffusers 0.42 takes a config object, not a name)."""
CUDA_ONLY = {"int4wo", "float8dq", "nf4", "fp4", "int8"}
"""Types whose kernels exist only on CUDA (bitsandbytes; torchao's int4 needs its mslk kernels,
float8 activations a GPU of compute capability 8.9 or more)."""
BITSANDBYTES = {
    "nf4": {"load_in_4bit": True, "bnb_4bit_quant_type": "nf4"},
    "fp4": {"load_in_4bit": True, "bnb_4bit_quant_type": "fp4"},
    "int8": {"load_in_8bit": True},
}


class QuantizationUnavailable(ModelUnfit):
    """A quantization this machine cannot run: a CUDA-only type off CUDA, or its package missing."""


def quantized(
    model: ModelSettings, family: Family, dtype: torch.dtype, device: str, **loading: Any
) -> dict[str, Any]:
    """What ``from_pretrained`` needs to load the model's denoiser quantized (nothing without
    ``quantization``): a GGUF file loaded as the denoiser, or a pipeline quantization config
    for torchao or bitsandbytes; ``loading``: where the model's files come from. Raises
    :class:`QuantizationUnavailable` when it cannot run on ``device`` or here."""
    settings = model.quantization
    if settings is None:
        return {}
    _check_runnable(settings, device)
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
        import torchao.quantization

        config = getattr(torchao.quantization, TORCHAO[settings.type])()
        denoiser_config = diffusers.TorchAoConfig(config)
    else:
        options = BITSANDBYTES[settings.type]
        compute = {"bnb_4bit_compute_dtype": dtype} if "load_in_4bit" in options else {}
        denoiser_config = diffusers.BitsAndBytesConfig(**options, **compute)
    # A mapping, not `quant_backend`: diffusers refuses a backend whose config classes in
    # diffusers and transformers take different arguments (torchao's, bitsandbytes').
    return {
        "quantization_config": PipelineQuantizationConfig(
            quant_mapping={family.denoiser: denoiser_config}
        )
    }


def _check_runnable(settings: QuantizationSettings, device: str) -> None:
    backend, kind = settings.backend, settings.type
    if kind in CUDA_ONLY and device != "cuda":
        name = f"{backend} {kind}" if backend == "torchao" else backend
        raise QuantizationUnavailable(
            f"{name} quantization needs a CUDA GPU and this one runs on the {device.upper()}",
            'use quantization backend "gguf" or "torchao" with type "int8wo" (both run on a CPU)',
        )
    if importlib.util.find_spec(backend) is None:  # each backend's package has its name
        raise QuantizationUnavailable(
            f"{backend} quantization needs the Python package {backend}, not installed here",
            f"pip install {backend}, or remove the quantization",
        )


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
