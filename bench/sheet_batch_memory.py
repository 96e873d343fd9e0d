"""Memory of two staff batches of sheets at once, 300 groups each, against the sheets' RSS limit (issue 11).

Seeds one contact point with 300 groups (a weekly schedule each, dial-in configured, so every sheet carries
dates, numbers and a PIN) through meetkit's own services, starts `meetkit serve`, signs in as an admin and
starts two batches of all 300 sheets at the same moment through the staff pages (`POST /staff/sheets`). While
they render, it samples the resident memory (VmRSS in /proc/<pid>/status) of the server process and of every
process below it (the sheet workers) every 50 ms until both batches are done, then reads each process's own
high-water mark (VmHWM), checks both PDFs and prints the figures as Markdown.

Run: .venv/bin/python -m bench.sheet_batch_memory [--groups 300] [--batches 2]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pypdfium2 as pdfium

from bench.wrkbench import meetkit_server, temporary_data_dir
from meetkit.config import load_settings, with_secret
from meetkit.domain.scope import OPERATOR
from meetkit.services import accounts, directory, schedules
from meetkit.services.passwords import PasswordHasher
from meetkit.storage.database import database_for

ENV = {
    "MEETKIT_PUBLIC_URL": "http://127.0.0.1:8080",  # staff cookies are Secure under https: this client speaks http
    "JITSI_URL": "https://meet.example.org",
    "MEETKIT_DIALIN_NUMBERS": "DE:+49 89 12345678;AT:+43 1 2345678",
}
PASSWORD = "Kaffeetasse Fahrrad Mondschein"
LIMIT_MIB = 250  # docs/performance.md, "Sheets": peak RSS under 250 MB (issue 3; measured in MiB there too)
SAMPLE_SECONDS = 0.05
TOPICS = ("Angehörige psychisch erkrankter Menschen", "Depression und Erschöpfung", "Trauer nach Suizid")


async def _seed(env: dict[str, str], groups: int) -> None:
    settings = with_secret(load_settings(env, env_file=Path(env["MEETKIT_DATA_DIR"]) / "no.env"), create=True)
    db = database_for(settings.database_url)
    await db.open()
    await directory.add_contact_point(db, OPERATOR, "Selbsthilfekontaktstelle Bench", slug="kiss-bench")
    for number in range(groups):
        name = f"{TOPICS[number % len(TOPICS)]} – Gruppe {number:03d}"
        issued = await directory.add_group(db, settings, OPERATOR, name, "kiss-bench")
        await schedules.set_schedule(
            db,
            OPERATOR,
            issued.group.id,
            frequency="weekly",
            weekday=number % 7,
            start=dt.time(18 + number % 3, 30),
            duration_minutes=90,
            place=f"Raum {number % 5 + 1}, Seminarhaus am Stadtpark",
        )
    _, link = await accounts.add_account(
        db, settings, OPERATOR, "admin", None, admin=True, contact_point_slugs=[]
    )
    hasher = PasswordHasher()
    await accounts.complete_setup(db, hasher, link.url.rsplit("/", 1)[1], PASSWORD, PASSWORD)
    hasher.close()
    await db.close()


def _status_kib(pid: int, key: str) -> int:
    """A `key:  N kB` line of /proc/<pid>/status (0 once the process is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _pss_kib(pid: int) -> int:
    """Proportional set size: shared pages split among the processes that share them (0 once gone)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _descendants(root: int) -> list[int]:
    """All processes below `root` (the sheet workers, and multiprocessing's helpers)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        found += children
        frontier += children
    return found


@dataclass
class Samples:
    """Peak VmRSS per process and of all processes together, in KiB, and how many samples were taken."""

    per_process: dict[int, int] = field(default_factory=dict)
    roles: dict[int, str] = field(default_factory=dict)  # what each process was when first seen
    total_peak: int = 0
    count: int = 0

    def take(self, root: int) -> int:
        """Sample the server and its descendants; return their total."""
        total = 0
        for pid in (root, *_descendants(root)):
            rss = _status_kib(pid, "VmRSS")
            self.per_process[pid] = max(self.per_process.get(pid, 0), rss)
            self.roles.setdefault(pid, _command(pid))
            total += rss
        self.total_peak, self.count = max(self.total_peak, total), self.count + 1
        return total


def _mib(kib: int) -> str:
    return f"{kib / 1024:.0f}"


def _command(pid: int) -> str:
    try:
        parts = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "helper"
    text = " ".join(p.decode(errors="replace") for p in parts if p)
    if "meetkit serve" in text:
        return "server"
    if "resource_tracker" in text:
        return "multiprocessing resource tracker"
    if "multiprocessing" in text:
        return "sheet worker"
    return "helper"


async def _run(base: str, root: int, batches: int) -> None:
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as session:

        async def csrf(path: str) -> str:
            async with session.get(base + path) as response:
                found = re.search(r'name="csrf_token" value="([^"]+)"', await response.text())
            assert found, path
            return found.group(1)

        login = {"csrf_token": await csrf("/staff/login"), "login": "admin", "password": PASSWORD}
        async with session.post(base + "/staff/login", data=login, allow_redirects=False) as signed:
            assert signed.status == 303, signed.status
        token = await csrf("/staff/sheets?contact_point=kiss-bench")
        samples = Samples()
        idle = samples.take(root)
        form = {"csrf_token": token, "contact_point": "kiss-bench", "lang": "de", "layout": "a4"}

        async def start() -> int:
            async with session.post(base + "/staff/sheets", data=form, allow_redirects=False) as started:
                assert started.status == 303, (started.status, await started.text())
                return int(started.headers["Location"].split("/")[-1].split("?")[0])

        began = time.perf_counter()
        ids = await asyncio.gather(*(start() for _ in range(batches)))
        finished: dict[int, float] = {}
        next_poll = 0.0
        while len(finished) < len(ids):
            samples.take(root)
            if time.perf_counter() >= next_poll:
                next_poll = time.perf_counter() + 0.5
                for batch_id in ids:
                    if batch_id in finished:
                        continue
                    async with session.get(f"{base}/staff/sheets/{batch_id}.json") as progress:
                        state = (await progress.json())["state"]
                    assert state != "failed", f"batch {batch_id} failed"
                    if state == "done":
                        finished[batch_id] = time.perf_counter() - began
            await asyncio.sleep(SAMPLE_SECONDS)
        pages, sizes = [], []
        for batch_id in ids:
            async with session.get(f"{base}/staff/sheets/{batch_id}.pdf") as download:
                body = await download.read()
            document = pdfium.PdfDocument(body)
            pages.append(len(document))
            document.close()
            sizes.append(len(body))
        after = samples.take(root)
        high_water = {pid: _status_kib(pid, "VmHWM") for pid in samples.per_process}
        pss = {pid: _pss_kib(pid) for pid in samples.per_process}

    print(f"batches {ids}: done after {', '.join(f'{finished[i]:.1f} s' for i in ids)}; pages {pages}; ")
    print(f"PDF sizes {', '.join(f'{s / 2**20:.1f} MiB' for s in sizes)}; {samples.count} samples\n")
    print(
        "| process | RSS before the batches (MiB) | peak RSS sampled (MiB) | VmHWM (MiB) | PSS at the end (MiB) |"
    )
    print("|---|---|---|---|---|")
    helpers = [pid for pid, role in samples.roles.items() if role not in LONG_LIVED]
    for pid, peak in sorted(samples.per_process.items()):
        if pid in helpers:
            continue
        hwm = max(high_water.get(pid, 0), peak)
        before = (
            f"{_mib(_initial[pid][0])} (HWM {_mib(_initial[pid][1])})" if pid in _initial else "not started"
        )
        print(f"| {samples.roles[pid]} | {before} | {_mib(peak)} | {_mib(hwm)} | {_mib(pss[pid])} |")
    if helpers:
        peak = max(samples.per_process[pid] for pid in helpers)
        print(
            f"| {len(helpers)} short-lived helpers (gcc, collect2, ld) | – | {_mib(peak)} each at most | – | – |"
        )
    print(
        f"| **all together** | {_mib(idle)} | **{_mib(samples.total_peak)}** | – | **{_mib(sum(pss.values()))}** |"
    )
    largest = max(max(high_water.get(pid, 0), samples.per_process[pid]) for pid in samples.per_process)
    verdict = "under" if largest / 1024 < LIMIT_MIB else "OVER"
    print(f"\nlargest single process {_mib(largest)} MiB: {verdict} the {LIMIT_MIB} MB limit per process; ")
    print(
        f"all processes together peak at {_mib(samples.total_peak)} MiB RSS ({_mib(sum(pss.values()))} MiB PSS at the end)"
    )
    print(f"after the downloads: {_mib(after)} MiB RSS together")


LONG_LIVED = ("server", "sheet worker", "multiprocessing resource tracker")
_initial: dict[int, tuple[int, int]] = {}  # VmRSS and VmHWM of each process before the batches


def main() -> None:
    """Seed, serve, start the batches at once, sample until both are done."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--groups", type=int, default=300)
    parser.add_argument("--batches", type=int, default=2)
    args = parser.parse_args()
    env = {**ENV, "MEETKIT_DATA_DIR": temporary_data_dir()}
    started = time.perf_counter()
    asyncio.run(_seed(env, args.groups))
    print(f"{time.strftime('%Y-%m-%d %H:%M')}, {platform.machine()}, Python {platform.python_version()}, ")
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; seeded {args.groups} groups ")
    print(f"in {time.perf_counter() - started:.0f} s\n")
    with meetkit_server(env) as server:
        time.sleep(3)  # the sheet workers warm up after start
        for pid in (server.pid, *_descendants(server.pid)):
            _initial[pid] = (_status_kib(pid, "VmRSS"), _status_kib(pid, "VmHWM"))
        asyncio.run(_run(server.url, server.pid, args.batches))


if __name__ == "__main__":
    main()
