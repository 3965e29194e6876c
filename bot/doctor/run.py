"""``python -m bot doctor``: the checks in order, one screen, and the verdict."""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from bot.config import ConfigError, load_settings
from bot.doctor.findings import Checks, Finding


def run_doctor(*, worker: bool = False, out: TextIO = sys.stdout) -> int:
    """Check, print each finding as it comes, and say whether the bot would start and serve."""
    return asyncio.run(_examine(worker, out))


async def _examine(worker: bool, out: TextIO) -> int:
    from bot.doctor.checks import config_file, host_checks, scaled_out, service_checks
    from bot.doctor.discord_checks import discord_checks

    what = "worker" if worker else "bot"
    print(f"Checking that the {what} would start and serve:", file=out)
    try:
        settings = load_settings()
    except ConfigError as error:
        _show(Finding("config", "FAIL", str(error).replace("\n", " "), "fix each key named"), out)
        return _verdict([Finding("config", "FAIL", "")], what, out)
    findings = [config_file(settings)]
    _show(findings[0], out)
    remote = settings.queue.backend == "redis"
    sections: list[Checks] = []
    if not worker:
        sections.append(discord_checks)
    if worker or not remote:
        sections.append(host_checks)
    if worker or remote:
        sections.append(scaled_out(workers=not worker))
    sections.append(service_checks(store=not worker))
    for section in sections:
        async for finding in section(settings):
            _show(finding, out)
            findings.append(finding)
    return _verdict(findings, what, out)


def _show(finding: Finding, out: TextIO) -> None:
    print(f"  {finding.status:<4}  {finding.check:<8}  {finding.said}", file=out)
    if finding.fix and finding.status in ("FAIL", "warn"):
        print(f"  {'':<4}  {'':<8}  → {finding.fix}", file=out)
    out.flush()


def _verdict(findings: list[Finding], what: str, out: TextIO) -> int:
    failed = list(dict.fromkeys(f.check for f in findings if f.status == "FAIL"))
    if failed:
        print(f"The {what} would not start and serve: fix {', '.join(failed)}.", file=out)
        return 1
    print(f"The {what} would start and serve.", file=out)
    return 0
