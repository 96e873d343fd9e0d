"""Render sheet PDFs in worker processes, so neither the event loop nor the caller's memory carries them."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, TypeVar

from meetkit.sheets import letter, pdf
from meetkit.sheets.data import Lang, Layout, SheetData
from meetkit.sheets.leader_letter import LeaderLetter
from meetkit.sheets.letter import LetterData

T = TypeVar("T")
CHUNK_SIZE = 25  # sheets per WeasyPrint document in a batch: amortises fonts, bounds memory


def _worker_init() -> None:
    """Load WeasyPrint, fonts and stylesheets once per worker."""
    pdf.warm_up()


def _merge(parts: Sequence[bytes], target: str | None, tagged: bool = True) -> bytes | int:
    """Join the chunks' PDFs (tagged ones with their structure trees); write them to `target` (returning the
    page count) or return the bytes."""
    if tagged:
        from io import BytesIO

        from meetkit.sheets.merge import merge_tagged

        with merge_tagged(parts) as joined:
            if target is None:
                buffer = BytesIO()
                joined.save(buffer)
                return buffer.getvalue()
            joined.save(target)
            return len(joined.pages)
    return _merge_pages(parts, target)


def _merge_pages(parts: Sequence[bytes], target: str | None) -> bytes | int:
    """Concatenate the pages of untagged PDFs (pdfium: the fastest way when there is no structure to keep)."""
    import pypdfium2 as pdfium

    merged = pdfium.PdfDocument.new()
    try:
        for part in parts:
            source = pdfium.PdfDocument(part)
            try:
                merged.import_pages(source)
            finally:
                source.close()
        pages = len(merged)
        if target is None:
            from io import BytesIO

            buffer = BytesIO()
            merged.save(buffer)
            return buffer.getvalue()
        with open(target, "wb") as out:
            merged.save(out)
        return pages
    finally:
        merged.close()


def default_workers() -> int:
    """One worker per core, at most four (a render holds a core)."""
    return max(1, min(4, os.cpu_count() or 1))


class SheetRenderer:
    """A lazily started process pool that turns SheetData into PDF bytes or files."""

    def __init__(self, workers: int | None = None, chunk_size: int = CHUNK_SIZE, tagged: bool = True) -> None:
        self.workers = workers or default_workers()
        self.chunk_size = chunk_size
        self.tagged = tagged  # tagged PDFs for screen readers; False only to measure what tagging costs
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_worker_init,
            )
        return self._pool

    def start(self) -> list[Future[None]]:
        """Start every worker now (they warm up in the background); returns their warm-up futures."""
        pool = self._executor()
        return [pool.submit(pdf.warm_up) for _ in range(self.workers)]

    def close(self) -> None:
        """Stop the workers (waiting for running renders)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _discard_broken(self, broken: ProcessPoolExecutor) -> None:
        """Forget a pool whose worker died (killed, out of memory); the next call starts a fresh one."""
        if self._pool is broken:
            self._pool = None
            broken.shutdown(wait=False, cancel_futures=True)

    async def _in_worker(self, work: Callable[..., T], *args: Any) -> T:
        """Run `work(*args)` in a worker; tried once more in a fresh pool if a worker died."""
        loop = asyncio.get_running_loop()
        for attempt in (1, 2):
            pool = self._executor()
            try:
                return await loop.run_in_executor(pool, work, *args)
            except BrokenProcessPool:
                self._discard_broken(pool)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def pdf(
        self, sheets: Sequence[SheetData], layout: Layout = "a4", lang: Lang | None = None
    ) -> bytes:
        """Render a few sheets (one document) in a worker."""
        return await self._in_worker(pdf.render_pdf, list(sheets), layout, lang)

    async def invitation_letter(self, data: LetterData) -> bytes:
        """Render a leader's invitation letter in a worker."""
        return await self._in_worker(letter.letter_pdf, data)

    async def leader_letter(self, letter: LeaderLetter) -> bytes:
        """Render an "Ihr Leitungs-Link" letter in a worker."""
        return await self._in_worker(pdf.render_letter_pdf, letter)

    async def page_pdf(self, html: str, stylesheet: Path | None = None) -> bytes:
        """Render another printed page (the loan form) in a worker, with its own stylesheet if it has one."""
        return await self._in_worker(pdf.render_page_pdf, html, str(stylesheet) if stylesheet else None)

    async def batch(
        self,
        sheets: Sequence[SheetData],
        target: Path | None = None,
        layout: Layout = "a4",
        lang: Lang | None = None,
        progress: Callable[[int], object] | None = None,
    ) -> bytes | int:
        """Render many sheets in chunks across the workers and merge them in order.

        With `target`, write the PDF there and return its page count; else return the PDF bytes.
        `progress` is called with the number of sheets rendered so far after each chunk (in order).
        At most two chunks per worker are in flight, so the workers' memory stays flat however long the
        batch; the parent keeps only the finished chunk PDFs (about 4.5 KB a page).
        """
        if not sheets:
            raise ValueError("no sheets to render")
        pool = self._executor()
        try:
            return await self._batch(pool, sheets, target, layout, lang, progress)
        except BrokenProcessPool:
            self._discard_broken(pool)
            raise

    async def _batch(
        self,
        pool: ProcessPoolExecutor,
        sheets: Sequence[SheetData],
        target: Path | None,
        layout: Layout,
        lang: Lang | None,
        progress: Callable[[int], object] | None,
    ) -> bytes | int:
        loop = asyncio.get_running_loop()
        chunks = deque(list(sheets[i : i + self.chunk_size]) for i in range(0, len(sheets), self.chunk_size))
        in_flight: deque[asyncio.Future[bytes]] = deque()
        parts: list[bytes] = []
        sizes: deque[int] = deque()
        rendered = 0
        while chunks or in_flight:
            while chunks and len(in_flight) < 2 * self.workers:
                chunk = chunks.popleft()
                sizes.append(len(chunk))
                in_flight.append(loop.run_in_executor(pool, pdf.render_pdf, chunk, layout, lang, self.tagged))
            parts.append(await in_flight.popleft())
            rendered += sizes.popleft()
            if progress is not None:
                progress(rendered)
        if len(parts) == 1 and target is None:
            return parts[0]
        return await loop.run_in_executor(
            pool, _merge, parts, None if target is None else str(target), self.tagged
        )
