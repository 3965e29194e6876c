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

from bot.config import ImageSettings

log = logging.getLogger(__name__)

PNG_PARAMETERS_KEY = "parameters"


def resolve_device(settings: ImageSettings) -> tuple[str, torch.dtype]:
    """``auto``: CUDA with float16 when a GPU is present, else CPU with float32."""
    device = settings.device
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    if settings.dtype == "auto":
        return device, torch.float16 if device == "cuda" else torch.float32
    return device, getattr(torch, settings.dtype)


def load_pipeline(settings: ImageSettings, device: str, dtype: torch.dtype) -> DiffusionPipeline:
    """Load (downloading with a progress bar if needed) and place the pipeline."""
    if are_progress_bars_disabled():
        enable_progress_bars()  # warns instead when HF_HUB_DISABLE_PROGRESS_BARS=1 is set
    extra: dict[str, Any] = {}
    if not settings.safety_checker:
        extra = {"safety_checker": None, "requires_safety_checker": False}
    log.info("Loading %s (%s, %s)", settings.model, device, dtype)
    pipeline = AutoPipelineForText2Image.from_pretrained(
        settings.model,
        dtype=dtype,
        variant=settings.variant,
        cache_dir=settings.cache_dir,
        local_files_only=settings.local_files_only,
        **extra,
    ).to(device)
    if device == "cuda":  # cuDNN's convolutions are faster on NHWC tensors; a CPU gains nothing
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
