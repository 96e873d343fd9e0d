"""Baseline for benchmarks: a bare aiohttp server with a "hello" and a small JSON handler, nothing else."""

from __future__ import annotations

import argparse
import logging

from aiohttp import web


async def hello(request: web.Request) -> web.Response:
    """The smallest possible text answer."""
    return web.Response(text="hello")


async def json_answer(request: web.Request) -> web.Response:
    """A JSON answer of the size of a dial-in look-up."""
    return web.json_response({"message": "ok", "id": 12345678, "conference": "abcde-fghij@muc.meet.jitsi"})


def main() -> None:
    """Run the baseline server on the given port (no access log unless asked)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--access-log", action="store_true", help="keep run_app's default access log on")
    args = parser.parse_args()
    app = web.Application()
    app.router.add_get("/hello", hello)
    app.router.add_get("/json", json_answer)
    if args.access_log:
        logging.basicConfig(level=logging.INFO)
        web.run_app(app, host="127.0.0.1", port=args.port, print=None)
    else:
        web.run_app(app, host="127.0.0.1", port=args.port, access_log=None, print=None)


if __name__ == "__main__":
    main()
