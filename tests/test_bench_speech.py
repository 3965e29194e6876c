"""The speech benchmark in its quick mode (two clips), so that it keeps working, and its greedy
floor's figures on transcripts made up by hand."""

from __future__ import annotations

import pytest

pytest.importorskip("whisper")  # the original app's backend, openai-whisper

from bench.speech import main
from bench.speech_clips import Clip
from bench.speech_quality import Heard, clip_margins, quality


@pytest.mark.slow
def test_speech_benchmark_prints_speeds_and_quality(capsys: pytest.CaptureFixture[str]) -> None:
    figures = main(["--quick", "--threads", "2"])

    for key in ("a", "b5", "b1", "c", "d"):
        assert figures[f"{key}_s_per_clip"] > 0
    assert figures["c_language_right"] == 2  # English, Italian
    for key in ("a", "b5", "b1", "c"):
        assert 0 <= figures[f"wer_{key}"] <= 1
    printed = capsys.readouterr().out
    assert "original app / this project" in printed and "quality target" in printed


def test_the_greedy_floor_is_the_mean_over_seeds_per_clip_and_per_group() -> None:
    """Two clips of four words; (b1) sampled on the second and heard it with two words missing
    at its first seed, whole at the two others; (c) missed one word there. Against the first
    seed alone (c) is better; against the mean of the seeds, the same floor per clip and per
    group, it is worse."""
    clips = [Clip("it", "il gatto dorme bene"), Clip("it", "la neve cade piano")]
    said = [clip.text for clip in clips]
    floor = [[said[0], "la neve"], said, said]
    exact = [Heard("it", text, None) for text in said]
    heard = {
        "a": exact,
        "b5": exact,
        "b1": [Heard("it", said[0], None), Heard("it", "la neve", None, sampled=True)],
        "c": [Heard("it", said[0], None), Heard("it", "la neve cade", None)],
    }

    margins = clip_margins(clips, heard["c"], floor)
    figures = quality(clips, [5.0, 5.0], heard, floor)

    assert margins.tolist() == [[0.0, -0.25], [0.0, 0.25], [0.0, 0.25]]
    assert figures["c_worst_clip_over_b1"] == pytest.approx(0.25 / 3)  # (-0.25 + 0.25 + 0.25) / 3
    assert figures["c_worst_clip_over_b1_seed1"] == 0.0
    for name in ("", "_it_≤10 s"):  # all clips, and their one group
        assert figures[f"wer_c{name}"] == pytest.approx(1 / 8)
        assert figures[f"wer_b1{name}"] == pytest.approx((2 / 8) / 3)
        assert figures[f"wer_b1_seed1{name}"] == pytest.approx(2 / 8)
    assert (figures["groups_c_over_b1"], figures["groups_c_over_b1_seed1"]) == (1, 0)
    assert (figures["b1_sampled"], figures["b5_sampled"], figures["floor_seeds"]) == (1, 0, 3)
