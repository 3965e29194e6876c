"""The speech benchmarks' clips and their scoring: voice messages with the text spoken.

Three kinds, each with its reference transcript:

- **Real human speech** from packages on the registries: five LibriVox readings of *Sense and
  Sensibility* (English, public domain; Debian's ``pocketsphinx-testdata``, with CMU's
  transcription) and two recordings shipped as test data in PyPI's ``auditok`` 0.1.8 (GPLv3):
  a German proverb and the Arabic numbers one to six. A clip whose package is missing is left
  out (``scripts/setup --test`` installs both).
- **Synthetic voice messages** of 2–9 s: en 5, it 6 (festival's ``lp_diphone``, the best
  synthetic voice here), es 5, de 5, fr 3. espeak-ng's German, French and Spanish are poor
  (Whisper base mishears them): their word error says little about Whisper.
- **Long voice messages** of 30–120 s: distinct sentences, each spoken with a pause after it
  (English and German from espeak-ng, Italian from festival), and the five LibriVox readings
  joined.

Word error is counted after Whisper's own text normalizers (openai-whisper's English one for
English, the basic one otherwise: case, punctuation, "Mr." = "mister"), pooled: all word errors
of a group of clips over all their reference words.
"""

from __future__ import annotations

import importlib.util
import io
import wave
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from bot.config import Limits
from bot.engines.audio import SAMPLE_RATE, decode_audio
from tests.support.audio_clips import (
    ENGLISH_SENTENCES,
    GERMAN_SENTENCES,
    ITALIAN_SENTENCES,
    Engine,
    speak,
    speak_sentences,
    to_voice_message,
)

LIBRIVOX = Path("/usr/share/pocketsphinx/test/data/librivox")
"""Debian's pocketsphinx-testdata: LibriVox readings with their transcription."""
LENGTH_CLASSES = ((0, 10, "≤10 s"), (10, 30, "10–30 s"), (30, 120, "30–120 s"))
"""(shortest, longest, name) in seconds."""
Kind = Literal["synthetic", "real", "long"]


@dataclass(frozen=True)
class Clip:
    language: str
    text: str
    voice: str = ""
    engine: Engine = "espeak"
    recordings: tuple[Path, ...] = ()
    """Real speech: these recordings, one after the other."""
    sentences: tuple[str, ...] = ()
    """A long message: each sentence spoken, a pause after each."""

    @property
    def kind(self) -> Kind:
        return "real" if self.recordings else "long" if self.sentences else "synthetic"


def _italian(text: str) -> Clip:
    return Clip("it", text, "lp_diphone", "festival")  # festival reads Latin-1: no accents


SYNTHETIC = (
    Clip("en", "A big red apple sits on the kitchen table, next to a small grey cat.", "en-us"),
    _italian("Un gatto nero dorme sul divano rosso."),
    Clip("en", "Draw a lighthouse on a rocky island at night, with huge waves.", "en-us"),
    Clip("es", "Buenos días. El gato duerme en la cama de mi hermana.", "es"),
    Clip("de", "Der Hund schläft auf dem roten Sofa im Wohnzimmer.", "de"),
    Clip("fr", "Le chat noir dort sur le canapé rouge.", "fr"),
    _italian("Il cane bianco gioca nel giardino con una palla gialla."),
    Clip("en", "Please show me a little girl riding a bicycle through a field of flowers.", "en"),
    Clip("es", "Un perro grande corre en el parque verde cerca del lago azul.", "es"),
    Clip("de", "Ein kleines Haus steht am Rand eines dunklen Waldes.", "de"),
    Clip("fr", "Une petite fille mange une pomme dans le jardin de sa grand-mère.", "fr"),
    _italian("Una piccola casa sulla collina, con il sole che tramonta dietro gli alberi."),
    Clip(
        "en",
        "An old wooden boat floats on a quiet lake. Tall green mountains rise behind it, "
        "and a flock of white birds flies across the evening sky.",
        "en-us",
    ),
    _italian("La ragazza legge un libro sotto un grande albero verde."),
    _italian("Un cavallo bianco corre sulla spiaggia al tramonto, vicino al mare calmo."),
    _italian(
        "Disegna un paese antico con le strade strette, le case colorate e una grande fontana "
        "in piazza, dove i bambini giocano."
    ),
    Clip("es", "Una casa pequeña junto al río, con flores rojas en la ventana.", "es"),
    Clip("es", "Dibuja un barco viejo en el mar durante una tormenta, con olas muy altas.", "es"),
    Clip(
        "es",
        "Quiero ver un bosque oscuro por la noche. Hay una luna llena en el cielo y un lobo "
        "gris entre los árboles.",
        "es",
    ),
    Clip("de", "Eine rote Katze sitzt auf dem Dach und schaut auf die Straße.", "de"),
    Clip(
        "de", "Zeichne einen großen Berg mit Schnee, einen blauen See und einen kleinen Wald.", "de"
    ),
    Clip(
        "de",
        "Am Morgen fährt ein alter Zug durch die grünen Felder. Die Sonne scheint, und viele "
        "Vögel fliegen über den Fluss.",
        "de",
    ),
    Clip("fr", "Un grand château se trouve sur la colline, sous un ciel plein d'étoiles.", "fr"),
    Clip(
        "en",
        "Paint a busy street market in the rain. People carry bright umbrellas, a man sells hot "
        "soup, and a dog sleeps under a wooden cart near the old fountain.",
        "en",
    ),
)
QUICK = 2
"""Clips of the quick mode (one English, one Italian), run in CI."""


def _long(language: str, sentences: Sequence[str], voice: str, engine: Engine = "espeak") -> Clip:
    return Clip(language, " ".join(sentences), voice, engine, sentences=tuple(sentences))


LONG = (
    _long("en", [sentence for sentence, _ in ENGLISH_SENTENCES], "en-us"),
    _long("it", [sentence for sentence, *_ in ITALIAN_SENTENCES], "lp_diphone", "festival"),
    _long("de", GERMAN_SENTENCES, "de"),
)


def _librivox() -> tuple[Clip, ...]:
    """The LibriVox readings, one clip each, and all of them joined (about 25 s)."""
    if not LIBRIVOX.is_dir():
        return ()
    said = {}
    for line in (LIBRIVOX / "transcription").read_text().splitlines():
        text, _, name = line.removeprefix("<s>").rpartition("</s>")
        said[name.strip(" ()")] = text.strip()
    paths = [LIBRIVOX / f"{name}.wav" for name in sorted(said)]
    clips = tuple(Clip("en", said[p.stem], recordings=(p,)) for p in paths)
    return (*clips, Clip("en", " ".join(said[p.stem] for p in paths), recordings=tuple(paths)))


def _auditok() -> tuple[Clip, ...]:
    """auditok 0.1.8's test recordings: a German proverb and the Arabic numbers 1 to 6."""
    spec = importlib.util.find_spec("auditok")
    if spec is None or spec.origin is None:
        return ()
    data = Path(spec.origin).parent / "data"
    german = (
        data / "was_der_mensch_saet_das_wird_er_vielfach_ernten_44100Hz_mono_lead_trail_silence.wav"
    )
    arabic = data / "1to6arabic_16000_mono_bc_noise.wav"
    if not (german.is_file() and arabic.is_file()):
        return ()
    return (
        Clip("de", "Was der Mensch sät, das wird er vielfach ernten.", recordings=(german,)),
        Clip("ar", "واحد اثنان ثلاثة أربعة خمسة ستة", recordings=(arabic,)),
    )


def all_clips(quick: bool = False) -> tuple[Clip, ...]:
    """The quick mode's clips, or every clip: synthetic, real (where installed) and long."""
    if quick:
        return SYNTHETIC[:QUICK]
    return (*SYNTHETIC, *_librivox(), *_auditok(), *LONG)


def voice_message(clip: Clip) -> np.ndarray:
    """The clip as a Discord voice message, decoded as the bot decodes it."""
    if clip.recordings:
        wav = _joined([decode_audio(p.read_bytes(), Limits()).samples for p in clip.recordings])
    elif clip.sentences:
        wav = speak_sentences(clip.sentences, clip.voice, engine=clip.engine)
    else:
        wav = speak(clip.text, clip.voice, engine=clip.engine)
    return decode_audio(to_voice_message(wav), Limits()).samples


def _joined(parts: Sequence[np.ndarray], pause: float = 0.8) -> bytes:
    """Recordings one after the other with a pause between, as a 16 kHz WAV."""
    gap = np.zeros(round(pause * SAMPLE_RATE), np.float32)
    samples = np.concatenate([piece for part in parts for piece in (part, gap)][:-1])
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return buffer.getvalue()


def length_class(seconds: float) -> str:
    return next(
        (name for _, high, name in LENGTH_CLASSES if seconds <= high), LENGTH_CLASSES[-1][2]
    )


def normalizer(language: str) -> Callable[[str], str]:
    """Whisper's own text normalizer for scoring: the English one, or the basic one."""
    from whisper.normalizers import BasicTextNormalizer, EnglishTextNormalizer

    return EnglishTextNormalizer() if language == "en" else BasicTextNormalizer()


def words(text: str | None, language: str) -> list[str]:
    return normalizer(language)(text or "").split()


def word_errors(reference: str, hypothesis: str, language: str) -> int:
    """Word-level edit distance (substitutions, insertions, deletions), after normalizing."""
    ref, hyp = words(reference, language), words(hypothesis, language)
    row = list(range(len(hyp) + 1))
    for i, word in enumerate(ref, 1):
        previous, row[0] = row[0], i
        for j, guess in enumerate(hyp, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (word != guess))
    return row[-1]


def word_error(clip: Clip, transcript: str) -> float:
    return word_errors(clip.text, transcript, clip.language) / len(words(clip.text, clip.language))


def pooled_word_error(clips: Sequence[Clip], transcripts: Sequence[str]) -> dict[str, float]:
    """Per language and over all clips (key ``all``): word errors / reference words."""
    errors: dict[str, int] = {}
    spoken: dict[str, int] = {}
    for clip, transcript in zip(clips, transcripts, strict=True):
        for key in (clip.language, "all"):
            errors[key] = errors.get(key, 0) + word_errors(clip.text, transcript, clip.language)
            spoken[key] = spoken.get(key, 0) + len(words(clip.text, clip.language))
    return {key: errors[key] / spoken[key] for key in errors}
