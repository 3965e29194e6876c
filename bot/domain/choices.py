"""Which model a job draws with, and the defaults and limits that model brings (no torch here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar, get_args

from bot.config import GenerationDefaults, ImageSettings, Limits, ModelSettings, SamplerName
from bot.domain.errors import UserFacingError
from bot.domain.families import Family, family_of

SAMPLERS: tuple[str, ...] = get_args(SamplerName)
T = TypeVar("T")


@dataclass(frozen=True)
class ModelChoice:
    """A configured model with its family's and its own defaults and limits merged over the
    global ones."""

    name: str
    settings: ModelSettings
    family: Family
    defaults: GenerationDefaults
    limits: Limits
    sampler: str
    """The model's default sampler; empty: the scheduler it ships with."""

    @property
    def multiple(self) -> int:
        """Sides are multiples of this."""
        return self.settings.size_multiple or self.family.multiple

    @property
    def guidance_kind(self) -> str:
        return self.settings.guidance_kind or self.family.guidance_kind

    @property
    def samplers(self) -> tuple[str, ...]:
        """The samplers this model can draw with."""
        return self.family.samplers

    def negative_works(self, guidance: float) -> bool:
        """Whether a negative prompt changes what is drawn at ``guidance``: classifier-free
        guidance uses it only above 1; a distilled model's true CFG always."""
        return self.family.negative == "true-cfg" or guidance > 1

    def check(self, sampler: str, guidance: float, negative: str) -> None:
        """Refuse, in words, a sampler the family cannot use, a guidance the model ignores and a
        negative prompt that would change nothing."""
        if sampler and sampler not in self.samplers:
            known = ", ".join(self.samplers)
            raise UserFacingError(
                "sampler-unusable", sampler=sampler, model=self.name, family=self.family.title,
                known=known,
            )  # fmt: skip
        if self.guidance_kind == "none" and guidance != self.defaults.guidance:
            raise UserFacingError("guidance-ignored", model=self.name)
        if negative and not self.negative_works(guidance):
            raise UserFacingError("negative-ignored", model=self.name, guidance=guidance)


def choose_model(
    image: ImageSettings,
    defaults: GenerationDefaults,
    limits: Limits,
    name: str | None = None,
    *,
    fast: bool = False,
) -> ModelChoice:
    """The model ``name`` (None: ``fast_model`` when ``fast``, else the default model).

    Values come from the model's settings (and its preset), then its family's, then
    ``defaults``. ``fast`` on a model with a ``fast_lora`` gives the LoRA's (or its family's
    fast) steps, guidance and sampler (an LCM-LoRA: 4 steps, guidance 1, LCM).
    """
    choices = image.choices
    if not name:
        name = image.fast_model if fast and image.fast_model else image.default_model_name
    if name not in choices:
        raise UserFacingError("bad-one-of", option="model", known=", ".join(choices), value=name)
    model = choices[name]
    family = family_of(model)
    lora = model.fast_lora if fast and name != image.fast_model else None
    if fast and lora is None and name != image.fast_model:
        raise UserFacingError("fast-not-configured", model=name)
    guidance = _first(model.guidance, family.guidance)
    sampler = model.sampler or ""
    steps = _first(model.steps, family.steps)
    if lora is not None:
        steps = _first(lora.steps, family.fast.steps)
        guidance = _first(lora.guidance, family.fast.guidance, guidance)
        sampler = lora.sampler or family.fast.sampler
    merged = {
        "steps": steps,
        "guidance": guidance,
        "width": _first(model.width, family.native),
        "height": _first(model.height, family.native),
    }
    kind = model.guidance_kind or family.guidance_kind
    floor = 0.0 if kind == "none" else model.min_guidance
    model_limits = {"min_guidance": floor, "max_steps": model.max_steps}
    return ModelChoice(
        name=name,
        settings=model,
        family=family,
        defaults=defaults.model_copy(update=_set(merged)),
        limits=limits.model_copy(update=_set(model_limits)),
        sampler=sampler,
    )


def _first(*values: T | None) -> T | None:
    return next((value for value in values if value is not None), None)


def _set(values: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in values.items() if value is not None}
