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
from bot.domain.errors import ModelUnfit

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
    """How to show a latent while it is drawn (live previews): the family's tiny autoencoder
    (TAESD, what ``preview_decoder = "auto"`` loads), and the linear latent → RGB map used without
    one, at almost no cost: one row of (R, G, B) weights per latent channel and a bias, applied
    to the pipeline's own latents (for SD3 and FLUX already shifted and scaled), giving -1…1.
    The factors are ComfyUI's (``comfy/latent_formats.py``), fitted on each family's VAE."""

    decoder: str
    """The hub id of the family's tiny autoencoder (``AutoencoderTiny``)."""
    latent_rgb: tuple[tuple[float, float, float], ...]
    latent_rgb_bias: tuple[float, float, float] = (0.0, 0.0, 0.0)
    packed: bool = False
    """The pipeline's latents are 2×2 patches in a sequence (FLUX): unpacked before decoding."""


SD15_RGB = (
    (0.3512, 0.2297, 0.3227),
    (0.3250, 0.4974, 0.2350),
    (-0.2829, 0.1762, 0.2721),
    (-0.2120, -0.2616, -0.7177),
)
SDXL_RGB = (
    (0.3651, 0.4232, 0.4341),
    (-0.2533, -0.0042, 0.1068),
    (0.1076, 0.1111, -0.0362),
    (-0.3165, -0.2492, -0.2188),
)
SD3_RGB = (
    (-0.0922, -0.0175, 0.0749),
    (0.0311, 0.0633, 0.0954),
    (0.1994, 0.0927, 0.0458),
    (0.0856, 0.0339, 0.0902),
    (0.0587, 0.0272, -0.0496),
    (-0.0006, 0.1104, 0.0309),
    (0.0978, 0.0306, 0.0427),
    (-0.0042, 0.1038, 0.1358),
    (-0.0194, 0.0020, 0.0669),
    (-0.0488, 0.0130, -0.0268),
    (0.0922, 0.0988, 0.0951),
    (-0.0278, 0.0524, -0.0542),
    (0.0332, 0.0456, 0.0895),
    (-0.0069, -0.0030, -0.0810),
    (-0.0596, -0.0465, -0.0293),
    (-0.1448, -0.1463, -0.1189),
)
FLUX_RGB = (
    (-0.0346, 0.0244, 0.0681),
    (0.0034, 0.0210, 0.0687),
    (0.0275, -0.0668, -0.0433),
    (-0.0174, 0.0160, 0.0617),
    (0.0859, 0.0721, 0.0329),
    (0.0004, 0.0383, 0.0115),
    (0.0405, 0.0861, 0.0915),
    (-0.0236, -0.0185, -0.0259),
    (-0.0245, 0.0250, 0.1180),
    (0.1008, 0.0755, -0.0421),
    (-0.0515, 0.0201, 0.0011),
    (0.0428, -0.0012, -0.0036),
    (0.0817, 0.0765, 0.0749),
    (-0.1264, -0.0522, -0.1103),
    (-0.0280, -0.0881, -0.0499),
    (-0.1262, -0.0982, -0.0778),
)


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
            preview=Preview("madebyollin/taesd", SD15_RGB),
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
            preview=Preview("madebyollin/taesdxl", SDXL_RGB, (0.1084, -0.0175, -0.0011)),
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
            preview=Preview("madebyollin/taesd3", SD3_RGB, (0.2394, 0.2135, 0.1925)),
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
            preview=Preview(
                "madebyollin/taef1", FLUX_RGB, (-0.0329, -0.0718, -0.0851), packed=True
            ),
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


class FamilyMismatch(ModelUnfit):
    """A loaded model whose pipeline is not of the family it was configured (or guessed) as."""

    def __init__(self, pipeline: str, found: Family | None, expected: Family) -> None:
        kind = found.title if found is not None else f"{pipeline} (not a family the bot knows)"
        fix = f'set its `family = "{found.name}"`' if found is not None else "choose another model"
        super().__init__(f"it is a {kind} model, not {expected.title}", fix)
