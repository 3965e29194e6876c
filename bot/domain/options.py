"""What a user asks the image stage for, validated against the configured limits (no torch here)."""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass, replace
from typing import Literal, get_args

from bot.config import GenerationDefaults, ImageSettings, Limits
from bot.domain.aspect import SHAPES, aspect_size, ratio_size
from bot.domain.choices import SAMPLERS, choose_model
from bot.domain.errors import UserFacingError

MAX_SEED = 2**32 - 1
MAX_CHAOS = 100
MAX_STYLIZE = 1000
STYLIZE_DEFAULT = 100
"""``--stylize`` at this value keeps the model's default guidance (Midjourney's default)."""
STYLIZE_HALVING = 300
"""Every this much ``--stylize`` above the default halves guidance (below it, doubles it)."""
CHAOS_RANGE = 2.0
"""At ``--chaos 100`` a grid's guidance runs from the base ÷ this to the base × this."""


@dataclass(frozen=True)
class GenerationOptions:
    """One text-to-image request. Image ``i`` of the batch uses seed ``seed + i``.

    ``model``, ``sampler`` and ``style`` are names from the settings (empty: the default model,
    its default sampler, no style); ``fast`` draws with the fast mode (see ``choose_model``).
    ``parent_job`` and ``parent_prompt``: the job a remix (a voice reply to a result) came from,
    and what it drew; its PNGs record the parent. ``chaos`` (0–100) spreads guidance across the
    pictures (:meth:`guidance_of`).
    """

    prompt: str
    negative_prompt: str = ""
    seed: int = 0
    guidance: float = 7.0
    steps: int = 25
    count: int = 2
    width: int = 512
    height: int = 512
    model: str = ""
    sampler: str = ""
    style: str = ""
    fast: bool = False
    parent_job: str = ""
    parent_prompt: str = ""
    chaos: int = 0

    @classmethod
    def build(
        cls,
        prompt: str,
        defaults: GenerationDefaults,
        limits: Limits,
        *,
        negative_prompt: str | None = None,
        seed: int | None = None,
        guidance: float | None = None,
        steps: int | None = None,
        count: int | None = None,
        width: int | None = None,
        height: int | None = None,
        prompt_required: bool = True,
        image: ImageSettings | None = None,
        model: str | None = None,
        sampler: str | None = None,
        style: str | None = None,
        aspect: str | None = None,
        size: str | None = None,
        fast: bool = False,
        ratio: tuple[int, int] | None = None,
        stylize: int | None = None,
        chaos: int = 0,
    ) -> GenerationOptions:
        """Fill unset values from the defaults (a random seed if none) and validate. Without
        ``prompt_required`` the prompt may be empty (speech will provide it).

        With ``image`` (the image settings) ``model``, ``fast``, ``sampler`` and ``style`` are
        checked against the configured ones, and the model's own defaults and limits apply.
        ``aspect`` (one of ``ASPECTS``) or ``ratio`` (``--ar``: any ``(across, down)``) sets
        width and height from the model's native size; ``size`` (one of ``SHAPES``) too, its long
        side 1.5× the native side. Sides are rounded to the model's multiple (its family's: 16 for
        SD3 and FLUX) within the limits. ``stylize`` (``--stylize``) sets guidance from the
        default one (:func:`stylized`) when ``guidance`` is not given.
        """
        chosen, choice = "", None
        if image is not None:
            choice = choose_model(image, defaults, limits, model, fast=fast)
            defaults, limits, chosen = choice.defaults, choice.limits, choice.name
            sampler = choice.sampler if sampler is None else sampler
        elif model or fast:
            raise UserFacingError("bad-model-needs-settings")
        multiple = 8 if choice is None else choice.multiple
        native = (defaults.width, defaults.height)
        if size is not None:
            if aspect is not None or ratio is not None:
                raise UserFacingError("bad-size-or-aspect")
            if size not in SHAPES:
                raise UserFacingError(
                    "bad-one-of", option="size", known=", ".join(SHAPES), value=size
                )
            aspect, scale = SHAPES[size]
            native = (defaults.width, round(defaults.height * scale))
        if aspect is not None or ratio is not None:
            if width is not None or height is not None or (aspect and ratio):
                raise UserFacingError("bad-aspect-or-size")
            if ratio is not None:
                width, height = ratio_size(ratio, native, limits, multiple)
            else:
                assert aspect is not None
                width, height = aspect_size(aspect, native, limits, multiple)
        if guidance is None and stylize is not None:
            guidance = stylized(defaults.guidance, stylize, limits)
        guidance = defaults.guidance if guidance is None else guidance
        if negative_prompt is None:  # the default one, where it changes something
            works = choice is None or choice.negative_works(guidance)
            negative_prompt = defaults.negative_prompt if works else ""
        options = cls(
            prompt=prompt,
            negative_prompt=negative_prompt,
            seed=random_seed() if seed is None else seed,
            guidance=guidance,
            steps=defaults.steps if steps is None else steps,
            count=defaults.count if count is None else count,
            width=defaults.width if width is None else width,
            height=defaults.height if height is None else height,
            model=chosen,
            sampler=sampler or "",
            style=style or "",
            fast=fast,
            chaos=chaos,
        )
        options.validate(limits, prompt_required=prompt_required, image=image)
        return options

    def validate(
        self, limits: Limits, *, prompt_required: bool = True, image: ImageSettings | None = None
    ) -> None:
        """Raise :class:`UserFacingError` naming the first option out of range (with ``image``,
        also a model, style or fast mode that is not configured, and what the model's family
        cannot do: see :meth:`ModelChoice.check`)."""
        prompt = self.prompt.strip()
        if not prompt and prompt_required:
            raise UserFacingError("prompt-empty")
        if len(prompt) > limits.max_prompt_chars:
            raise UserFacingError(
                "prompt-too-long", length=len(prompt), limit=limits.max_prompt_chars
            )
        if len(self.negative_prompt) > limits.max_prompt_chars:
            raise UserFacingError("negative-too-long", limit=limits.max_prompt_chars)
        _check_range("seed", self.seed, 0, MAX_SEED)
        _check_range("guidance", self.guidance, limits.min_guidance, limits.max_guidance)
        _check_range("steps", self.steps, 1, limits.max_steps)
        _check_range("count", self.count, 1, limits.max_count)
        _check_range("chaos", self.chaos, 0, MAX_CHAOS)
        if self.sampler and self.sampler not in SAMPLERS:
            raise UserFacingError(
                "bad-one-of", option="sampler", known=", ".join(SAMPLERS), value=self.sampler
            )
        choice = None
        if image is not None:
            choice = choose_model(image, GenerationDefaults(), limits, self.model, fast=self.fast)
            styles = choice.settings.loras
            if self.style and self.style not in styles:
                if not styles:
                    raise UserFacingError("style-none-configured")
                raise UserFacingError("style-unknown", known=", ".join(styles))
            choice.check(self.sampler, self.guidance, self.negative_prompt)
        multiple = 8 if choice is None else choice.multiple
        for name in ("width", "height"):
            value = getattr(self, name)
            _check_range(name, value, limits.min_side, limits.max_side)
            if value % multiple:
                raise UserFacingError("bad-multiple", option=name, multiple=multiple, value=value)

    def with_changes(self, **changes: object) -> GenerationOptions:
        return replace(self, **changes)

    @property
    def spread(self) -> bool:
        """Its pictures are drawn at guidances of their own (``chaos`` on a grid, with guidance
        on: a model drawn without guidance, turbo or fast, is never spread)."""
        return self.chaos > 0 and self.count > 1 and self.guidance > 1

    def guidance_of(self, index: int) -> float:
        """Picture ``index``'s guidance. With ``chaos`` c on a grid of n, picture i gets
        ``guidance × CHAOS_RANGE ** (c / 100 × s)``, s running evenly from -1 (the first) to 1
        (the last), rounded to 0.1 and never below 1 (guidance off)."""
        if not self.spread:
            return self.guidance
        position = -1 + 2 * index / (self.count - 1)
        spread = self.guidance * CHAOS_RANGE ** (self.chaos / MAX_CHAOS * position)
        return max(1.0, round(spread, 1))

    def alone(self, index: int) -> GenerationOptions:
        """Picture ``index`` as a job of its own: its seed and guidance, one picture."""
        return replace(
            self, seed=self.seed + index, guidance=self.guidance_of(index), count=1, chaos=0
        )

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def stylized(guidance: float, stylize: int, limits: Limits) -> float:
    """``--stylize`` as guidance: the default ``guidance`` at 100, halved for every 300 above
    (freer, more of the model's own look), doubled for every 300 below (closer to the prompt),
    rounded to 0.1 and kept within the limits. A model drawn without guidance (≤ 1: turbo, fast)
    keeps it."""
    if guidance <= 1:
        return guidance
    value = guidance * 2 ** ((STYLIZE_DEFAULT - stylize) / STYLIZE_HALVING)
    return min(limits.max_guidance, max(limits.min_guidance, round(value, 1)))


def random_seed() -> int:
    return secrets.randbelow(MAX_SEED + 1)


def _check_range(name: str, value: float, low: float, high: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise UserFacingError("bad-not-a-number", option=name, value=repr(value))
    if not low <= value <= high:
        raise UserFacingError("bad-out-of-range", option=name, low=low, high=high, value=value)


VariationKind = Literal["vary", "upscale", "zoom", "pan", "square"]
PanDirection = Literal["left", "right", "up", "down"]
MAX_ZOOM = 2.0
"""A zoom out makes the canvas at most this much larger (the buttons: 1.5 and 2; Custom Zoom:
any factor above 1 up to this)."""


@dataclass(frozen=True)
class Variation:
    """Drawing from a picture (``image``: PNG, JPEG or WebP bytes) with a job's options.

    ``kind``:
    - ``vary``: image to image at the job's size (a variation, or an image prompt: the user's
      own picture, cropped to the job's aspect), changing it by ``strength`` (0 keeps it, 1
      ignores it);
    - ``upscale``: the picture at ``factor``× (capped by ``limits.max_side``), redrawn at
      ``strength`` (low) with the job's prompt and seed;
    - ``zoom``: the picture in the middle of a canvas ``factor``× larger (above 1, at most 2),
      the rest drawn around it by inpainting; its pixels stay;
    - ``pan``: the canvas grown by ``factor - 1`` of the picture towards ``direction``;
    - ``square``: the picture in the middle of a square canvas, the rest drawn around it.

    ``source`` names the job and image index it came from, for the reply; ``mode`` the button's
    strength (``subtle``, ``strong``, ``creative``; empty: the plain V/U buttons).
    """

    image: bytes
    strength: float = 0.6
    source: str = ""
    kind: VariationKind = "vary"
    factor: float = 2.0
    direction: PanDirection | None = None
    image_url: str | None = None
    """Where to fetch ``image`` when it is still empty (the queue fetches it before drawing)."""
    mode: str = ""

    def validate(self) -> None:
        if not 0.05 <= self.strength <= 1.0:
            raise UserFacingError(
                "bad-out-of-range", option="strength", low=0.05, high=1, value=self.strength
            )
        if self.kind not in get_args(VariationKind):
            raise UserFacingError("variation-unknown-kind", kind_name=str(self.kind))
        if self.kind == "zoom" and not 1 < self.factor <= MAX_ZOOM:
            raise UserFacingError("zoom-factor", value=self.factor)
        if self.kind in ("upscale", "pan") and not 1 < self.factor <= 4:
            raise UserFacingError("factor-range", value=self.factor)
        if (self.kind == "pan") != (self.direction is not None):
            raise UserFacingError("pan-direction-needed")
        if self.direction is not None and self.direction not in get_args(PanDirection):
            raise UserFacingError("pan-direction-unknown", value=str(self.direction))
