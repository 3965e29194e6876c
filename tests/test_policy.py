"""Banned words: whole words in any case, their plurals, words with symbols, and words inside
sentences of scripts written without spaces."""

from __future__ import annotations

import pytest

from bot.domain.policy import banned_word_in


@pytest.mark.parametrize(
    ("prompt", "banned", "expected"),
    [
        ("a red Dragon", ["dragon"], "dragon"),
        ("three cats on a sofa", ["cat"], "cat"),  # plural
        ("BOXES of fruit", ["box"], "box"),
        ("two puppies", ["puppy"], "puppy"),
        ("the cat's toy", ["cat"], "cat"),
        ("a book about c++ programming", ["c++"], "c++"),
        ("c++11 code", ["c++"], "c++"),  # a symbol edge needs no boundary
        ("learn C#.", ["c#"], "c#"),
        ("我喜欢猫和狗", ["猫"], "猫"),  # Chinese: no spaces between words
        ("我喜欢cat图片", ["cat"], "cat"),  # a Latin word inside a Chinese sentence
        ("かわいい猫の絵", ["猫"], "猫"),  # Japanese
        ("고양이를 그려줘", ["고양이"], "고양이"),  # Korean: a particle glued to the noun
        ("ｃａｔ on a mat", ["cat"], "cat"),  # full-width letters
        ("a red   dragon", ["Red Dragon"], "Red Dragon"),  # spacing and case of the entry
        ("a cat_picture", ["cat"], "cat"),
    ],
)
def test_banned_words_match(prompt: str, banned: list[str], expected: str) -> None:
    assert banned_word_in(prompt, banned) == expected


@pytest.mark.parametrize(
    ("prompt", "banned"),
    [
        ("a class of students", ["ass"]),
        ("glasses on a table", ["ass"]),
        ("an assassin in the dark", ["ass"]),
        ("a category of concatenated scatter plots", ["cat"]),
        ("abc++ is not a language", ["c++"]),
        ("a red dragonfly", ["dragon"]),
        ("shell script", ["hell"]),
        ("a calm lake", ["", "  "]),  # blank entries ban nothing
    ],
)
def test_ordinary_words_do_not_match(prompt: str, banned: list[str]) -> None:
    assert banned_word_in(prompt, banned) is None


def test_the_first_banned_word_found_is_named_as_written() -> None:
    assert banned_word_in("a dragon and a cat", [" Unicorn ", " Cat ", "dragon"]) == "Cat"
