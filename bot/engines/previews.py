"""Live previews: what a running draw looks like so far, as a small JPEG of a job's pictures (a
grid for several), decoded from the current latents and handed to the job between two steps
(by the batch runner's step callback, ``StepEnd`` in ``bot/engines/batches.py``).

Decoding (:class:`LatentDecoder`, one per resident model, loaded with it): the model's tiny
autoencoder (``AutoencoderTiny``: TAESD, TAESDXL, TAESD3, TAEF1; ``preview_decoder``), else its
family's linear latent → RGB map (``bot/domain/families.py``), a matrix product on the latents
at almost no cost. FLUX's packed latents are unpacked first; the latents of samplers that scale
the noise by σ (Euler and its kin start at σ ≈ 14) are divided by √(σ² + 1), so early previews
are not washed out.

Cost (:class:`Previews`, one per batch): everything runs on the draw thread, between two steps.
A preview is made when ``image.preview_seconds`` have passed since the last one *and* the
previews so far, with this one's expected cost (the decoder's last measured cost per latent
pixel; a tiny autoencoder's first measure is a warm-up decode at load), take at most
:data:`BUDGET` of the time drawn: a costly decoder or a slow device gets fewer previews, never a
slower draw (``bench/previews.py`` measures it).

Safety: a job whose pictures the checker may hide (``preview_check``) has each preview run
through the model's own safety checker first; once one is flagged the job gets no more previews,
so a preview never shows what the result withholds. A preview that fails is logged and previews
stop for that batch: a draw never fails for one.
"""

from __future__ import annotations

import io
import logging
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import torch
from diffusers import AutoencoderTiny, DiffusionPipeline
from PIL import Image

from bot.config import ImageSettings, ModelSettings, display_name
from bot.domain.families import Family, Preview

log = logging.getLogger(__name__)

BUDGET = 0.05
"""Previews take at most this share of the drawing time."""
PREVIEW_SIDE = 384
"""The longer side of a preview (the grid of a job's pictures), in pixels."""
JPEG_QUALITY = 70
EMPTY = (40, 40, 40)
"""A grid cell whose picture is not drawn yet."""
AUTO = "auto"
WARM_UP = 16
"""A tiny autoencoder's first decode, at load: a WARM_UP² latent (its cost per pixel)."""


class LatentDecoder:
    """Turns a pipeline's latents into pictures: with the model's tiny autoencoder, else with its
    family's linear map."""

    def __init__(self, preview: Preview, tiny: AutoencoderTiny | None = None) -> None:
        self.preview = preview
        self.tiny = tiny
        self._rgb = torch.tensor(preview.latent_rgb)
        self._bias = torch.tensor(preview.latent_rgb_bias)
        self.rate = 0.0
        """Seconds a preview costs per latent pixel (decode, grid, JPEG), as last measured."""
        if tiny is not None:  # a first measure (and warm-up) before any draw counts on it
            began = time.perf_counter()
            self._decoded(torch.zeros(1, len(preview.latent_rgb), WARM_UP, WARM_UP))
            self.rate = (time.perf_counter() - began) / WARM_UP**2

    @property
    def kind(self) -> str:
        return "tiny autoencoder" if self.tiny is not None else "linear"

    def expected(self, pixels: int) -> float:
        """The seconds a preview of ``pixels`` latent pixels should take."""
        return self.rate * pixels

    def measured(self, seconds: float, pixels: int) -> None:
        self.rate = (self.rate + seconds / pixels) / 2 if self.rate else seconds / pixels

    @torch.no_grad()
    def pictures(
        self, latents: torch.Tensor, size: tuple[int, int], scheduler: Any = None
    ) -> list[Image.Image]:
        """One picture per row of ``latents`` (the pipeline's, for pictures of ``size``)."""
        if self.preview.packed:
            latents = unpack(latents, size)
        rgb = self._decoded(_unscaled_noise(latents, scheduler))
        pixels = ((rgb + 1) / 2).clamp(0, 1).mul(255).round().to(torch.uint8)
        return [Image.fromarray(row) for row in pixels.permute(0, 2, 3, 1).cpu().numpy()]

    @torch.no_grad()
    def _decoded(self, latents: torch.Tensor) -> torch.Tensor:
        """(batch, channels, h, w) latents as (batch, 3, H, W) colours, -1…1."""
        if self.tiny is not None:
            config = self.tiny.config
            parameter = next(self.tiny.parameters())
            tiny_input = latents.to(parameter.device, parameter.dtype)
            tiny_input = tiny_input / config.scaling_factor + config.shift_factor
            return self.tiny.decode(tiny_input).sample.float()
        weights = self._rgb.to(latents.device)
        rgb = torch.einsum("bchw,cr->brhw", latents.float(), weights)
        return rgb + self._bias.to(latents.device)[None, :, None, None]


def unpack(latents: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
    """FLUX's packed latents (batch, patches, channels × 4) as (batch, channels, h, w), as its
    pipeline unpacks them before decoding (8× VAE, 2×2 patches)."""
    width, height = size
    batch, _, packed = latents.shape
    down, across = 2 * (height // 16), 2 * (width // 16)
    grid = latents.view(batch, down // 2, across // 2, packed // 4, 2, 2)
    return grid.permute(0, 3, 1, 4, 2, 5).reshape(batch, packed // 4, down, across)


def _unscaled_noise(latents: torch.Tensor, scheduler: Any) -> torch.Tensor:
    """Latents of a sampler whose noise grows with σ (x + σ·ε) brought back to unit scale."""
    sigmas = getattr(scheduler, "sigmas", None)
    index = getattr(scheduler, "step_index", None)
    if sigmas is None or index is None or float(getattr(scheduler, "init_noise_sigma", 1)) <= 1:
        return latents
    sigma = float(sigmas[min(index, len(sigmas) - 1)])
    return latents / math.sqrt(sigma**2 + 1)


def load_decoder(
    settings: ImageSettings,
    model: ModelSettings,
    family: Family,
    device: str,
    dtype: torch.dtype,
) -> LatentDecoder:
    """``model``'s preview decoder: its ``preview_decoder`` (``auto``: the family's TAESD),
    loaded once; the linear map when it has none or it cannot be loaded (logged)."""
    source = family.preview.decoder if model.preview_decoder == AUTO else model.preview_decoder
    if not source:
        return LatentDecoder(family.preview)
    try:
        tiny = AutoencoderTiny.from_pretrained(
            source,
            dtype=dtype,
            cache_dir=settings.cache_dir,
            local_files_only=settings.local_files_only,
        )
    except Exception as error:  # a preview is a nicety: the model loads without it
        log.warning(
            "preview decoder %s could not be loaded (%s); previews use the linear map",
            display_name(source),
            error,
        )
        return LatentDecoder(family.preview)
    channels = len(family.preview.latent_rgb)
    if tiny.config.latent_channels != channels:
        log.warning(
            "preview decoder %s decodes %d latent channels, not %s's %d; previews use the "
            "linear map",
            display_name(source),
            tiny.config.latent_channels,
            family.title,
            channels,
        )
        return LatentDecoder(family.preview)
    return LatentDecoder(family.preview, tiny.to(device).eval())


class Previews:
    """The previews of one batch of jobs: when one is due, and what they cost so far."""

    def __init__(self, decoder: LatentDecoder, interval: float) -> None:
        self.decoder = decoder
        self.interval = interval
        self.started = self.last = time.perf_counter()
        self.spent = 0.0
        """Seconds spent on previews so far."""
        self.failed = False

    def due(self, now: float, pixels: int) -> bool:
        """Whether a preview of ``pixels`` latent pixels is due now: the interval has passed,
        and with its expected cost previews stay within the budget."""
        cost = self.spent + self.decoder.expected(pixels)
        return (
            not self.failed
            and now - self.last >= self.interval
            and cost <= BUDGET * (now - self.started)
        )

    @contextmanager
    def making(self, pixels: int) -> Iterator[None]:
        """Times a preview of ``pixels`` latent pixels made in the block (decoding, checking,
        the grid and its JPEG) against the budget; a failure in it is logged and ends the
        batch's previews (a draw never fails for one)."""
        began = time.perf_counter()
        try:
            yield
        except Exception:
            self.failed = True
            log.exception("a live preview failed; no more previews for this batch")
        finally:
            self.last = time.perf_counter()
            self.spent += self.last - began
            self.decoder.measured(self.last - began, pixels)


def flagged(pipeline: DiffusionPipeline, pictures: list[Image.Image]) -> bool:
    """Whether the pipeline's safety checker flags any of ``pictures`` (False without one)."""
    checker = getattr(pipeline, "safety_checker", None)
    run = getattr(pipeline, "run_safety_checker", None)
    if checker is None or run is None:
        return False
    arrays = np.stack([np.asarray(picture, dtype=np.float32) / 255 for picture in pictures])
    dtype = next(checker.parameters()).dtype
    _, found = run(arrays, pipeline._execution_device, dtype)
    return bool(found is not None and any(found))


def grid(pictures: dict[int, Image.Image], count: int) -> bytes:
    """The job's ``count`` pictures (those not drawn yet as empty cells) side by side, the longer
    side :data:`PREVIEW_SIDE`, as a JPEG."""
    columns = math.ceil(math.sqrt(count))
    lines = math.ceil(count / columns)
    width, height = next(iter(pictures.values())).size
    scale = PREVIEW_SIDE / max(columns * width, lines * height)
    cell = (max(1, round(width * scale)), max(1, round(height * scale)))
    sheet = Image.new("RGB", (columns * cell[0], lines * cell[1]), EMPTY)
    for index, picture in pictures.items():
        where = (index % columns * cell[0], index // columns * cell[1])
        sheet.paste(picture.convert("RGB").resize(cell, Image.Resampling.BILINEAR), where)
    out = io.BytesIO()
    sheet.save(out, format="JPEG", quality=JPEG_QUALITY)
    return out.getvalue()
