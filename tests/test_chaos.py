"""A short, seeded chaos run (``bench/chaos.py``): the bot as a process against the fake Discord,
with Redis and two workers or the embedded backend, users and faults; nothing lost, duplicated
or stuck, and every refusal private."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.chaos import main


@pytest.mark.slow
@pytest.mark.parametrize(
    ("backend", "jobs", "faults"),
    [("redis", 30, 8), ("embedded", 15, 4)],
    ids=["redis", "embedded"],
)
def test_a_short_chaos_run_loses_duplicates_and_strands_nothing(
    tiny_sd_dir: Path, backend: str, jobs: int, faults: int
) -> None:
    run = ["--seed", "7", "--backend", backend, "--jobs", str(jobs), "--faults", str(faults)]
    figures = main([*run, "--users", "8", "--model", str(tiny_sd_dir)])
    assert figures["jobs"] >= jobs and figures["faults"] == faults
    assert (figures["lost"], figures["duplicated"], figures["stuck"]) == (0, 0, 0)
    assert figures["public_refusals"] == 0 and not figures["fake_problems"]
