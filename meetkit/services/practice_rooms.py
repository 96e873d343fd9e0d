"""The practice room page: the contact point behind a slug."""

from __future__ import annotations

from meetkit.domain.errors import InvalidInput, NotFound
from meetkit.domain.models import ContactPoint
from meetkit.domain.names import clean_slug
from meetkit.storage import contact_points
from meetkit.storage.database import Database

UNKNOWN = "Diesen Link gibt es nicht."


async def practice_contact_point(db: Database, slug: str) -> ContactPoint:
    """The contact point whose practice room this is, or NotFound as for any unknown link."""
    try:
        clean_slug(slug)  # nothing else is a slug: no NUL bytes or stray text reach the database
    except InvalidInput:
        raise NotFound(UNKNOWN) from None
    found = await db.read(lambda conn: contact_points.by_slug(conn, slug))
    if found is None:
        raise NotFound(UNKNOWN)
    return found
