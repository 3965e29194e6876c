"""The image settings: the models a job may draw with, their LoRAs, presets, offloading and
quantization (what each family needs is ``bot/domain/families.py``'s)."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from bot.config.names import _Section, display_name, is_a_path
from bot.config.presets import PRESETS

SamplerName = Literal[
    "dpm++2m-karras", "dpm++2m", "euler-a", "euler", "ddim", "unipc", "lcm", "pndm",
    "flow-euler", "flow-euler-karras", "flow-euler-sde", "flow-heun",
]  # fmt: skip
"""The samplers a job may pick (diffusers schedulers; ``bot/engines/samplers.py`` maps them, and
each family lists those it can use)."""
FamilyName = Literal["sd15", "sdxl", "sd3", "flux"]
"""SD 1.x/2.x, SDXL, SD3.x, FLUX.1 (``bot/domain/families.py``)."""
GuidanceKind = Literal["cfg", "distilled", "none"]
"""Classifier-free guidance, a guidance input of a distilled model (FLUX.1-dev), or none."""
OffloadMode = Literal["none", "model", "group"]


class LoraSettings(_Section):
    path: Path
    """A local folder or ``.safetensors`` file of LoRA weights in the diffusers or kohya format,
    or a hub repo id (downloaded with the model)."""
    weight_name: str | None = None
    """The weights file inside ``path`` when it is a folder or repo holding more than one."""
    scale: float = Field(default=1.0, ge=0, le=2)
    """How strongly the style applies."""


class FastLoraSettings(LoraSettings):
    """A few-step LoRA for ``fast``; unset values: the family's (LCM: 4 steps, guidance 1, the
    LCM sampler; a flow model's: 8 steps, its own guidance and scheduler)."""

    steps: int | None = Field(default=None, ge=1)
    guidance: float | None = Field(default=None, ge=0)
    sampler: SamplerName | None = None


QUANTIZATION_TYPES = {
    "torchao": ("int8wo", "int8dq", "float8wo", "int4wo", "float8dq"),
    "bitsandbytes": ("nf4", "fp4", "int8"),
}
"""The ``type``s of each backend (``bot/engines/placement.py`` maps them to diffusers' configs)."""


class QuantizationSettings(_Section):
    """The denoiser (transformer or UNet) loaded quantized, to fit a smaller GPU."""

    backend: Literal["gguf", "torchao", "bitsandbytes"]
    """``gguf``: a quantized single file (``file``), dequantized per layer as it runs (CPU too;
    ``pip install gguf``); ``torchao`` (``pip install torchao``): ``int8wo``, ``int8dq`` or
    ``float8wo`` (CPU too), ``int4wo`` or ``float8dq`` (CUDA; float8dq on Ada/Hopper GPUs);
    ``bitsandbytes`` (CUDA only; ``pip install bitsandbytes``): ``nf4``, ``fp4`` or ``int8``."""
    type: str = ""
    file: str | None = None
    """``gguf``: the ``.gguf`` file of the denoiser (a local path or an https URL), in the layout
    of the published files (city96's) or of diffusers' state dict."""

    @model_validator(mode="after")
    def _complete(self) -> QuantizationSettings:
        if (self.backend == "gguf") != (self.file is not None):
            raise ValueError("`file` goes with backend gguf (and gguf needs one)")
        known = QUANTIZATION_TYPES.get(self.backend, ())
        if known and self.type not in known:
            raise ValueError(f"{self.backend} needs a `type`: one of {', '.join(known)}")
        return self


class Placement(_Section):
    """How a model's weights sit on a GPU too small for all of them at once."""

    offload: OffloadMode = "none"
    """``model``: each component moves to the GPU while it runs (GPU memory: about the largest
    component); ``group``: every component's blocks stream in as they run (less memory, slower)."""
    quantization: QuantizationSettings | None = None


class ModelSettings(Placement):
    """One model of ``image.models``; a ``preset`` fills the values left unset, then the
    family's, then ``[defaults]``/``[limits]``."""

    preset: str | None = None
    """A short name from ``bot/config/presets.py`` (``sdxl``, ``flux-schnell``, …): the model id
    and its tuned defaults, fast mode and inpainting model."""
    source: str
    """A diffusers model id or a local folder."""
    family: FamilyName | None = None
    """None: the preset's, else the folder's pipeline class, else a guess from the id (checked
    when the model loads)."""
    variant: str | None = None
    steps: int | None = Field(default=None, ge=1)
    guidance: float | None = Field(default=None, ge=0)
    min_guidance: float | None = Field(default=None, ge=0)
    """Turbo/LCM models draw at guidance 0…1: set 0 here and 0 as ``guidance``."""
    guidance_kind: GuidanceKind | None = None
    """None: the family's (FLUX.1-schnell: ``none``, so a given guidance is refused)."""
    max_steps: int | None = Field(default=None, ge=1)
    width: int | None = Field(default=None, ge=64)
    """Native size: what ``aspect`` keeps the pixel count of (SD 1.5: 512, SDXL: 1024)."""
    height: int | None = Field(default=None, ge=64)
    sampler: SamplerName | None = None
    """None: the scheduler the model ships with."""
    scheduler: dict[str, str | float | int | bool] = Field(default_factory=dict)
    """Changes to the model's own scheduler settings, which every sampler starts from
    (SDXL-Lightning: ``timestep_spacing = "trailing"``)."""
    size_multiple: Literal[8, 16, 32, 64] | None = None
    """Sides are rounded to multiples of this; None: the family's (8; 16 for SD3 and FLUX)."""
    lora: LoraSettings | None = None
    """A LoRA always applied, fused into the weights at load (a distilled few-step LoRA such as
    SDXL-Lightning's)."""
    loras: dict[str, LoraSettings] = Field(default_factory=dict)
    """Styles (name → LoRA) a job may pick with ``style``; loaded with the model."""
    fast_lora: FastLoraSettings | None = None
    """A few-step LoRA (LCM-LoRA, Hyper-SD): ``fast`` then draws with it."""
    inpaint_model: str | None = Field(default=None, min_length=1)
    """An inpainting model (diffusers id or local folder, e.g. SD 1.5 inpainting: a 9-channel
    UNet) that fills the new area of zooms and pans; None: this model's own weights (through
    its family's inpainting pipeline). It is named by its display name among the resident models."""
    preview_decoder: str | None = Field(default=None, min_length=1)
    """The tiny autoencoder (``AutoencoderTiny``: a diffusers id or local folder) that decodes
    live previews, loaded once with the model; ``auto``: the family's TAESD (``taesd``,
    ``taesdxl``, ``taesd3``, ``taef1``); None (or one that cannot be loaded): the family's
    linear latent → RGB approximation, at almost no cost."""

    @field_validator("fast_lora", mode="before")
    @classmethod
    def _fast(cls, value: Any) -> Any:
        """A plain :class:`LoraSettings` is a fast LoRA with the family's steps and sampler."""
        if isinstance(value, LoraSettings) and not isinstance(value, FastLoraSettings):
            return value.model_dump()
        return value

    @model_validator(mode="before")
    @classmethod
    def _preset(cls, data: Any) -> Any:
        """The preset's values under those given (a value given as None counts as unset)."""
        if not isinstance(data, dict) or not data.get("preset"):
            return data
        name = data["preset"]
        if name not in PRESETS:
            raise ValueError(f"unknown preset {name!r} (known: {', '.join(PRESETS)})")
        return PRESETS[name] | {key: value for key, value in data.items() if value is not None}

    @property
    def pipeline_class(self) -> str:
        """The pipeline class a local folder names in its ``model_index.json`` (else empty)."""
        return _pipeline_class(self.source) if is_a_path(self.source) else ""


class ImageSettings(Placement):
    preset: str | None = None
    """A preset (see ``ModelSettings.preset``) for ``model``: ``model`` then defaults to its id."""
    model: str = "stable-diffusion-v1-5/stable-diffusion-v1-5"
    """Any diffusers text-to-image model id or local folder (SD 1.5, SDXL, SD3.x, FLUX.1)."""
    family: FamilyName | None = None
    """``model``'s family (see ``ModelSettings.family``)."""
    device: Literal["auto", "cpu", "cuda"] = "auto"
    dtype: Literal["auto", "float16", "bfloat16", "float32"] = "auto"
    """auto: on CUDA the family's (float16; bfloat16 for SD3 and FLUX), float32 on CPU."""
    variant: str | None = None
    """Weights variant to load, e.g. ``fp16``."""
    cache_dir: Path | None = None
    local_files_only: bool = False
    safety_checker: bool = True
    attention_slicing: bool = False
    vae_slicing: bool = True
    batch_jobs: Annotated[int, Field(ge=1)] | Literal["auto"] = "auto"
    """Queued jobs drawn together in one pipeline call when their size, steps, guidance and
    safety switch match; auto: 4 on CUDA, 1 on CPU (where batching gains little)."""
    max_batch_images: int = Field(default=8, ge=1)
    """The most images in one pipeline call (a larger job, or batch, runs in parts)."""
    models: dict[str, ModelSettings] = Field(default_factory=dict)
    """More models a job may pick (name → settings), besides ``model`` (named by its display name)."""
    default_model: str = ""
    """The name (in ``models``) drawn when a job names none; empty: ``model``."""
    fast_model: str = ""
    """The few-step model (in ``models``) that ``fast`` picks; empty: the chosen model's LCM-LoRA."""
    max_resident_models: int = Field(default=1, ge=1)
    """Models kept loaded at once (least recently used leaves); on CUDA also ``memory_budget_gib``."""
    memory_budget_gib: float | None = Field(default=None, gt=0)
    """On CUDA: after a load, models leave (least recent first) until allocated memory fits."""
    vae_tiling_above: int = Field(default=1024, ge=64)
    """Pictures with a side above this are decoded by the VAE in tiles (upscales, zooms)."""
    inpaint_model: str | None = Field(default=None, min_length=1)
    """``model``'s inpainting model for zooms and pans (see ``ModelSettings.inpaint_model``)."""
    preview_decoder: str | None = Field(default=None, min_length=1)
    """``model``'s live-preview decoder (see ``ModelSettings.preview_decoder``)."""
    preview_seconds: float = Field(default=2.0, ge=0)
    """A drawing job's message shows a small preview of its pictures this often (never more
    than 5 % of the drawing time goes into them); 0: no previews. Servers may turn them off in
    ``/settings``."""

    @model_validator(mode="before")
    @classmethod
    def _preset_model(cls, data: Any) -> Any:
        """A preset without ``model``: the preset's model id."""
        if isinstance(data, dict) and data.get("preset") and not data.get("model"):
            data = {**data, "model": PRESETS.get(data["preset"], {}).get("source")}
        return data

    @model_validator(mode="after")
    def _models_named(self) -> ImageSettings:
        for key in ("default_model", "fast_model"):
            name = getattr(self, key)
            if name and name not in self.models:
                raise ValueError(f"{key} {name!r} is not one of image.models")
        return self

    @model_validator(mode="after")
    def _inpainters_loadable(self) -> ImageSettings:
        """Each inpaint model's name is its own (no model's, no other inpaint model's); a local
        one is a diffusers model folder."""
        choices, seen = self.choices, dict[str, str]()
        for name, model in choices.items():
            source = model.inpaint_model
            if source is None:
                continue
            where, inpainter = f"inpaint_model of {name!r}", display_name(source)
            if inpainter in choices or seen.setdefault(inpainter, source) != source:
                raise ValueError(f"{where}: its name {inpainter!r} is taken; rename its folder")
            if is_a_path(source) and not (Path(source).expanduser() / "model_index.json").is_file():
                raise ValueError(f"{where}: {source!r} is not a diffusers model folder")
        return self

    @property
    def default_model_name(self) -> str:
        return self.default_model or self.display_name

    @property
    def choices(self) -> dict[str, ModelSettings]:
        """Every model a job may name: ``model`` under its display name, then ``models``."""
        legacy = ModelSettings(
            preset=self.preset,
            source=self.model,
            family=self.family,
            variant=self.variant,
            inpaint_model=self.inpaint_model,
            preview_decoder=self.preview_decoder,
            offload=self.offload,
            quantization=self.quantization,
        )
        return {self.display_name: legacy} | self.models

    @property
    def inpainters(self) -> dict[str, ModelSettings]:
        """The inpainting models of ``choices`` by their names (two models may share one), each
        placed on the device as the model it fills for."""
        return {
            display_name(model.inpaint_model): ModelSettings(
                source=model.inpaint_model, family=model.family, offload=model.offload
            )
            for model in self.choices.values()
            if model.inpaint_model
        }

    def jobs_per_batch(self, device: str) -> int:
        """``batch_jobs`` for a model on ``device`` (``cuda`` or ``cpu``)."""
        if self.batch_jobs == "auto":
            return 4 if device == "cuda" else 1
        return self.batch_jobs

    @property
    def display_name(self) -> str:
        """The preset's name while ``model`` is its id; else the model id, or only the folder
        name of a local model (no server paths in replies)."""
        if self.preset and PRESETS.get(self.preset, {}).get("source") == self.model:
            return self.preset
        return display_name(self.model)


@functools.lru_cache(maxsize=64)
def _pipeline_class(folder: str) -> str:
    index = Path(folder).expanduser() / "model_index.json"
    return str(json.loads(index.read_text()).get("_class_name", "")) if index.is_file() else ""
