"""The load benchmark at a very small scale, so that it keeps working."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.load import main


def test_load_benchmark_serves_everyone_fairly(tiny_sd_dir: Path, capsys: pytest.CaptureFixture):
    figures = main(["--users", "3", "--per-user", "2", "--steps", "1", "--model", str(tiny_sd_dir)])

    assert figures["jobs"] == figures["queued_before_release"] == 6
    assert figures["answered"] == figures["finished"] == 6
    assert figures["refused"] == figures["lost"] == 0
    assert figures["ack_ms_max"] < 3000
    assert figures["round_robin"] and figures["most_drawn_before_all_served"] == 1
    assert figures["bot_errors"] == figures["upload_violations"] == 0
    assert 0 < figures["bot_draw_seconds"] <= figures["stage_seconds"] <= figures["bot_seconds"]
    assert figures["direct_seconds_before"] > 0 and figures["direct_seconds_after"] > 0
    assert figures["peak_rss_mib"] >= figures["peak_rss_mib_before_bot"] > 0
    printed = capsys.readouterr().out
    assert "6/6 ✅ Done" in printed and "round-robin: yes" in printed
