"""Dial-in look-ups vs a bare aiohttp JSON handler, measured with wrk in the same run (issue 4).

Run: .venv/bin/python -m bench.dialin [--seconds 10] [--groups 1000] [--threads 2] [--connections 64] [--rounds 5]

Targets: bench/bare.py's /json (same answer size, no middlewares, no access log) as the baseline, then one
`meetkit serve` process on a seeded database (privacy access log on, as in production):
  - Jitsi's look-up  GET /jitsi/conference-mapper?conference=<room>@muc.meet.jitsi&url=https://...
  - the PBX's look-up GET /jitsi/conference-mapper?id=<PIN> with Authorization: Bearer (wrk Lua script)
  - the numbers      GET /jitsi/dial-in-numbers?conference=<room>@muc.meet.jitsi
Target of issue 4: each look-up at least 60% of the baseline's requests per second.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import statistics
from dataclasses import replace
from pathlib import Path

from bench.wrkbench import TABLE_HEADER, WrkResult, bare_server, meetkit_server, run_wrk, temporary_data_dir

PBX_SECRET = "bench-pbx-secret-0123456789abcdef0123"  # at least 32 characters (config.py)
ENV = {
    "MEETKIT_PUBLIC_URL": "https://treffen.example.org",
    "JITSI_URL": "https://meet.example.org",
    "MEETKIT_DIALIN_NUMBERS": "DE:+49 89 1234567;DE:+49 911 7654321",
    "MEETKIT_PBX_SECRET": PBX_SECRET,
}
TARGET_RATIO = 0.6
PBX_LUA = f'wrk.headers["Authorization"] = "Bearer {PBX_SECRET}"\n'


def seed(env: dict[str, str], count: int) -> list[tuple[str, str]]:
    """Create `count` groups in one process; return their (room, PIN) pairs."""
    from meetkit.config import load_settings, with_secret
    from meetkit.domain.scope import OPERATOR
    from meetkit.services.directory import add_group
    from meetkit.storage.database import database_for

    async def create() -> list[tuple[str, str]]:
        settings = with_secret(load_settings(env, env_file=Path("/nonexistent")))
        db = database_for(settings.database_url)
        await db.open()
        try:
            groups = [(await add_group(db, settings, OPERATOR, f"Gruppe {n}")).group for n in range(count)]
        finally:
            await db.close()
        return [(g.room, str(g.pin)) for g in groups]

    return asyncio.run(create())


def main() -> None:
    """Seed groups, start both servers, then measure baseline and look-ups in alternating rounds."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--groups", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds; medians are reported")
    args = parser.parse_args()

    env = {**ENV, "MEETKIT_DATA_DIR": temporary_data_dir()}
    room, pin = random.choice(seed(env, args.groups))
    conference = f"{room}@muc.meet.jitsi"
    wrk = {"seconds": args.seconds, "connections": args.connections, "threads": args.threads}
    targets = [
        (
            "mapper by conference (Jitsi)",
            f"/jitsi/conference-mapper?conference={conference}&url=https://meet.example.org/{room}",
            None,
        ),
        ("mapper by PIN (PBX, Bearer)", f"/jitsi/conference-mapper?id={pin}", PBX_LUA),
        ("dial-in numbers", f"/jitsi/dial-in-numbers?conference={conference}", None),
        # For reference, not a target: meetkit's floor (middlewares, security headers, access log, SELECT 1).
        ("reference: meetkit /healthz", "/healthz", None),
    ]
    rounds: list[list[WrkResult]] = []
    with bare_server() as bare, meetkit_server(env) as running:
        for number in range(1, args.rounds + 1):
            # Baseline and look-ups back to back in every round, so that a burst of other load on the
            # machine hits one round rather than one side of the comparison.
            results = [run_wrk("bare aiohttp JSON handler, no access log", bare, "/json", **wrk)]
            results += [run_wrk(label, running, path, lua=lua, **wrk) for label, path, lua in targets]
            rounds.append(results)
            ratios = ", ".join(
                f"{r.requests_per_second / results[0].requests_per_second:.2f}" for r in results[1:]
            )
            print(f"round {number}: baseline {results[0].requests_per_second:,.0f} req/s; ratios {ratios}")

    medians = [median_result([results[i] for results in rounds]) for i in range(len(rounds[0]))]
    print(
        f"{platform.node()}: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, {args.groups} groups, wrk -t{args.threads} -c{args.connections} "
        f"-d{args.seconds}s, one meetkit process; medians of {args.rounds} alternating rounds"
    )
    print(TABLE_HEADER)
    print(medians[0].row())
    for result in medians[1:]:
        print(result.row(medians[0]))
    check(rounds)


def median_result(results: list[WrkResult]) -> WrkResult:
    """Return the per-figure medians of one target's rounds."""
    return replace(
        results[0],
        requests_per_second=statistics.median(r.requests_per_second for r in results),
        p50_ms=statistics.median(r.p50_ms for r in results),
        p99_ms=statistics.median(r.p99_ms for r in results),
        server_cpu_us_per_request=statistics.median(r.server_cpu_us_per_request for r in results),
        non_2xx=sum(r.non_2xx for r in results),
        requests=sum(r.requests for r in results),
    )


def check(rounds: list[list[WrkResult]]) -> None:
    """Print each look-up's median ratio to the baseline of its own round; fail on any non-2xx answer."""
    for index, label in enumerate(r.label for r in rounds[0][1:]):
        if label.startswith("reference"):
            continue
        ratio = statistics.median(
            results[index + 1].requests_per_second / results[0].requests_per_second for results in rounds
        )
        verdict = "ok" if ratio >= TARGET_RATIO else "BELOW TARGET"
        print(f"{label}: median ratio {ratio:.2f} of the baseline (target {TARGET_RATIO:.2f}) {verdict}")
        if any(results[index + 1].non_2xx for results in rounds):
            raise SystemExit(f"{label} answered non-2xx during the run")


if __name__ == "__main__":
    main()
