"""Per-server policy chosen with ``/settings``, applied over the bot-wide settings for each job,
and banned-word matching."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, Literal

from bot.config import GenerationDefaults, Settings
from bot.domain.errors import UserFacingError

WHISPER_CHOICES = ("base", "small", "medium", "large-v3")
"""The original app's model sizes, offered in /settings."""

NsfwAction = Literal["withhold", "spoiler"]


@dataclass(frozen=True)
class GuildSettings:
    """What a server's admins changed; ``None`` means "the bot-wide setting"."""

    whisper_model: str | None = None
    auto_voice: bool | None = None
    voice_channels: tuple[int, ...] = ()
    """Channels where auto mode listens; empty means the bot-wide list (or everywhere)."""
    guidance: float | None = None
    steps: int | None = None
    count: int | None = None
    per_user_limit: int | None = None
    requester_only_buttons: bool = False
    nsfw_action: NsfwAction | None = None
    checker_off_in_nsfw_channels: bool = False
    """Admins may let NSFW (age-restricted) channels skip the safety checker."""
    banned_words: tuple[str, ...] = field(default=())
    image_model: str | None = None
    """The image model (a name of ``image.choices``) drawn when a job names none."""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GuildSettings:
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        for key in ("voice_channels", "banned_words"):
            if key in values:
                values[key] = tuple(values[key])
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if value not in (None, (), [])}

    def changed(self, settings: Settings, **changes: Any) -> GuildSettings:
        """A copy with ``changes`` applied and checked against the bot's limits."""
        updated = replace(self, **changes)
        limits = settings.limits
        checks = {
            "guidance": updated.guidance is None
            or limits.min_guidance <= updated.guidance <= limits.max_guidance,
            "steps": updated.steps is None or 1 <= updated.steps <= limits.max_steps,
            "count": updated.count is None or 1 <= updated.count <= limits.max_count,
            "per_user_limit": updated.per_user_limit is None or updated.per_user_limit >= 1,
            "whisper_model": updated.whisper_model is None
            or updated.whisper_model in WHISPER_CHOICES
            or updated.whisper_model in settings.speech.choices,
            "image_model": updated.image_model is None
            or updated.image_model in settings.image.choices,
        }
        bad = [name for name, ok in checks.items() if not ok]
        if bad:
            raise UserFacingError(f"Out of range: {', '.join(bad)}.")
        return updated

    def defaults(self, base: GenerationDefaults) -> GenerationDefaults:
        """The generation defaults of this server."""
        overrides = {
            key: getattr(self, key)
            for key in ("guidance", "steps", "count")
            if getattr(self, key) is not None
        }
        return base.model_copy(update=overrides)

    def listens_in(self, settings: Settings, channel_id: int) -> bool:
        """Whether auto mode turns voice messages in this channel into jobs."""
        enabled = settings.discord.auto_voice if self.auto_voice is None else self.auto_voice
        channels = self.voice_channels or tuple(settings.discord.auto_voice_channels)
        return enabled and (not channels or channel_id in channels)

    def nsfw(self, settings: Settings) -> NsfwAction:
        return self.nsfw_action or settings.policy.nsfw_action


def banned_word_in(prompt: str, words: tuple[str, ...] | list[str]) -> str | None:
    """The first banned word that appears in ``prompt`` as a whole word (any case), if any."""
    for word in words:
        if word.strip() and re.search(rf"\b{re.escape(word.strip())}\b", prompt, re.IGNORECASE):
            return word.strip()
    return None
