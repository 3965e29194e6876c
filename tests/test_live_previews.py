"""Live previews through real discord.py (simcord) and the real tiny engines: a slow draw's
message shows its pictures forming, then the result without a preview; 429s, 500s and a deleted
message during previews still end in exactly one final result; a server can turn them off.

The draws are slowed (each step 0.1 s longer) and run while the test watches: simcord's clock is
virtual, so the test moves it on (the deliverer's waits between edits) until the job is done."""

from __future__ import annotations

import discord
import pytest

from tests.support.discord_harness import DiscordHarness
from tests.support.speech_bot import final_state, latest, previews_in, titles, watch

pytestmark = pytest.mark.simcord(settle_timeout=120)

ADMIN = discord.Permissions(manage_guild=True)
MODERATOR = discord.Permissions(manage_messages=True)


def done(h: DiscordHarness) -> bool:
    return not h.bot.outbox.pending()


async def test_a_slow_draw_shows_its_pictures_forming_then_the_result_alone(
    discord_harness: DiscordHarness, slow_draws: None
):
    h = discord_harness
    result = await h.slash(h.member("ann"), "imagine", prompt="a red boat", steps=30, count=2)
    await watch(h, lambda: done(h))
    states = h.edits_of(result.response)
    shown = previews_in(h, states)
    assert len(set(shown)) >= 2, f"{len(shown)} previews"
    final = final_state(h, result.response)
    assert final.embeds[0]["title"].startswith("✅ Done")
    assert len(final.filenames) == 2 and "preview.jpg" not in final.filenames
    assert "image" not in final.embeds[0]  # the result carries no preview
    with_pictures = [i for i, s in enumerate(states) if any("image-" in f for f in s.filenames)]
    with_preview = [i for i, s in enumerate(states) if "preview.jpg" in s.filenames]
    assert max(with_preview) < min(with_pictures)  # never a preview after the result
    assert [t for t in titles(h, result.response) if t.startswith("✅")] == ["✅ Done"]


async def test_429s_and_500s_during_previews_end_in_one_result(
    discord_harness: DiscordHarness, slow_draws: None
):
    h = discord_harness
    result = await h.slash(h.member("bo"), "imagine", prompt="a storm", steps=30, count=1)
    h.env.inject_error("PATCH", "/webhooks/*", status=500, times=2)
    h.env.inject_error("PATCH", "/webhooks/*", status=429, times=2)
    await watch(h, lambda: done(h))
    assert not h.env.backend.faults  # every injected failure met an edit
    final = final_state(h, result.response)
    assert final.embeds[0]["title"].startswith("✅ Done") and len(final.filenames) == 1
    assert [t for t in titles(h, result.response) if t.startswith("✅")] == ["✅ Done"]
    assert previews_in(h, h.edits_of(result.response))  # previews went on after the failures


async def test_a_deleted_message_ends_previews_and_the_result_reaches_its_requester(
    discord_harness: DiscordHarness, slow_draws: None
):
    h = discord_harness
    cy, mod = h.member("cy"), h.member("mod", permissions=MODERATOR)
    result = await h.slash(cy, "imagine", prompt="a kite", steps=30, count=1)
    message = result.response
    deleted: list[int] = []

    async def delete_after_a_preview() -> None:
        if not deleted and previews_in(h, h.edits_of(message)):
            deleted.append(len(h.edits_of(message)))
            await mod.delete(message)

    await watch(h, lambda: done(h), each=delete_after_a_preview)
    assert deleted, "no preview was shown before the draw ended"
    assert len(h.edits_of(message)) == deleted[0]  # nothing more went to the deleted message
    posted = [m for m in h.messages() if m.author.bot]
    assert len(posted) == 1  # one new message: the result; no progress or preview reposted
    anew = h.edits_of(posted[0])
    assert len(anew) == 1 and anew[0].embeds[0]["title"].startswith("✅ Done")
    assert anew[0].filenames[0].startswith("image-0") and len(anew[0].filenames) == 1
    assert anew[0].content.startswith(f"<@{cy.id}>")
    assert h.pings(posted[0]).users == frozenset({cy.id})


async def test_a_server_can_turn_previews_off(discord_harness: DiscordHarness, slow_draws: None):
    """The server's choice holds after a restart."""
    h = discord_harness
    saved = await h.slash(h.member("admin", permissions=ADMIN), "settings", previews=False)
    shown = {field.name: field.value for field in saved.response.embeds[0].fields}
    assert shown["Live previews"] == "off"
    await h.restart_bot()
    result = await h.slash(h.member("dee"), "imagine", prompt="a hill", steps=12, count=1)
    await watch(h, lambda: done(h))
    assert previews_in(h, h.edits_of(result.response)) == []
    assert any(t.startswith("🎨 Drawing — step") for t in titles(h, result.response))
    assert "on_preview" not in h.bot.engines.draws[-1]  # the draw was asked for none
    assert latest(h, result.response.id).attachments
