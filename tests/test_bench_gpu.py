"""The GPU benchmark at a very small scale (the tiny model), so that it keeps working."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.gpu import main


def test_gpu_benchmark_compares_both_ways_for_each_batch(
    tiny_sd_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--model", str(tiny_sd_dir), "--steps", "2", "--size", "64", "--batches", "1,2"]
    figures = main([*argv, "--rounds", "1"])

    assert figures["model"] == str(tiny_sd_dir) and figures["size"] == 64
    assert figures["device"] in ("cpu", "cuda")
    assert [row["batch"] for row in figures["results"]] == [1, 2]
    for row in figures["results"]:
        assert row["baseline_images"] == row["ours_images"] == row["batch"]
        assert row["baseline_images_per_s"] > 0 and row["ours_images_per_s"] > 0
        assert row["speedup"] == pytest.approx(
            row["ours_images_per_s"] / row["baseline_images_per_s"]
        )
    printed = capsys.readouterr().out
    assert f"device: {figures['device']}" in printed and "ratio" in printed
