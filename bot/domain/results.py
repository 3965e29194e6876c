"""What the engines hand back: plain dataclasses, no torch, safe to import anywhere."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.domain.records import known_fields

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
StepCallback = Callable[[int, int], None]
"""``on_step(done, total)``, called from the worker thread after each denoising step."""
PreviewCallback = Callable[[bytes], None]
"""``on_preview(jpeg)``, called from the worker thread with a job's newest live preview: a small
JPEG of its pictures as drawn so far (a grid for several)."""


@dataclass(frozen=True)
class SpeechResult:
    """What Whisper heard in one clip."""

    language: str | None
    """ISO code (``en``, ``it``…); None when no speech was heard."""
    language_probability: float
    transcript: str
    translation: str | None
    """English translation; None when the speech is English or nothing was heard."""
    duration: float
    """Seconds of audio."""
    model: str
    no_speech: bool = False
    translation_missing: dict[str, Any] | str | None = None
    """Why non-English speech has no translation (the model cannot translate), as a
    :class:`~bot.domain.messages.Message` dict (a string in records written before); else None."""
    languages: tuple[tuple[str, float], ...] = ()
    """The most likely languages with their probabilities, best first (for a "wrong language?"
    choice); just the one given when the language was forced; empty when nothing was heard."""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SpeechResult:
        """From its fields as JSON or msgpack gave them back (lists for tuples); unknown fields
        (a newer writer's) are ignored."""
        known = known_fields(cls, data)
        known["languages"] = tuple((code, p) for code, p in known.get("languages", ()))
        return cls(**known)

    @property
    def prompt(self) -> str:
        """The English text to draw: the translation, or the transcript for English speech."""
        return self.translation if self.translation is not None else self.transcript


@dataclass(frozen=True)
class GeneratedImage:
    """One PNG (its parameters in a text chunk) and the seed that reproduces it alone."""

    png: bytes
    index: int
    seed: int
    nsfw: bool = False

    @property
    def size(self) -> tuple[int, int] | None:
        """Width and height, from the PNG's header; None without the PNG (a stored record)."""
        if len(self.png) < 24 or not self.png.startswith(PNG_SIGNATURE):
            return None
        return int.from_bytes(self.png[16:20], "big"), int.from_bytes(self.png[20:24], "big")

    @property
    def filename(self) -> str:
        """``image-<index>-seed-<seed>.png``: the name it is posted and saved under."""
        return f"image-{self.index}-seed-{self.seed}.png"
