"""U1…Un, zoom out and pan through real discord.py (simcord) and the real tiny engines: each
click makes a job drawn from the picture as posted, and the new picture keeps the old pixels."""

from __future__ import annotations

import io

import discord
import numpy as np
import pytest
from PIL import Image

from bot.engines.pipelines import read_png_parameters
from tests.support.discord_harness import DiscordHarness
from tests.support.speech_bot import answer, fields, final_state, latest, pngs, told_privately
from tests.test_buttons import ADMIN, button_ids, result_of

pytestmark = pytest.mark.simcord(settle_timeout=120)


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)


async def clicked(h: DiscordHarness, actor, message: discord.Message, custom_id: str):
    """Click a button on a result; return the new job's final state and its one PNG."""
    result = await actor.click(message, custom_id=custom_id)
    new = final_state(h, answer(result))
    assert new.embeds[0]["title"].startswith("✅ Done"), new.embeds[0]["title"]
    [png] = await pngs(latest(h, answer(result).id))
    return new, png


async def test_a_grid_gets_v_and_u_buttons_per_picture(discord_harness: DiscordHarness):
    h = discord_harness
    _, grid, job = await result_of(h, h.member("alice"), prompt="a blue horse", count=3)
    assert button_ids(grid)[3:] == [
        *(f"s2i:vary:{job}:{i}" for i in range(3)),
        *(f"s2i:upscale:{job}:{i}" for i in range(3)),
    ]  # a single picture's controls: tests/test_result_controls.py


async def test_u1_upscales_picture_1_to_twice_its_size_with_its_own_seed(
    discord_harness: DiscordHarness,
):
    h = discord_harness
    bob = h.member("bob")
    message, _, job = await result_of(h, bob, prompt="a red cat", seed=40, count=2)
    first = read_png_parameters(await message.attachments[0].read())
    new, png = await clicked(h, bob, message, f"s2i:upscale:{job}:0")
    assert pixels(png).shape == (128, 128, 3)
    drawn = read_png_parameters(png)
    assert drawn["seed"] == first["seed"] == 40 and drawn["prompt"] == "a red cat"
    assert (drawn["kind"], drawn["upscaled_from"]) == ("upscale", [64, 64])
    assert drawn["strength"] == h.bot.settings.defaults.upscale_strength
    assert fields(new)["Upscale of"] == f"{job} U1 (strength {drawn['strength']:g})"


@pytest.mark.parametrize(
    ("button", "shape", "kept", "parameter", "field", "named"),
    [
        ("zoom:{job}:0:2", (128, 128, 3), np.s_[32:96, 32:96], ("factor", 2.0),
         "Zoomed out from", "{job} #1 · 2×"),
        ("pan:{job}:0:right", (64, 96, 3), np.s_[:, :64], ("direction", "right"),
         "Panned from", "{job} #1 ➡️"),
    ],
)  # fmt: skip
async def test_zoom_out_and_pan_keep_the_picture_where_they_say(
    discord_harness: DiscordHarness,
    button: str,
    shape: tuple[int, int, int],
    kept: tuple[slice, slice],
    parameter: tuple[str, object],
    field: str,
    named: str,
):
    h = discord_harness
    carol = h.member("carol")
    message, _, job = await result_of(h, carol, prompt="a small boat", count=1)
    original = pixels(await message.attachments[0].read())
    new, png = await clicked(h, carol, message, "s2i:" + button.format(job=job))
    grown = pixels(png)
    assert grown.shape == shape
    assert np.abs(grown[kept] - original).max() <= 1  # the original pixels, where they belong
    assert read_png_parameters(png)[parameter[0]] == parameter[1]
    assert fields(new)[field] == named.format(job=job)


async def test_requester_only_blocks_another_users_upscale(discord_harness: DiscordHarness):
    h = discord_harness
    admin, erin, frank = h.member("admin", permissions=ADMIN), h.member("erin"), h.member("frank")
    await h.slash(admin, "settings", requester_only_buttons=True)
    message, _, job = await result_of(h, erin, prompt="mine", count=1)
    drawn_before = len(h.bot.engines.draws)
    refused = await frank.click(message, custom_id=f"s2i:upscale:{job}:0:subtle")
    assert "only erin can use these buttons" in (told_privately(refused) or "")
    refused = await frank.click(message, custom_id=f"s2i:pan:{job}:0:up")
    assert "only erin can use these buttons" in (told_privately(refused) or "")
    assert len(h.bot.engines.draws) == drawn_before
    _, png = await clicked(h, erin, message, f"s2i:upscale:{job}:0:subtle")
    assert pixels(png).shape == (128, 128, 3)
