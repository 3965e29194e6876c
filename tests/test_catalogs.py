"""The message catalogs: every locale has every message with the same placeholders and markup,
plural forms for each locale's CLDR categories, and the longest text of each message still fits
where Discord shows it; the command translations fit Discord's rules; every key the code names
is in the English catalog."""

from __future__ import annotations

import ast
import itertools
import re
import unicodedata
from pathlib import Path

import pytest
from babel import Locale
from fluent.syntax import FluentParser
from fluent.syntax import ast as fluent
from fluent.syntax.visitor import Visitor

from cogs.i18n.catalog import ENGLISH, LOCALES_DIR, bundle, supported

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = ("de", "fr", "es-ES", "it", "pt-BR", "pl", "ru", "uk", "tr", "ja", "ko", "zh-CN")
PLURAL_KEYS = {"zero", "one", "two", "few", "many", "other"}

LIMITS = {
    r"button-.*": 80,  # a button's label
    r"language-guess|language-unknown": 100,  # a select option's label
    r"language-select-placeholder": 150,
    r"form-.*": 45,
    r"settings-(no-content-intent|saved|not-admin)": 2000,  # a message's content  # a modal's title and its inputs' labels
    r"field-.*|drawn-from-.*|settings-(?!.*-value$).*|job-.*": 256,  # embed titles, field names
    r"help-.*-title": 256,  # /help's field names
    r"help|queue-.*|status-.*|job-lost|job-here": 2000,  # a message's content
}
"""The longest rendering of each message (matched in order) must fit; all else ≤ 1024 (an
embed field's value, the smallest place any other message goes)."""
SAMPLE_ARGS = {
    "user": "A" * 32,  # Discord display names are at most 32 characters
    "job": "0123456789ab",
    "model": "stable-diffusion-xl-base-1.0",
    "translator": "large-v3",
    "language": "Haitian Creole",
    "source": "0123456789ab V8",
    "option": "per_user_limit",
    "known": "dpm++2m-karras, dpm++2m, euler-a, euler, ddim, unipc, lcm, pndm",
    "where": "<#123456789012345678>",
    "state": "listening",
    "action": "withhold",
    "checker": "on",
    "what": "warming up image model stable-diffusion-xl-base-1.0",
    "duration": "59 min 59 s",
    "error": "x" * 200,
    "reason": "x" * 200,
    "status": "ready",
    "speech": "large-v3",
    "image": "stable-diffusion-xl-base-1.0",
    "device": "cuda:0",
    "text": "x",
    "names": "guidance, steps, count",
}
"""Typical longest values of the string arguments (numbers are tried at 1, 2, 5 and 123456)."""


def messages(locale: str) -> dict[str, fluent.Message]:
    found = {}
    for path in sorted((LOCALES_DIR / locale).glob("*.ftl")):
        for entry in FluentParser().parse(path.read_text(encoding="utf-8")).body:
            assert not isinstance(entry, fluent.Junk), f"{path}: {entry.annotations}"
            if isinstance(entry, fluent.Message):
                assert entry.id.name not in found, f"{locale}: {entry.id.name} twice"
                found[entry.id.name] = entry
    return found


class _Variables(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self.selects: list[fluent.SelectExpression] = []

    def visit_VariableReference(self, node: fluent.VariableReference) -> None:
        self.names.add(node.id.name)

    def visit_SelectExpression(self, node: fluent.SelectExpression) -> None:
        self.selects.append(node)
        self.generic_visit(node)


def variables(message: fluent.Message) -> _Variables:
    found = _Variables()
    found.visit(message)
    return found


def renderings(locale: str, key: str, names: set[str]) -> list[str]:
    """The message with every number argument at 1, 2, 5 and 123456 and every selector value."""
    loaded = bundle(locale)
    pattern = loaded.get_message(key).value
    numeric = [n for n in names if n not in SAMPLE_ARGS]
    choices = {"state": ["queued", "listening", "waiting"], "action": ["withhold", "spoiler"]}
    choices["checker"] = ["on", "off"]
    out = []
    for number in (1, 2, 5, 123456):
        strings = [choices.get(n, [SAMPLE_ARGS.get(n)]) for n in names if n in SAMPLE_ARGS]
        for picked in itertools.product(*strings):
            args = dict(zip([n for n in names if n in SAMPLE_ARGS], picked, strict=True))
            args |= {n: number for n in numeric}
            text, errors = loaded.format_pattern(pattern, args)
            assert not errors, (locale, key, errors)
            out.append(text)
    return out


def markup(text: str) -> tuple[int, ...]:
    """Discord markdown a translation must keep: bold, italics, code, lines, mentions, links."""
    return (
        text.count("**"),
        text.replace("**", "").count("*"),
        text.count("`"),
        text.count("\n"),
        len(re.findall(r"<[#@][!&]?\d+>", text)),
        len(re.findall(r"(?<![\w/`])/\w", text)),  # a slash command named
        text.count("→"),
    )


def test_the_required_locales_have_catalogs():
    assert set(REQUIRED) <= set(supported()) and supported()[0] == ENGLISH


@pytest.mark.parametrize("locale", REQUIRED)
def test_every_locale_has_every_message_with_the_same_placeholders(locale: str):
    english, translated = messages(ENGLISH), messages(locale)
    assert sorted(set(english) - set(translated)) == [], "missing"
    assert sorted(set(translated) - set(english)) == [], "unknown to English"
    for key, message in english.items():
        theirs = translated[key]
        assert {a.id.name for a in theirs.attributes} == {a.id.name for a in message.attributes}
        assert variables(theirs).names == variables(message).names, key


@pytest.mark.parametrize("locale", REQUIRED)
def test_plural_variants_cover_the_locales_categories(locale: str):
    categories = set(Locale.parse(locale, sep="-").plural_form.tags) | {"other"}
    for key, message in messages(locale).items():
        for select in variables(message).selects:
            keys = {v.key.name for v in select.variants if isinstance(v.key, fluent.Identifier)}
            if len(keys) >= 2 and keys <= PLURAL_KEYS:  # a plural choice, not [0] or a string
                assert categories <= keys, f"{locale} {key}: {sorted(categories - keys)}"


@pytest.mark.parametrize("locale", REQUIRED)
def test_translations_keep_the_markup_and_fit_discords_limits(locale: str):
    english = messages(ENGLISH)
    for key, message in messages(locale).items():
        if message.value is None:
            continue
        names = variables(english[key]).names
        ours, theirs = renderings(ENGLISH, key, names), renderings(locale, key, names)
        assert {markup(t) for t in theirs} == {markup(t) for t in ours}, (locale, key)
        limit = next((n for pattern, n in LIMITS.items() if re.fullmatch(pattern, key)), 1024)
        longest = max(theirs, key=len)
        assert len(longest) <= limit, (locale, key, len(longest), limit)


def _name_ok(name: str) -> bool:
    """Discord's rule for command and option names: ``^[-_\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]
    {1,32}$``, lower case where the script has cases."""
    if not 1 <= len(name) <= 32 or name != name.lower():
        return False
    for char in name:
        script = unicodedata.name(char, "")
        letter_or_digit = unicodedata.category(char)[0] in "LN"
        if not (letter_or_digit or char in "-_" or script.startswith(("DEVANAGARI", "THAI"))):
            return False
    return True


@pytest.mark.parametrize("locale", REQUIRED)
def test_command_translations_fit_discords_rules(locale: str):
    found = messages(locale)
    for key in found:
        if not key.startswith(("command-", "option-", "menu-", "choice-")):
            continue
        compiled = bundle(locale).get_message(key)
        text = bundle(locale).format_pattern(compiled.value, {})[0]
        if key.startswith(("command-", "option-")):
            assert _name_ok(text), (locale, key, text)
        else:  # a context menu's name (any case, spaces) or a choice's
            assert 1 <= len(text) <= (32 if key.startswith("menu-") else 100), (locale, key)
        for attribute in compiled.attributes.values():
            described = bundle(locale).format_pattern(attribute, {})[0]
            assert 1 <= len(described) <= 100, (locale, key, described)
    for command in ("imagine", "settings"):  # option names are unique within a command
        names = [
            bundle(locale).format_pattern(bundle(locale).get_message(k).value, {})[0]
            for k in found
            if k.startswith(f"option-{command}-")
        ]
        assert len(names) == len(set(names)), (locale, command)


CALLS = {"UserFacingError", "Message", "of", "t", "text", "_fetched"}


def keys_in_code() -> set[str]:
    """String literals that name a catalog message: the key argument of the calls that take one."""
    keys = set()
    for path in [*ROOT.glob("bot/**/*.py"), *ROOT.glob("cogs/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name not in CALLS:
                continue
            for arg in node.args:
                literal = isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                if literal and re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)+|[a-z]+", arg.value):
                    keys.add(arg.value)
    return keys


def test_every_key_the_code_names_is_in_the_english_catalog():
    english = set(messages(ENGLISH))
    named = keys_in_code()
    assert len(named) > 100
    assert sorted(k for k in named if k not in english and "-" in k) == []
