"""Attendance throughput (issue 5): event_sync webhooks against a real `meetkit serve`, and the room census.

1. Webhooks: wrk posts varied event_sync bodies (occupant joined/left with names, e-mails and JIDs as
   event_sync sends them, room created/destroyed) for many rooms to `meetkit serve` on the embedded SQLite
   for `--seconds` (default 30). Every answer comes after the commit that holds the event; the server's
   log says how many events went into how many transactions.
2. Census: one mod_muc_census answer with `--rooms` (default 5000) rooms of known groups, among
   `--groups` (default 11000) groups, fetched over HTTP from a stand-in in another process and processed (parse, match, sessions, commit) by
   the poller's own code; first poll (opens every session) and steady polls.

Run: .venv/bin/python -m bench.attendance [--seconds 30] [--rooms 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, ClassVar

from aiohttp import web

from bench.wrkbench import ROOT, Server, free_port, run_wrk, temporary_data_dir, wait_until_up

SECRET = "bench-events-secret-0123456789abcdef0123"  # at least 32 characters (config.py)
MUC = "muc.meet.jitsi"
ENV = {"MEETKIT_PUBLIC_URL": "https://treffen.example.org", "MEETKIT_EVENTS_SECRET": SECRET}

# wrk script: each request is the next event of one of the rooms, round robin; occupants join until a
# room holds its target, then leave one by one, then the room is destroyed and created again.
LUA = r"""
local rooms = {ROOMS}
local state = {}
local n = 0
local thread_salt = math.random(1, 1000000)
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer SECRET"

request = function()
  n = n + 1
  local i = (n % #rooms) + 1
  local room = rooms[i]
  local s = state[i]
  local now = os.time()
  if s == nil then
    s = {count = 0, target = 3 + (i % 12), phase = "create"}
    state[i] = s
  end
  local path, body
  if s.phase == "create" then
    path = "/jitsi/events/room/created"
    body = string.format('{"event_name":"muc-room-created","room_name":"%s","room_jid":"%s@MUC",'
      .. '"is_breakout":false,"created_at":%d}', room, room, now)
    s.phase = "join"
  elseif s.phase == "destroy" then
    path = "/jitsi/events/room/destroyed"
    body = string.format('{"event_name":"muc-room-destroyed","room_name":"%s","room_jid":"%s@MUC",'
      .. '"is_breakout":false,"created_at":%d,"destroyed_at":%d,"all_occupants":[{"name":"Erika '
      .. 'Mustermann","email":"erika@example.org","id":"u1","occupant_jid":"a1b2@meet.jitsi/x",'
      .. '"joined_at":%d,"left_at":%d}]}', room, room, now - 60, now, now - 50, now)
    s.phase = "create"
  else
    local kind
    if s.phase == "join" then
      s.count = s.count + 1
      kind = "joined"
      if s.count >= s.target then s.phase = "leave" end
    else
      s.count = s.count - 1
      kind = "left"
      if s.count <= 0 then s.phase = "destroy" end
    end
    path = "/jitsi/events/occupant/" .. kind
    body = string.format('{"event_name":"muc-occupant-%s","room_name":"%s","room_jid":"%s@MUC",'
      .. '"is_breakout":false,"active_occupants_count":%d,"occupant":{"name":"Person %d","email":'
      .. '"person%d@example.org","id":"id-%d","occupant_jid":"%08x-4b7e-9d2f@meet.jitsi/r%d",'
      .. '"joined_at":%d}}', kind, room, room, s.count, n, n, n, thread_salt + n, n, now)
  end
  return wrk.format(nil, path, nil, body)
end
"""


def seed(data_dir: str, groups: int) -> list[str]:
    """Create the database with `groups` groups (quickly, in one transaction); return their rooms."""
    env = {**ENV, "MEETKIT_DATA_DIR": data_dir}
    subprocess.run(
        [sys.executable, "-m", "meetkit", "contact-point", "add", "KISS Bench"],
        env={**os.environ, **env},
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    rooms = [f"bench-{i:05d}-{os.urandom(4).hex()}" for i in range(groups)]
    conn = sqlite3.connect(Path(data_dir) / "meetkit.db")
    with conn:
        conn.executemany(
            "INSERT INTO support_groups (contact_point_id, name, room, member_code, leader_token_hash, created_at)"
            " VALUES (1, ?, ?, ?, ?, '2026-01-01T00:00:00Z')",
            [(f"Gruppe {i}", room, f"m{i:09d}", f"h{i}") for i, room in enumerate(rooms)],
        )
    conn.close()
    return rooms


def webhooks(seconds: int, connections: int, rooms: int) -> dict[str, Any]:
    """Run wrk against a real `meetkit serve`; return its figures and the server's commit statistics."""
    data_dir = temporary_data_dir()
    known = seed(data_dir, rooms)
    port = free_port()
    log_path = Path(data_dir) / "serve.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "meetkit", "serve", "--port", str(port)],
            env={**os.environ, **ENV, "MEETKIT_DATA_DIR": data_dir},
            cwd=ROOT,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + "/healthz", process)
        lua = LUA.replace("{ROOMS}", "{" + ",".join(f'"{r}"' for r in known) + "}")
        lua = lua.replace("SECRET", SECRET).replace("MUC", MUC)
        result = run_wrk(
            "webhooks",
            Server(url, process.pid),
            "/jitsi/events",
            connections=connections,
            seconds=seconds,
            lua=lua,
        )
    finally:
        process.terminate()
        process.wait(timeout=30)
    log = log_path.read_text()
    stats = re.search(r"webhooks: (\d+) events committed in (\d+) transactions", log)
    conn = sqlite3.connect(Path(data_dir) / "meetkit.db")
    meetings = conn.execute("SELECT count(*), max(peak_online) FROM meeting_sessions").fetchone()
    leaked = [w for w in ("Mustermann", "example.org", "@meet.jitsi/") if w.encode() in _db_bytes(data_dir)]
    conn.close()
    per_second = Counter(
        line[:19] for line in log.splitlines() if " POST jitsi_event_" in line and line.endswith("ms")
    )
    full_seconds = sorted(per_second.items())[1:-1]  # the first and last second are partial
    return {
        "result": result,
        "per_second": [count for _, count in full_seconds],
        "events": int(stats[1]) if stats else None,
        "transactions": int(stats[2]) if stats else None,
        "meetings": meetings,
        "leaked": leaked,
        "log_errors": [line for line in log.splitlines() if " ERROR " in line],
    }


def _db_bytes(data_dir: str) -> bytes:
    base = Path(data_dir) / "meetkit.db"
    return b"".join(p.read_bytes() for p in (base, Path(f"{base}-wal")) if p.exists())


def census(rooms: int, groups: int, polls: int) -> dict[str, Any]:
    """Serve census answers over HTTP and let the poller's own code fetch and process them.

    Poll 0 opens every session. "Steady" polls repeat the answer a minute apart (simulated clock), so
    every fifth one moves each session's 5-minute-rounded end. "Worst" polls change every room's count
    upwards and move the end each time: every session row and every room state is written.
    """
    from meetkit.jitsi.census import CensusPoller
    from meetkit.services import attendance
    from meetkit.storage.sqlite import SqliteDatabase as Database

    class TimedDatabase(Database):
        """Notes the writer thread's CPU time per transaction (SQLite and Python, not disk waits)."""

        writer_cpu: ClassVar[list[float]] = []

        def _transaction(self, change: Any, invalidates_cache: bool) -> Any:
            started = time.thread_time()
            try:
                return super()._transaction(change, invalidates_cache)
            finally:
                self.writer_cpu.append(time.thread_time() - started)

    data_dir = temporary_data_dir()
    known = seed(data_dir, groups)
    listed = known[:rooms]
    created = str((int(time.time()) - 1800) * 1000)

    def answer(extra: int) -> bytes:
        entries = [
            {
                "room_name": f"{room}@{MUC}",
                "participants": 1 + i % 14 + extra,
                "created_time": created,
                "leaked": False,
            }
            for i, room in enumerate(listed)
        ]
        return json.dumps({"room_census": entries}).encode()

    body_file = Path(data_dir) / "room-census.json"
    body_file.write_bytes(answer(0))
    port = free_port()
    prosody = subprocess.Popen(
        [sys.executable, "-m", "bench.attendance", "--serve-census", str(body_file), "--port", str(port)],
        cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}/room-census"
    wait_until_up(url, prosody)

    async def run() -> dict[str, list[float]]:
        db = TimedDatabase(Path(data_dir) / "meetkit.db")
        await db.open()
        figures: dict[str, list[float]] = {"first": [], "steady": [], "worst": [], "cpu": [], "fetch": []}
        clock = {"at": int(time.time())}
        directory = attendance.RoomDirectory()  # as the app's poller keeps one

        async def handle(found: list[Any], at: int) -> None:
            figures["fetch"].append(time.perf_counter() - started)
            await attendance.ingest_census(db, found, clock["at"], directory)

        poller = CensusPoller(url, 60, MUC, handle)
        plan = ["first"] + ["steady"] * polls + ["worst"] * polls
        async with poller.client_session() as session:
            for n, kind in enumerate(plan):
                if kind == "worst":
                    body_file.write_bytes(answer(n))
                    clock["at"] += 300
                else:
                    clock["at"] += 60
                await asyncio.sleep(0.1)
                started = time.perf_counter()
                cpu = time.thread_time()
                assert await poller.poll_once(session)
                figures[kind].append(time.perf_counter() - started)
                figures["cpu"].append(time.thread_time() - cpu + db.writer_cpu[-1])
        await db.close()
        return figures

    try:
        figures = asyncio.run(run())
    finally:
        prosody.terminate()
        prosody.wait(timeout=10)
    conn = sqlite3.connect(Path(data_dir) / "meetkit.db")
    sessions = conn.execute("SELECT count(*), max(peak_online) FROM meeting_sessions").fetchone()
    conn.close()
    return {**figures, "sessions": sessions, "bytes": body_file.stat().st_size}


def serve_census(body_file: Path, port: int) -> None:
    """Answer /room-census with the file's current content, in its own process (as Prosody would)."""

    async def room_census(request: web.Request) -> web.Response:
        return web.Response(
            body=await asyncio.to_thread(body_file.read_bytes), content_type="application/json"
        )

    app = web.Application()
    app.router.add_get("/room-census", room_census)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


def main() -> None:
    """Run both measurements and print Markdown for docs/performance.md."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--webhook-rooms", type=int, default=500)
    parser.add_argument("--rooms", type=int, default=5000)
    parser.add_argument("--groups", type=int, default=11000)
    parser.add_argument("--polls", type=int, default=7)
    parser.add_argument("--only", choices=("webhooks", "census"))
    parser.add_argument("--serve-census", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_census:
        serve_census(args.serve_census, args.port)
        return
    load = os.getloadavg()
    print(
        f"{platform.node()}: {os.cpu_count()} CPUs, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    failed = False
    if args.only != "census":
        hooks = webhooks(args.seconds, args.connections, args.webhook_rooms)
        r = hooks["result"]
        per_commit = hooks["events"] / hooks["transactions"] if hooks["transactions"] else float("nan")
        print(
            f"\nWebhooks (wrk -t1 -c{args.connections} -d{args.seconds}s, {args.webhook_rooms} rooms): "
            f"{r.requests_per_second:,.0f} events/s, p50 {r.p50_ms:.1f} ms, p99 {r.p99_ms:.1f} ms, "
            f"{r.requests:,} requests, non-2xx {r.non_2xx}, server CPU {r.server_cpu_us_per_request:.0f} µs/event"
        )
        seconds = hooks["per_second"] or [0]
        print(
            f"  per second (from the server's access log, {len(hooks['per_second'])} full seconds): "
            f"min {min(seconds):,}, median {statistics.median(seconds):,.0f}, max {max(seconds):,}"
        )
        print(
            f"  committed: {hooks['events']:,} events in {hooks['transactions']:,} transactions "
            f"({per_commit:.1f} events per commit); meetings {hooks['meetings'][0]}, max peak {hooks['meetings'][1]}; "
            f"personal data in the database files: {hooks['leaked'] or 'none'}; errors logged: {len(hooks['log_errors'])}"
        )
        failed |= (
            r.requests_per_second < 2000
            or r.non_2xx > 0
            or bool(hooks["leaked"])
            or (hooks["events"] or 0) < r.requests
        )
    if args.only != "webhooks":
        c = census(args.rooms, args.groups, args.polls)

        def ms(values: list[float]) -> str:
            return f"median {statistics.median(values) * 1000:.1f} ms, max {max(values) * 1000:.1f} ms"

        print(
            f"\nCensus ({args.rooms} rooms listed among {args.groups} groups, {c['bytes']:,} bytes over loopback HTTP;"
            f" fetch, parse, match, sessions, commit):"
            f"\n  first poll (opens {c['sessions'][0]} sessions): {c['first'][0] * 1000:.1f} ms"
            f"\n  steady polls, a minute apart ({args.polls}): {ms(c['steady'])}"
            f"\n  worst-case polls, every count and end changes ({args.polls}): {ms(c['worst'])}"
            f"\n  CPU per poll (event loop + writer thread): {ms(c['cpu'])}; fetch+parse: {ms(c['fetch'])}"
        )
        failed |= statistics.median(c["steady"]) >= 0.1 or statistics.median(c["worst"]) >= 0.1
    load = os.getloadavg()
    print(f"\nload average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    if failed:
        raise SystemExit("a target was missed (>= 2000 events/s, no non-2xx, census < 100 ms)")


if __name__ == "__main__":
    main()
