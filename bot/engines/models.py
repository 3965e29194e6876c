"""The image models of one process: loaded on first use, the least recently used leaving.

Each resident model is one loaded text-to-image pipeline; its image-to-image and inpainting
pipelines are made from it with ``from_pipe`` (the same modules: no second copy of the weights).
A model's ``inpaint_model`` (zooms and pans) is resident like any model, under its own name.
Its LoRA styles are loaded with it, once, and switched per pipeline call with ``set_adapters``.
Everything here runs on the image worker thread.
"""

from __future__ import annotations

import functools
import gc
import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

import torch
from diffusers import AutoPipelineForImage2Image, AutoPipelineForInpainting, DiffusionPipeline
from diffusers.schedulers.scheduling_utils import SchedulerMixin

from bot.config import ImageSettings, LoraSettings, ModelSettings
from bot.domain.families import Family, family_of
from bot.engines.hub import ModelSource
from bot.engines.pipelines import load_pipeline, resolve_device
from bot.engines.previews import LatentDecoder, load_decoder
from bot.engines.samplers import make_scheduler

log = logging.getLogger(__name__)

FAST_ADAPTER = "fast-lcm"
"""The adapter name of a model's few-step LoRA (``fast_lora``)."""
BASE_ADAPTER = "always"
"""The adapter name of a model's ``lora`` while it is fused into the weights."""
GIB = 2**30


@dataclass(eq=False)
class ResidentModel:
    """A loaded model: its pipelines, its own scheduler (the samplers' base) and its styles."""

    name: str
    settings: ModelSettings
    family: Family
    pipeline: DiffusionPipeline
    base_scheduler: SchedulerMixin
    decoder: LatentDecoder
    """Decodes its latents for live previews (its tiny autoencoder, or its family's linear map)."""
    adapters: dict[str, float] = field(default_factory=dict)
    """The LoRA adapters loaded into the pipeline (name → scale)."""

    @functools.cached_property
    def img2img(self) -> DiffusionPipeline:
        """The family's image-to-image pipeline with the same modules."""
        return _derived(AutoPipelineForImage2Image, self.pipeline, self.settings)

    @functools.cached_property
    def inpaint(self) -> DiffusionPipeline:
        """The family's inpainting pipeline with the same weights (a plain model inpaints too:
        diffusers blends the known area back into the latents at each step; an inpainting
        model's 9-channel UNet sees the mask and the masked picture instead)."""
        return _derived(AutoPipelineForInpainting, self.pipeline, self.settings)

    def prepare(self, pipeline: DiffusionPipeline, sampler: str, style: str, fast: bool) -> None:
        """Set ``pipeline`` (one of this model's) up for one call: a fresh scheduler for
        ``sampler`` and the adapters of ``style`` and the fast mode, the others off."""
        pipeline.scheduler = make_scheduler(sampler, self.base_scheduler)
        if not self.adapters:
            return
        names = [style] if style else []
        if fast and FAST_ADAPTER in self.adapters:
            names.append(FAST_ADAPTER)
        if names:
            self.pipeline.enable_lora()
            self.pipeline.set_adapters(names, [self.adapters[name] for name in names])
        else:
            self.pipeline.disable_lora()


class ModelPool:
    """The resident models by name, least recently used first; at most
    ``image.max_resident_models`` (and, on CUDA, within ``image.memory_budget_gib``)."""

    def __init__(
        self,
        settings: ImageSettings,
        device: str,
        on_status: Callable[[str | None], None] | None = None,
    ) -> None:
        self.settings = settings
        self.device = device
        self._on_status = on_status or (lambda status: None)
        self._resident: OrderedDict[str, ResidentModel] = OrderedDict()

    @property
    def resident(self) -> list[str]:
        """The names of the models loaded now, least recently used first."""
        return list(self._resident)

    def get(self, name: str) -> ResidentModel:
        """The model ``name`` (empty: the default one; or an inpainting model's name), loaded
        first if it is not resident."""
        name = name or self.settings.default_model_name
        if name in self._resident:
            self._resident.move_to_end(name)
            return self._resident[name]
        model = self._load(name)
        self._resident[name] = model
        self._evict(keep=name)
        return model

    def _load(self, name: str) -> ResidentModel:
        """Load the model ``name`` (a choice or an inpainting model); a failure is a
        :class:`ModelLoadError` in one sentence (the model by name, what to change)."""
        model = self.settings.choices.get(name) or self.settings.inpainters[name]
        key = f"image.models.{name}" if name in self.settings.models else "image.model"
        family = family_of(model)
        self._on_status(f"warming up image model {name}")
        try:
            with ModelSource("image model", name, key).loading():
                return self._loaded(name, model, family)
        finally:
            self._on_status(None)

    def _loaded(self, name: str, model: ModelSettings, family: Family) -> ResidentModel:
        _, dtype = resolve_device(self.settings, family)
        pipeline = load_pipeline(self.settings, model, family, self.device, dtype)
        base = pipeline.scheduler
        if model.scheduler:  # every sampler starts from the model's own scheduler settings
            base = type(base).from_config(base.config, **model.scheduler)
        decoder = load_decoder(self.settings, model, family, self.device, dtype)
        resident = ResidentModel(name, model, family, pipeline, base, decoder)
        if model.lora is not None:  # always on: fused into the weights
            _load_lora(pipeline, model.lora, BASE_ADAPTER)
            pipeline.fuse_lora(adapter_names=[BASE_ADAPTER], lora_scale=model.lora.scale)
            pipeline.delete_adapters(BASE_ADAPTER)
        styles: dict[str, LoraSettings] = dict(model.loras)
        if model.fast_lora is not None:
            styles[FAST_ADAPTER] = model.fast_lora
        for adapter, lora in styles.items():
            _load_lora(pipeline, lora, adapter)
            resident.adapters[adapter] = lora.scale
        return resident

    def _evict(self, keep: str) -> None:
        """Unload the least recently used models beyond the limits (never ``keep``)."""
        while len(self._resident) > 1 and (
            len(self._resident) > self.settings.max_resident_models or self._over_budget()
        ):
            oldest = next(name for name in self._resident if name != keep)
            del self._resident[oldest]
            gc.collect()
            if self.device == "cuda":
                torch.cuda.empty_cache()
            log.info("unloaded image model %s", oldest)

    def _over_budget(self) -> bool:
        budget = self.settings.memory_budget_gib
        if budget is None or self.device != "cuda":
            return False
        return torch.cuda.memory_allocated() > budget * GIB


def _derived(kind: type, pipeline: DiffusionPipeline, model: ModelSettings) -> DiffusionPipeline:
    derived = kind.from_pipe(pipeline)
    if model.offload == "model":  # its own hooks: each call hands the modules back at its end
        derived.enable_model_cpu_offload(device=pipeline._offload_device)
    derived.set_progress_bar_config(disable=True)
    return derived


def _load_lora(pipeline: DiffusionPipeline, lora: LoraSettings, adapter: str) -> None:
    pipeline.load_lora_weights(str(lora.path), weight_name=lora.weight_name, adapter_name=adapter)
