"""Benchmark invitation sheets: one sheet warm, and a 1,000-group batch (pages/s, peak RSS).

Run: .venv/bin/python bench/sheets.py [--groups 1000] [--workers N] [--chunk 25]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from meetkit.sheets import SheetData, SheetRenderer, pdf
from meetkit.sheets.data import DialInNumber, MeetingRule

TOPICS = [
    "Angehörige Sucht",
    "Depression",
    "Trauer nach Suizid",
    "Krebs – Frauen",
    "Morbus Crohn",
    "Tinnitus",
]


def sample(i: int) -> SheetData:
    """A realistic sheet: long-ish name with umlauts, two numbers, 8-digit PIN, three dates."""
    first = dt.datetime(2026, 12, 1, 19, 0) + dt.timedelta(days=i % 7)
    return SheetData(
        member_url=f"https://treffen.selbsthilfe-oberbayern.de/j/k7m2q-{i:05d}",
        group_name=f"{TOPICS[i % len(TOPICS)]} – Gesprächskreis Nr. {i} (Großraum München-Süd)",
        dial_in_numbers=(DialInNumber("DE", "+49 89 1234 5678"), DialInNumber("AT", "+43 1 234 5678")),
        pin=f"{40000000 + i * 7919:08d}",
        next_meetings=tuple(first + dt.timedelta(weeks=2 * k) for k in range(3)),
        contact_point_name="Selbsthilfezentrum München",
        help_phone="089 53 29 56 11",
        rule=MeetingRule("biweekly", first.weekday(), dt.time(19), dt.time(20, 30), place="Raum 2"),
    )


def rss_mb(who: int) -> float:
    """Peak resident set size in MB (Linux reports KiB)."""
    return resource.getrusage(who).ru_maxrss / 1024


def single(runs: int) -> float:
    """Median wall time of one warm A4 sheet rendered to PDF bytes in this process."""
    pdf.warm_up()
    times = []
    for i in range(runs):
        start = time.perf_counter()
        pdf.render_pdf([sample(i)])
        times.append(time.perf_counter() - start)
    return statistics.median(times)


async def batch(
    groups: int, workers: int | None, chunk: int, tagged: bool = True
) -> tuple[float, int, float, int, float]:
    """Render `groups` sheets into one PDF file through the process pool, then single sheets through it.

    Returns (batch seconds, pages, warm-up seconds, workers, median seconds of one sheet via the pool).
    """
    renderer = SheetRenderer(workers=workers, chunk_size=chunk, tagged=tagged)
    start = time.perf_counter()
    for future in renderer.start():
        future.result()
    warm = time.perf_counter() - start
    sheets = [sample(i) for i in range(groups)]
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        pages = await renderer.batch(sheets, Path(folder) / "all.pdf")
        seconds = time.perf_counter() - start
    singles = []
    for i in range(20):
        start = time.perf_counter()
        await renderer.pdf([sample(i)])
        singles.append(time.perf_counter() - start)
    renderer.close()
    assert isinstance(pages, int)
    return seconds, pages, warm, renderer.workers, statistics.median(singles)


def qrcode_svg(url: str) -> str:
    """The same code drawn by the qrcode library (one square per module, SvgPathImage), for comparison."""
    import io
    import re

    import qrcode
    import qrcode.image.svg

    image = qrcode.make(
        url,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=4,
    )
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode().split("?>", 1)[-1]
    return re.sub(r' (width|height)="[^"]*"', "", svg, count=2)


def segno_svg(url: str) -> str:
    """The same code made by segno (one compact path, mask chosen in pure Python), for comparison."""
    import segno

    return str(segno.make_qr(url, error="m").svg_inline(border=4, omitsize=True))


def compare_qr(pages: int) -> None:
    """Time QR generation alone and a `pages`-sheet document with each library's SVG (distinct links)."""
    from meetkit import qr
    from meetkit.sheets import view

    pdf.warm_up()
    makers = (
        ("zxing-cpp writer + own path (used)", qr.qr_svg),  # distinct links: never cached
        ("segno", segno_svg),
        ("qrcode", qrcode_svg),
    )
    for name, make in makers:
        start = time.perf_counter()
        svgs = [make(sample(i).member_url) for i in range(100)]
        per_code = (time.perf_counter() - start) / 100
        original = view.qr_svg
        view.qr_svg = make  # type: ignore[assignment]
        try:
            start = time.perf_counter()
            document = pdf.render_pdf([sample(i) for i in range(pages)])
            seconds = time.perf_counter() - start
        finally:
            view.qr_svg = original
        size = sum(len(s) for s in svgs) / len(svgs)
        print(
            f"{name}: {per_code * 1000:.1f} ms per code, SVG {size / 1024:.1f} KB; {pages}-sheet PDF "
            f"{seconds:.2f} s = {pages / seconds:.1f} pages/s in one process, {len(document) / 1024:.0f} KB"
        )


def compare_tags(rounds: int, groups: int, workers: int | None, chunk: int) -> None:
    """The same batch without and with PDF tags, back to back, `rounds` times (the load average beside each)."""
    for _ in range(rounds):
        for tagged in (False, True):
            load = os.getloadavg()[0]
            seconds, pages, _warm, used, _pooled = asyncio.run(batch(groups, workers, chunk, tagged))
            print(
                f"{'tagged  ' if tagged else 'untagged'}: {pages} pages in {seconds:.2f} s = "
                f"{pages / seconds:.1f} pages/s ({used} workers; load average before {load:.2f})"
            )


def tag_cost(rounds: int, chunk: int) -> None:
    """CPU time per page of one chunk rendered in this process, untagged and tagged in turn (median of
    `rounds` each): what tagging costs, much less disturbed by other load than wall-clock throughput."""
    pdf.warm_up()
    sheets = [sample(i) for i in range(chunk)]
    costs: dict[bool, list[float]] = {False: [], True: []}
    for _ in range(rounds):
        for tagged in (False, True):
            start = time.process_time()
            pdf.render_pdf(sheets, tagged=tagged)
            costs[tagged].append((time.process_time() - start) / chunk)
    plain, tagged_ms = statistics.median(costs[False]) * 1000, statistics.median(costs[True]) * 1000
    print(
        f"CPU per page, {chunk}-sheet chunk, median of {rounds}: untagged {plain:.1f} ms, tagged {tagged_ms:.1f} ms "
        f"(+{tagged_ms - plain:.1f} ms, +{(tagged_ms / plain - 1) * 100:.0f} %); load average {os.getloadavg()[0]:.2f}"
    )


def main() -> None:
    """Print the figures docs/performance.md quotes."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--groups", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--chunk", type=int, default=25)
    parser.add_argument("--single-runs", type=int, default=30)
    parser.add_argument("--compare-qr", type=int, metavar="PAGES", help="only compare segno and qrcode")
    parser.add_argument(
        "--compare-tags",
        type=int,
        metavar="ROUNDS",
        help="only the batch, untagged then tagged, ROUNDS times",
    )
    parser.add_argument(
        "--tag-cost", type=int, metavar="ROUNDS", help="only the CPU cost of PDF tags per page"
    )
    args = parser.parse_args()
    if args.tag_cost:
        tag_cost(args.tag_cost, args.chunk)
        return
    if args.compare_qr:
        compare_qr(args.compare_qr)
        return
    if args.compare_tags:
        compare_tags(args.compare_tags, args.groups, args.workers, args.chunk)
        return
    seconds, pages, warm, workers, pooled = asyncio.run(batch(args.groups, args.workers, args.chunk))
    load = os.getloadavg()[0]
    print(
        f"batch: {pages} pages in {seconds:.2f} s = {pages / seconds:.1f} pages/s "
        f"({workers} workers, chunks of {args.chunk}, workers warmed up in {warm:.2f} s)"
    )
    print(
        f"peak RSS: parent {rss_mb(resource.RUSAGE_SELF):.0f} MB, largest worker {rss_mb(resource.RUSAGE_CHILDREN):.0f} MB"
    )
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = children.ru_utime + children.ru_stime - warm * workers
    print(
        f"worker CPU: about {cpu / pages * 1000:.0f} ms per page (warm-up excluded, roughly), so {workers} idle "
        f"cores could do about {workers * pages / cpu:.0f} pages/s; load average after the run: {load:.2f}"
    )
    print(f"single A4 sheet through the warm pool (what a web request waits): median {pooled * 1000:.1f} ms")
    median = single(args.single_runs)
    print(f"single A4 sheet, warm, in-process: median {median * 1000:.1f} ms over {args.single_runs} runs")
    print(f"peak RSS after single runs: parent {rss_mb(resource.RUSAGE_SELF):.0f} MB")


if __name__ == "__main__":
    main()
