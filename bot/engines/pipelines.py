"""Loading a diffusers pipeline onto its device, and PNGs that carry their parameters."""

from __future__ import annotations

import io
import json
import logging
from typing import Any

import torch
from diffusers import AutoPipelineForText2Image, DiffusionPipeline
from huggingface_hub.utils import are_progress_bars_disabled, enable_progress_bars
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from bot.config import ImageSettings, ModelSettings
from bot.domain.families import Family, FamilyMismatch, family_of_pipeline
from bot.engines.placement import place, quantized

log = logging.getLogger(__name__)

PNG_PARAMETERS_KEY = "parameters"


def resolve_device(
    settings: ImageSettings, family: Family | None = None
) -> tuple[str, torch.dtype]:
    """``auto``: CUDA when a GPU is present, else CPU; dtype ``auto``: on CUDA the family's
    (float16, or bfloat16 for SD3 and FLUX; float16 without a family), float32 on a CPU."""
    device = settings.device
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    if settings.dtype == "auto":
        if device != "cuda":
            return device, torch.float32
        return device, getattr(torch, family.cuda_dtype if family else "float16")
    return device, getattr(torch, settings.dtype)


def load_pipeline(
    settings: ImageSettings, model: ModelSettings, family: Family, device: str, dtype: torch.dtype
) -> DiffusionPipeline:
    """Load (downloading with a progress bar if needed) and place ``model``'s text-to-image
    pipeline, quantized and offloaded as it says. Raises :class:`FamilyMismatch` when the
    model is not of ``family``."""
    if are_progress_bars_disabled():
        enable_progress_bars()  # warns instead when HF_HUB_DISABLE_PROGRESS_BARS=1 is set
    files = {"cache_dir": settings.cache_dir, "local_files_only": settings.local_files_only}
    extra: dict[str, Any] = quantized(model, family, dtype, device, **files)
    if not settings.safety_checker:
        extra |= {"safety_checker": None, "requires_safety_checker": False}
    log.info("Loading %s (%s, %s)", model.source, device, dtype)
    pipeline = AutoPipelineForText2Image.from_pretrained(
        model.source, dtype=dtype, variant=model.variant, **files, **extra
    )
    found = family_of_pipeline(type(pipeline).__name__)
    if found is None or found.name != family.name:
        raise FamilyMismatch(type(pipeline).__name__, found, family)
    place(pipeline, model, device)
    if device == "cuda" and model.offload == "none":  # cuDNN's convolutions are faster on NHWC
        for name in ("unet", "vae"):
            module = getattr(pipeline, name, None)
            if module is not None:
                module.to(memory_format=torch.channels_last)
    if settings.vae_slicing:
        pipeline.vae.enable_slicing()
    if settings.attention_slicing:
        pipeline.enable_attention_slicing()
    pipeline.set_progress_bar_config(disable=True)  # progress goes to the step callback
    return pipeline


def encode_png(image: Image.Image, parameters: dict[str, Any]) -> bytes:
    """PNG bytes with ``parameters`` as JSON in a ``parameters`` text chunk."""
    info = PngInfo()
    info.add_text(PNG_PARAMETERS_KEY, json.dumps(parameters))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def read_png_parameters(png: bytes) -> dict[str, Any]:
    """The parameters stored by :func:`encode_png`; empty for a PNG without them."""
    with Image.open(io.BytesIO(png)) as image:
        text = getattr(image, "text", {}).get(PNG_PARAMETERS_KEY)
    return json.loads(text) if text else {}
