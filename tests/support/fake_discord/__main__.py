"""``python -m tests.support.fake_discord --port N``: the fake Discord for a human, until Ctrl-C.

Point a bot at it with ``S2I_DISCORD__API_BASE=<api base>`` and ``DISCORD_TOKEN=<token>``.
"""

from __future__ import annotations

import argparse
import logging
import signal
import threading

from tests.support.fake_discord.fake import FakeDiscord


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.support.fake_discord")
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--token", default="fake-token")
    parser.add_argument("--user", default="alice", help="a member of the fake server")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with FakeDiscord(port=args.port, token=args.token) as fake:
        user = fake.add_user(args.user)
        print(f"fake Discord at {fake.url}", flush=True)
        print(f"  S2I_DISCORD__API_BASE={fake.api_base} DISCORD_TOKEN={fake.token}", flush=True)
        print(f"  server {fake.guild_id}, channel {fake.channel_id}, {args.user} = {user}")
        stop.wait()


if __name__ == "__main__":
    main()
