"""The /imagine image options through real discord.py (simcord) and the real tiny engines: aspect,
sampler, model (and a server's default model), style, an image prompt; what a modified client
sends is checked again, and a bad attachment is refused privately before anything is drawn."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from bot.engines.pipelines import read_png_parameters
from tests.support.discord_harness import DiscordHarness
from tests.support.speech_bot import fields, final_state, pngs, told_privately
from tests.test_buttons import ADMIN, result_of

pytestmark = pytest.mark.simcord(settle_timeout=120)


async def drawn(h: DiscordHarness, actor: Any, **options: Any) -> tuple[dict[str, str], Any]:
    """Run /imagine; return the result's embed fields and its first PNG's parameters."""
    message, done, _ = await result_of(h, actor, **options)
    return fields(done), read_png_parameters((await pngs(message))[0])


def png_of(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 90)).save(out, format="PNG")
    return out.getvalue()


async def test_aspect_gives_sides_of_that_ratio_within_the_limits(discord_harness: DiscordHarness):
    h = discord_harness
    shown, png = await drawn(h, h.member("ann"), prompt="a wide city", aspect="16:9", count=1)
    limits = h.bot.settings.limits
    width, height = png["width"], png["height"]
    assert width % 8 == 0 and height % 8 == 0
    assert limits.min_side <= height < width <= limits.max_side
    assert abs(width / height - 16 / 9) < 0.1
    assert shown["Size"] == f"{width}×{height} (16:9)"
    both = await h.slash(h.member("bo"), "imagine", prompt="x", aspect="1:1", size="portrait")
    assert "either `size` or `aspect`" in (told_privately(both) or "")


async def test_sampler_and_model_are_drawn_with_and_shown(
    discord_harness: DiscordHarness, tiny_sd_dir
):
    h = discord_harness
    cy = h.member("cy")
    shown, png = await drawn(h, cy, prompt="a red cat", sampler="euler-a", count=1)
    assert (png["sampler"], shown["Sampler"]) == ("euler-a", "euler-a")
    assert png["model"] == shown["Model"] == tiny_sd_dir.name
    shown, png = await drawn(h, cy, prompt="a red cat", model="narrow", count=1)
    assert png["model"] == shown["Model"] == "narrow"
    assert png["sampler"] == shown["Sampler"] == "euler"  # the model's own default


async def test_a_servers_default_model_applies_when_imagine_names_none(
    discord_harness: DiscordHarness, tiny_sd_dir
):
    h = discord_harness
    admin, dee = h.member("admin", permissions=ADMIN), h.member("dee")
    saved = await h.slash(admin, "settings", image_model="narrow")
    assert "Saved." in (told_privately(saved) or "")
    shown = {field.name: field.value for field in saved.response.embeds[0].fields}
    assert shown["Image model"] == "narrow"
    _, png = await drawn(h, dee, prompt="a moon", count=1)
    assert png["model"] == "narrow"
    _, png = await drawn(h, dee, prompt="a moon", model=tiny_sd_dir.name, count=1)
    assert png["model"] == tiny_sd_dir.name
    refused = await h.slash_raw(admin, "settings", image_model="nope")
    assert "Out of range: image_model" in (told_privately(refused) or "")


async def test_style_offers_the_models_styles_and_draws_with_one(discord_harness: DiscordHarness):
    h = discord_harness
    eve = h.member("eve")
    offered = await eve.autocomplete(h.channel, "imagine", "style", "", model="styled")
    assert [choice["value"] for choice in offered] == ["ink"]
    assert await eve.autocomplete(h.channel, "imagine", "style", "", model="narrow") == []
    shown, png = await drawn(h, eve, prompt="a dog", model="styled", style="ink", count=1)
    assert (png["style"], shown["Style"]) == ("ink", "ink")
    refused = await h.slash_raw(eve, "imagine", prompt="a dog", style="ink")
    assert "`style` must be one of" in (told_privately(refused) or "")


async def test_an_image_prompt_draws_from_the_picture(discord_harness: DiscordHarness):
    h = discord_harness
    fay = h.member("fay")
    picture = png_of(80, 48)
    shown, png = await drawn(
        h, fay, prompt="a red cat", image=("mine.png", picture), strength=0.5, count=1
    )
    variation = h.bot.engines.draws[-1]["variation"]
    assert variation.image == picture and variation.strength == 0.5
    assert (png["kind"], png["strength"], png["variation_of"]) == ("vary", 0.5, "image prompt")
    assert shown["Drawn from your picture"] == "strength 0.5"


async def test_bad_pictures_and_options_are_refused_privately(discord_harness: DiscordHarness):
    h = discord_harness
    gus = h.member("gus")
    cases = {
        "isn't a picture": {"image": ("notes.txt", b"hello")},
        "too big": {"image": ("big.png", b"\0" * (h.bot.settings.limits.max_picture_bytes + 1))},
        "goes with `image`": {"strength": 0.5},
        "No fast mode is configured": {"fast": True},
    }
    raw = {
        "`strength` must be between": {"image": ("a.png", png_of(64, 64)), "strength": 0.0},
        "`aspect` must be one of": {"aspect": "7:5"},
        "`model` must be one of": {"model": "nope"},
        "`sampler` must be one of": {"sampler": "fastest"},
    }
    for expected, options in cases.items():
        refused = await h.slash(gus, "imagine", prompt="a cat", **options)
        assert expected in (told_privately(refused) or ""), expected
    for expected, options in raw.items():
        refused = await h.slash_raw(gus, "imagine", prompt="a cat", **options)
        assert expected in (told_privately(refused) or ""), expected
    assert h.bot.engines.draws == []


async def test_a_damaged_picture_fails_its_job_with_a_clear_error(
    discord_harness: DiscordHarness,
):
    h = discord_harness
    result = await h.slash(h.member("hal"), "imagine", prompt="a cat", image=("x.png", b"junk"))
    assert told_privately(result) is None  # accepted: only the engine reads the file
    assert final_state(h, result.response).embeds[0]["title"] == (
        "❌ That is not a PNG, JPEG or WebP picture."
    )
