"""The live-preview benchmark at a very small scale, so that it keeps working: every family,
both decoders, a row of figures each."""

from __future__ import annotations

import pytest

from bench.previews import main


def test_previews_benchmark_prints_a_row_per_family_and_decoder(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["--steps", "3", "--size", "64", "--count", "1", "--rounds", "1", "--interval", "0.01"]
    rows = main(argv)

    assert [(row["family"], row["decoder"]) for row in rows] == [
        (family, decoder)
        for family in ("sd15", "sdxl", "sd3", "flux")
        for decoder in ("linear map", "tiny autoencoder")
    ]
    for row in rows:
        assert row["off_s"] > 0 and row["on_s"] > 0 and row["ms_each"] > 0
        assert row["at_2s"] == pytest.approx(row["ms_each"] / 1000 / 2)
    printed = capsys.readouterr().out
    assert "overhead" in printed and printed.count("linear map") == 4
