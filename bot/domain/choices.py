"""Which model a job draws with, and the defaults and limits that model brings (no torch here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

from bot.config import GenerationDefaults, ImageSettings, Limits, ModelSettings, SamplerName
from bot.domain.errors import UserFacingError

SAMPLERS: tuple[str, ...] = get_args(SamplerName)
FAST_STEPS = 4
"""Steps of the fast mode on a model's LCM-LoRA (LCM draws in 2…8)."""


@dataclass(frozen=True)
class ModelChoice:
    """A configured model with its defaults and limits merged over the global ones."""

    name: str
    settings: ModelSettings
    defaults: GenerationDefaults
    limits: Limits
    sampler: str
    """The model's default sampler; empty: the scheduler it ships with."""


def choose_model(
    image: ImageSettings,
    defaults: GenerationDefaults,
    limits: Limits,
    name: str | None = None,
    *,
    fast: bool = False,
) -> ModelChoice:
    """The model ``name`` (None: ``fast_model`` when ``fast``, else the default model).

    ``fast`` on a model with a ``fast_lora`` gives its LCM defaults (4 steps, guidance 1, LCM).
    """
    choices = image.choices
    if not name:
        name = image.fast_model if fast and image.fast_model else image.default_model_name
    if name not in choices:
        raise UserFacingError("bad-one-of", option="model", known=", ".join(choices), value=name)
    model = choices[name]
    lcm = fast and model.fast_lora is not None and name != image.fast_model
    if fast and not lcm and name != image.fast_model:
        raise UserFacingError("fast-not-configured", model=name)
    merged = {
        "steps": FAST_STEPS if lcm else model.steps,
        "guidance": 1.0 if lcm else model.guidance,
        "width": model.width,
        "height": model.height,
    }
    model_limits = {"min_guidance": model.min_guidance, "max_steps": model.max_steps}
    return ModelChoice(
        name=name,
        settings=model,
        defaults=defaults.model_copy(update=_set(merged)),
        limits=limits.model_copy(update=_set(model_limits)),
        sampler="lcm" if lcm else model.sampler or "",
    )


def _set(values: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in values.items() if value is not None}
