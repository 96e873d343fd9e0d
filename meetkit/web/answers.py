"""Ready-made answers for hot look-ups, re-checked against the database's change marker every few ms."""

from __future__ import annotations

import time
from collections.abc import Hashable

from meetkit.storage.database import Database

RECHECK_SECONDS = 0.01
MAX_ENTRIES = 50_000
_MARKER = ("answers-marker",)


class AnswerCache:
    """Encoded answers by key, emptied when any connection (this process or the CLI) committed a change.

    Database.cache_get tells about commits with one SQLite statement (PRAGMA data_version), which costs
    about as much as the rest of a dial-in look-up. Here that check runs at most every RECHECK_SECONDS, so a
    change (e.g. a rotated PIN) takes effect for these answers at most 10 ms after its commit.
    """

    def __init__(self) -> None:
        self._answers: dict[Hashable, bytes] = {}
        self._checked = float("-inf")

    def get(self, db: Database, key: Hashable) -> bytes | None:
        """Return the answer stored under `key`, unless a commit since makes it possibly stale."""
        now = time.monotonic()
        if now - self._checked >= RECHECK_SECONDS:
            self._checked = now
            if db.cache_get(_MARKER) is None:  # the database's cache was emptied: something changed
                self._answers.clear()
                db.cache_put(_MARKER, True)
        return self._answers.get(key)

    def put(self, key: Hashable, answer: bytes) -> None:
        """Keep an answer read after the last check (so it is at least as fresh as the check)."""
        if len(self._answers) >= MAX_ENTRIES:
            self._answers.clear()
        self._answers[key] = answer
