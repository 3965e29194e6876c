"""``python -m tests.support.unaborting_worker``: a real ``python -m bot worker`` that never looks
for aborts of its running stages (SAQ's abort poll, every ``ABORT_SECONDS``), as a worker does that
is stopped in the moment between the bot's abort and its next look: the test of what that stage
becomes need not hit that moment by chance."""

from __future__ import annotations

import sys

from bot.__main__ import main
from bot.distributed import worker

if __name__ == "__main__":
    worker.ABORT_SECONDS = 24 * 3600.0
    sys.exit(main(["worker"]))
