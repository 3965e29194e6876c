"""Midjourney's result controls through real discord.py (simcord) and the real tiny engines:
Vary (Subtle)/(Strong), Upscale (Subtle)/(Creative), Custom Zoom, Make Square and Remix mode, each
a new job through the one intake, with the requester rule, the double-click guard and the PNG's
parameters, working after a restart."""

from __future__ import annotations

import numpy as np
import pytest

from bot.engines.pipelines import read_png_parameters
from tests.support.discord_harness import DiscordHarness
from tests.support.speech_bot import answer, fields, final_state, latest, told_privately
from tests.test_buttons import ADMIN, button_ids, result_of
from tests.test_image_buttons import clicked, pixels

pytestmark = pytest.mark.simcord(settle_timeout=120)


def rows_of(state) -> list[list[str]]:
    return [[button["custom_id"] for button in row["components"]] for row in state.components]


async def test_a_single_picture_gets_midjourneys_controls_and_make_square_when_not_square(
    discord_harness: DiscordHarness,
):
    h = discord_harness
    ann = h.member("ann")
    _, wide, job = await result_of(h, ann, prompt="a wide sea --ar 3:2", count=1)
    assert rows_of(wide) == [
        [f"s2i:reroll:{job}", f"s2i:edit:{job}", f"s2i:delete:{job}"],
        [
            f"s2i:vary:{job}:0:subtle",
            f"s2i:vary:{job}:0:strong",
            f"s2i:upscale:{job}:0:subtle",
            f"s2i:upscale:{job}:0:creative",
        ],
        [
            f"s2i:zoom:{job}:0:2",
            f"s2i:zoom:{job}:0:1.5",
            f"s2i:zoom:{job}:0:custom",
            f"s2i:square:{job}:0",
        ],
        [f"s2i:pan:{job}:0:{way}" for way in ("left", "right", "up", "down")],
    ]
    labels = [b.get("label") for row in wide.components for b in row["components"]]
    assert labels[3:11] == [
        "Vary (Subtle)",
        "Vary (Strong)",
        "Upscale (Subtle)",
        "Upscale (Creative)",
        "Zoom out 2×",
        "Zoom out 1.5×",
        "Custom Zoom",
        "Make Square",
    ]
    _, square, job = await result_of(h, ann, prompt="a sea", count=1)
    assert f"s2i:square:{job}:0" not in button_ids(square)


@pytest.mark.parametrize(
    ("button", "setting", "field", "kind"),
    [
        ("vary:{job}:0:subtle", "subtle_variation_strength", "Subtle variation of", "vary"),
        ("vary:{job}:0:strong", "variation_strength", "Strong variation of", "vary"),
        ("upscale:{job}:0:subtle", "subtle_upscale_strength", "Subtle upscale of", "upscale"),
        ("upscale:{job}:0:creative", "creative_upscale_strength", "Creative upscale of", "upscale"),
    ],
)
async def test_each_strength_draws_at_its_setting_and_says_so(
    discord_harness: DiscordHarness, button: str, setting: str, field: str, kind: str
):
    h = discord_harness
    bob = h.member("bob")
    message, _, job = await result_of(h, bob, prompt="a red cat", seed=40, count=1)
    picture = await message.attachments[0].read()
    new, png = await clicked(h, bob, message, "s2i:" + button.format(job=job))
    strength = getattr(h.bot.settings.defaults, setting)
    variation = h.bot.engines.draws[-1]["variation"]
    assert variation.image == picture and variation.strength == strength
    drawn = read_png_parameters(png)
    assert (drawn["kind"], drawn["mode"], drawn["strength"]) == (
        kind,
        button.split(":")[-1],
        strength,
    )
    number = "U1" if kind == "upscale" else "V1"
    assert fields(new)[field] == f"{job} {number} (strength {strength:g})"
    if kind == "upscale":
        assert pixels(png).shape == (128, 128, 3) and drawn["seed"] == 40


async def test_make_square_draws_the_short_sides_out_and_keeps_the_picture(
    discord_harness: DiscordHarness,
):
    h = discord_harness
    cy = h.member("cy")
    message, _, job = await result_of(h, cy, prompt="a tall tower --ar 2:3", count=1)
    original = pixels(await message.attachments[0].read())
    assert original.shape == (96, 64, 3)
    new, png = await clicked(h, cy, message, f"s2i:square:{job}:0")
    square = pixels(png)
    assert square.shape == (96, 96, 3)
    assert np.abs(square[:, 16:80] - original).max() <= 1  # the picture, in the middle
    drawn = read_png_parameters(png)
    assert drawn["kind"] == "square" and drawn["picture_box"] == [16, 0, 80, 96]
    assert fields(new)["Made square from"] == f"{job} #1"


async def test_custom_zoom_asks_a_factor_and_a_prompt(discord_harness: DiscordHarness):
    h = discord_harness
    dee = h.member("dee")
    message, _, job = await result_of(h, dee, prompt="a small boat", count=1)
    original = pixels(await message.attachments[0].read())
    form = await dee.click(message, custom_id=f"s2i:zoom:{job}:0:custom")
    inputs = {c["custom_id"]: c for row in form.modal["components"] for c in row["components"]}
    assert (inputs["factor"]["value"], inputs["prompt"]["value"]) == ("1.5", "a small boat")
    refused = await dee.submit_modal(form, {"factor": "3", "prompt": "x", "negative": ""})
    assert "a number from 1 to 2" in (told_privately(refused) or "")
    await h.env.advance_time(6)  # past the double-click guard
    form = await dee.click(message, custom_id=f"s2i:zoom:{job}:0:custom")
    zoomed = await dee.submit_modal(
        form, {"factor": "1,25", "prompt": "a small boat in a harbour", "negative": ""}
    )
    new = final_state(h, answer(zoomed))
    assert new.embeds[0]["description"] == "a small boat in a harbour"
    assert fields(new)["Zoomed out from"] == f"{job} #1 · 1.25×"
    png = await latest(h, answer(zoomed).id).attachments[0].read()
    grown = pixels(png)
    assert grown.shape == (80, 80, 3)
    assert np.abs(grown[8:72, 8:72] - original).max() <= 1
    assert read_png_parameters(png)["factor"] == 1.25
    await h.env.advance_time(6)
    form = await dee.click(message, custom_id=f"s2i:zoom:{job}:0:custom")
    redrawn = await dee.submit_modal(form, {"factor": "1", "prompt": "a red boat", "negative": ""})
    variation = h.bot.engines.draws[-1]["variation"]
    assert (variation.kind, variation.mode) == ("vary", "subtle")
    done = final_state(h, answer(redrawn)).embeds[0]
    assert done["title"].startswith("✅ Done") and done["description"] == "a red boat"


async def test_remix_mode_opens_the_prompt_before_a_variation_or_reroll(
    discord_harness: DiscordHarness,
):
    h = discord_harness
    eve = h.member("eve")
    turned = await h.slash(eve, "remix")
    assert "Remix mode is **on**" in (told_privately(turned) or "")
    message, _, job = await result_of(h, eve, prompt="a green hill", seed=5, count=2)
    drawn_before = len(h.bot.engines.draws)
    form = await eve.click(message, custom_id=f"s2i:vary:{job}:1")
    assert form.modal["title"] == "Remix" and len(h.bot.engines.draws) == drawn_before
    inputs = {c["custom_id"]: c for row in form.modal["components"] for c in row["components"]}
    assert inputs["prompt"]["value"] == "a green hill"
    varied = await eve.submit_modal(form, {"prompt": "a snowy hill --seed 9", "negative": ""})
    new = final_state(h, answer(varied))
    assert new.embeds[0]["description"] == "a snowy hill"
    assert fields(new)["Parameters"] == "--seed 9"
    variation = h.bot.engines.draws[-1]["variation"]
    assert variation.image == await message.attachments[1].read()
    drawn = [read_png_parameters(await a.read()) for a in latest(h, answer(varied).id).attachments]
    assert [p["seed"] for p in drawn] == [9, 10] and drawn[0]["prompt"] == "a snowy hill"

    form = await eve.click(message, custom_id=f"s2i:reroll:{job}")
    rerolled = await eve.submit_modal(form, {"prompt": "a hill at night", "negative": "fog"})
    drawn = [
        read_png_parameters(await a.read()) for a in latest(h, answer(rerolled).id).attachments
    ]
    assert drawn[0]["prompt"] == "a hill at night" and drawn[0]["negative_prompt"] == "fog"
    assert drawn[0]["seed"] != 5

    turned = await h.slash(eve, "remix", on=False)
    assert "Remix mode is **off**" in (told_privately(turned) or "")
    direct = await eve.click(message, custom_id=f"s2i:vary:{job}:0")
    assert direct.modal is None
    assert final_state(h, answer(direct)).embeds[0]["title"].startswith("✅ Done")


async def test_a_servers_remix_default_applies_to_those_who_did_not_choose(
    discord_harness: DiscordHarness,
):
    h = discord_harness
    admin, fay, gus = h.member("admin", permissions=ADMIN), h.member("fay"), h.member("gus")
    saved = await h.slash(admin, "settings", remix_mode=True)
    shown = {field.name: field.value for field in saved.response.embeds[0].fields}
    assert shown["Remix mode (default)"] == "on"
    await h.slash(gus, "remix", on=False)
    message, _, job = await result_of(h, fay, prompt="a bridge", count=1)
    assert (await fay.click(message, custom_id=f"s2i:reroll:{job}")).modal is not None
    assert (await gus.click(message, custom_id=f"s2i:reroll:{job}")).modal is None


async def test_the_controls_and_remix_mode_work_after_a_restart(discord_harness: DiscordHarness):
    """Every new button on a result drawn before the restart, the user's Remix mode and the
    server's Remix default kept."""
    h = discord_harness
    hal, ida = h.member("hal"), h.member("ida")
    await h.slash(h.member("admin", permissions=ADMIN), "settings", remix_mode=True)
    message, _, job = await result_of(h, hal, prompt="a lamp --ar 3:2", count=1)
    await h.slash(hal, "remix", on=True)
    await h.slash(ida, "remix", on=False)
    await h.restart_bot()
    message = latest(h, message.id)
    _, png = await clicked(h, hal, message, f"s2i:square:{job}:0")
    assert pixels(png).shape == (96, 96, 3)
    for mode in ("subtle", "creative"):
        _, png = await clicked(h, hal, message, f"s2i:upscale:{job}:0:{mode}")
        assert pixels(png).shape == (128, 192, 3)
        strength = getattr(h.bot.settings.defaults, f"{mode}_upscale_strength")
        assert read_png_parameters(png)["strength"] == strength
    form = await hal.click(message, custom_id=f"s2i:zoom:{job}:0:custom")
    zoomed = await hal.submit_modal(form, {"factor": "1.5", "prompt": "a lamp", "negative": ""})
    assert fields(final_state(h, answer(zoomed)))["Zoomed out from"] == f"{job} #1 · 1.5×"
    for mode in ("subtle", "strong"):
        form = await hal.click(message, custom_id=f"s2i:vary:{job}:0:{mode}")
        assert form.modal is not None  # the user's Remix mode was kept
        varied = await hal.submit_modal(form, {"prompt": f"a lamp, {mode}", "negative": ""})
        assert final_state(h, answer(varied)).embeds[0]["description"] == f"a lamp, {mode}"
    assert (await ida.click(message, custom_id=f"s2i:reroll:{job}")).modal is None
    assert (await h.member("joe").click(message, custom_id=f"s2i:reroll:{job}")).modal is not None


async def test_requester_rule_and_double_click_guard_hold_for_the_new_controls(
    discord_harness: DiscordHarness,
):
    h = discord_harness
    admin, ivy, jon = h.member("admin", permissions=ADMIN), h.member("ivy"), h.member("jon")
    await h.slash(admin, "settings", requester_only_buttons=True)
    message, _, job = await result_of(h, ivy, prompt="a kite --ar 3:2", count=1)
    drawn_before = len(h.bot.engines.draws)
    for button in ("square:{job}:0", "zoom:{job}:0:custom", "upscale:{job}:0:creative"):
        refused = await jon.click(message, custom_id="s2i:" + button.format(job=job))
        assert "only ivy can use these buttons" in (told_privately(refused) or ""), button
        assert refused.modal is None
    first = await ivy.click(message, custom_id=f"s2i:vary:{job}:0:subtle")
    again = await ivy.click(message, custom_id=f"s2i:vary:{job}:0:subtle")
    assert told_privately(again) == "Already on it."
    assert final_state(h, answer(first)).embeds[0]["title"].startswith("✅ Done")
    assert len(h.bot.engines.draws) == drawn_before + 1


async def test_a_form_discord_fails_to_open_or_to_answer_still_ends_in_the_job(
    discord_harness: DiscordHarness,
):
    """Custom Zoom's form, and its submission's answer, each meet a 500 and a 429 first: both
    are made again within Discord's 3 s, and the zoomed picture comes."""
    h = discord_harness
    kim = h.member("kim")
    message, _, job = await result_of(h, kim, prompt="a red kite", count=1)
    h.env.inject_error("POST", "/interactions/*", status=500, times=1)
    h.env.inject_error("POST", "/interactions/*", status=429, times=1)
    form = await kim.click(message, custom_id=f"s2i:zoom:{job}:0:custom")
    assert not h.env.backend.faults and form.modal is not None
    h.env.inject_error("POST", "/interactions/*", status=500, times=1)
    h.env.inject_error("POST", "/interactions/*", status=429, times=1)
    zoomed = await kim.submit_modal(form, {"factor": "2", "prompt": "a red kite", "negative": ""})
    assert not h.env.backend.faults
    assert fields(final_state(h, answer(zoomed)))["Zoomed out from"] == f"{job} #1 · 2×"
