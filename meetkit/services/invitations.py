"""Leader invitations: staff make one, the leader uses it once to create the group's link and meeting plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel.dates import format_date

from meetkit.config import Settings
from meetkit.domain import ids
from meetkit.domain import invitations as rules
from meetkit.domain.accounts import N_
from meetkit.domain.errors import InvalidInput, LinkUsedUp, NotFound
from meetkit.domain.extra_dates import single_dates
from meetkit.domain.invitations import Invitation
from meetkit.domain.meeting_plan import MeetingPlan
from meetkit.domain.models import ContactPoint
from meetkit.domain.schedules import TIMEZONE
from meetkit.domain.scope import Scope
from meetkit.services import directory, mail
from meetkit.services.audit import record_in
from meetkit.sheets.letter import LetterData
from meetkit.storage import contact_points, groups
from meetkit.storage import invitations as storage
from meetkit.storage import schedules as schedule_storage
from meetkit.storage.connection import Connection
from meetkit.storage.database import Database

INVITATION_ACTOR = "(Einladung)"
NOT_FOUND = N_("Diese Einladung gibt es nicht.")
NOT_OPEN = N_("Diese Einladung ist schon benutzt oder zurückgezogen.")
BAD_ADDRESS = N_("Diese E-Mail-Adresse sieht nicht richtig aus. Bitte prüfen Sie sie.")
NO_MAIL = N_("Für den Versand per E-Mail ist kein Mail-Server eingerichtet (MEETKIT_SMTP_URL).")
HISTORY_DAYS = 30  # used, withdrawn and expired invitations stay in the staff list this long


@dataclass(frozen=True, slots=True)
class IssuedInvitation:
    """An invitation with its one-time token, which is only known right after it was made."""

    invitation: Invitation
    contact_point: ContactPoint
    token: str
    emailed_to: str | None = None


@dataclass(frozen=True, slots=True)
class InvitationLine:
    """An invitation as the staff list shows it: its contact point, state and the group it created."""

    invitation: Invitation
    contact_point: ContactPoint
    state: str  # "open", "used", "withdrawn", "expired"
    group_name: str | None


def now_utc() -> dt.datetime:
    """The current moment, aware."""
    return dt.datetime.now(dt.UTC)


def invite_url(settings: Settings, token: str) -> str:
    """The link a leader opens: `{public}/invite/{token}`."""
    return f"{settings.public_url}/invite/{token}"


def invitation_json(issued: IssuedInvitation, settings: Settings) -> dict[str, object]:
    """The JSON shape of a new invitation (CLI)."""
    return {
        "id": issued.invitation.id,
        "contact_point": issued.contact_point.slug,
        "invite_url": invite_url(settings, issued.token),
        "expires_at": issued.invitation.expires_at,
        "emailed_to": issued.emailed_to,
    }


def _address(text: str) -> str:
    address = text.strip()
    local, at, domain = address.rpartition("@")
    if not at or not local or "." not in domain or len(address) > 254 or any(c.isspace() for c in address):
        raise InvalidInput(BAD_ADDRESS)
    return address


async def create_invitation(
    db: Database,
    settings: Settings,
    scope: Scope,
    contact_point_slug: str,
    *,
    valid_days: int = rules.INVITATION_DAYS,
    email: str | None = None,
    now: dt.datetime | None = None,
) -> IssuedInvitation:
    """Make a one-time invitation for a contact point; e-mail it when an address is given (never stored)."""
    days = rules.valid_days(valid_days)
    address = _address(email) if email else None
    if address and not settings.smtp_url:
        raise InvalidInput(NO_MAIL)
    token = ids.new_secret_token()
    expires_at = rules.expiry(now or now_utc(), days)

    def insert(conn: Connection) -> tuple[Invitation, ContactPoint]:
        contact_point = directory.scoped_contact_point(conn, scope, contact_point_slug)
        made = storage.insert(conn, contact_point.id, ids.hash_secret(token), scope.actor, expires_at)
        record_in(conn, scope.actor, "leader_invited", f"#{made.id} {contact_point.slug}")
        return made, contact_point

    invitation, contact_point = await db.write(insert, invalidates_cache=False)
    issued = IssuedInvitation(invitation, contact_point, token)
    if address and settings.smtp_url and await _send(settings, issued, address):
        return IssuedInvitation(invitation, contact_point, token, address)
    return issued


async def _send(settings: Settings, issued: IssuedInvitation, address: str) -> bool:
    assert settings.smtp_url is not None
    url = invite_url(settings, issued.token)
    body = (
        "Guten Tag,\n\n"
        f"{issued.contact_point.name} lädt Sie ein, den Videoraum Ihrer Selbsthilfegruppe selbst anzulegen.\n"
        "Öffnen Sie dazu diesen Link. Er gilt einmal, bis "
        f"{issued.invitation.expires_at} (UTC):\n\n{url}\n\n"
        "In drei Schritten geben Sie der Gruppe einen Namen und die Treffzeit an; danach bekommen Sie Ihren "
        "Link für die Gruppenleitung und die Einladung für die Mitglieder.\n"
        + (
            f"\nFragen? {issued.contact_point.name}, Telefon {issued.contact_point.phone}\n"
            if issued.contact_point.phone
            else ""
        )
    )
    sender = mail.sender_for(settings.smtp_url, settings.public_url)
    return await mail.send(settings.smtp_url, sender, address, "Einladung: Ihr Gruppenraum", body)


async def list_invitations(
    db: Database, scope: Scope, now: dt.datetime | None = None
) -> list[InvitationLine]:
    """Open invitations and those of the last 30 days within the scope, newest first."""
    moment = now or now_utc()
    since = rules.expiry(moment, -HISTORY_DAYS)

    def query(conn: Connection) -> list[InvitationLine]:
        points = {c.id: c for c in contact_points.all_(conn) if scope.allows(c.id)}
        found = storage.recent(conn, None if scope.is_admin else sorted(points), since)
        lines = []
        for inv in found:
            group = groups.by_id(conn, inv.group_id) if inv.group_id is not None else None
            lines.append(
                InvitationLine(
                    inv, points[inv.contact_point_id], _state(inv, moment), group.name if group else None
                )
            )
        return lines

    return await db.read(query)


def _state(invitation: Invitation, now: dt.datetime) -> str:
    problem = invitation.problem(now)
    return {
        None: "open",
        rules.INVITATION_USED: "used",
        rules.INVITATION_WITHDRAWN: "withdrawn",
        rules.INVITATION_EXPIRED: "expired",
    }[problem]


async def withdraw_invitation(db: Database, scope: Scope, invitation_id: int) -> Invitation:
    """Withdraw an open invitation: its link stops at once."""

    def change(conn: Connection) -> Invitation:
        found = storage.by_id(conn, invitation_id)
        if found is None or not scope.allows(found.contact_point_id):
            raise NotFound(NOT_FOUND)
        if not storage.withdraw(conn, found.id):
            raise InvalidInput(NOT_OPEN)
        record_in(conn, scope.actor, "leader_invitation_withdrawn", f"#{found.id}")
        withdrawn = storage.by_id(conn, found.id)
        assert withdrawn is not None
        return withdrawn

    return await db.write(change, invalidates_cache=False)


async def open_invitation(
    db: Database, token: str, now: dt.datetime | None = None
) -> tuple[Invitation, ContactPoint]:
    """The invitation behind a link while it can be used; else NotFound, or LinkUsedUp naming whom to call."""
    moment = now or now_utc()

    def query(conn: Connection) -> tuple[Invitation, ContactPoint]:
        invitation, contact_point = _invitation(conn, token)
        problem = invitation.problem(moment)
        if problem is not None:
            raise LinkUsedUp(problem, contact_point.name, contact_point.phone)
        return invitation, contact_point

    return await db.read(query)


def _invitation(conn: Connection, token: str) -> tuple[Invitation, ContactPoint]:
    invitation = storage.by_token_hash(conn, ids.hash_secret(token))
    if invitation is None:
        raise NotFound(rules.LINK_UNKNOWN)
    contact_point = contact_points.by_id(conn, invitation.contact_point_id)
    assert contact_point is not None
    return invitation, contact_point


async def accept_invitation(
    db: Database,
    settings: Settings,
    token: str,
    submission: str,
    name: str,
    plan: MeetingPlan | None,
    now: dt.datetime | None = None,
) -> str:
    """Use an invitation: create the group (with its plan) and return its leader token.

    All or nothing in one transaction. The same submission sent again shortly after (a double click, a
    reload) returns the same leader token and creates nothing: one group, not two.
    """
    moment = now or now_utc()
    name = rules.clean_group_name(name)
    if not submission:
        raise InvalidInput(N_("Das Formular ist unvollständig. Bitte laden Sie die Seite neu."))
    leader_token = rules.derived_leader_token(settings.secret, token, submission)
    submission_hash = ids.hash_secret(submission)

    def accept(conn: Connection) -> None:
        invitation, contact_point = _invitation(conn, token)
        if _same_submission_again(conn, invitation, submission_hash, leader_token, moment):
            return
        problem = invitation.problem(moment)
        if problem is not None:
            raise LinkUsedUp(problem, contact_point.name, contact_point.phone)
        group = directory.insert_group_in(conn, settings, name, contact_point.id, leader_token)
        if plan is None:  # "no fixed time": single dates, none yet
            schedule_storage.put(conn, group.id, single_dates())
        else:
            schedule_storage.put(conn, group.id, plan.schedule)
            for day in plan.skipped_days(rules.local_day(moment)):
                schedule_storage.set_exception(conn, group.id, day, "cancelled")
        if not storage.use(conn, invitation.id, group.id, submission_hash):
            raise LinkUsedUp(rules.INVITATION_UNUSABLE, contact_point.name, contact_point.phone)
        record_in(conn, INVITATION_ACTOR, "group_created", f"#{group.id} {group.name}")

    await db.write(accept)
    return leader_token


def _same_submission_again(
    conn: Connection, invitation: Invitation, submission_hash: str, leader_token: str, now: dt.datetime
) -> bool:
    if invitation.group_id is None or not rules.replay_allowed(invitation.used_at, now):
        return False
    if storage.submission_hash_of(conn, invitation.id) != submission_hash:
        return False
    return groups.leader_token_hash_of(conn, invitation.group_id) == ids.hash_secret(leader_token)


async def invitation_for_letter(
    db: Database, scope: Scope, token: str, now: dt.datetime | None = None
) -> tuple[Invitation, ContactPoint]:
    """The open invitation behind a token, for its letter; one outside the scope is reported as unknown."""
    moment = now or now_utc()

    def query(conn: Connection) -> tuple[Invitation, ContactPoint]:
        invitation = storage.by_token_hash(conn, ids.hash_secret(token))
        if invitation is None or not scope.allows(invitation.contact_point_id):
            raise NotFound(NOT_FOUND)
        if invitation.problem(moment) is not None:
            raise InvalidInput(NOT_OPEN)
        contact_point = contact_points.by_id(conn, invitation.contact_point_id)
        assert contact_point is not None
        return invitation, contact_point

    return await db.read(query)


def letter_data(
    settings: Settings, invitation: Invitation, contact_point: ContactPoint, token: str, lang: str
) -> LetterData:
    """What the printed letter of an invitation shows."""
    until = dt.datetime.fromisoformat(invitation.expires_at).astimezone(TIMEZONE).date()
    return LetterData(
        invite_url(settings, token),
        format_date(until, "long", locale=lang),
        contact_point.name,
        contact_point.phone,
        "en" if lang == "en" else "de",
    )
