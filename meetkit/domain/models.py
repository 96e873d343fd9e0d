"""Plain records as storage returns them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ContactPoint:
    """A self-help contact point (Selbsthilfekontaktstelle) that supports groups."""

    id: int
    slug: str
    name: str
    phone: str | None
    show_group_names: bool
    created_at: str
    rules_text: str | None = None  # the group rules on member pages and sheets; None: the default rules
    practice_on_sheet: bool = False  # its sheets print the practice room's address


@dataclass(frozen=True, slots=True)
class Group:
    """A self-help group with its private room, member code and optional dial-in PIN."""

    id: int
    name: str
    room: str
    member_code: str
    pin: str | None
    contact_point_id: int | None
    created_at: str
    renewed_at: str | None
    archived_at: str | None = None  # an archived group's links stopped working then


@dataclass(frozen=True, slots=True)
class ApiToken:
    """A staff API token as stored: only its hash is kept."""

    id: int
    name: str
    created_at: str
    revoked_at: str | None
    contact_point_ids: tuple[int, ...] | None = None  # None: an admin token that sees every contact point

    @property
    def is_admin(self) -> bool:
        """Whether this token sees and changes every contact point."""
        return self.contact_point_ids is None
