"""No user-facing text bypasses the catalogs: under a pseudo-locale whose every message is marked
(``⟦…⟧``), every text the bot sends a user of that locale — job messages, buttons, menus, private
answers, refusals, /help, /queue, /status, /settings — carries the mark. Data (prompts, seeds,
transcripts, field values, language names from CLDR) is not checked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import discord
import pytest
from fluent.runtime import FluentBundle
from fluent.syntax import FluentParser
from fluent.syntax import ast as fluent

from cogs.i18n import catalog
from tests.support.discord_harness import DiscordHarness
from tests.support.speech_bot import answer, final_state, job_id, latest

pytestmark = pytest.mark.simcord(settle_timeout=120)

PSEUDO = "de"
"""A Discord locale whose catalog this test replaces by the marked English one."""
OPEN, CLOSE = "⟦", "⟧"


def marked_bundle() -> FluentBundle:
    """The English catalog with every message's value and attributes wrapped in the marks."""
    bundle = FluentBundle([catalog.ENGLISH], use_isolating=False)
    for path in sorted((catalog.LOCALES_DIR / catalog.ENGLISH).glob("*.ftl")):
        resource = FluentParser().parse(path.read_text(encoding="utf-8"))
        for entry in resource.body:
            if isinstance(entry, fluent.Message):
                patterns = [entry.value, *(a.value for a in entry.attributes)]
                for pattern in filter(None, patterns):
                    pattern.elements.insert(0, fluent.TextElement(OPEN))
                    pattern.elements.append(fluent.TextElement(CLOSE))
        bundle.add_resource(resource)
    return bundle


@pytest.fixture
def pseudo_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """Request it after ``discord_harness``: the commands were synced with the real catalogs."""
    marked, real = marked_bundle(), catalog.bundle
    monkeypatch.setattr(catalog, "bundle", lambda code: marked if code == PSEUDO else real(code))


def texts_shown(body: dict[str, Any]) -> Iterator[str]:
    """The words of a message that come from the bot itself (not the user's data)."""
    if body.get("content"):
        yield body["content"]
    for embed in body.get("embeds") or []:
        yield from filter(None, [embed.get("title"), (embed.get("footer") or {}).get("text")])
        yield from (field["name"] for field in embed.get("fields") or [])
    for row in body.get("components") or []:
        for item in row.get("components", []):
            yield from filter(None, [item.get("label"), item.get("placeholder")])


async def test_every_text_a_user_sees_comes_from_the_catalogs(
    discord_harness: DiscordHarness, pseudo_locale: None, english_voice_message: bytes, held
):
    h = discord_harness
    admin = h.member("admin", permissions=discord.Permissions(manage_guild=True), locale=PSEUDO)
    user, other = h.member("uma", locale=PSEUDO), h.member("otto", locale=PSEUDO)
    for command in ("help", "queue", "status", "remix", "remix"):  # remix: on, then off
        await h.slash(user, command)
    await h.slash(admin, "settings", steps=3)
    await h.slash(user, "imagine", seed=1)  # no prompt: refused
    await h.slash_raw(user, "imagine", prompt="x", seed=2**40)
    drawn = await h.slash(user, "imagine", prompt="a green door --ar 3:2", count=1)
    job = job_id(final_state(h, drawn.response))
    message = latest(h, drawn.response.id)
    final_state(h, answer(await user.click(message, custom_id=f"s2i:reroll:{job}")))
    await other.click(message, custom_id=f"s2i:delete:{job}")  # not his: refused
    voice = await h.send_voice_message(user, english_voice_message, duration=2.0)
    await h.send_voice_message(user, english_voice_message, duration=2.0, reply_to=message)
    gate = held["gate"] = h.gate()
    waiting = await h.slash(user, "imagine", prompt="a slow train")
    state = h.edits_of(waiting.response)[-1]
    cancel = state.components[0]["components"][0]["custom_id"]
    await user.click(latest(h, waiting.response.id), custom_id=cancel)
    await gate.release()
    held["gate"] = None
    assert voice is not None

    seen = [text for request in h.message_requests() for text in texts_shown(request.body)]
    assert len(seen) > 50
    unmarked = [text for text in seen if OPEN not in text]
    assert unmarked == []
