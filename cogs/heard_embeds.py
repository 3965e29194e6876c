"""What a voice job heard, shown whole within Discord's limits: the transcript and translation
as fields of the job's embed while they fit one (1024 characters), else in embeds of their own
after it (4096 each, a longer text continued in the next), all within the 6000 characters a
message's embeds share."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.domain.messages import Message
from bot.domain.results import SpeechResult
from cogs.i18n.catalog import Texts
from cogs.text_limits import EMBED_DESCRIPTION, EMBED_FIELD, EMBED_TITLE, EMBEDS_TOTAL, clip


def heard_texts(
    speech: SpeechResult | None, t: Texts, sure_language: float
) -> list[tuple[str, str]]:
    """What was heard, as (title, text): the transcript with its language, then the translation
    or why there is none."""
    if speech is None or speech.no_speech:
        return []
    unsure = speech.language_probability < sure_language  # short clips are misheard
    name = t(
        "field-heard-unsure" if unsure else "field-heard",
        language=t.language(speech.language),
        probability=speech.language_probability,
    )
    heard = [(clip(name, EMBED_TITLE), speech.transcript)]
    if speech.translation is not None:
        heard.append((t("field-translation"), speech.translation))
    elif speech.translation_missing:
        why = _stored_message(speech.translation_missing)
        heard.append((t("field-no-translation"), t.render(why)))
    return heard


def fit_fields(heard: Sequence[tuple[str, str]]) -> bool:
    """Whether every heard text fits a field of the job's embed."""
    return all(len(text) <= EMBED_FIELD for _, text in heard)


def heard_embeds(
    heard: Sequence[tuple[str, str]], colour: discord.Colour | None
) -> list[discord.Embed]:
    """Each heard text whole, in embeds of its own: its title on the first, cut between words."""
    return [
        discord.Embed(title=None if i else title, description=piece, colour=colour)
        for title, text in heard
        for i, piece in enumerate(_pieces(text, EMBED_DESCRIPTION))
    ]


def _pieces(text: str, size: int) -> list[str]:
    """``text`` in pieces of at most ``size`` characters, cut between words where it can be."""
    pieces = []
    text = text.strip()
    while len(text) > size:
        cut = text.rfind(" ", 0, size + 1)
        cut = cut if cut > 0 else size
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [*pieces, text]


def within_total(embeds: list[discord.Embed]) -> None:
    """Cut descriptions until all ``embeds`` hold at most ``EMBEDS_TOTAL`` characters: the
    job's own (the prompt) first, then the others from the last."""
    over = sum(len(embed) for embed in embeds) - EMBEDS_TOTAL
    for embed in [embeds[0], *reversed(embeds[1:])]:
        if over <= 0:
            return
        text = embed.description or ""
        if text:
            embed.description = clip(text, max(len(text) - over, 1))
            over -= len(text) - len(embed.description)


def _stored_message(stored: dict | str) -> Message:
    """A message kept in a result as a dict, or as the text itself in older records."""
    return Message.from_dict(stored) if isinstance(stored, dict) else Message.text(stored)
