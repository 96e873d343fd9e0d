"""What a leader does from the leader page beyond starting: guest links, hand-over, the plan, "running now"."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from meetkit.config import Settings
from meetkit.domain import extra_dates, ids, meeting_dates
from meetkit.domain import invitations as rules
from meetkit.domain import schedules as sched
from meetkit.domain.accounts import N_
from meetkit.domain.devices import timestamp
from meetkit.domain.errors import InvalidInput, LinkUsedUp, NotFound
from meetkit.domain.meeting_dates import Occurrence
from meetkit.domain.meeting_plan import MeetingPlan
from meetkit.domain.scope import LEADER_LINK
from meetkit.services.audit import record_in
from meetkit.services.directory import GroupView
from meetkit.storage import groups, leader_links
from meetkit.storage import schedules as schedule_storage
from meetkit.storage.connection import Connection
from meetkit.storage.database import Database
from meetkit.storage.leader_links import GuestLink

HANDOVER_ACTOR = "(Übergabe-Link)"
TOO_MANY_GUEST_LINKS = N_("Es gibt schon 20 offene Gast-Links. Bitte ziehen Sie zuerst einen zurück.")
GUEST_LINK_GONE = N_("Diesen Gast-Link gibt es nicht (mehr).")


@dataclass(frozen=True, slots=True)
class GuestVisit:
    """What a guest link opens: the group and the one date it holds for."""

    view: GroupView
    day: dt.date
    today: dt.date

    @property
    def usable(self) -> bool:
        """Whether the link works now (on its date only)."""
        return self.day == self.today


@dataclass(frozen=True, slots=True)
class MeetingNow:
    """Whether the group's meeting is running: by the room (census/webhooks) and by the plan."""

    occupants: int | None
    planned: Occurrence | None

    @property
    def running(self) -> bool:
        """True when someone is in the room or the plan says the meeting is on."""
        return bool(self.occupants) or self.planned is not None


def now_utc() -> dt.datetime:
    """The current moment, aware."""
    return dt.datetime.now(dt.UTC)


def guest_url(settings: Settings, token: str) -> str:
    """A guest's link: `{public}/g/{token}`."""
    return f"{settings.public_url}/g/{token}"


def handover_url(settings: Settings, token: str) -> str:
    """A hand-over link: `{public}/handover/{token}`."""
    return f"{settings.public_url}/handover/{token}"


async def create_guest_link(db: Database, group_id: int, day: dt.date, now: dt.datetime | None = None) -> str:
    """Make a guest link for the meeting on `day` (today or later); returns its token, shown only now."""
    moment = now or now_utc()
    rules.check_guest_date(day, moment)
    token = ids.new_secret_token()
    today = rules.local_day(moment).isoformat()

    def insert(conn: Connection) -> None:
        leader_links.delete_guest_links_before(conn, today)
        if len(leader_links.guest_links_from(conn, group_id, today)) >= rules.MAX_OPEN_GUEST_LINKS:
            raise InvalidInput(TOO_MANY_GUEST_LINKS)
        leader_links.add_guest_link(conn, group_id, ids.hash_secret(token), day.isoformat())

    await db.write(insert, invalidates_cache=False)
    return token


async def guest_links(db: Database, group_id: int, now: dt.datetime | None = None) -> list[GuestLink]:
    """A group's guest links for today and later."""
    today = rules.local_day(now or now_utc()).isoformat()
    return await db.read(lambda conn: leader_links.guest_links_from(conn, group_id, today))


async def withdraw_guest_link(db: Database, group_id: int, guest_link_id: int) -> None:
    """Withdraw one of the group's guest links: it stops at once."""

    def delete(conn: Connection) -> None:
        if not leader_links.delete_guest_link(conn, group_id, guest_link_id):
            raise NotFound(GUEST_LINK_GONE)

    await db.write(delete, invalidates_cache=False)


async def guest_visit(db: Database, token: str, now: dt.datetime | None = None) -> GuestVisit:
    """The group and date behind a guest link; a link for a past date is used up."""
    moment = now or now_utc()

    def query(conn: Connection) -> GuestVisit:
        link = leader_links.guest_link_by_hash(conn, ids.hash_secret(token))
        found = groups.with_contact_point_by_id(conn, link.group_id) if link else None
        if link is None or found is None:
            raise NotFound(rules.LINK_UNKNOWN)
        view = GroupView(*found)
        visit = GuestVisit(view, dt.date.fromisoformat(link.meeting_date), rules.local_day(moment))
        if visit.day < visit.today:
            cp = view.contact_point
            raise LinkUsedUp(rules.GUEST_EXPIRED, cp.name if cp else None, cp.phone if cp else None)
        return visit

    return await db.read(query)


async def open_handover(db: Database, group_id: int, now: dt.datetime | None = None) -> tuple[str, str]:
    """Make the group's one-time hand-over link (an unused earlier one stops); returns (token, expiry)."""
    token = ids.new_secret_token()
    expires_at = rules.expiry(now or now_utc(), rules.HANDOVER_DAYS)

    def insert(conn: Connection) -> None:
        leader_links.open_handover(conn, group_id, ids.hash_secret(token), expires_at)
        record_in(conn, LEADER_LINK.actor, "leader_handover_opened", f"#{group_id}")

    await db.write(insert, invalidates_cache=False)
    return token, expires_at


async def open_handover_expiry(db: Database, group_id: int) -> str | None:
    """When the group's unused hand-over link expires, if one is open."""
    return await db.read(lambda conn: leader_links.open_handover_expiry(conn, group_id))


async def handover_group(db: Database, token: str, now: dt.datetime | None = None) -> GroupView:
    """The group an unused, unexpired hand-over link belongs to."""
    moment = now or now_utc()

    def query(conn: Connection) -> GroupView:
        handover, view = _handover(conn, token)
        if handover.used_at is not None or handover.expires_at <= timestamp(moment):
            raise _used_up(view)
        return view

    return await db.read(query)


def _handover(conn: Connection, token: str) -> tuple[leader_links.Handover, GroupView]:
    handover = leader_links.handover_by_hash(conn, ids.hash_secret(token))
    found = groups.with_contact_point_by_id(conn, handover.group_id) if handover else None
    if handover is None or found is None:
        raise NotFound(rules.LINK_UNKNOWN)
    return handover, GroupView(*found)


def _used_up(view: GroupView) -> LinkUsedUp:
    cp = view.contact_point
    return LinkUsedUp(rules.HANDOVER_UNUSABLE, cp.name if cp else None, cp.phone if cp else None)


async def take_over(
    db: Database, settings: Settings, token: str, submission: str, now: dt.datetime | None = None
) -> str:
    """Use a hand-over link: the group gets a new leader token (returned) and the old one stops at once.

    The same submission sent again shortly after returns the same new token instead of a dead end.
    """
    moment = now or now_utc()
    if not submission:
        raise InvalidInput(N_("Das Formular ist unvollständig. Bitte laden Sie die Seite neu."))
    leader_token = rules.derived_leader_token(settings.secret, token, submission)
    new_hash, submission_hash = ids.hash_secret(leader_token), ids.hash_secret(submission)

    def change(conn: Connection) -> None:
        handover, view = _handover(conn, token)
        group = view.group
        if (
            handover.submission_hash == submission_hash
            and rules.replay_allowed(handover.used_at, moment)
            and groups.leader_token_hash_of(conn, group.id) == new_hash
        ):
            return
        if handover.used_at is not None or handover.expires_at <= timestamp(moment):
            raise _used_up(view)
        if not leader_links.use_handover(conn, handover.id, submission_hash):
            raise _used_up(view)
        leader_links.replace_leader_token(
            conn, group.id, groups.leader_token_hash_of(conn, group.id), new_hash
        )
        record_in(conn, HANDOVER_ACTOR, "leader_handed_over", f"#{group.id} {group.name}")

    await db.write(change)
    return leader_token


async def set_plan(
    db: Database, group_id: int, plan: MeetingPlan | None, now: dt.datetime | None = None
) -> None:
    """Set the group's rhythm from the leader page (the place stays), or single dates for "no fixed time"
    (the extra dates stay, with their times)."""
    today = rules.local_day(now or now_utc())

    def change(conn: Connection) -> None:
        current = schedule_storage.get(conn, group_id)
        if plan is None:
            schedule_storage.put_with_dates(conn, group_id, extra_dates.as_single_dates(current))
            record_in(conn, LEADER_LINK.actor, "schedule_changed", f"#{group_id}")
            return
        schedule = plan.schedule
        if current is not None and current.place and schedule.place is None:
            schedule = sched.make_schedule(
                schedule.frequency,
                schedule.weekday,
                schedule.start,
                schedule.duration_minutes,
                place=current.place,
                anchor=schedule.anchor,
                nth=schedule.nth,
            )
        schedule_storage.put(conn, group_id, schedule)
        for day in MeetingPlan(schedule, plan.first_day).skipped_days(today):
            schedule_storage.set_exception(conn, group_id, day, "cancelled")
        record_in(conn, LEADER_LINK.actor, "schedule_changed", f"#{group_id}")

    await db.write(change)


async def meeting_now(db: Database, group_id: int, now: dt.datetime | None = None) -> MeetingNow:
    """Whether a meeting runs now: people in the room, and the planned meeting of this moment."""
    moment = now or now_utc()

    def query(conn: Connection) -> MeetingNow:
        occupants = leader_links.room_occupants(conn, group_id)
        schedule = schedule_storage.get(conn, group_id)
        planned = None
        if schedule is not None:
            planned = next(
                (o for o in meeting_dates.todays_occurrences(schedule, moment) if o.is_running(moment)), None
            )
        return MeetingNow(occupants, planned)

    return await db.read(query)
