"""Prompt parameters, typed at the end of a prompt as people paste them from other image bots:
``a lighthouse at dusk --ar 16:9 --no people, boats --seed 42 --steps 30 --chaos 40 --stylize 250``.

Pure text work, no I/O. Only typed prompts are parsed (``/imagine``'s prompt, the edit, remix and
zoom forms, a typed remix): a spoken prompt is drawn as it was heard. Whisper writes no ``--``, and
a word heard as a parameter would change a job without its speaker knowing.

``--ar W:H`` (alias ``--aspect``) the shape, at the model's native pixel count; ``--no …`` the
negative prompt; ``--seed N``; ``--steps N``; ``--chaos 0–100`` (alias ``--c``) spreads guidance
across the pictures of a grid (:meth:`GenerationOptions.guidance_of`); ``--stylize 0–1000``
(alias ``--s``) sets guidance from the model's default (:func:`bot.domain.options.stylized`).
An em or en dash counts as ``--`` (phones turn ``--`` into one).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from bot.domain.errors import UserFacingError
from bot.domain.options import MAX_CHAOS, MAX_SEED, MAX_STYLIZE

NAMES = {
    "ar": "ar",
    "aspect": "ar",
    "no": "no",
    "seed": "seed",
    "steps": "steps",
    "chaos": "chaos",
    "c": "chaos",
    "stylize": "stylize",
    "s": "stylize",
}
"""What may follow ``--``, and the parameter each names."""
KNOWN = "`--ar`, `--no`, `--seed`, `--steps`, `--chaos`, `--stylize`"
MAX_RATIO = 4
"""``--ar`` from 1:4 to 4:1 (sides stay within the limits at the native pixel count)."""
MAX_STEPS = 10_000
"""Read as a number up to this; the model's own limit is checked when the options are built."""

_MARK = re.compile(r"(?:^|(?<=\s))(?:--|—|–)(?=[A-Za-z])")
_NAME_AND_VALUE = re.compile(r"(?P<name>[A-Za-z][\w-]*)(?:\s+(?P<value>.*))?", re.DOTALL)
_RATIO = re.compile(r"(\d{1,5})\s*:\s*(\d{1,5})")

BUILD_KEYS = {
    "ar": ("ratio", ("width", "height", "aspect", "size")),
    "no": ("negative_prompt", ("negative_prompt",)),
    "seed": ("seed", ("seed",)),
    "steps": ("steps", ("steps",)),
    "chaos": ("chaos", ("chaos",)),
    "stylize": ("stylize", ("guidance",)),
}
"""Each parameter's keyword of ``GenerationOptions.build``, and the options it competes with."""
OPTION_OF = {"ratio": "ar", "width": "ar", "height": "ar", "guidance": "stylize"}
"""A refusal about a built option, named as the parameter that set it."""


@dataclass(frozen=True)
class PromptParameters:
    """The parameters found in a prompt, in the order typed (name → value)."""

    values: dict[str, Any] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.values)

    def keywords(self, chosen: Mapping[str, Any], *, over: bool) -> tuple[dict[str, Any], str]:
        """``GenerationOptions.build``'s keywords: ``chosen`` (None: unset) with these
        parameters. Where both set one, the parameters win when ``over`` (typed over an earlier
        job's values), else ``chosen`` does (a command's own options win). Also the parameters
        as applied, for the reply: ``--ar 16:9 ~~--seed 5~~`` (struck: an option won)."""
        merged = {key: value for key, value in chosen.items() if value is not None}
        shown = []
        for name, value in self.values.items():
            key, rivals = BUILD_KEYS[name]
            if not over and any(merged.get(rival) is not None for rival in rivals):
                shown.append(f"~~{_shown(name, value)}~~")
                continue
            for rival in rivals:
                merged.pop(rival, None)
            merged[key] = value
            shown.append(_shown(name, value))
        return merged, " ".join(shown)

    def named(self, error: UserFacingError) -> UserFacingError:
        """``error`` (from building the options) naming the parameter behind the option it
        names (``--steps`` rather than ``steps``), when a parameter set that option."""
        option = error.message.args.get("option")
        if not isinstance(option, str):
            return error
        name = OPTION_OF.get(option, option)
        if name not in self.values:
            return error
        args = dict(error.message.args) | {"option": f"--{name}"}
        return UserFacingError.of(replace(error.message, args=args), kind=error.kind)


def parse_prompt(text: str) -> tuple[str, PromptParameters]:
    """The prompt without its parameters, and the parameters. Refuses (naming it) a parameter
    that is unknown, given twice, or whose value does not fit."""
    marks = list(_MARK.finditer(text))
    if not marks:
        return text.strip(), PromptParameters()
    values: dict[str, Any] = {}
    ends = [mark.start() for mark in marks[1:]] + [len(text)]
    for mark, end in zip(marks, ends, strict=True):
        found = _NAME_AND_VALUE.fullmatch(text[mark.end() : end].strip())
        assert found is not None  # the mark is followed by a letter
        typed, value = found["name"], (found["value"] or "").strip()
        name = NAMES.get(typed.lower())
        if name is None:
            raise UserFacingError("parameter-unknown", name=f"--{typed}", known=KNOWN)
        if name in values and name != "no":
            raise UserFacingError("parameter-twice", name=f"--{typed}")
        if not value:
            raise UserFacingError("parameter-empty", name=f"--{typed}")
        parsed = _value(name, typed, value)
        values[name] = f"{values[name]}, {parsed}" if name in values else parsed
    return text[: marks[0].start()].strip(), PromptParameters(values)


def _value(name: str, typed: str, value: str) -> Any:
    if name == "no":
        return value
    if name == "ar":
        ratio = _RATIO.fullmatch(value)
        across, down = (int(ratio[1]), int(ratio[2])) if ratio else (0, 0)
        if not across or not down or max(across / down, down / across) > MAX_RATIO:
            raise UserFacingError("parameter-bad-ratio", name=f"--{typed}", value=value[:40])
        return across, down
    high = {"seed": MAX_SEED, "steps": MAX_STEPS, "chaos": MAX_CHAOS, "stylize": MAX_STYLIZE}[name]
    low = 1 if name == "steps" else 0
    if not value.isascii() or not value.isdigit() or not low <= int(value) <= high:
        raise UserFacingError(
            "parameter-bad-number", name=f"--{typed}", low=low, high=str(high), value=value[:40]
        )
    return int(value)


def _shown(name: str, value: Any) -> str:
    if name == "ar":
        return f"--ar {value[0]}:{value[1]}"
    return f"--{name} {value}"
