"""Who is acting and what they may see: a contact point is a tenant; admins see all."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from meetkit.domain.errors import NotFound

if TYPE_CHECKING:
    from meetkit.domain.accounts import StaffAccount  # (zxcvbn behind it: not for the CLI's start)

CLI_ACTOR = "(Kommandozeile)"  # the operator on the server's command line: an admin by definition
NOT_FOUND = "Das gibt es nicht (oder nicht für Sie)."


@dataclass(frozen=True, slots=True)
class Scope:
    """The actor's name for the audit log and the contact points they may see (None: all, an admin)."""

    actor: str
    contact_point_ids: frozenset[int] | None

    @property
    def is_admin(self) -> bool:
        """Whether this scope sees and manages everything."""
        return self.contact_point_ids is None

    def allows(self, contact_point_id: int | None) -> bool:
        """Whether a thing of this contact point is visible (groups without one only to admins)."""
        if self.contact_point_ids is None:
            return True
        return contact_point_id is not None and contact_point_id in self.contact_point_ids

    def require(self, contact_point_id: int | None) -> None:
        """Raise NotFound, as if the thing did not exist, unless it lies within this scope."""
        if not self.allows(contact_point_id):
            raise NotFound(NOT_FOUND)

    def require_admin(self) -> None:
        """Raise NotFound unless this scope is an admin's."""
        if not self.is_admin:
            raise NotFound(NOT_FOUND)


OPERATOR = Scope(CLI_ACTOR, None)
# Whoever holds a group's leader link acts on that group alone: the page resolved the group from the link
# before it calls a service, so the scope need not narrow further.
LEADER_LINK = Scope("(Leitungs-Link)", None)


def admin_scope(actor: str) -> Scope:
    """An admin's scope."""
    return Scope(actor, None)


def staff_scope(actor: str, contact_point_ids: tuple[int, ...]) -> Scope:
    """A staff member's scope: only their contact points."""
    return Scope(actor, frozenset(contact_point_ids))


def scope_of(account: StaffAccount) -> Scope:
    """The scope of a signed-in staff account."""
    if account.is_admin:
        return admin_scope(account.login)
    return staff_scope(account.login, account.contact_point_ids)
