"""Finding a thing by the number or unique name someone typed, within a scope: one rule for groups and tablets.

A number names the thing with that id; anything else is a name that must be unique among the things the
scope sees. Something outside the scope is reported exactly like something that does not exist. Each caller
passes its own messages (as literals at the call site, so the translation catalogs can check them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from meetkit.domain.errors import MeetkitError
from meetkit.domain.numbers import is_ascii_number, parse_id
from meetkit.domain.scope import Scope


class Owned(Protocol):
    """Something that belongs to a contact point (or, for groups, perhaps to none)."""

    @property
    def id(self) -> int:
        """Its number."""
        ...

    @property
    def contact_point_id(self) -> int | None:
        """The contact point it belongs to."""
        ...


T = TypeVar("T", bound=Owned)


def find_by_reference(
    scope: Scope,
    reference: str | int,
    *,
    by_id: Callable[[int], T | None],
    by_name: Callable[[str], list[T]],
    what: str,
    unknown_number: Callable[[str], MeetkitError],
    unknown_name: Callable[[str], MeetkitError],
    ambiguous: Callable[[str, str], MeetkitError],
) -> T:
    """The thing `reference` names within `scope`, or the caller's error for an unknown or ambiguous one.

    `by_name` gets the typed name as it is (it cleans it, and may raise its own InvalidInput); `what` names
    the thing in parse_id's message for a number too large to be an id."""
    text = str(reference).strip()
    if is_ascii_number(text):
        found = by_id(parse_id(text, what))
        if found is None or not scope.allows(found.contact_point_id):
            raise unknown_number(text)
        return found
    matches = [item for item in by_name(text) if scope.allows(item.contact_point_id)]
    if not matches:
        raise unknown_name(text)
    if len(matches) > 1:
        raise ambiguous(text, ", ".join(str(item.id) for item in matches))
    return matches[0]
