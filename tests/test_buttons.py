"""The buttons on a result and /settings, through real discord.py (simcord), with the real
engines: each button makes the right new job, the buttons survive a restart, permissions hold."""

from __future__ import annotations

from typing import Any

import discord
import pytest
import simcord

from bot.domain.policy import GuildSettings
from bot.engines.pipelines import read_png_parameters
from tests.support.discord_harness import DiscordHarness
from tests.support.speech_bot import (
    answer,
    fields,
    final_state,
    job_id,
    latest,
    pngs,
    reply_to,
    titles,
    told_privately,
)

pytestmark = pytest.mark.simcord(settle_timeout=120)

ADMIN = discord.Permissions(manage_guild=True)
MODERATOR = discord.Permissions(manage_messages=True)


async def result_of(h: DiscordHarness, actor: Any, **options: Any):
    """Run /imagine and return (message, final state, job id)."""
    result = await h.slash(actor, "imagine", **options)
    done = final_state(h, result.response)
    assert done.embeds[0]["title"].startswith("✅ Done"), done.embeds[0]["title"]
    return latest(h, result.response.id), done, job_id(done)


async def parameters(message: discord.Message) -> list[dict[str, Any]]:
    return [read_png_parameters(png) for png in await pngs(message)]


def button_ids(state) -> list[str]:
    return [button["custom_id"] for row in state.components for button in row["components"]]


async def test_a_result_has_reroll_edit_delete_and_v_and_u_buttons_per_picture(
    discord_harness: DiscordHarness,
):
    h = discord_harness
    _, done, job = await result_of(h, h.member("alice"), prompt="a blue horse", count=3)
    assert button_ids(done) == [
        f"s2i:reroll:{job}",
        f"s2i:edit:{job}",
        f"s2i:delete:{job}",
        f"s2i:vary:{job}:0",
        f"s2i:vary:{job}:1",
        f"s2i:vary:{job}:2",
        f"s2i:upscale:{job}:0",
        f"s2i:upscale:{job}:1",
        f"s2i:upscale:{job}:2",
    ]


async def test_reroll_draws_the_same_job_with_a_new_seed(discord_harness: DiscordHarness):
    h = discord_harness
    alice = h.member("alice")
    message, _, job = await result_of(
        h, alice, prompt="a blue horse", seed=11, guidance=6.0, steps=3, count=2, negative="fog"
    )
    again = await alice.click(message, custom_id=f"s2i:reroll:{job}")
    new = final_state(h, answer(again))
    assert new.embeds[0]["title"].startswith("✅ Done") and job_id(new) != job
    before, after = await parameters(message), await parameters(latest(h, answer(again).id))
    assert after[0]["seed"] != 11 and after[1]["seed"] == after[0]["seed"] + 1
    for key in ("prompt", "negative_prompt", "guidance", "steps", "width", "height"):
        assert after[0][key] == before[0][key], key
    assert len(after) == 2


async def test_v2_draws_a_variation_of_picture_2(discord_harness: DiscordHarness):
    h = discord_harness
    bob = h.member("bob")
    message, _, job = await result_of(h, bob, prompt="a red cat", seed=40, count=2)
    picture_2 = await message.attachments[1].read()
    varied = await bob.click(message, custom_id=f"s2i:vary:{job}:1")
    new = final_state(h, answer(varied))
    assert new.embeds[0]["title"].startswith("✅ Done")
    variation = h.bot.engines.draws[-1]["variation"]  # what the image stage was handed
    assert variation.image == picture_2
    assert variation.strength == h.bot.settings.defaults.variation_strength
    assert fields(new)["Variation of"] == f"{job} V2 (strength {variation.strength:g})"
    drawn = await parameters(latest(h, answer(varied).id))
    assert {p["variation_of"] for p in drawn} == {f"{job} V2"}
    assert all(p["prompt"] == "a red cat" and p["seed"] != 40 for p in drawn)


async def test_edit_prompt_opens_a_prefilled_modal_and_draws_the_new_prompt(
    discord_harness: DiscordHarness,
):
    h = discord_harness
    carol = h.member("carol")
    message, _, job = await result_of(h, carol, prompt="a small boat", negative="rain", seed=3)
    shown = await carol.click(message, custom_id=f"s2i:edit:{job}")
    inputs = {c["custom_id"]: c for row in shown.modal["components"] for c in row["components"]}
    assert inputs["prompt"]["value"] == "a small boat" and inputs["negative"]["value"] == "rain"
    submitted = await carol.submit_modal(shown, {"prompt": "a big ship", "negative": ""})
    new = final_state(h, answer(submitted))
    assert new.embeds[0]["description"] == "a big ship"
    drawn = await parameters(latest(h, answer(submitted).id))
    assert drawn[0]["prompt"] == "a big ship" and drawn[0]["seed"] == 3


@pytest.mark.slow
async def test_edit_prompt_of_a_voice_job_offers_the_translation_and_shows_the_transcript(
    discord_harness: DiscordHarness, italian_voice_message
):
    h = discord_harness
    dan = h.member("dan")
    voice = await h.send_voice_message(dan, italian_voice_message, duration=3.0)
    reply = reply_to(h, voice)
    done = final_state(h, reply)
    heard = fields(done)
    shown = await dan.click(latest(h, reply.id), custom_id=f"s2i:edit:{job_id(done)}")
    inputs = {c["custom_id"]: c for row in shown.modal["components"] for c in row["components"]}
    assert inputs["prompt"]["value"] == heard["Translation"]
    transcript = next(value for name, value in heard.items() if name.startswith("Heard"))
    assert inputs["transcript"]["value"] == transcript


async def test_delete_is_for_the_requester_or_a_moderator(discord_harness: DiscordHarness):
    h = discord_harness
    erin, frank = h.member("erin"), h.member("frank")
    mod = h.member("mod", permissions=MODERATOR)
    first, _, job = await result_of(h, erin, prompt="one", count=1)
    refused = await frank.click(first, custom_id=f"s2i:delete:{job}")
    assert "Only the person who asked" in (told_privately(refused) or "")
    assert any(m.id == first.id for m in h.messages())
    await mod.click(first, custom_id=f"s2i:delete:{job}")
    assert not any(m.id == first.id for m in h.messages())
    second, _, job = await result_of(h, erin, prompt="two", count=1)
    await erin.click(second, custom_id=f"s2i:delete:{job}")
    assert not any(m.id == second.id for m in h.messages())


async def test_a_double_click_starts_one_job(discord_harness: DiscordHarness):
    h = discord_harness
    gina = h.member("gina")
    message, _, job = await result_of(h, gina, prompt="twice", count=1)
    jobs_before = h.bot.queue.snapshot().counts.get("done", 0)
    await gina.click(message, custom_id=f"s2i:reroll:{job}")
    second = await gina.click(message, custom_id=f"s2i:reroll:{job}")
    assert told_privately(second) == "Already on it."
    assert h.bot.queue.snapshot().counts.get("done", 0) == jobs_before + 1


async def test_requester_only_buttons_refuse_others_politely(discord_harness: DiscordHarness):
    h = discord_harness
    admin, hank, ivy = h.member("admin", permissions=ADMIN), h.member("hank"), h.member("ivy")
    message, _, job = await result_of(h, hank, prompt="mine", count=1)
    others = await ivy.click(message, custom_id=f"s2i:reroll:{job}")  # open to anyone by default
    assert final_state(h, answer(others)).embeds[0]["title"].startswith("✅ Done")
    await h.slash(admin, "settings", requester_only_buttons=True)
    refused = await ivy.click(message, custom_id=f"s2i:vary:{job}:0:strong")
    assert "only hank can use these buttons" in (told_privately(refused) or "")
    allowed = await hank.click(message, custom_id=f"s2i:vary:{job}:0:strong")
    assert told_privately(allowed) is None
    assert final_state(h, answer(allowed)).embeds[0]["title"].startswith("✅ Done")


async def test_buttons_made_before_a_restart_still_work(discord_harness: DiscordHarness):
    h = discord_harness
    jack = h.member("jack")
    message, _, job = await result_of(h, jack, prompt="old picture", seed=9, count=2)
    await h.restart_bot()
    assert h.bot.queue.get(job) is None  # only the store remembers it now
    again = await jack.click(message, custom_id=f"s2i:reroll:{job}")
    assert final_state(h, answer(again)).embeds[0]["title"].startswith("✅ Done")
    varied = await jack.click(message, custom_id=f"s2i:vary:{job}:1")
    assert final_state(h, answer(varied)).embeds[0]["title"].startswith("✅ Done")
    assert h.bot.engines.draws[-1]["variation"].image == await message.attachments[1].read()


async def test_settings_apply_to_the_next_job_and_survive_a_restart(
    discord_harness: DiscordHarness,
):
    h = discord_harness
    admin, kim = h.member("admin", permissions=ADMIN), h.member("kim")
    shown = await h.slash(admin, "settings", steps=3, count=1, guidance=4.5, banned_words="dragon")
    assert "Saved." in (told_privately(shown) or "")
    message, done, _ = await result_of(h, kim, prompt="a quiet lake")
    assert len(done.filenames) == 1
    [drawn] = await parameters(message)
    assert (drawn["steps"], drawn["guidance"]) == (3, 4.5)
    banned = await h.slash(kim, "imagine", prompt="a red Dragon")
    assert "isn't allowed" in (told_privately(banned) or "")

    await h.restart_bot()
    current = await h.slash(admin, "settings")
    values = {f.name: f.value for f in current.response.embeds[0].fields}
    assert values["Defaults"] == "guidance 4.5, 3 steps, 1 image"
    assert values["Banned words"] == "dragon"
    message, done, _ = await result_of(h, kim, prompt="a quiet lake again")
    assert len(done.filenames) == 1 and (await parameters(message))[0]["steps"] == 3


async def test_settings_are_for_admins_only(discord_harness: DiscordHarness):
    h = discord_harness
    lee = h.member("lee")
    with pytest.raises(simcord.SetupError):  # Discord hides the command from non-admins…
        await h.slash(lee, "settings", steps=5)
    refused = await h.slash_raw(lee, "settings", steps=5)  # …and the bot checks again
    assert "Manage Server" in (told_privately(refused) or "")
    assert await h.bot.guild_settings.get(h.guild.id) == GuildSettings()  # nothing changed


async def test_cancel_button_stops_a_waiting_job(discord_harness: DiscordHarness, held):
    h = discord_harness
    gate = held["gate"] = h.gate()
    mia, ned = h.member("mia"), h.member("ned")
    await h.slash(mia, "imagine", prompt="first", count=1)
    waiting = await h.slash(ned, "imagine", prompt="second", count=1)
    job = job_id(final_state(h, waiting.response))
    refused = await mia.click(waiting.response, custom_id=f"s2i:cancel:{job}")
    assert "not yours" in (told_privately(refused) or "")
    cancelled = await ned.click(waiting.response, custom_id=f"s2i:cancel:{job}")
    assert told_privately(cancelled) == "Cancelled."
    assert titles(h, waiting.response)[-1] == "🚫 Cancelled"
    await gate.release()
