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
ITALIAN = "Il gatto dorme sul divano rosso."
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

ENGLISH_SENTENCES = (
    ("A small fox sleeps under the old oak tree.", "fox"),
    ("The baker sells warm bread at the morning market.", "bread"),
    ("A tall lighthouse stands alone on the rocky coast.", "coast"),
    ("Two children fly a yellow kite in the park.", "kite"),
    ("The farmer drives a green tractor across the field.", "tractor"),
    ("A violin plays softly in the empty concert hall.", "violin"),
    ("Snow covers the roof of the mountain cabin.", "cabin"),
    ("A turtle swims slowly toward the coral reef.", "turtle"),
    ("The astronaut looks down at the blue planet.", "astronaut"),
    ("An orange balloon drifts above the quiet village.", "balloon"),
    ("The librarian stacks heavy books on the shelf.", "librarian"),
    ("A giraffe eats leaves from the top of a tree.", "giraffe"),
    ("The pirate buries a chest of gold on the island.", "island"),
    ("A penguin slides down the icy hill.", "penguin"),
    ("The painter mixes blue and white on his palette.", "painter"),
    ("A dragon sleeps on a pile of shining coins.", "dragon"),
    ("A young girl rides her bicycle along the river.", "bicycle"),
    ("The chef tastes the soup with a wooden spoon.", "soup"),
    ("An owl watches the forest from a high branch.", "owl"),
    ("The train arrives at the station just before midnight.", "midnight"),
)
"""Distinct sentences (about 70 s spoken with pauses), each with a word no other one holds."""
ITALIAN_SENTENCES = (
    ("Il gatto dorme sul divano.", "gatto", "cat"),
    ("Il cavallo corre sulla spiaggia.", "cavallo", "horse"),
    ("I pescatori tornano al porto.", "porto", "fishermen"),
    ("Il fornaio prepara il pane.", "pane", "bread"),
    ("Il treno parte dalla stazione.", "treno", "train"),
    ("La nonna racconta una storia ai bambini.", "nonna", "story"),
    ("Un castello antico si trova sulla collina.", "castello", "castle"),
    ("La luna illumina il lago.", "luna", "moon"),
    ("Il pittore dipinge un ritratto.", "pittore", "portrait"),
    ("La pioggia cade sulle strade della citta.", "pioggia", "city"),
    ("La chiesa ha un campanile molto alto.", "chiesa", "high"),
    ("Il cane gioca in giardino.", "giardino", "garden"),
    ("Il sole splende sul mare.", "sole", "sea"),
    ("La ragazza legge un libro.", "libro", "book"),
    ("La mamma cucina la pasta.", "mamma", "pasta"),
    ("Lo studente scrive una lettera.", "studente", "letter"),
    ("La neve cade sulle montagne.", "montagne", "mountain"),
    ("La macchina rossa e veloce.", "macchina", "car"),
)
"""Distinct Italian sentences (about 62 s with pauses of 1 s; festival reads Latin-1: no
accents), with a word of each that Whisper base hears in the transcript and in its English
translation on every CPU instruction set (where it translates "cane" and "chiesa" as they are,
another word of the sentence; a key word matches its plural too: "the mountain" in one window
size, "the mountains" in another)."""
GERMAN_SENTENCES = (
    "Der Hund schläft auf dem roten Sofa.",
    "Ein kleines Boot fährt über den See.",
    "Die Kinder spielen im Garten mit einem Ball.",
    "Der Bäcker backt jeden Morgen frisches Brot.",
    "Ein Adler fliegt hoch über den Bergen.",
    "Die Katze sitzt auf dem Dach.",
    "Im Winter fällt viel Schnee im Dorf.",
    "Der Zug fährt durch den dunklen Wald.",
    "Eine alte Uhr hängt an der Wand.",
    "Der Fischer wirft sein Netz ins Meer.",
    "Die Sonne scheint auf die grüne Wiese.",
    "Ein Pferd trinkt Wasser aus dem Fluss.",
)


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


def speak_sentences(
    sentences: Sequence[str], voice: str, *, engine: Engine = "espeak", pause: float = 0.8
) -> bytes:
    """WAV speech of each sentence in turn, ``pause`` seconds of silence after each, as a
    person pauses between sentences (16 kHz mono)."""
    with tempfile.TemporaryDirectory() as folder:
        parts = []
        for i, sentence in enumerate(sentences):
            part = Path(folder, f"{i}.wav")
            part.write_bytes(speak(sentence, voice, engine=engine))
            parts.append(part)
        inputs = [arg for part in parts for arg in ("-i", str(part))]
        chain = "".join(
            f"[{i}:a]aresample=16000,aformat=channel_layouts=mono,apad=pad_dur={pause}[s{i}];"
            for i in range(len(parts))
        )
        joined = "".join(f"[s{i}]" for i in range(len(parts)))
        graph = f"{chain}{joined}concat=n={len(parts)}:v=0:a=1[out]"
        return encode([*inputs, "-filter_complex", graph, "-map", "[out]"], "wav")


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


def joined_voice_message(parts: Sequence[bytes]) -> bytes:
    """Voice messages (any format ffmpeg reads) one after the other, as one voice message."""
    with tempfile.TemporaryDirectory() as folder:
        inputs = []
        for i, part in enumerate(parts):
            Path(folder, str(i)).write_bytes(part)
            inputs += ["-i", str(Path(folder, str(i)))]
        graph = "".join(f"[{i}:a]" for i in range(len(parts))) + f"concat=n={len(parts)}:v=0:a=1"
        return encode([*inputs, "-filter_complex", graph], "ogg")


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

    def sentences(
        self, sentences: Sequence[str], voice: str, *, engine: Engine = "espeak", pause: float = 0.8
    ) -> bytes:
        """A voice message of each sentence in turn, a pause after each (:func:`speak_sentences`)."""
        return self._cached(
            ("sentences", *sentences, voice, engine, str(pause)),
            "ogg",
            lambda: to_voice_message(speak_sentences(sentences, voice, engine=engine, pause=pause)),
        )

    def joined(self, parts: Sequence[bytes]) -> bytes:
        """A cached :func:`joined_voice_message`."""
        key = ("joined", *(hashlib.sha256(part).hexdigest() for part in parts))
        return self._cached(key, "ogg", lambda: joined_voice_message(parts))

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
def english_sentences_voice_message(make_clip: ClipMaker) -> bytes:
    """The 20 distinct :data:`ENGLISH_SENTENCES`, about 70 s (espeak)."""
    return make_clip.sentences([sentence for sentence, _ in ENGLISH_SENTENCES], "en-us")


@pytest.fixture(scope="session")
def italian_sentences_voice_message(make_clip: ClipMaker) -> bytes:
    """The 18 distinct :data:`ITALIAN_SENTENCES`, about 70 s (festival)."""
    sentences = [sentence for sentence, *_ in ITALIAN_SENTENCES]
    return make_clip.sentences(sentences, "lp_diphone", engine="festival", pause=1.0)


@pytest.fixture(scope="session")
def italian_sentences_twice_voice_message(
    make_clip: ClipMaker, italian_sentences_voice_message: bytes
) -> bytes:
    """:func:`italian_sentences_voice_message` twice over: about two minutes, whose transcript
    and translation are longer than a Discord embed field."""
    message = italian_sentences_voice_message
    return make_clip.joined([message, message])


@pytest.fixture(scope="session")
def silence_voice_message(make_clip: ClipMaker) -> bytes:
    """5 s of digital silence."""
    return make_clip.lavfi("anullsrc=r=48000:cl=mono", "ogg", "-t", "5")


@pytest.fixture(scope="session")
def noise_voice_message(make_clip: ClipMaker) -> bytes:
    """5 s of pink noise at moderate amplitude: sound, but no speech."""
    return make_clip.lavfi("anoisesrc=color=pink:amplitude=0.3:r=48000:d=5:seed=7")
