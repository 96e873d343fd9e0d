"""Password hashing with argon2id on a thread of its own, so that sign-ins never block the event loop."""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools

import argon2
from argon2.exceptions import InvalidHashError, VerificationError

# OWASP's first argon2id setting (46 MiB, one pass, one lane): about 45 ms a hash on this project's
# machines. One lane keeps a hash on one core; one worker thread leaves the other core to the event loop.
HASHER = argon2.PasswordHasher(time_cost=1, memory_cost=47104, parallelism=1, type=argon2.Type.ID)


class PasswordHasher:
    """Hashes and verifies passwords in one worker thread (argon2-cffi releases the GIL while it works)."""

    def __init__(self, workers: int = 1) -> None:
        self._pool = concurrent.futures.ThreadPoolExecutor(workers, thread_name_prefix="argon2")
        self._dummy_hash = dummy_hash()

    async def hash(self, password: str) -> str:
        """Return the argon2id hash of a password."""
        return await asyncio.get_running_loop().run_in_executor(self._pool, HASHER.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """Whether `password` matches; with no hash (unknown login, no password yet) it spends the same time."""
        return await asyncio.get_running_loop().run_in_executor(
            self._pool, _verify, password_hash or self._dummy_hash, password, password_hash is not None
        )

    def close(self) -> None:
        """Stop the worker thread."""
        self._pool.shutdown(wait=True, cancel_futures=True)


@functools.cache
def dummy_hash() -> str:
    """The hash an unknown login is checked against, so that it takes as long as a wrong password.

    Made once per process (at the first hasher, when the app starts), not once per app: it is never shown.
    """
    return HASHER.hash("meetkit dummy password for unknown logins")


def _verify(password_hash: str, password: str, real: bool) -> bool:
    try:
        return HASHER.verify(password_hash, password) and real
    except (VerificationError, InvalidHashError):
        return False
