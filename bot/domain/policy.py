"""Per-server policy chosen with ``/settings``, applied over the bot-wide settings for each job,
and banned-word matching."""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

from bot.config import GenerationDefaults, Settings
from bot.domain.errors import UserFacingError
from bot.domain.records import known_fields

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
    transcribe_channels: tuple[int, ...] = ()
    """Channels whose voice messages are transcribed (and translated), not drawn."""
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
    language: str | None = None
    """The language of public job messages (a Discord locale); None: each requester's own."""
    text_remixes: bool = False
    """A typed reply to a result remixes it too (a voice reply always does)."""
    remix_mode: bool | None = None
    """Remix mode for its users who did not choose their own; None: the bot-wide default."""
    previews: bool = True
    """A drawing job's message shows its pictures forming (where the bot makes previews)."""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GuildSettings:
        values = known_fields(cls, data)
        for key in ("voice_channels", "transcribe_channels", "banned_words"):
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
            raise UserFacingError("settings-out-of-range", names=", ".join(bad))
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

    def remixes(self, settings: Settings) -> bool:
        """Remix mode for its users who did not choose their own."""
        return settings.defaults.remix_mode if self.remix_mode is None else self.remix_mode

    def shows_previews(self, settings: Settings) -> bool:
        """Whether its drawing jobs show their pictures forming (where the bot makes previews)."""
        return self.previews and settings.image.preview_seconds > 0


@dataclass(frozen=True)
class UserSettings:
    """What one user chose for themselves, everywhere; ``None``: the server's choice."""

    remix_mode: bool | None = None
    """A variation or re-roll opens its prompt for editing first (Midjourney's Remix mode)."""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> UserSettings:
        return cls(**known_fields(cls, data))

    def to_dict(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if value is not None}

    def remixes(self, guild: GuildSettings, settings: Settings) -> bool:
        """Whether Remix mode is on: the user's choice, else the server's, else the bot's."""
        return guild.remixes(settings) if self.remix_mode is None else self.remix_mode


def banned_word_in(prompt: str, words: tuple[str, ...] | list[str]) -> str | None:
    """The first of ``words`` that appears in ``prompt``, if any.

    The rule: both are compared after Unicode NFKC normalisation (full-width letters become plain
    ones), case folding and collapsing whitespace. A banned word matches where it is not glued to
    the letters or digits around it: an edge of the word that is a letter or digit needs a
    non-letter, non-digit neighbour (a space, punctuation, the start or end), so "class" does not
    match "ass". Edges that are symbols ("c++") need no neighbour check. Scripts written without
    spaces between words (Chinese, Japanese, Korean, Thai, Lao, Khmer, Burmese) count as no glue,
    so "猫" matches inside "我喜欢猫" and "cat" inside "我喜欢cat"; inside those scripts a banned
    word therefore also matches within a longer word. A word ending in a Latin letter matches its
    English plural too: "cat" matches "cats", "box" "boxes", "puppy" "puppies".
    """
    text = _normalise(prompt)
    for word in words:
        needle = _normalise(word)
        if needle and any(_occurs(form, text) for form in _forms(needle)):
            return word.strip()
    return None


def _normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _forms(word: str) -> list[str]:
    """The word and, when it ends in a Latin letter, its English plurals."""
    if not ("a" <= word[-1] <= "z"):
        return [word]
    forms = [word, word + "s", word + "es"]
    if len(word) > 1 and word[-1] == "y" and word[-2] not in "aeiou":
        forms.append(word[:-1] + "ies")
    return forms


def _occurs(word: str, text: str) -> bool:
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        before = start == 0 or not _glues(word[0]) or not _glues(text[start - 1])
        after = end == len(text) or not _glues(word[-1]) or not _glues(text[end])
        if before and after:
            return True
        start = text.find(word, start + 1)
    return False


_UNSPACED_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "THAI", "LAO", "KHMER", "MYANMAR")


@functools.lru_cache(maxsize=4096)
def _glues(char: str) -> bool:
    """Whether ``char`` joins its neighbours into one word: a letter or digit of a script that
    separates words with spaces."""
    return char.isalnum() and not unicodedata.name(char, "").startswith(_UNSPACED_SCRIPTS)
