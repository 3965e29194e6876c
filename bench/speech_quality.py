"""The speech benchmark's quality figures: word error per language and length class, the floor.

The floor is plain greedy ``transcribe()`` (b1). Where its first decode, at temperature 0, fails
a check, it samples (0.2, 0.4, …), so on those clips its text is a draw: one seed is lucky on a
clip and not on the next (on the espeak "Zeichne einen großen Berg…", seeds 1–8 give 0.38 word
error five times and 0.77 three times). Its word error there is the mean over several seeds;
every other clip's text is the same at every seed (its decode never samples). The comparison
with the first seed alone is printed as well.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bench.speech_clips import (
    LENGTH_CLASSES,
    Clip,
    length_class,
    pooled_word_error,
    word_error,
)

APPROACHES = ("a", "b5", "b1", "c")
TARGET_POINTS = 0.10
"""No clip's word error more than this above plain greedy transcribe()'s."""
WORST_SHOWN = 4


@dataclass(frozen=True)
class Heard:
    """What one approach made of a clip."""

    language: str | None
    transcript: str
    translation: str | None
    sampled: bool = False
    """Whether a window was decoded by sampling (the temperature fallback of transcribe())."""


def quality(
    clips: Sequence[Clip],
    durations: Sequence[float],
    heard: dict[str, list[Heard]],
    floor: Sequence[Sequence[str]],
) -> dict[str, float]:
    """Pooled word error per language and length class (``wer_<key>_<language>_<class>``) and
    over all clips (``wer_<key>``), the worst clip of (c) against the floor, and whether the
    quality target holds.

    ``floor`` holds (b1)'s transcripts of every clip at each seed, the first seed's first (those
    of ``heard["b1"]``); (b1)'s figures are their means."""
    figures: dict[str, float] = {}
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, (clip, duration) in enumerate(zip(clips, durations, strict=True)):
        groups[(clip.language, length_class(duration))].append(i)
    groups[("all", "")] = list(range(len(clips)))

    def pooled(members: list[int], transcripts: Sequence[str]) -> float:
        chosen = [clips[i] for i in members]
        return pooled_word_error(chosen, [transcripts[i] for i in members])["all"]

    for (language, length), members in groups.items():
        name = f"_{language}_{length}" if length else ""
        for key in APPROACHES:
            transcripts = [h.transcript for h in heard[key]]
            figures[f"wer_{key}{name}"] = pooled(members, transcripts)
        figures[f"wer_b1{name}"] = float(np.mean([pooled(members, seed) for seed in floor]))
        figures[f"wer_b1_seed1{name}"] = pooled(members, floor[0])
    margins = clip_margins(clips, heard["c"], floor)
    figures["c_worst_clip_over_b1"] = float(margins.mean(axis=0).max())
    figures["c_worst_clip_over_b1_seed1"] = float(margins[0].max())
    for suffix in ("", "_seed1"):
        figures[f"groups_c_over_b1{suffix}"] = sum(
            figures[f"wer_c_{lang}_{length}"] > figures[f"wer_b1{suffix}_{lang}_{length}"] + 1e-9
            for lang, length in groups
            if length
        )
    for key in ("b5", "b1"):
        figures[f"{key}_sampled"] = sum(h.sampled for h in heard[key])
    figures["floor_seeds"] = len(floor)
    figures["c_language_right"] = sum(
        h.language == clip.language for h, clip in zip(heard["c"], clips, strict=True)
    )
    return figures


def clip_margins(
    clips: Sequence[Clip], project: Sequence[Heard], floor: Sequence[Sequence[str]]
) -> np.ndarray:
    """(c)'s word error minus (b1)'s, per seed of (b1) (rows) and clip (columns)."""
    ours = np.array(
        [word_error(clip, heard.transcript) for clip, heard in zip(clips, project, strict=True)]
    )
    return ours - np.array(
        [[word_error(c, t) for c, t in zip(clips, seed, strict=True)] for seed in floor]
    )


def print_quality(
    figures: dict[str, float],
    clips: Sequence[Clip],
    durations: Sequence[float],
    margins: np.ndarray,
) -> None:
    """The word error table, per language and length class, the clips furthest above the floor,
    and the target's verdict."""
    classes = [name for *_, name in LENGTH_CLASSES]
    lengths = [length_class(d) for d in durations]
    groups = sorted(
        {(clip.language, length) for clip, length in zip(clips, lengths, strict=True)},
        key=lambda g: (g[0], classes.index(g[1])),
    )
    seeds = f"(b1) mean of {figures['floor_seeds']:.0f} seeds"
    print(
        f"\nword error (normalized; {seeds}, 'b1 s1' its first seed alone)\n"
        f"{'':23}{'clips':>6}" + "".join(f"{k:>8}" for k in APPROACHES) + f"{'b1 s1':>8}    c-b1"
    )
    for language, length in [*groups, ("all", "")]:
        name = f"_{language}_{length}" if length else ""
        count = sum(
            length in ("", here) and language in ("all", clip.language)
            for clip, here in zip(clips, lengths, strict=True)
        )
        cells = [figures[f"wer_{key}{name}"] for key in (*APPROACHES, "b1_seed1")]
        print(
            f"{f'{language} {length}':23}{count:>6}"
            + "".join(f"{cell:>8.1%}" for cell in cells)
            + f"{100 * (cells[3] - cells[2]):>+7.1f}p"
        )
    mean = margins.mean(axis=0)
    for i in np.argsort(-mean)[:WORST_SHOWN]:
        print(
            f"  (c) - (b1) {mean[i]:+.2f} (first seed {margins[0, i]:+.2f}):"
            f" {clips[i].language} {length_class(durations[i])} {clips[i].text[:50]!r}"
        )
    print(
        f"quality target (c ≤ b1 in every group, no clip more than {TARGET_POINTS:.2f} worse):"
        f" groups worse {figures['groups_c_over_b1']:.0f}, worst clip"
        f" {figures['c_worst_clip_over_b1']:+.2f};"
        f" against (b1)'s first seed alone: groups worse"
        f" {figures['groups_c_over_b1_seed1']:.0f}, worst clip"
        f" {figures['c_worst_clip_over_b1_seed1']:+.2f}; languages right (c)"
        f" {figures['c_language_right']:.0f}/{len(clips)}; clips where the fallback sampled:"
        f" (b5) {figures['b5_sampled']:.0f}, (b1) {figures['b1_sampled']:.0f}"
    )
