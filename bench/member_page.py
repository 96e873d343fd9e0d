"""Member landing page vs a bare aiohttp "hello", measured with wrk in the same run (issue 2).

Run: .venv/bin/python -m bench.member_page [--seconds 10] [--groups 1000]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics

from bench.wrkbench import (
    TABLE_HEADER,
    WrkResult,
    bare_server,
    meetkit,
    meetkit_server,
    run_wrk,
    temporary_data_dir,
)

ENV = {
    "MEETKIT_PUBLIC_URL": "https://treffen.example.org",
    "JITSI_URL": "https://meet.example.org",
    "MEETKIT_DIALIN_NUMBERS": "DE:+49 89 1234567",
}


def main() -> None:
    """Seed groups, then measure the baseline and the member page back to back."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--groups", type=int, default=1000)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3, help="alternate baseline and meetkit this often")
    args = parser.parse_args()

    env = {**ENV, "MEETKIT_DATA_DIR": temporary_data_dir()}
    meetkit(env, "contact-point", "add", "KISS Bench")
    created = json.loads(
        meetkit(env, "group", "add", "Angehörige Sucht", "--contact-point", "kiss-bench", "--json")
    )
    member_path = created["member_url"].removeprefix(ENV["MEETKIT_PUBLIC_URL"])
    _seed_more(env, args.groups - 1)  # in one process: a CLI call per group would take minutes

    wrk = {"seconds": args.seconds, "connections": args.connections}
    rounds: list[tuple[WrkResult, WrkResult, WrkResult]] = []
    for _ in range(args.rounds):  # alternating, so that load from elsewhere hits all three alike
        with bare_server() as bare:
            baseline = run_wrk("bare aiohttp hello, no access log", bare, "/hello", **wrk)
        with bare_server(access_log=True) as bare:
            logged = run_wrk("bare aiohttp hello, run_app default access log", bare, "/hello", **wrk)
        with meetkit_server(env) as running:
            member = run_wrk(
                "meetkit member page /j/{code} (privacy access log on)", running, member_path, **wrk
            )
        rounds.append((baseline, logged, member))

    print(
        f"{platform.node()}: {platform.machine()}, Python {platform.python_version()}, {args.groups} groups, "
        f"wrk -t1 -c{args.connections} -d{args.seconds}s, {args.rounds} alternating rounds"
    )
    print(TABLE_HEADER)
    for baseline, logged, member in rounds:
        print(baseline.row())
        print(logged.row(baseline))
        print(member.row(baseline))
    ratios = sorted(m.requests_per_second / b.requests_per_second for b, _, m in rounds)
    cpu_ratios = sorted(b.server_cpu_us_per_request / m.server_cpu_us_per_request for b, _, m in rounds)
    print(
        f"\nmedian req/s ratio member page / bare hello: {statistics.median(ratios):.2f} (rounds: {ratios})"
    )
    print(f"median CPU ratio (bare µs/req / member µs/req): {statistics.median(cpu_ratios):.2f}")
    if any(m.non_2xx for _, _, m in rounds):
        raise SystemExit("member page answered non-2xx during the run")


def _seed_more(env: dict[str, str], count: int) -> None:
    """Create `count` further groups in one process so the page is looked up among many."""
    import asyncio
    from pathlib import Path

    from meetkit.config import load_settings, with_secret
    from meetkit.domain.scope import OPERATOR
    from meetkit.services.directory import add_group
    from meetkit.storage.database import database_for

    async def seed() -> None:
        settings = with_secret(load_settings(env, env_file=Path("/nonexistent")))
        db = database_for(settings.database_url)
        await db.open()
        for n in range(count):
            await add_group(db, settings, OPERATOR, f"Gruppe {n}", "kiss-bench")
        await db.close()

    asyncio.run(seed())


if __name__ == "__main__":
    main()
