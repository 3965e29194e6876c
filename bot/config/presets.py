"""Presets: a short name for a model id with its tuned defaults, fast mode and inpainting model
(``preset = "flux-schnell"`` in ``[image]`` or an ``[image.models.NAME]`` table; any value set
beside it wins). The README's table gives each one's download size and GPU memory.

Values come from the model cards: SDXL-Lightning draws in 4 steps on a "trailing" Euler schedule
without guidance, FLUX.1-schnell in 4 steps without guidance, FLUX.1-dev at distilled guidance
3.5, SD3.5 Medium at 40 steps and guidance 4.5, SD3.5 Large at 28 and 3.5.
"""

from __future__ import annotations

from typing import Any

SDXL_BASE = "stabilityai/stable-diffusion-xl-base-1.0"
SDXL_INPAINTING = "diffusers/stable-diffusion-xl-1.0-inpainting-0.1"
NO_GUIDANCE = {"guidance": 0.0, "min_guidance": 0.0}

PRESETS: dict[str, dict[str, Any]] = {
    "sd15": {
        "source": "stable-diffusion-v1-5/stable-diffusion-v1-5",
        "family": "sd15",
        "width": 512,
        "height": 512,
        "sampler": "dpm++2m-karras",
        "inpaint_model": "stable-diffusion-v1-5/stable-diffusion-inpainting",
        "fast_lora": {"path": "latent-consistency/lcm-lora-sdv1-5"},
    },
    "sdxl": {
        "source": SDXL_BASE,
        "variant": "fp16",
        "family": "sdxl",
        "sampler": "dpm++2m-karras",
        "inpaint_model": SDXL_INPAINTING,
        "fast_lora": {"path": "latent-consistency/lcm-lora-sdxl"},
    },
    "sdxl-lightning": {
        "source": SDXL_BASE,
        "variant": "fp16",
        "family": "sdxl",
        "lora": {
            "path": "ByteDance/SDXL-Lightning",
            "weight_name": "sdxl_lightning_4step_lora.safetensors",
        },
        "scheduler": {"timestep_spacing": "trailing"},
        "sampler": "euler",
        "steps": 4,
        "max_steps": 8,
        **NO_GUIDANCE,
        "inpaint_model": SDXL_INPAINTING,
    },
    "sdxl-turbo": {
        "source": "stabilityai/sdxl-turbo",
        "variant": "fp16",
        "family": "sdxl",
        "width": 512,
        "height": 512,
        "sampler": "euler-a",
        "steps": 1,
        "max_steps": 4,
        **NO_GUIDANCE,
    },
    "sd3.5-medium": {
        "source": "stabilityai/stable-diffusion-3.5-medium",
        "family": "sd3",
        "steps": 40,
        "guidance": 4.5,
    },
    "sd3.5-large": {
        "source": "stabilityai/stable-diffusion-3.5-large",
        "family": "sd3",
        "steps": 28,
        "guidance": 3.5,
    },
    "sd3.5-large-turbo": {
        "source": "stabilityai/stable-diffusion-3.5-large-turbo",
        "family": "sd3",
        "steps": 4,
        "max_steps": 8,
        **NO_GUIDANCE,
    },
    "flux-schnell": {
        "source": "black-forest-labs/FLUX.1-schnell",
        "family": "flux",
        "steps": 4,
        "max_steps": 8,
        "guidance_kind": "none",
        **NO_GUIDANCE,
    },
    "flux-dev": {
        "source": "black-forest-labs/FLUX.1-dev",
        "family": "flux",
        "steps": 28,
        "guidance": 3.5,
        "fast_lora": {
            "path": "ByteDance/Hyper-SD",
            "weight_name": "Hyper-FLUX.1-dev-8steps-lora.safetensors",
            "scale": 0.125,
            "steps": 8,
        },
    },
}
