"""What each model family needs (no torch here): the one place that knows SD 1.5 from SDXL, SD3
and FLUX.1.

A family is an architecture, recognised by the diffusers pipeline class in the model's
``model_index.json``: its native size and side multiple, its default steps and guidance, the
samplers it can use, what its guidance means, what a negative prompt does, its fast mode, and
(for live previews) its tiny autoencoder. A configured model belongs to one family
(``ModelSettings.family``, else its preset's, else its folder's pipeline class, else a guess from
its hub id); its own settings win over the family's defaults, which win over ``[defaults]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bot.config import FamilyName, GuidanceKind, ModelSettings

UNET_SAMPLERS = ("dpm++2m-karras", "dpm++2m", "euler-a", "euler", "ddim", "unipc", "lcm", "pndm")
"""Samplers of the noise-prediction (UNet) families: diffusers' classic schedulers."""
FLOW_SAMPLERS = ("flow-euler", "flow-euler-karras", "flow-euler-sde", "flow-heun")
"""Samplers of the flow-matching families (their image to image needs ``scale_noise``, which
only the flow-matching schedulers have)."""


@dataclass(frozen=True)
class FastMode:
    """What a family's fast LoRA (``fast_lora``) draws with, unless the LoRA's settings say."""

    steps: int
    guidance: float | None
    """None: the model's own guidance."""
    sampler: str
    """Empty: the model's own scheduler."""


@dataclass(frozen=True)
class Preview:
    """How to show a latent while it is drawn (issue 20 fills the factors): a tiny autoencoder
    (TAESD) that decodes this family's latents, and a linear latent → RGB map for a cheaper
    preview (one row per latent channel; empty until measured)."""

    decoder: str
    """The hub id of the family's tiny autoencoder (``AutoencoderTiny``)."""
    latent_rgb: tuple[tuple[float, float, float], ...] = ()
    latent_rgb_bias: tuple[float, float, float] = (0.0, 0.0, 0.0)


@dataclass(frozen=True)
class Family:
    """One architecture's needs and defaults."""

    name: FamilyName
    title: str
    pipelines: tuple[str, ...]
    """The diffusers pipeline classes (``model_index.json``'s ``_class_name``) of its models."""
    native: int | None
    """The side it was trained at; None: ``[defaults]`` width and height (SD 1.x/2.x)."""
    multiple: int
    """Sides are multiples of this: the VAE's 8, × the transformer's 2×2 patches (SD3, FLUX)."""
    steps: int | None
    """Default steps; None: ``[defaults]``'s."""
    guidance: float | None
    guidance_kind: GuidanceKind
    """``cfg``: classifier-free guidance (a negative prompt works above 1); ``distilled``: an
    input of the model (FLUX.1-dev), each step runs once; ``none``: the model ignores it."""
    samplers: tuple[str, ...]
    negative: Literal["cfg", "true-cfg"]
    """What a negative prompt does: steer classifier-free guidance, or, on a distilled model,
    turn on true CFG (a second pass per step: twice the drawing time)."""
    fast: FastMode
    preview: Preview
    denoiser: Literal["unet", "transformer"] = "unet"
    """The pipeline component that denoises (what offloading streams and quantization shrinks)."""
    cuda_dtype: Literal["float16", "bfloat16"] = "float16"
    """What ``image.dtype = "auto"`` loads on CUDA (SD3's and FLUX's activations overflow float16)."""
    true_cfg_scale: float = 1.0
    """With ``negative = "true-cfg"``: the true CFG scale used when a negative prompt is given."""

    @property
    def flow(self) -> bool:
        """Flow matching (SD3, FLUX): no classic samplers."""
        return "flow-euler" in self.samplers


LCM = FastMode(steps=4, guidance=1.0, sampler="lcm")
"""An LCM-LoRA: 4 steps (2…8), guidance 1, the LCM sampler."""
FLOW_LORA = FastMode(steps=8, guidance=None, sampler="")
"""A few-step LoRA of a flow model (Hyper-SD's 8 steps), on its own scheduler."""

FAMILIES: dict[str, Family] = {
    family.name: family
    for family in (
        Family(
            name="sd15",
            title="Stable Diffusion 1.x/2.x",
            pipelines=("StableDiffusionPipeline", "StableDiffusionInpaintPipeline"),
            native=None,
            multiple=8,
            steps=None,
            guidance=None,
            guidance_kind="cfg",
            samplers=UNET_SAMPLERS,
            negative="cfg",
            fast=LCM,
            preview=Preview("madebyollin/taesd"),
        ),
        Family(
            name="sdxl",
            title="Stable Diffusion XL",
            pipelines=("StableDiffusionXLPipeline", "StableDiffusionXLInpaintPipeline"),
            native=1024,
            multiple=8,
            steps=30,
            guidance=6.0,
            guidance_kind="cfg",
            samplers=UNET_SAMPLERS,
            negative="cfg",
            fast=LCM,
            preview=Preview("madebyollin/taesdxl"),
        ),
        Family(
            name="sd3",
            title="Stable Diffusion 3.x",
            pipelines=("StableDiffusion3Pipeline", "StableDiffusion3InpaintPipeline"),
            native=1024,
            multiple=16,
            steps=28,
            guidance=4.5,
            guidance_kind="cfg",
            samplers=FLOW_SAMPLERS,
            negative="cfg",
            fast=FLOW_LORA,
            preview=Preview("madebyollin/taesd3"),
            denoiser="transformer",
            cuda_dtype="bfloat16",
        ),
        Family(
            name="flux",
            title="FLUX.1",
            pipelines=("FluxPipeline", "FluxFillPipeline", "FluxInpaintPipeline"),
            native=1024,
            multiple=16,
            steps=28,
            guidance=3.5,
            guidance_kind="distilled",
            samplers=("flow-euler", "flow-euler-karras", "flow-euler-sde"),  # sigmas: no Heun
            negative="true-cfg",
            fast=FLOW_LORA,
            preview=Preview("madebyollin/taef1"),
            denoiser="transformer",
            cuda_dtype="bfloat16",
            true_cfg_scale=4.0,
        ),
    )
}

HUB_HINTS = (
    (re.compile(r"flux", re.IGNORECASE), "flux"),
    (re.compile(r"stable-diffusion-3|sd3", re.IGNORECASE), "sd3"),
    (re.compile(r"xl|lightning|juggernaut|pony|illustrious", re.IGNORECASE), "sdxl"),
)
"""Hub ids whose family shows in their name; any other is taken for SD 1.x/2.x until loaded."""


def family_of(model: ModelSettings) -> Family:
    """The family of a configured model: ``family`` (set by hand or by its preset), else its
    local folder's pipeline class, else its name; the loader checks it against the pipeline."""
    if model.family is not None:
        return FAMILIES[model.family]
    if model.pipeline_class:
        found = family_of_pipeline(model.pipeline_class)
        if found is not None:
            return found
    source = model.source or ""
    name = next((name for pattern, name in HUB_HINTS if pattern.search(source)), "sd15")
    return FAMILIES[name]


def family_of_pipeline(pipeline_class: str) -> Family | None:
    """The family whose models load as ``pipeline_class`` (None: none of ours)."""
    return next((f for f in FAMILIES.values() if pipeline_class in f.pipelines), None)


class FamilyMismatch(Exception):
    """A loaded model whose pipeline is not of the family it was configured (or guessed) as."""

    def __init__(self, pipeline: str, found: Family | None, expected: Family) -> None:
        kind = found.title if found is not None else f"{pipeline} (not a family the bot knows)"
        super().__init__(f"it is a {kind} model, not {expected.title}")
        self.fix = (
            f'set its `family = "{found.name}"`' if found is not None else "choose another model"
        )
