"""`meetkit serve` that never keeps member pages or conference-mapper answers in the read cache.

Run: python -m bench.serve_uncached serve --port P

For measuring the read-cache miss path alone (bench/instances.py `backends`): every such request reads the
database and renders. Everything else (the failure budget's blocked clients among them) is cached as usual.
"""

from __future__ import annotations

from collections.abc import Hashable

from meetkit.cli import main
from meetkit.storage.cache import ReadCache

UNCACHED_KINDS = frozenset({"member_page", "room"})
_put = ReadCache.put


def put_unless_measured(cache: ReadCache, key: Hashable, value: object) -> None:
    """Keep everything except member pages and the mapper's answers."""
    if isinstance(key, tuple) and key and key[0] in UNCACHED_KINDS:
        return
    _put(cache, key, value)


if __name__ == "__main__":
    ReadCache.put = put_unless_measured  # type: ignore[method-assign]
    raise SystemExit(main())
