"""The GPU benchmark at a very small scale (each family's tiny model), so that it keeps working,
and the real configurations it builds on a GPU, checked on the meta device (no memory)."""

from __future__ import annotations

import pytest
import torch

from bench.gpu import main
from bench.real_models import PARAMETERS, build_denoiser
from tests.support.tiny_families import FAMILIES


@pytest.mark.parametrize("family", FAMILIES)
def test_gpu_benchmark_compares_both_ways_for_each_batch(
    family: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--family", family, "--steps", "2", "--size", "64", "--batches", "1,2"]
    figures = main([*argv, "--rounds", "1"])

    assert figures["family"] == family and figures["size"] == 64
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


@pytest.mark.parametrize("family", PARAMETERS)
def test_the_real_configurations_have_the_published_sizes(family: str) -> None:
    with torch.device("meta"):
        denoiser = build_denoiser(family)
    parameters = sum(p.numel() for p in denoiser.parameters())
    assert parameters == pytest.approx(PARAMETERS[family], rel=0.01)
