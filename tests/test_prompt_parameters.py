"""Prompt parameters through real discord.py (simcord) and the real tiny engines: typed into
/imagine's prompt, the edit form and a typed remix, shown as applied, explicit options winning,
bad ones refused privately naming the parameter, and ``--chaos`` kept by a re-roll after a
restart."""

from __future__ import annotations

import pytest

from bot.engines.pipelines import read_png_parameters
from tests.support.discord_harness import DiscordHarness
from tests.support.speech_bot import (
    answer,
    fields,
    final_state,
    latest,
    pngs,
    reply_to,
    told_privately,
)
from tests.test_buttons import ADMIN, result_of

pytestmark = pytest.mark.simcord(settle_timeout=120)


async def parameters_of(message) -> list[dict]:
    return [read_png_parameters(png) for png in await pngs(message)]


async def test_typed_parameters_are_drawn_with_and_shown_as_applied(
    discord_harness: DiscordHarness,
):
    h = discord_harness
    prompt = "a wide city --ar 16:9 --no fog --seed 5 --steps 3 --chaos 50 --stylize 400"
    message, done, _ = await result_of(h, h.member("ann"), prompt=prompt, count=3)
    shown = fields(done)
    assert done.embeds[0]["description"] == "a wide city"
    assert shown["Parameters"] == "--ar 16:9 --no fog --seed 5 --steps 3 --chaos 50 --stylize 400"
    assert shown["Negative"] == "fog" and shown["Steps"] == "3"
    assert shown["Seed"] == "5 (+0…2)" and shown["Size"].endswith("(16:9)")
    base = 3.5  # --stylize 400 halves the default guidance of 7
    assert shown["Guidance"] == "2.5–4.9 (`--chaos 50`)"
    drawn = await parameters_of(message)
    assert [p["seed"] for p in drawn] == [5, 6, 7]
    assert [p["guidance"] for p in drawn] == [2.5, base, 4.9]
    assert {p["prompt"] for p in drawn} == {"a wide city"} and drawn[0]["chaos"] == 50
    assert {p["negative_prompt"] for p in drawn} == {"fog"}
    assert drawn[0]["width"] > drawn[0]["height"]


async def test_explicit_options_win_over_typed_parameters(discord_harness: DiscordHarness):
    h = discord_harness
    message, done, _ = await result_of(
        h, h.member("bo"), prompt="a dog --seed 5 --ar 1:2", seed=9, size="landscape", count=1
    )
    shown = fields(done)
    assert shown["Parameters"] == "~~--seed 5~~ ~~--ar 1:2~~"
    assert shown["Seed"] == "9" and shown["Size"] == "96×64 (3:2)"
    [drawn] = await parameters_of(message)
    assert drawn["seed"] == 9 and drawn["prompt"] == "a dog"


async def test_bad_parameters_are_refused_privately_naming_them(discord_harness: DiscordHarness):
    h = discord_harness
    cy = h.member("cy")
    for prompt, said in {
        "a cat --v 6": "I don't know the parameter `--v`",
        "a cat --ar wide": "`--ar wide` isn't an aspect ratio",
        "a cat --steps 500": "`--steps` must be between 1 and 100 (got 500)",
        "--ar 16:9": "The prompt is empty",
    }.items():
        refused = await h.slash(cy, "imagine", prompt=prompt)
        assert said in (told_privately(refused) or ""), prompt
    assert h.bot.engines.draws == []


async def test_parameters_typed_in_the_edit_form_win_over_the_jobs_options(
    discord_harness: DiscordHarness,
):
    h = discord_harness
    dee = h.member("dee")
    message, _, job = await result_of(h, dee, prompt="a boat", seed=3, count=1)
    shown = await dee.click(message, custom_id=f"s2i:edit:{job}")
    edited = await dee.submit_modal(shown, {"prompt": "a ship --seed 44 --ar 2:1", "negative": ""})
    new = final_state(h, answer(edited))
    assert fields(new)["Parameters"] == "--seed 44 --ar 2:1"
    [drawn] = await parameters_of(latest(h, answer(edited).id))
    assert drawn["prompt"] == "a ship" and drawn["seed"] == 44
    assert drawn["width"] == 2 * drawn["height"]
    await h.env.advance_time(6)  # past the double-click guard
    shown = await dee.click(message, custom_id=f"s2i:edit:{job}")
    refused = await dee.submit_modal(shown, {"prompt": "a ship --chaos lots", "negative": ""})
    assert "`--chaos` takes a whole number" in (told_privately(refused) or "")


async def test_a_typed_remix_applies_its_parameters(discord_harness: DiscordHarness):
    h = discord_harness
    admin, eve = h.member("admin", permissions=ADMIN), h.member("eve")
    await h.slash(admin, "settings", text_remixes=True)
    message, _, job = await result_of(h, eve, prompt="a red cat", seed=40, count=2)
    typed = await eve.send(h.channel, "a blue cat --seed 7 --no rain", reply_to=message)
    reply = reply_to(h, typed)
    done = final_state(h, reply)
    assert done.embeds[0]["title"].startswith("✅ Done"), done.embeds[0]["title"]
    assert fields(done)["Parameters"] == "--seed 7 --no rain"
    drawn = await parameters_of(latest(h, reply.id))
    assert [p["seed"] for p in drawn] == [7, 8] and drawn[0]["prompt"] == "a blue cat"
    assert drawn[0]["negative_prompt"] == "rain" and drawn[0]["parent_job"] == job


async def test_chaos_survives_a_restart_and_a_reroll_keeps_it(discord_harness: DiscordHarness):
    h = discord_harness
    fay = h.member("fay")
    prompt = "a hill --chaos 100 --ar 3:2 --no fog --steps 3"
    message, _, job = await result_of(h, fay, prompt=prompt, guidance=6, count=2)
    await h.restart_bot()
    again = await fay.click(latest(h, message.id), custom_id=f"s2i:reroll:{job}")
    new = final_state(h, answer(again))
    assert fields(new)["Guidance"] == "3–12 (`--chaos 100`)"
    assert fields(new)["Negative"] == "fog" and fields(new)["Steps"] == "3"
    drawn = await parameters_of(latest(h, answer(again).id))
    assert [p["guidance"] for p in drawn] == [3.0, 12.0]
    assert {(p["width"], p["height"], p["steps"]) for p in drawn} == {(96, 64, 3)}
    assert {(p["prompt"], p["negative_prompt"]) for p in drawn} == {("a hill", "fog")}
