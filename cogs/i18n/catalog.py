"""The message catalogs and the one renderer of user-facing texts.

Catalogs are Fluent files, ``locales/<Discord locale>/*.ftl`` beside this module; ``en-US`` is the
source and the fallback. :func:`render` turns a :class:`~bot.domain.messages.Message` (a key and
its arguments, raised or published by any layer) into text in a reader's locale: Fluent picks the
plural form by the locale's CLDR rules and formats numbers for it (Babel underneath). A message
missing from a locale, or one that fails to format there, is shown in English and logged.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from babel import Locale, UnknownLocaleError
from fluent.runtime import FluentBundle, FluentResource

from bot.domain.languages import LANGUAGE_NAMES
from bot.domain.messages import Arg, Message

log = logging.getLogger(__name__)

LOCALES_DIR = Path(__file__).parent / "locales"
ENGLISH = "en-US"
BABEL_CODES = {"jw": "jv"}
"""Whisper's language codes that CLDR spells otherwise."""


@functools.cache
def supported() -> tuple[str, ...]:
    """The locales with a catalog, English first (folder names are Discord's locale codes)."""
    found = sorted(path.name for path in LOCALES_DIR.iterdir() if path.is_dir())
    return (ENGLISH, *(code for code in found if code != ENGLISH))


def resolve(locale: object) -> str:
    """The catalog for a Discord locale (``discord.Locale`` or its code): the same code, else
    one of the same language (``es-419`` → ``es-ES``, ``en-GB`` → ``en-US``), else English."""
    code = str(getattr(locale, "value", locale) or "")
    if code in supported():
        return code
    language = code.split("-")[0].lower()
    same = [known for known in supported() if known.split("-")[0].lower() == language]
    return same[0] if same else ENGLISH


@functools.cache
def bundle(locale: str) -> FluentBundle:
    """Every ``.ftl`` file of one locale. Placeables are not wrapped in Unicode isolation marks:
    Discord shows them as they are (and they would count against its length limits)."""
    loaded = FluentBundle([locale], use_isolating=False)
    for path in sorted((LOCALES_DIR / locale).glob("*.ftl")):
        loaded.add_resource(FluentResource(path.read_text(encoding="utf-8")))
    return loaded


def render(message: Message, locale: object = ENGLISH) -> str:
    """``message`` in ``locale`` (resolved as :func:`resolve` does), English where it is missing.
    An argument named ``option`` is a command option's name, shown as the client shows it."""
    code = resolve(locale)
    args = {name: _arg(name, given, code) for name, given in message.args.items()}
    for chosen in dict.fromkeys((code, ENGLISH)):
        text = _format(bundle(chosen), message.key, args, chosen)
        if text is not None:
            return text
    log.error("no message %r in any catalog", message.key)
    return message.key


def text(locale: object, key: str, **args: Arg) -> str:
    """The catalog message ``key`` in ``locale``."""
    return render(Message(key, args), locale)


def attribute(locale: str, key: str, name: str) -> str | None:
    """The attribute ``name`` of message ``key`` in exactly ``locale`` (no fallback), or None."""
    loaded = bundle(locale)
    if not loaded.has_message(key):
        return None
    pattern = loaded.get_message(key).attributes.get(name)
    if pattern is None:
        return None
    value, errors = loaded.format_pattern(pattern, {})
    return None if errors else value


def value(locale: str, key: str) -> str | None:
    """The value of message ``key`` in exactly ``locale`` (no fallback), or None."""
    loaded = bundle(locale)
    if not loaded.has_message(key) or loaded.get_message(key).value is None:
        return None
    text, errors = loaded.format_pattern(loaded.get_message(key).value, {})
    return None if errors else text


def language_name(code: str | None, locale: object = ENGLISH) -> str:
    """A language Whisper knows, named in ``locale`` (CLDR's names, through Babel), capitalised
    as a label; Whisper's English name where CLDR has none."""
    if not code:
        return text(locale, "language-unknown")
    english = LANGUAGE_NAMES.get(code, code)
    try:
        names = Locale.parse(resolve(locale), sep="-").languages
    except (UnknownLocaleError, ValueError):
        return english
    name = names.get(BABEL_CODES.get(code, code)) or english
    return name[:1].upper() + name[1:]


class Texts:
    """The catalogs in one locale: ``t("queue-full", count=3)``, ``t.render(message)``."""

    def __init__(self, locale: object) -> None:
        self.locale = resolve(locale)

    def __call__(self, key: str, **args: Arg) -> str:
        return text(self.locale, key, **args)

    def render(self, message: Message) -> str:
        return render(message, self.locale)

    def language(self, code: str | None) -> str:
        return language_name(code, self.locale)


def texts(locale: object) -> Texts:
    return Texts(locale)


ENGLISH_TEXTS = Texts(ENGLISH)
"""The defaults of the views rebuilt from a custom_id (their labels are not shown again)."""


def _arg(name: str, given: Arg, locale: str) -> str | int | float:
    """A nested message rendered; an ``$option`` (a command option's name) as the user's client
    shows that option of ``/imagine`` (``option-imagine-<name>``), where it has one."""
    if isinstance(given, Message):
        return render(given, locale)
    if name == "option" and isinstance(given, str):
        return value(locale, f"option-imagine-{given}") or given
    return given


def _format(loaded: FluentBundle, key: str, args: dict, locale: str) -> str | None:
    if not loaded.has_message(key):
        return None
    pattern = loaded.get_message(key).value
    if pattern is None:
        return None
    formatted, errors = loaded.format_pattern(pattern, args)
    if errors:
        log.error("message %r in %s: %s", key, locale, "; ".join(map(str, errors)))
        return None if locale != ENGLISH else formatted
    return formatted
