"""Prompt parameters in the domain: parsing (``--ar``, ``--no``, ``--seed``, ``--steps``,
``--chaos``, ``--stylize``), refusals that name the parameter, who wins over whom, and the
documented mappings of ``--stylize`` to guidance and ``--chaos`` to a spread of guidance."""

from __future__ import annotations

import pytest

from bot.config import GenerationDefaults, Limits
from bot.domain.aspect import ratio_size
from bot.domain.errors import UserFacingError
from bot.domain.options import GenerationOptions, stylized
from bot.domain.parameters import parse_prompt
from tests.support.refusals import english, refused


def test_a_prompt_without_parameters_is_kept_as_it_is() -> None:
    prompt, parameters = parse_prompt("  a sci-fi city -- at night, 3-4 towers ")
    assert prompt == "a sci-fi city -- at night, 3-4 towers" and not parameters
    assert parse_prompt("a cat--dog")[0] == "a cat--dog"  # glued to a word: no parameter


def test_every_parameter_and_its_aliases() -> None:
    prompt, parameters = parse_prompt(
        "a lighthouse at dusk --ar 16:9 --no people, boats --seed 42 --steps 30 --c 40 --s 250"
    )
    assert prompt == "a lighthouse at dusk"
    assert parameters.values == {
        "ar": (16, 9),
        "no": "people, boats",
        "seed": 42,
        "steps": 30,
        "chaos": 40,
        "stylize": 250,
    }
    _, again = parse_prompt("x --aspect 2:3 --chaos 0 --stylize 1000 --NO text")
    assert again.values == {"ar": (2, 3), "chaos": 0, "stylize": 1000, "no": "text"}


def test_a_phone_dash_counts_and_no_may_be_given_twice() -> None:
    prompt, parameters = parse_prompt("a cat —ar 3:2 –no text --no watermark")
    assert prompt == "a cat"
    assert parameters.values == {"ar": (3, 2), "no": "text, watermark"}


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("a cat --v 6", r"don't know the parameter `--v`\. I understand `--ar`"),
        ("a cat --seed 1 --seed 2", r"`--seed` is there twice"),
        ("a cat --seed", r"`--seed` needs a value"),
        ("a cat --ar 16x9", r"`--ar 16x9` isn't an aspect ratio"),
        ("a cat --ar 5:1", r"`--ar 5:1` isn't an aspect ratio: .* 1:4 to 4:1"),
        ("a cat --ar 0:1", r"`--ar 0:1` isn't an aspect ratio"),
        ("a cat --seed -5", r"`--seed` takes a whole number from 0 to 4294967295 \(got -5\)"),
        ("a cat --steps 0", r"`--steps` takes a whole number from 1 to"),
        ("a cat --chaos 101", r"`--chaos` takes a whole number from 0 to 100 \(got 101\)"),
        ("a cat --s 2.5", r"`--s` takes a whole number from 0 to 1000 \(got 2.5\)"),
        ("a cat --seed 5 in a hat", r"`--seed` takes a whole number .*got 5 in a hat"),
    ],
)
def test_a_bad_parameter_is_refused_naming_it(text: str, said: str) -> None:
    with refused(said):
        parse_prompt(text)


def test_explicit_options_win_and_are_struck_in_what_is_shown() -> None:
    _, parameters = parse_prompt("x --ar 16:9 --seed 5 --stylize 400 --no fog --chaos 20")
    chosen = {"seed": 7, "guidance": None, "width": None, "height": None, "negative_prompt": None}
    merged, shown = parameters.keywords(chosen, over=False)
    assert merged == {
        "seed": 7,
        "ratio": (16, 9),
        "stylize": 400,
        "negative_prompt": "fog",
        "chaos": 20,
    }
    assert shown == "--ar 16:9 ~~--seed 5~~ --stylize 400 --no fog --chaos 20"
    sized = {"width": 512, "height": 768, "guidance": 9.0}
    merged, shown = parameters.keywords(sized, over=False)
    assert merged["width"] == 512 and "ratio" not in merged and merged["guidance"] == 9.0
    assert shown.startswith("~~--ar 16:9~~") and "~~--stylize 400~~" in shown


def test_typed_over_an_earlier_job_the_parameters_win() -> None:
    _, parameters = parse_prompt("x --ar 1:2 --stylize 100 --seed 3")
    earlier = {"width": 512, "height": 512, "guidance": 9.0, "seed": 8, "steps": 20}
    merged, shown = parameters.keywords(earlier, over=True)
    assert merged == {"steps": 20, "ratio": (1, 2), "stylize": 100, "seed": 3}
    assert shown == "--ar 1:2 --stylize 100 --seed 3"


def test_a_refusal_while_building_names_the_parameter_that_set_the_option() -> None:
    _, parameters = parse_prompt("x --steps 500")
    merged, _ = parameters.keywords({}, over=False)
    with pytest.raises(UserFacingError) as caught:
        GenerationOptions.build("x", GenerationDefaults(), Limits(), **merged)
    assert english(parameters.named(caught.value)) == (
        "`--steps` must be between 1 and 100 (got 500)."
    )
    _, none = parse_prompt("x")
    assert none.named(caught.value) is caught.value  # an option's own refusal stays


def test_stylize_maps_to_guidance_from_the_default() -> None:
    limits = Limits()
    assert stylized(7.0, 100, limits) == 7.0  # Midjourney's default keeps it
    assert stylized(7.0, 400, limits) == 3.5  # every 300 above halves it
    assert stylized(7.0, 0, limits) == 8.8  # below doubles it per 300
    assert stylized(7.0, 1000, limits) == 1.0  # kept within the limits
    assert stylized(0.0, 0, Limits(min_guidance=0)) == 0.0  # turbo: no guidance to change
    built = GenerationOptions.build("x", GenerationDefaults(), limits, stylize=400)
    assert built.guidance == 3.5
    explicit = GenerationOptions.build("x", GenerationDefaults(), limits, stylize=400, guidance=5)
    assert explicit.guidance == 5


def test_chaos_spreads_guidance_across_the_grid() -> None:
    options = GenerationOptions(prompt="x", guidance=8.0, count=5, chaos=100)
    assert [options.guidance_of(i) for i in range(5)] == [4.0, 5.7, 8.0, 11.3, 16.0]
    half = options.with_changes(chaos=50)
    assert [half.guidance_of(i) for i in range(5)] == [5.7, 6.7, 8.0, 9.5, 11.3]
    assert options.with_changes(count=1).guidance_of(0) == 8.0  # one picture: nothing to spread
    assert options.with_changes(guidance=1.0).guidance_of(0) == 1.0  # guidance off stays off
    assert options.with_changes(guidance=1.5).guidance_of(0) == 1.0  # never below 1
    alone = options.alone(3)
    assert (alone.seed, alone.guidance, alone.count, alone.chaos) == (3, 11.3, 1, 0)
    with refused("`chaos` must be between 0 and 100"):
        options.with_changes(chaos=101).validate(Limits())


def test_any_ratio_keeps_the_pixel_budget() -> None:
    assert ratio_size((16, 9), (512, 512), Limits()) == (680, 384)
    assert ratio_size((4, 1), (512, 512), Limits()) == (1024, 256)
    built = GenerationOptions.build("x", GenerationDefaults(), Limits(), ratio=(7, 4))
    assert (built.width, built.height) == (680, 384)
    with refused("either `aspect` or `width`"):
        GenerationOptions.build("x", GenerationDefaults(), Limits(), ratio=(7, 4), width=512)
