"""What a user asks the image stage for, validated against the configured limits (no torch here)."""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass, replace

from bot.config import GenerationDefaults, Limits
from bot.domain.errors import UserFacingError

MAX_SEED = 2**32 - 1


@dataclass(frozen=True)
class GenerationOptions:
    """One text-to-image request. Image ``i`` of the batch uses seed ``seed + i``."""

    prompt: str
    negative_prompt: str = ""
    seed: int = 0
    guidance: float = 7.0
    steps: int = 25
    count: int = 2
    width: int = 512
    height: int = 512

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
    ) -> GenerationOptions:
        """Fill unset values from the defaults (a random seed if none) and validate. Without
        ``prompt_required`` the prompt may be empty (speech will provide it)."""
        options = cls(
            prompt=prompt,
            negative_prompt=defaults.negative_prompt
            if negative_prompt is None
            else negative_prompt,
            seed=random_seed() if seed is None else seed,
            guidance=defaults.guidance if guidance is None else guidance,
            steps=defaults.steps if steps is None else steps,
            count=defaults.count if count is None else count,
            width=defaults.width if width is None else width,
            height=defaults.height if height is None else height,
        )
        options.validate(limits, prompt_required=prompt_required)
        return options

    def validate(self, limits: Limits, *, prompt_required: bool = True) -> None:
        """Raise :class:`UserFacingError` naming the first option out of range."""
        prompt = self.prompt.strip()
        if not prompt and prompt_required:
            raise UserFacingError("The prompt is empty: say or type what you want to see.")
        if len(prompt) > limits.max_prompt_chars:
            raise UserFacingError(
                f"The prompt is {len(prompt)} characters long; the limit is {limits.max_prompt_chars}."
            )
        if len(self.negative_prompt) > limits.max_prompt_chars:
            raise UserFacingError(
                f"The negative prompt is too long (limit {limits.max_prompt_chars} characters)."
            )
        _check_range("seed", self.seed, 0, MAX_SEED)
        _check_range("guidance", self.guidance, limits.min_guidance, limits.max_guidance)
        _check_range("steps", self.steps, 1, limits.max_steps)
        _check_range("count", self.count, 1, limits.max_count)
        for name in ("width", "height"):
            value = getattr(self, name)
            _check_range(name, value, limits.min_side, limits.max_side)
            if value % 8:
                raise UserFacingError(f"`{name}` must be a multiple of 8 (got {value}).")

    def with_changes(self, **changes: object) -> GenerationOptions:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def random_seed() -> int:
    return secrets.randbelow(MAX_SEED + 1)


def _check_range(name: str, value: float, low: float, high: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise UserFacingError(f"`{name}` must be a number (got {value!r}).")
    if not low <= value <= high:
        raise UserFacingError(f"`{name}` must be between {low:g} and {high:g} (got {value:g}).")


@dataclass(frozen=True)
class Variation:
    """Image-to-image: draw from ``image`` (a PNG), changing it by ``strength`` (0 keeps it, 1
    ignores it). ``source`` names the job and image index it came from, for the reply."""

    image: bytes
    strength: float = 0.6
    source: str = ""
    image_url: str | None = None
    """Where to fetch ``image`` when it is still empty (the queue fetches it before drawing)."""

    def validate(self) -> None:
        if not 0.05 <= self.strength <= 1.0:
            raise UserFacingError(f"`strength` must be between 0.05 and 1 (got {self.strength:g}).")
