"""The speech benchmarks' clips and their scoring: synthetic voice messages with the text spoken.

24 clips of 2–9 s: en 5, it 6 (festival's ``lp_diphone``, the best synthetic voice here), es 5,
de 5, fr 3. espeak-ng's German and French are poor (Whisper base mishears them, and names other
languages for some): their word error says little about Whisper, only about the difference
between two windows on the same poor audio. Word error is pooled: all word errors of a language
(or of all clips) over all their reference words, so a long clip counts for more words.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.config import Limits
from bot.engines.audio import decode_audio
from tests.support.audio_clips import Engine, speak, to_voice_message


@dataclass(frozen=True)
class Clip:
    language: str
    text: str
    voice: str
    engine: Engine = "espeak"


def _italian(text: str) -> Clip:
    return Clip("it", text, "lp_diphone", "festival")  # festival reads Latin-1: no accents


CLIPS = (
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


def words(text: str | None) -> list[str]:
    punctuation = string.punctuation + "¿¡«»“”’"
    return (
        (text or "").lower().translate(str.maketrans(punctuation, " " * len(punctuation))).split()
    )


def word_errors(reference: str, hypothesis: str) -> int:
    """Word-level edit distance (substitutions, insertions, deletions)."""
    ref, hyp = words(reference), words(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, word in enumerate(ref, 1):
        previous, row[0] = row[0], i
        for j, guess in enumerate(hyp, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (word != guess))
    return row[-1]


def pooled_word_error(clips: Sequence[Clip], transcripts: Sequence[str]) -> dict[str, float]:
    """Per language and over all clips (key ``all``): word errors / reference words."""
    errors: dict[str, int] = {}
    spoken: dict[str, int] = {}
    for clip, transcript in zip(clips, transcripts, strict=True):
        for key in (clip.language, "all"):
            errors[key] = errors.get(key, 0) + word_errors(clip.text, transcript)
            spoken[key] = spoken.get(key, 0) + len(words(clip.text))
    return {key: errors[key] / spoken[key] for key in errors}


def voice_message(clip: Clip) -> np.ndarray:
    """The clip spoken, sent as a Discord voice message, decoded as the bot decodes it."""
    ogg = to_voice_message(speak(clip.text, clip.voice, engine=clip.engine))
    return decode_audio(ogg, Limits()).samples
