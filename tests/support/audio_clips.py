"""Synthetic speech and sounds, encoded the way users send them (a pytest plugin).

Speech comes from espeak-ng (many languages) or festival (an Italian diphone voice that Whisper
recognises more reliably than espeak's Italian). Every clip is made once per session and kept as
a file in a session folder; fixtures hand out the bytes.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

import pytest

Engine = Literal["espeak", "festival"]

ENCODERS: dict[str, tuple[str, ...]] = {
    "ogg": ("-c:a", "libopus", "-ar", "48000", "-ac", "1", "-f", "ogg"),
    "mp3": ("-c:a", "libmp3lame", "-f", "mp3"),
    "m4a": ("-c:a", "aac", "-f", "ipod"),
    "webm": ("-c:a", "libopus", "-f", "webm"),
    "flac": ("-c:a", "flac", "-f", "flac"),
    "wav": ("-c:a", "pcm_s16le", "-f", "wav"),
}
"""Output options per format; ``ogg`` is a Discord voice message (Opus, 48 kHz, mono)."""

# Sentences picked so that Whisper base (faster-whisper, int8, greedy) names the language; measured
# probabilities: en 0.87, it 0.99, es 0.86, de 0.86, fr 0.79 (transcripts of de/fr are poor).
ENGLISH = "A big red apple sits on the kitchen table."
ITALIAN = "Un gatto nero dorme sul divano rosso."
SPANISH = "Buenos días. El gato duerme en la cama de mi hermana."
GERMAN = "Der Hund schläft auf dem roten Sofa im Wohnzimmer."
FRENCH = "Le chat noir dort sur le canapé rouge."
LONG_ENGLISH = (
    "Once upon a time, a small fox lived at the edge of a quiet forest. "
    "Every morning the fox walked to the river to drink cold water. "
    "One day it met an old turtle resting on a flat grey stone. "
    "The turtle told the fox a story about a mountain covered in snow. "
    "Far away, a tall lighthouse guided ships through the stormy night. "
    "In the village, children painted a bright yellow sun on the school wall. "
    "A baker carried fresh bread to the market before sunrise. "
    "A fisherman tied his blue boat to a wooden pier. "
    "High in the sky, a flock of white birds flew toward the south. "
    "At night the stars shone above the sleeping town. "
    "A farmer planted tall green corn beside the old red barn. "
    "A little boat sailed across the lake under the full moon. "
    "The fox and the turtle became friends and shared many long afternoons. "
    "The final word is elephant."
)
"""About 47 s of espeak speech: longer than one 30 s Whisper window, with a distinctive end."""


def speak(text: str, voice: str, *, engine: Engine = "espeak") -> bytes:
    """WAV speech: an espeak-ng voice (``en``, ``de``…) or a festival voice (``lp_diphone``)."""
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder, "speech.wav")
        if engine == "espeak":
            _check(["espeak-ng", "-v", voice, "-w", str(wav), text])
        else:
            if not re.fullmatch(r"\w+", voice):
                raise ValueError(f"not a festival voice name: {voice!r}")
            _check(["text2wave", "-eval", f"(voice_{voice})", "-o", str(wav)], stdin=text)
        return wav.read_bytes()


def encode(input_args: Sequence[str], fmt: str, *output_args: str) -> bytes:
    """Run ffmpeg on ``input_args`` and return the result in ``fmt`` (a key of ENCODERS)."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder, f"out.{fmt}")  # a file: the MP4 muxer cannot write to a pipe
        encoder = [*ENCODERS[fmt], *output_args, str(target)]
        _check(["ffmpeg", "-nostdin", "-v", "error", *input_args, *encoder])
        return target.read_bytes()


def convert(audio: bytes, fmt: str, *output_args: str) -> bytes:
    """Re-encode audio bytes (any format) as ``fmt``."""
    with tempfile.NamedTemporaryFile() as source:
        source.write(audio)
        source.flush()
        return encode(["-i", source.name], fmt, *output_args)


def to_voice_message(wav: bytes) -> bytes:
    """A Discord-style voice message: OGG/Opus, 48 kHz, mono."""
    return convert(wav, "ogg")


def lavfi(source: str, fmt: str = "ogg", *output_args: str) -> bytes:
    """Audio from an ffmpeg lavfi source such as ``sine=frequency=440:duration=3``."""
    return encode(["-f", "lavfi", "-i", source], fmt, *output_args)


class ClipMaker:
    """Makes clips on demand and keeps each one as a file, so a session makes it only once."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __call__(
        self, text: str, voice: str = "en-us", *, engine: Engine = "espeak", fmt: str = "ogg"
    ) -> bytes:
        """Speech in ``fmt`` (default: a voice message)."""
        return self._cached(
            ("speech", text, voice, engine, fmt),
            fmt,
            lambda: convert(speak(text, voice, engine=engine), fmt),
        )

    def lavfi(self, source: str, fmt: str = "ogg", *output_args: str) -> bytes:
        """A cached :func:`lavfi` clip."""
        return self._cached(
            ("lavfi", source, fmt, *output_args), fmt, lambda: lavfi(source, fmt, *output_args)
        )

    def _cached(self, key: tuple[str, ...], fmt: str, make: Callable[[], bytes]) -> bytes:
        path = self.folder / f"{hashlib.sha256(repr(key).encode()).hexdigest()[:20]}.{fmt}"
        if not path.exists():
            path.write_bytes(make())
        return path.read_bytes()


def _check(args: list[str], *, stdin: str | None = None) -> None:
    subprocess.run(args, input=stdin, text=stdin is not None, capture_output=True, check=True)


@pytest.fixture(scope="session")
def make_clip(tmp_path_factory: pytest.TempPathFactory) -> ClipMaker:
    """``make_clip(text, voice="en-us", engine="espeak", fmt="ogg")``; ``make_clip.lavfi(...)``."""
    return ClipMaker(tmp_path_factory.mktemp("audio_clips"))


@pytest.fixture(scope="session")
def english_voice_message(make_clip: ClipMaker) -> bytes:
    return make_clip(ENGLISH, "en-us")


@pytest.fixture(scope="session")
def italian_voice_message(make_clip: ClipMaker) -> bytes:
    return make_clip(ITALIAN, "lp_diphone", engine="festival")


@pytest.fixture(scope="session")
def spanish_voice_message(make_clip: ClipMaker) -> bytes:
    return make_clip(SPANISH, "es")


@pytest.fixture(scope="session")
def german_voice_message(make_clip: ClipMaker) -> bytes:
    return make_clip(GERMAN, "de")


@pytest.fixture(scope="session")
def french_voice_message(make_clip: ClipMaker) -> bytes:
    return make_clip(FRENCH, "fr")


@pytest.fixture(scope="session")
def long_english_voice_message(make_clip: ClipMaker) -> bytes:
    return make_clip(LONG_ENGLISH, "en-us")


@pytest.fixture(scope="session")
def silence_voice_message(make_clip: ClipMaker) -> bytes:
    """5 s of digital silence."""
    return make_clip.lavfi("anullsrc=r=48000:cl=mono", "ogg", "-t", "5")


@pytest.fixture(scope="session")
def noise_voice_message(make_clip: ClipMaker) -> bytes:
    """5 s of pink noise at moderate amplitude: sound, but no speech."""
    return make_clip.lavfi("anoisesrc=color=pink:amplitude=0.3:r=48000:d=5:seed=7")
