"""What each kind of job hands the pipeline: text to image, a variation or image prompt, an
upscale (the "hires fix": enlarge, then image to image at a low strength with the same seed and
prompt), and a zoom out, pan or square (the picture on a larger canvas, the rest inpainted by the model
or its ``inpaint_model``, the picture's own pixels pasted back)."""

from __future__ import annotations

import functools
import inspect
import math
from typing import Any

from diffusers import DiffusionPipeline

from bot.config import ImageSettings, Limits, display_name
from bot.domain.errors import UserFacingError
from bot.domain.families import family_of
from bot.domain.options import GenerationOptions
from bot.engines.batches import Job, Request
from bot.engines.canvas import pan_layout, square_layout, upscale_size, zoom_layout
from bot.engines.models import ModelPool
from bot.engines.pictures import fit_picture, read_picture
from bot.engines.samplers import sampler_label


def build_request(job: Job, pool: ModelPool, settings: ImageSettings, limits: Limits) -> Request:
    """The pipeline, its inputs and the PNG parameters for ``job``; loads its model if need be
    (for a zoom or pan, the model's ``inpaint_model`` instead when it has one). Raises
    :class:`UserFacingError` for a style, picture or variation that cannot be drawn."""
    options, variation = job.options, job.variation
    name = options.model or settings.default_model_name
    choice = settings.choices[name]
    if options.style and options.style not in choice.loras:
        raise UserFacingError("style-not-configured", style=options.style, model=name)
    outpaint = variation is not None and variation.kind in ("zoom", "pan", "square")
    inpainter = display_name(choice.inpaint_model) if outpaint and choice.inpaint_model else ""
    model = pool.get(inpainter or name)
    sampler = options.sampler or choice.sampler or ""
    parameters: dict[str, Any] = {
        "model": name,
        "sampler": sampler_label(sampler, model.base_scheduler),
    }
    parameters |= {"inpaint_model": inpainter} if inpainter else {}
    parameters |= {"style": options.style} if options.style else {}
    parameters |= {"fast": True} if options.fast else {}
    parameters |= {"parent_job": options.parent_job} if options.parent_job else {}
    request = functools.partial(Request, job, model, sampler=sampler)
    if variation is None:
        size = {"width": options.width, "height": options.height}
        tiled = max(options.width, options.height) > settings.vae_tiling_above
        return request(model.pipeline, size, parameters, tiled=tiled)
    variation.validate()
    picture = read_picture(variation.image, limits)
    multiple = choice.size_multiple or family_of(choice).multiple
    parameters |= {"variation_of": variation.source, "kind": variation.kind}
    parameters |= {"mode": variation.mode} if variation.mode else {}
    if variation.kind in ("vary", "upscale"):
        _check_steps(options, variation.strength)
        size = (options.width, options.height)
        if variation.kind == "upscale":
            size = upscale_size(picture.size, variation.factor, limits.max_side, multiple)
            parameters |= {"upscaled_from": list(picture.size)}
        inputs = {"image": fit_picture(picture, size), "strength": variation.strength}
        if takes(
            model.img2img, "width"
        ):  # SD3 and FLUX: else their default size, not the picture's
            inputs |= {"width": size[0], "height": size[1]}
        parameters |= {"strength": variation.strength, "width": size[0], "height": size[1]}
        return request(
            model.img2img, inputs, parameters, tiled=max(size) > settings.vae_tiling_above
        )
    if variation.kind == "zoom":
        layout = zoom_layout(picture.size, variation.factor, limits.max_side, multiple)
    elif variation.kind == "square":
        layout = square_layout(picture.size, limits.max_side, multiple)
    else:
        assert variation.direction is not None  # validated
        layout = pan_layout(
            picture.size, variation.direction, variation.factor, limits.max_side, multiple
        )
    picture = fit_picture(picture, layout.picture)
    width, height = layout.size
    inputs = {
        "image": layout.canvas(picture),
        "mask_image": layout.mask(),
        "width": width,
        "height": height,
        "strength": 1.0,  # the new area from noise; the known one is blended back at each step
    }
    parameters |= {"width": width, "height": height}
    parameters |= {"factor": variation.factor} if variation.kind != "square" else {}
    parameters |= {"direction": variation.direction} if variation.direction else {}
    parameters |= {"picture_box": list(layout.box)}
    finish = functools.partial(layout.paste_back, picture=picture)
    tiled = max(layout.size) > settings.vae_tiling_above
    return request(model.inpaint, inputs, parameters, finish=finish, tiled=tiled)


def _check_steps(options: GenerationOptions, strength: float) -> None:
    if int(options.steps * strength) < 1:
        raise UserFacingError(
            "strength-needs-steps",
            strength=strength,
            steps=math.ceil(1 / strength),
            value=options.steps,
        )


def takes(pipeline: DiffusionPipeline, argument: str) -> bool:
    """Whether ``pipeline``'s call has ``argument``."""
    return argument in inspect.signature(pipeline.__call__).parameters
