"""The speech benchmark in its quick mode (two clips), so that it keeps working."""

from __future__ import annotations

import pytest

pytest.importorskip("whisper")  # the original app's backend, openai-whisper

from bench.speech import main

pytestmark = pytest.mark.slow


def test_speech_benchmark_prints_speeds_and_quality(capsys: pytest.CaptureFixture[str]) -> None:
    figures = main(["--quick", "--threads", "2"])

    for key in ("a", "b5", "b1", "c", "d"):
        assert figures[f"{key}_s_per_clip"] > 0
    assert figures["c_language_right"] == 2  # English, Italian
    for key in ("a", "b5", "b1", "c"):
        assert 0 <= figures[f"wer_{key}"] <= 1
    printed = capsys.readouterr().out
    assert "original app / this project" in printed and "quality target" in printed
