"""bot.engines.heard: which windows were heard, and which translations may be drawn.

The texts of the French clips are what Whisper base made of espeak-ng's French (its scores as
measured on this CPU): misheard, and translated into text the audio does not hold.
"""

from __future__ import annotations

import pytest

from bot.engines.heard import Verdict, is_heard, is_invented, judge
from bot.engines.whisper import WindowText

LOOPED_THAI = "สุดประติดฟิมอรุ่นพรรอดอาดา" + "ดา" * 30 + "ด"
"""Une petite fille mange une pomme dans le jardin de sa grand-mère (3.0 s), heard as Thai."""
SUBSCRIBE = (
    "Please subscribe to my channel and click the bell icon to be notified of my next videos."
)
"""Its translation, after every retry."""
RUN_TWICE = "I'm not going to be able to do anything, I'm not going to be able to do anything."
"""The translation of "Le chat noir dort sur le canapé rouge." (2.1 s): 18 words."""
MISHEARD = "Réchant à ton sud-recapeuse."
"""Its transcript."""
CASTLE = "à nos châteaux-settons Sud-Acoline, son assiette la Vétoile."
"""Un grand château se trouve sur la colline, sous un ciel plein d'étoiles (3.5 s), heard."""
CLEAN = "A little girl eats an apple in her grandmother's garden."


def sure(text: str) -> WindowText:
    return WindowText(text, avg_logprob=-0.3, no_speech_prob=0.05)


@pytest.mark.parametrize(
    ("window", "heard"),
    [
        (sure("A red apple."), True),
        (sure("Thank you."), True),
        (WindowText("Thank you for watching!", avg_logprob=-0.6, no_speech_prob=0.4), False),
        (
            WindowText(
                "Subtitles by the Amara.org community", avg_logprob=-1.2, no_speech_prob=0.1
            ),
            False,
        ),
        (WindowText("A red apple.", avg_logprob=-1.2, no_speech_prob=0.3), True),
        (WindowText("Un gatto.", avg_logprob=-1.5, no_speech_prob=0.7), False),
        (sure(""), False),
        # A loop left after every retry is not speech, however sure the model was of it.
        (WindowText("1-2-3" + "-4" * 40, avg_logprob=-0.2, no_speech_prob=0.7), False),
        (WindowText("1-2-3" + "-4" * 40, avg_logprob=-0.2, no_speech_prob=0.1), False),
        (WindowText(LOOPED_THAI, avg_logprob=-0.37, no_speech_prob=0.59), False),
    ],
)
def test_silence_rule_loops_and_hallucination_blocklist(window: WindowText, heard: bool) -> None:
    assert is_heard(window, no_speech_threshold=0.6) is heard


@pytest.mark.parametrize(
    ("text", "seconds", "invented"),
    [
        (LOOPED_THAI, 3.0, True),  # compresses 2.6 times: a loop, though a single "word"
        (RUN_TWICE, 2.1, True),  # 18 words, where 2.1 s hold 12
        (CLEAN, 3.0, False),
        ("A little girl eats a red apple in her grandmother's garden.", 4.0, False),
        (SUBSCRIBE, 30.0, False),  # a phrase, not a loop: is_hallucination's to judge
    ],
)
def test_invented_text(text: str, seconds: float, invented: bool) -> None:
    assert is_invented(text, seconds) is invented


@pytest.mark.parametrize(
    ("transcript", "translation", "seconds", "verdict"),
    [
        # The measured clips: a looped transcript is not heard; a doubtful one stands
        # without its invented or unlikely translation.
        (
            WindowText(LOOPED_THAI, avg_logprob=-0.37, no_speech_prob=0.59),
            WindowText(SUBSCRIBE, avg_logprob=-1.05, no_speech_prob=0.59),
            3.0,
            Verdict(False, False),
        ),
        (
            WindowText("Une petite fille mange une pomme.", avg_logprob=-1.1, no_speech_prob=0.1),
            WindowText(SUBSCRIBE, avg_logprob=-1.05, no_speech_prob=0.1),
            3.0,
            Verdict(True, False),
        ),
        (
            WindowText(MISHEARD, avg_logprob=-1.14, no_speech_prob=0.19),
            WindowText(RUN_TWICE, avg_logprob=-1.24, no_speech_prob=0.19),
            2.1,
            Verdict(True, False),
        ),
        (
            WindowText(CASTLE, avg_logprob=-1.1, no_speech_prob=0.53),
            WindowText("and the the the", avg_logprob=-2.15, no_speech_prob=0.53),
            3.5,
            Verdict(True, False),
        ),
        # A sure transcript stands; only its invented translation is left out.
        (sure(MISHEARD), sure(RUN_TWICE), 2.1, Verdict(True, False)),
        (sure(MISHEARD), WindowText(SUBSCRIBE, -1.05, 0.1), 3.0, Verdict(True, False)),
        # A sure "Abonnez-vous à ma chaîne" may well mean it; "Merci." is "Thank you."
        (
            sure("Abonnez-vous à ma chaîne."),
            sure("Subscribe to my channel."),
            2.0,
            Verdict(True, True),
        ),
        (sure("Merci."), sure("Thank you."), 1.0, Verdict(True, True)),
        (sure("Une petite fille mange une pomme."), sure(CLEAN), 4.0, Verdict(True, True)),
        (WindowText(CASTLE, -1.1, 0.3), sure(CLEAN), 4.0, Verdict(True, True)),  # one unlikely
        (sure("Une petite fille mange une pomme."), None, 4.0, Verdict(True, True)),
        (sure("Une petite fille mange une pomme."), sure(""), 4.0, Verdict(True, True)),
        (WindowText("Un gatto.", -1.5, 0.7), sure(CLEAN), 4.0, Verdict(False, False)),  # silent
    ],
)
def test_a_translation_the_audio_cannot_hold_is_never_drawn(
    transcript: WindowText, translation: WindowText | None, seconds: float, verdict: Verdict
) -> None:
    assert judge(transcript, translation, seconds, no_speech_threshold=0.6) == verdict
