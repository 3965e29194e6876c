"""Every family through the bot (real discord.py under simcord, the real image engine on each
family's tiny pipeline): /imagine with a negative prompt and a style (each changes the picture),
V1, U1 at exactly 2×, zoom out, pan, an image prompt with its strength, the fast mode, the PNG's
parameters, the Cancel button mid-draw and two jobs drawn in one batch, typed prompt parameters
(``--ar --no --seed --steps --stylize --chaos``) and the result controls (Vary Subtle/Strong, Upscale
Subtle/Creative, Make Square, Custom Zoom); the sampler choices follow the model, and a sampler the
model cannot use is refused privately in words."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bot.config import (
    FastLoraSettings,
    GenerationDefaults,
    LoraSettings,
    ModelSettings,
    Settings,
)
from bot.domain.families import FAMILIES
from bot.domain.options import stylized
from bot.engines.pipelines import read_png_parameters
from bot.engines.runner import Engines
from tests.support.discord_harness import DiscordHarness
from tests.support.speech_bot import (
    DrawsInFlight,
    answer,
    bot_settings,
    fields,
    final_state,
    job_id,
    latest,
    pngs,
    titles,
    told_privately,
)
from tests.support.tiny_diffusion import build_random_lora
from tests.support.tiny_families import FAMILIES as TINY
from tests.support.tiny_families import TinyModels
from tests.test_buttons import button_ids, result_of
from tests.test_image_buttons import clicked, pixels
from tests.test_imagine_options import png_of

pytestmark = pytest.mark.simcord(settle_timeout=120)


@pytest.fixture(scope="module")
def family_models(tiny_models: TinyModels, tmp_path_factory) -> dict[str, Any]:
    """One model per family, named by it: 64 px, 2 steps, a LoRA style ``ink`` and a fast LoRA;
    up to three jobs drawn together (so three are handed to the engine at once)."""
    models = {}
    for family in TINY:
        folder, lora = tiny_models[family], tmp_path_factory.mktemp(f"bot-lora-{family}")
        build_random_lora(folder, lora)
        models[family] = ModelSettings(
            source=str(folder),
            width=64,
            height=64,
            steps=2,
            loras={"ink": LoraSettings(path=lora)},
            fast_lora=FastLoraSettings(path=lora, steps=2),
        )
    return {
        "models": models,
        "default_model": "sd15",
        "max_resident_models": len(models),
        "batch_jobs": 3,
    }


@pytest.fixture
def settings(tiny_sd_dir: Path, family_models: dict[str, Any], tmp_path: Path) -> Settings:
    store = {"path": tmp_path / "jobs.sqlite3"}
    return bot_settings(tiny_sd_dir, tiny_sd_dir, image=family_models, store=store)


@pytest.fixture(scope="module")
def engines(tiny_sd_dir: Path, family_models: dict[str, Any]):
    """The image engine alone (no Whisper: these jobs are typed)."""
    engines = Engines(bot_settings(tiny_sd_dir, tiny_sd_dir, image=family_models), speech=False)
    engines.start_loading().result()
    yield engines
    engines.close()


@pytest.mark.parametrize("family", TINY)
async def test_a_family_draws_varies_and_upscales_through_the_bot(
    discord_harness: DiscordHarness, family: str
):
    h = discord_harness
    ann = h.member("ann")
    message, done, job = await result_of(
        h, ann, prompt="a red cat", model=family, count=2, seed=5, negative="fog", style="ink"
    )
    drawn = [read_png_parameters(png) for png in await pngs(message)]
    assert [(p["model"], p["seed"], p["style"]) for p in drawn] == [
        (family, 5, "ink"),
        (family, 6, "ink"),
    ]
    assert drawn[0]["negative_prompt"] == "fog" and (drawn[0]["width"], drawn[0]["height"]) == (
        64,
        64,
    )
    assert fields(done)["Model"] == family

    result = await ann.click(message, custom_id=f"s2i:vary:{job}:0")
    assert final_state(h, answer(result)).embeds[0]["title"].startswith("✅ Done")
    varied = await pngs(latest(h, answer(result).id))
    assert [pixels(png).shape for png in varied] == [(64, 64, 3)] * 2, "V1 draws two as asked"
    assert read_png_parameters(varied[1])["kind"] == "vary"
    _, upscaled = await clicked(h, ann, message, f"s2i:upscale:{job}:1")
    assert pixels(upscaled).shape == (128, 128, 3), "U1 is exactly twice the size"
    assert read_png_parameters(upscaled)["seed"] == 6


@pytest.mark.parametrize("family", TINY)
async def test_a_family_zooms_pans_takes_an_image_prompt_and_draws_fast(
    discord_harness: DiscordHarness, family: str
):
    h = discord_harness
    bo = h.member("bo")
    message, _, job = await result_of(h, bo, prompt="a small boat", model=family, count=1)
    _, zoomed = await clicked(h, bo, message, f"s2i:zoom:{job}:0:2")
    assert pixels(zoomed).shape == (128, 128, 3)
    _, panned = await clicked(h, bo, message, f"s2i:pan:{job}:0:right")
    assert pixels(panned).shape == (64, 96, 3)

    picture = ("mine.png", png_of(80, 48))
    message, _, _ = await result_of(
        h, bo, prompt="a moon", model=family, image=picture, strength=0.5, count=1, size="portrait"
    )
    [png] = await pngs(message)
    assert pixels(png).shape == (96, 64, 3)
    drawn = read_png_parameters(png)
    assert (drawn["kind"], drawn["strength"], drawn["variation_of"]) == (
        "vary",
        0.5,
        "image prompt",
    )

    message, _, _ = await result_of(h, bo, prompt="a moon", model=family, fast=True, count=1)
    [png] = await pngs(message)
    assert read_png_parameters(png)["fast"] is True and read_png_parameters(png)["steps"] == 2


@pytest.mark.parametrize("family", TINY)
async def test_a_family_cancels_mid_draw_then_batches_two_jobs_each_with_its_own_negative(
    discord_harness: DiscordHarness,
    held: dict[str, Any],
    family: str,
    monkeypatch: pytest.MonkeyPatch,
):
    h = discord_harness
    dee = h.member("dee")
    generator = h.bot.engines.generator
    calls: list[list[str]] = []  # the prompts of each pipeline call
    run = generator._run_batch
    monkeypatch.setattr(
        generator,
        "_run_batch",
        lambda part, step_end: (
            calls.append([p.request.options.prompt for p in part]) or run(part, step_end)
        ),
    )
    flight = held["in_flight"] = DrawsInFlight(h.env, hold=1)
    long = await h.slash(dee, "imagine", prompt="a long road", model=family, count=1, steps=4)

    def drawing() -> bool:  # at step 1 of 4, shown as drawing; the worker is held there
        return flight.held == 1 and titles(h, long.response)[-1].startswith("🎨 Drawing")

    await h.wait_for(drawing, timeout=120)
    job = job_id(final_state(h, long.response))
    assert f"s2i:cancel:{job}" in button_ids(final_state(h, long.response))
    asked = [("a red cat", 5, "fog"), ("a blue dog", 6, "rain")]
    waiting = [
        (await h.slash(dee, "imagine", prompt=p, model=family, count=1, seed=s, negative=n))
        for p, s, n in asked
    ]
    cancelled = await dee.click(long.response, custom_id=f"s2i:cancel:{job}")
    assert told_privately(cancelled) == "Cancelled."

    def over(message: Any) -> bool:
        return not titles(h, message)[-1].startswith(("⏳", "🎨"))

    await h.wait_for(lambda: all(over(m.response) for m in [long, *waiting]), timeout=300)
    assert titles(h, long.response)[-1] == "🚫 Cancelled"
    assert latest(h, long.response.id).attachments == []
    ended = [titles(h, message)[-1] for message in h.messages() if titles(h, message)]
    assert ended.count("🚫 Cancelled") == 1, ended
    assert calls == [["a long road"], ["a red cat", "a blue dog"]], "the two in one call"
    held["in_flight"] = None

    guidance = FAMILIES[family].guidance or GenerationDefaults().guidance
    batched = []
    for (prompt, seed, negative), result in zip(asked, waiting, strict=True):
        assert final_state(h, result.response).embeds[0]["title"].startswith("✅ Done")
        [png] = await pngs(latest(h, result.response.id))
        drawn = read_png_parameters(png)
        assert (drawn["prompt"], drawn["negative_prompt"], drawn["seed"]) == (
            prompt,
            negative,
            seed,
        )
        assert (drawn["model"], drawn["steps"], drawn["guidance"]) == (family, 2, guidance)
        assert (drawn["width"], drawn["height"], drawn.get("style")) == (64, 64, None)
        batched.append(pixels(png).astype(int))

    async def drawn_alone(**options: Any) -> np.ndarray:
        message, _, _ = await result_of(
            h, dee, prompt="a red cat", model=family, count=1, seed=5, **options
        )
        [png] = await pngs(message)
        return pixels(png).astype(int)

    alone = await drawn_alone(negative="fog")
    assert np.abs(alone - batched[0]).max() <= 1, "the batch drew each job as if alone"
    assert not np.array_equal(await drawn_alone(), alone), "the negative prompt is used"
    assert not np.array_equal(await drawn_alone(negative="fog", style="ink"), alone), "the style"


@pytest.mark.parametrize("family", TINY)
async def test_a_family_draws_typed_parameters_and_the_result_controls(
    discord_harness: DiscordHarness, family: str
):
    h = discord_harness
    eve = h.member("eve")
    base = stylized(
        FAMILIES[family].guidance or GenerationDefaults().guidance, 400, h.bot.settings.limits
    )
    prompt = "a wide sea --ar 3:2 --no fog --seed 7 --steps 3 --stylize 400"
    message, _, job = await result_of(h, eve, prompt=prompt, model=family, count=1)
    [png] = await pngs(message)
    drawn = read_png_parameters(png)
    assert (drawn["prompt"], drawn["negative_prompt"], drawn["seed"]) == ("a wide sea", "fog", 7)
    assert (drawn["model"], drawn["steps"], drawn["guidance"]) == (family, 3, base)
    original = pixels(png).astype(int)
    assert original.shape == (64, 96, 3), "--ar 3:2 at the native 64×64's pixel count"

    for kind, mode in [("vary", "subtle"), ("vary", "strong")]:
        _, png = await clicked(h, eve, message, f"s2i:{kind}:{job}:0:{mode}")
        assert pixels(png).shape == (64, 96, 3)
        assert (read_png_parameters(png)["kind"], read_png_parameters(png)["mode"]) == (kind, mode)
    for mode in ("subtle", "creative"):
        _, png = await clicked(h, eve, message, f"s2i:upscale:{job}:0:{mode}")
        assert pixels(png).shape == (128, 192, 3)
        assert read_png_parameters(png)["mode"] == mode
    _, png = await clicked(h, eve, message, f"s2i:square:{job}:0")
    assert pixels(png).shape == (96, 96, 3)
    assert read_png_parameters(png)["picture_box"] == [0, 16, 96, 80]
    assert np.abs(pixels(png)[16:80].astype(int) - original).max() <= 1, "the picture stays"
    form = await eve.click(message, custom_id=f"s2i:zoom:{job}:0:custom")
    zoomed = await eve.submit_modal(form, {"factor": "1.5", "prompt": "a wide sea", "negative": ""})
    [png] = await pngs(latest(h, answer(zoomed).id))
    assert pixels(png).shape == (96, 144, 3)
    assert read_png_parameters(png)["picture_box"] == [24, 16, 120, 80]
    assert np.abs(pixels(png)[16:80, 24:120].astype(int) - original).max() <= 1

    message, _, _ = await result_of(h, eve, prompt="a sea --chaos 50", model=family, count=2)
    guidance = FAMILIES[family].guidance or GenerationDefaults().guidance
    spread = [round(guidance * 2**-0.5, 1), round(guidance * 2**0.5, 1)]
    assert [read_png_parameters(png)["guidance"] for png in await pngs(message)] == spread


async def test_sampler_choices_follow_the_model_and_a_wrong_one_is_refused_in_words(
    discord_harness: DiscordHarness,
):
    h = discord_harness
    cy = h.member("cy")
    for family in TINY:
        offered = await cy.autocomplete(h.channel, "imagine", "sampler", "", model=family)
        assert [choice["value"] for choice in offered] == list(FAMILIES[family].samplers)
    default = await cy.autocomplete(h.channel, "imagine", "sampler", "flow")
    assert default == [], "the default model (SD 1.5) has no flow-matching samplers"
    refused = await h.slash_raw(cy, "imagine", prompt="a cat", model="flux", sampler="ddim")
    said = told_privately(refused) or ""
    assert "The sampler ddim does not work with flux (FLUX.1): pick one of" in said
    assert "flow-euler" in said
    refused = await h.slash_raw(cy, "imagine", prompt="a cat", model="sdxl", sampler="flow-euler")
    assert "does not work with sdxl" in (told_privately(refused) or "")
    assert h.bot.engines.draws == []
