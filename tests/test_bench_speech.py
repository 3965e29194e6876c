"""The speech benchmark in its quick mode (two clips), so that it keeps working."""

from __future__ import annotations

import pytest

pytest.importorskip("whisper")  # the original app's backend, openai-whisper

from bench.speech import main

pytestmark = pytest.mark.slow


def test_speech_benchmark_prints_speeds_and_quality(capsys: pytest.CaptureFixture[str]) -> None:
    figures = main(["--quick", "--threads", "2"])

    for key in "abcrd":
        assert figures[f"{key}_s_per_clip"] > 0
    assert figures["c_language_right"] == figures["r_language_right"] == 2  # English, Italian
    assert 0 <= figures["wer_c"] <= 1 and 0 <= figures["wer_r"] <= 1
    printed = capsys.readouterr().out
    assert "original app / this project" in printed and "word error rate" in printed
