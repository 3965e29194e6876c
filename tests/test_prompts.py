"""fit_prompt: a prompt cut to a limit at a sentence, else a word boundary (CJK included)."""

from __future__ import annotations

import pytest

from bot.domain.prompts import fit_prompt


def test_short_text_is_kept_whole() -> None:
    assert fit_prompt("  A red apple.  ", 20) == ("A red apple.", False)
    assert fit_prompt("A red apple.", 12) == ("A red apple.", False)


def test_cut_after_the_last_whole_sentence() -> None:
    text = "A red apple on a table. A grey cat sleeps beside it. Sun."
    assert fit_prompt(text, 55) == ("A red apple on a table. A grey cat sleeps beside it.", True)


def test_cut_at_a_word_when_no_sentence_fits() -> None:
    text = "a big red apple on the kitchen table next to a cat"
    prompt, cut = fit_prompt(text, 20)
    assert (prompt, cut) == ("a big red apple on", True)
    assert len(prompt) <= 20


def test_a_short_first_sentence_does_not_waste_the_limit() -> None:
    text = "Hi. A big red apple on the kitchen table next to a small grey cat"
    assert fit_prompt(text, 39) == ("Hi. A big red apple on the kitchen", True)


def test_trailing_commas_are_dropped_and_a_quote_ends_a_sentence() -> None:
    assert fit_prompt("a red apple, a grey cat", 13) == ("a red apple", True)
    assert fit_prompt('He said "a red fox." Then a long tail of words', 25) == (
        'He said "a red fox."',
        True,
    )


def test_one_long_word_is_cut_at_the_limit() -> None:
    assert fit_prompt("Supercalifragilistic", 5) == ("Super", True)


def test_chinese_and_japanese_are_cut_between_characters_or_sentences() -> None:
    chinese = "一只红苹果放在厨房的桌子上。一只灰猫在旁边睡觉。"
    assert fit_prompt(chinese, 20) == ("一只红苹果放在厨房的桌子上。", True)
    assert fit_prompt("一只红苹果放在厨房的桌子上", 5) == ("一只红苹果", True)
    japanese = "赤いりんごがテーブルの上にあります"
    prompt, cut = fit_prompt(japanese, 8)
    assert (prompt, cut) == (japanese[:8], True)


@pytest.mark.parametrize("limit", [1, 7, 19, 33, 60])
def test_never_longer_than_the_limit(limit: int) -> None:
    text = "Un gatto nero dorme sul divano rosso. 一只灰猫在旁边睡觉。 A cat, sleeping!"
    prompt, cut = fit_prompt(text, limit)
    assert len(prompt) <= limit
    assert cut is (len(text) > limit)
    assert text.startswith(prompt)


def test_a_limit_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        fit_prompt("a cat", 0)
