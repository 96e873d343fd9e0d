"""Tenancy: every staff and API route, collected from the router, keeps to the caller's contact points.

The matrix below names each route once. A route that appears in the router but not here fails the test, so a
new route cannot ship without saying how its scope is proved. For every API route that touches a contact
point's things, the same request is sent first with a token of another contact point (it must answer 404 and
change nothing) and then with a token of the right one (it must work): a probe that aims at nothing would
fail there, so a 404 can never pass for the wrong reason.
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from meetkit.config import Settings
from meetkit.domain import ids
from meetkit.domain.attendance_times import local_today
from meetkit.domain.scope import OPERATOR
from meetkit.services import accounts, api_tokens, devices, directory, inventory, invitations, loans
from meetkit.storage import migrate, sheet_batches
from meetkit.storage.database import database_for
from meetkit.web.keys import DATABASE, SETTINGS
from tests.conftest import CliResult
from tests.dbtools import rows
from tests.staff import Client, Page, StaffBrowser, new_account

API = "/api/v1"


@pytest.fixture
def env(env: dict[str, str]) -> dict[str, str]:
    """Behind a trusted proxy, so that each request without a token can come from a client of its own."""
    return {**env, "MEETKIT_TRUSTED_PROXIES": "127.0.0.1/32"}


@dataclass(frozen=True)
class World:
    """Two contact points, each with a group and a tablet, and a token for each plus an admin token."""

    nord_group: int
    sued_group: int
    nord_device: int
    nord_token: str
    sued_token: str
    admin_token: str


@dataclass(frozen=True)
class Probe:
    """One request at kiss-nord's things: 404 for kiss-sued's token, `own_status` for kiss-nord's (or admin's)."""

    method: str
    path: Callable[[World], str]
    body: Callable[[World], dict[str, Any]] | None = None
    own_status: int = 200
    own_is_admin: bool = False  # the route is for admins: a contact point's token is "foreign" too


def _future(weekday: int, weeks: int) -> dt.date:
    """A date `weeks` weeks ahead on ISO `weekday`."""
    today = dt.date.today()
    return today + dt.timedelta(days=(weekday - today.isoweekday()) % 7 + 7 * weeks)


WEEKLY_ON_THURSDAY = {"frequency": "weekly", "weekday": 4, "start": "19:00"}

# In this order: the schedule exists before it is changed and cleared; the tablet is revoked last.
API_PROBES: dict[str, Probe] = {
    "api_contact_point_add": Probe(
        "POST", lambda w: "/contact-points", lambda w: {"name": "KISS West"}, 201, own_is_admin=True
    ),
    "api_groups": Probe("GET", lambda w: "/groups?contact_point=kiss-nord"),
    "api_group_add": Probe(
        "POST", lambda w: "/groups", lambda w: {"name": "Neue Gruppe", "contact_point": "kiss-nord"}, 201
    ),
    "api_group": Probe("GET", lambda w: f"/groups/{w.nord_group}"),
    "api_schedule_set": Probe(
        "PUT", lambda w: f"/groups/{w.nord_group}/schedule", lambda w: WEEKLY_ON_THURSDAY
    ),
    "api_schedule": Probe("GET", lambda w: f"/groups/{w.nord_group}/schedule"),
    "api_schedule_cancel": Probe(
        "POST", lambda w: f"/groups/{w.nord_group}/schedule/cancel", lambda w: {"date": str(_future(4, 2))}
    ),
    "api_schedule_add": Probe(
        "POST", lambda w: f"/groups/{w.nord_group}/schedule/add", lambda w: {"date": str(_future(2, 2))}
    ),
    "api_schedule_clear": Probe("DELETE", lambda w: f"/groups/{w.nord_group}/schedule"),
    "api_group_rotate": Probe("POST", lambda w: f"/groups/{w.nord_group}/rotate"),
    "api_attendance_report": Probe(
        "GET", lambda w: "/reports/attendance?month=2026-11&contact_point=kiss-nord"
    ),
    "api_contact_point_sheets": Probe("GET", lambda w: "/contact-points/kiss-nord/sheets.pdf"),
    "api_devices": Probe("GET", lambda w: "/devices?contact_point=kiss-nord"),
    "api_device_add": Probe(
        "POST", lambda w: "/devices", lambda w: {"name": "Tablet 2", "contact_point": "kiss-nord"}, 201
    ),
    "api_device_pairing": Probe("POST", lambda w: f"/devices/{w.nord_device}/pairing", lambda w: {}),
    "api_device_revoke": Probe("POST", lambda w: f"/devices/{w.nord_device}/revoke"),
}
PUBLIC_API_ROUTES = {"api_openapi"}
LIST_ONLY_API_ROUTES = {"api_contact_points"}  # no contact point in the path: see the list test below

# Staff pages: "public" (sign-in and setup), "signed-in" (one's own account; no contact point in them),
# "admin" (accounts, settings, audit: a contact point's staff member gets 404 as if they did not exist).
STAFF_ROUTES = {
    "staff_root": "public",
    "staff_login_form": "public",
    "staff_login": "public",
    "staff_login_code": "public",
    "staff_setup_form": "public",
    "staff_setup": "public",
    "staff_logout": "signed-in",
    "staff_home": "signed-in",
    "staff_account": "signed-in",
    "staff_password": "signed-in",
    "staff_second_factor_on": "signed-in",
    "staff_second_factor_confirm": "signed-in",
    "staff_second_factor_off": "signed-in",
    "staff_accounts": "admin",
    "staff_account_add": "admin",
    "staff_account_disable": "admin",
    "staff_account_reset": "admin",
    "staff_settings": "admin",
    "staff_audit": "admin",
    "staff_contact_point_add": "admin",
    # leader invitations (issue 12): the list shows one's own contact points only (tests/test_invites_staff.py)
    "staff_invitations": "signed-in",
    # loans (issue 17): lists and forms that show only one's own contact points' devices and loans
    "staff_inventory": "signed-in",
    "staff_loans": "signed-in",
    # staffgroups: the group list filters by scope itself (tests/test_staff_groups.py checks it)
    "staff_groups": "signed-in",
    # staff desk (issue 11, second half)
    "staff_import_form": "signed-in",
    "staff_sheets_form": "signed-in",
    # staffdesk2: the API tokens page (revoking one is a probe below)
    "staff_api_tokens": "admin",
    "staff_api_token_add": "admin",
}


def _routes(client: Client, prefix: str) -> dict[str, tuple[str, str]]:
    """Every named route under `prefix`: name -> (method, path template)."""
    found = {}
    for route in client.app.router.routes():
        info = route.resource.get_info() if route.resource is not None else {}
        path = info.get("path") or info.get("formatter", "")
        if route.name and path.startswith(prefix) and route.method != "HEAD":
            found[route.name] = (route.method, path)
    return found


async def _world(client: Client) -> World:
    db, settings = client.app[DATABASE], client.app[SETTINGS]
    await directory.add_contact_point(db, OPERATOR, "KISS Nord", slug="kiss-nord")
    await directory.add_contact_point(db, OPERATOR, "KISS Süd", slug="kiss-sued")
    nord = await directory.add_group(db, settings, OPERATOR, "Angehörige Nord", "kiss-nord")
    sued = await directory.add_group(db, settings, OPERATOR, "Angehörige Süd", "kiss-sued")
    tablet = await devices.add_device(db, OPERATOR, "Tablet Nord", "kiss-nord")
    _, nord_token = await api_tokens.create_api_token(db, OPERATOR, "Nord", ("kiss-nord",))
    _, sued_token = await api_tokens.create_api_token(db, OPERATOR, "Süd", ("kiss-sued",))
    _, admin_token = await api_tokens.create_api_token(db, OPERATOR, "Land", None)
    return World(nord.group.id, sued.group.id, tablet.device.id, nord_token, sued_token, admin_token)


async def _send(client: Client, probe: Probe, world: World, token: str | None) -> tuple[int, Any]:
    # Without a token, each probe comes from another address: the API token failure budget stays out of it.
    headers = {"Authorization": f"Bearer {token}"} if token else {"X-Real-IP": f"192.0.2.{next(_STRANGERS)}"}
    body = probe.body(world) if probe.body else None
    response = await client.request(probe.method, API + probe.path(world), json=body, headers=headers)
    data = await response.json() if response.content_type == "application/json" else await response.read()
    return response.status, data


_STRANGERS = itertools.count(1)
SNAPSHOT_TABLES = (
    "sheet_batches",
    "contact_points",
    "support_groups",
    "schedules",
    "schedule_exceptions",
    "devices",
    "audit_log",
    "leader_invitations",
    "loans",  # loans (issue 17)
    "api_tokens",  # staffdesk2
)


def _snapshot(settings: Settings) -> dict[str, list[dict[str, Any]]]:
    """What a foreign request must leave untouched."""
    return {
        table: rows(settings, f"SELECT {SNAPSHOT_COLUMNS.get(table, '*')} FROM {table} ORDER BY 1")
        for table in SNAPSHOT_TABLES
    }


# A batch an earlier (allowed) probe started keeps rendering meanwhile: only which batches exist counts.
SNAPSHOT_COLUMNS = {"sheet_batches": "id, contact_point_id, actor"}


async def test_every_api_route_keeps_to_its_tokens_contact_points(client: Client, settings: Settings) -> None:
    world = await _world(client)
    routes = _routes(client, API)
    assert set(routes) == set(API_PROBES) | PUBLIC_API_ROUTES | LIST_ONLY_API_ROUTES, (
        "say in this test how a new API route is scoped"
    )
    for name, probe in API_PROBES.items():
        assert routes[name][0] == probe.method, name
        assert (await _send(client, probe, world, None))[0] == 401, f"{name} answers without a token"
        before = _snapshot(settings)
        foreign = [world.sued_token, world.nord_token] if probe.own_is_admin else [world.sued_token]
        for token in foreign:
            status, data = await _send(client, probe, world, token)
            assert status == 404, (name, status, data)
            assert data["error"] == _NOT_FOUND_ANSWERS.get(name, data["error"])
        assert _snapshot(settings) == before, f"{name}: a foreign token changed something"
        status, data = await _send(
            client, probe, world, world.admin_token if probe.own_is_admin else world.nord_token
        )
        assert status == probe.own_status, (name, status, data)


# A foreign thing is reported in the very words of a missing one: nothing tells that it exists elsewhere.
_NOT_FOUND_ANSWERS = {
    "api_groups": "Keine Kontaktstelle mit der Kurzbezeichnung 'kiss-nord'.",
    "api_group_add": "Keine Kontaktstelle mit der Kurzbezeichnung 'kiss-nord'.",
    "api_devices": "Keine Kontaktstelle mit der Kurzbezeichnung 'kiss-nord'.",
    "api_device_add": "Keine Kontaktstelle mit der Kurzbezeichnung 'kiss-nord'.",
    "api_contact_point_sheets": "Keine Kontaktstelle mit der Kurzbezeichnung 'kiss-nord'.",
    "api_attendance_report": "Keine Kontaktstelle mit der Kurzbezeichnung 'kiss-nord'.",
}


async def test_lists_show_only_the_tokens_contact_points(client: Client) -> None:
    world = await _world(client)

    async def listed(path: str, token: str) -> Any:
        response = await client.get(API + path, headers={"Authorization": f"Bearer {token}"})
        assert response.status == 200, await response.text()
        return await response.json()

    for token, slugs in ((world.sued_token, {"kiss-sued"}), (world.admin_token, {"kiss-nord", "kiss-sued"})):
        points = (await listed("/contact-points", token))["contact_points"]
        assert {c["slug"] for c in points} == slugs
        groups = (await listed("/groups", token))["groups"]
        assert {g["contact_point_id"] for g in groups} == {c["id"] for c in points}
        report = await listed("/reports/attendance?month=2026-11", token)
        assert {c["slug"] for c in report["contact_points"]} == slugs
    assert (await listed("/devices", world.sued_token))["devices"] == []
    assert len((await listed("/devices", world.nord_token))["devices"]) == 1
    # A staff token that names no contact point files the group under its only one.
    made = await client.post(
        API + "/groups", json={"name": "Ohne Angabe"}, headers={"Authorization": f"Bearer {world.sued_token}"}
    )
    assert made.status == 201 and (await made.json())["contact_point_id"] == 2
    # A name shared across contact points is unique within one's own: no "several groups" message leaks.
    db, settings = client.app[DATABASE], client.app[SETTINGS]
    await directory.add_group(db, settings, OPERATOR, "Angehörige Nord", "kiss-sued")
    nord_scope = await api_tokens.scope_for_api_token(db, world.nord_token)
    assert (await directory.find_group(db, nord_scope, "Angehörige Nord")).id == world.nord_group


@dataclass(frozen=True)
class StaffWorld:
    """What the staff probes aim at: kiss-sued's things (the `seeded` member belongs to kiss-nord only)."""

    sued_group: int
    target_account: int  # an account the admin probes disable and reset (neither the admin nor the member)
    sued_invitation: int  # leader invitations (issue 12): an open one of kiss-sued, and its token
    sued_invitation_token: str
    # loans (issue 17): kiss-sued's laptop, a running loan of it and a planned one
    sued_device: int = 0
    sued_loan: int = 0
    sued_planned_loan: int = 0
    sued_leader_token: str = ""  # the leader token of sued_group (staffgroups: the leader letter)
    sued_batch: int = 0  # a finished batch of sheets of kiss-sued (staff desk)
    sued_tablet: int = 0  # staffdesk2: kiss-sued's kiosk tablet
    sued_api_token: int = 0  # staffdesk2: an API token of kiss-sued (only admins revoke tokens)


@dataclass(frozen=True)
class StaffProbe:
    """A staff page about kiss-sued's things: 404 for kiss-nord's member, `own_status` for an admin."""

    method: str
    path: Callable[[StaffWorld], str]
    form: Callable[[StaffWorld], dict[str, str]] | None = None
    own_status: int = 200


# Staff pages about one contact point's groups, tablets, sheets, loans or reports: one probe each, in the
# order they run (a page that changes something comes after the pages that only read it).
STAFF_PROBES: dict[str, StaffProbe] = {
    # leader invitations (issue 12)
    "staff_invitation_add": StaffProbe(
        "POST", lambda w: "/staff/invitations", lambda w: {"contact_point": "kiss-sued"}
    ),
    "staff_invitation_letter": StaffProbe(
        "POST", lambda w: "/staff/invitations/letter", lambda w: {"invite_token": w.sued_invitation_token}
    ),
    "staff_invitation_withdraw": StaffProbe(
        "POST", lambda w: f"/staff/invitations/{w.sued_invitation}/withdraw", own_status=303
    ),
    # loans (issue 17)
    "staff_device": StaffProbe("GET", lambda w: f"/staff/devices/{w.sued_device}"),
    "staff_loan": StaffProbe("GET", lambda w: f"/staff/loans/{w.sued_loan}"),
    "staff_loan_form": StaffProbe("GET", lambda w: f"/staff/loans/{w.sued_loan}/form.pdf"),
    "staff_loan_report": StaffProbe("GET", lambda w: "/staff/loans/report?contact_point=kiss-sued"),
    "staff_loan_report_csv": StaffProbe("GET", lambda w: "/staff/loans/report.csv?contact_point=kiss-sued"),
    "staff_loan_tablet": StaffProbe("POST", lambda w: f"/staff/loans/{w.sued_loan}/tablet"),
    "staff_device_change": StaffProbe(
        "POST",
        lambda w: f"/staff/devices/{w.sued_device}",
        lambda w: {"label": "Laptop 2", "kind": "laptop"},
        303,
    ),
    "staff_inventory_add": StaffProbe(
        "POST",
        lambda w: "/staff/inventory",
        lambda w: {"contact_point": "kiss-sued", "label": "Kamera", "kind": "camera"},
        303,
    ),
    "staff_loan_add": StaffProbe(
        "POST",
        lambda w: "/staff/loans",
        lambda w: {
            "device": str(w.sued_device),
            "group": str(w.sued_group),
            "starts_on": str(dt.date.today() + dt.timedelta(days=100)),
            "ends_on": str(dt.date.today() + dt.timedelta(days=101)),
        },
        303,
    ),
    "staff_loan_return": StaffProbe("POST", lambda w: f"/staff/loans/{w.sued_loan}/return", None, 303),
    "staff_loan_cancel": StaffProbe(
        "POST", lambda w: f"/staff/loans/{w.sued_planned_loan}/cancel", None, 303
    ),
    # staff desk (issue 11, second half): the contact point is a form field; an admin without a file gets
    # the form's 400 (proving the scope check came first), the confirmation makes the group.
    "staff_import_preview": StaffProbe(
        "POST", lambda w: "/staff/import/preview", lambda w: {"contact_point": "kiss-sued"}, 400
    ),
    "staff_import": StaffProbe(
        "POST", lambda w: "/staff/import", lambda w: {"contact_point": "kiss-sued", "row": "2:Neu Süd"}
    ),
    "staff_sheets_batch": StaffProbe("GET", lambda w: f"/staff/sheets/{w.sued_batch}"),
    "staff_sheets_progress": StaffProbe("GET", lambda w: f"/staff/sheets/{w.sued_batch}.json"),
    "staff_sheets_pdf": StaffProbe("GET", lambda w: f"/staff/sheets/{w.sued_batch}.pdf"),
    "staff_sheets_start": StaffProbe(
        "POST", lambda w: "/staff/sheets", lambda w: {"contact_point": "kiss-sued"}, 303
    ),
    # sheet language (issue 15): the language a group's printed sheet uses
    "staff_group_sheet_language": StaffProbe(
        "POST", lambda w: f"/staff/groups/{w.sued_group}/sheet-language", lambda w: {"sheet_lang": "ls"}, 303
    ),
    # preview: the schedule editor's next dates as you type (an HTML fragment; it saves nothing)
    "staff_group_schedule_preview": StaffProbe(
        "POST",
        lambda w: f"/staff/groups/{w.sued_group}/schedule/preview",
        lambda w: {"frequency": "weekly", "weekday": "4", "start": "19:00", "duration": "90"},
    ),
    # staffgroups: the group list's "new group", one group's page, its schedule, links, sheets and life
    "staff_group_add": StaffProbe(
        "POST", lambda w: "/staff/groups", lambda w: {"name": "Fremd", "contact_point": "kiss-sued"}
    ),
    "staff_group": StaffProbe("GET", lambda w: f"/staff/groups/{w.sued_group}"),
    "staff_group_sheet": StaffProbe("GET", lambda w: f"/staff/groups/{w.sued_group}/sheet?layout=cards"),
    "staff_group_sheet_pdf": StaffProbe("GET", lambda w: f"/staff/groups/{w.sued_group}/sheet.pdf"),
    "staff_group_leader_letter": StaffProbe(
        "POST",
        lambda w: f"/staff/groups/{w.sued_group}/leader-letter",
        lambda w: {"token": w.sued_leader_token},
    ),
    "staff_group_schedule": StaffProbe(
        "POST",
        lambda w: f"/staff/groups/{w.sued_group}/schedule",
        lambda w: {"frequency": "weekly", "weekday": "4", "start": "19:00", "duration": "90"},
        303,
    ),
    "staff_group_schedule_date": StaffProbe(
        "POST",
        lambda w: f"/staff/groups/{w.sued_group}/schedule/date",
        lambda w: {"action": "cancel", "cancel_date": _future(4, 2).isoformat()},
        303,
    ),
    "staff_group_schedule_clear": StaffProbe(
        "POST", lambda w: f"/staff/groups/{w.sued_group}/schedule/clear", None, 303
    ),
    "staff_group_leader_link": StaffProbe("POST", lambda w: f"/staff/groups/{w.sued_group}/leader-link"),
    "staff_group_renew": StaffProbe(
        "POST", lambda w: f"/staff/groups/{w.sued_group}/renew", lambda w: {"confirm": "yes"}
    ),
    "staff_group_rename": StaffProbe(
        "POST", lambda w: f"/staff/groups/{w.sued_group}/rename", lambda w: {"name": "Trauercafé Mitte"}, 303
    ),
    "staff_group_archive": StaffProbe("POST", lambda w: f"/staff/groups/{w.sued_group}/archive", None, 303),
    "staff_group_reactivate": StaffProbe("POST", lambda w: f"/staff/groups/{w.sued_group}/reactivate"),
    "staff_group_delete_form": StaffProbe("GET", lambda w: f"/staff/groups/{w.sued_group}/delete"),
    "staff_group_delete": StaffProbe(
        "POST", lambda w: f"/staff/groups/{w.sued_group}/delete", lambda w: {"confirm": "yes"}, 303
    ),
    "staff_contact_point_settings": StaffProbe("GET", lambda w: "/staff/contact-points/kiss-sued/settings"),
    "staff_contact_point_settings_save": StaffProbe(
        "POST",
        lambda w: "/staff/contact-points/kiss-sued/settings",
        lambda w: {"name": "KISS Süd", "phone": "0911 1", "show_group_names": "no", "rules": "Handys aus."},
        303,
    ),
    # staffdesk2: the tablets page (a contact point filter, add, pair, revoke last)
    "staff_tablets": StaffProbe("GET", lambda w: "/staff/tablets?contact_point=kiss-sued"),
    "staff_tablet_add": StaffProbe(
        "POST", lambda w: "/staff/tablets", lambda w: {"name": "Tablet 3", "contact_point": "kiss-sued"}
    ),
    "staff_tablet_pairing": StaffProbe("POST", lambda w: f"/staff/tablets/{w.sued_tablet}/pairing"),
    "staff_tablet_revoke_form": StaffProbe("GET", lambda w: f"/staff/tablets/{w.sued_tablet}/revoke"),
    "staff_tablet_revoke": StaffProbe(
        "POST", lambda w: f"/staff/tablets/{w.sued_tablet}/revoke", lambda w: {"confirm": "yes"}, 303
    ),
    # staffdesk2: the month's attendance report of one contact point, as page, CSV and PDF
    "staff_reports": StaffProbe("GET", lambda w: "/staff/reports?month=2026-11&contact_point=kiss-sued"),
    "staff_reports_csv": StaffProbe(
        "GET", lambda w: "/staff/reports.csv?month=2026-11&contact_point=kiss-sued"
    ),
    "staff_reports_pdf": StaffProbe(
        "GET", lambda w: "/staff/reports.pdf?month=2026-11&contact_point=kiss-sued"
    ),
    # staffdesk2: revoking an API token (admins only; the token page itself is in STAFF_ROUTES)
    "staff_api_token_revoke": StaffProbe(
        "POST", lambda w: f"/staff/admin/tokens/{w.sued_api_token}/revoke", None, 303
    ),
}


async def _staff_world(client: Client, settings: Settings) -> StaffWorld:
    db = client.app[DATABASE]
    sued = await directory.add_group(db, settings, OPERATOR, "Trauercafé Süd", "kiss-sued")
    await new_account(client, settings, "ziel@example.org", contact_points=("kiss-sued",))
    target = next(a for a in await accounts.list_accounts(db, OPERATOR) if a.login == "ziel@example.org")
    sued_cp = sued.group.contact_point_id
    assert sued_cp is not None

    def finished_batch(conn: Any) -> int:
        batch = sheet_batches.insert(conn, sued_cp, "admin@example.org", "de", "a4", 1)
        sheet_batches.finish(conn, batch, base64.b64encode(b"%PDF-1.4 sheets").decode())
        return batch

    invited = await invitations.create_invitation(db, settings, OPERATOR, "kiss-sued")
    # loans (issue 17)
    laptop = await inventory.add_item(db, OPERATOR, "kiss-sued", "Laptop Süd", "laptop")
    today = local_today()
    running = await loans.lend(
        db, OPERATOR, laptop.id, sued.group.id, str(today), str(today + dt.timedelta(days=3))
    )
    planned = await loans.lend(
        db,
        OPERATOR,
        laptop.id,
        sued.group.id,
        str(today + dt.timedelta(days=10)),
        str(today + dt.timedelta(days=12)),
    )
    tablet = await devices.add_device(db, OPERATOR, "Tablet Süd", "kiss-sued")  # staffdesk2
    return StaffWorld(
        sued.group.id,
        target.id,
        invited.invitation.id,
        invited.token,
        sued_device=laptop.id,
        sued_loan=running.loan.id,
        sued_planned_loan=planned.loan.id,
        sued_leader_token=sued.leader_token,
        sued_batch=await db.write(finished_batch),
        sued_tablet=tablet.device.id,
        sued_api_token=(await api_tokens.create_api_token(db, OPERATOR, "Süd", ("kiss-sued",)))[0].id,
    )


def _fill(template: str, world: StaffWorld) -> str:
    return template.replace("{id}", str(world.target_account)).replace("{token}", "x" * 43)


async def test_every_staff_route_is_signed_in_and_keeps_to_the_contact_points(
    seeded: Client, settings: Settings
) -> None:
    routes = _routes(seeded, "/staff")
    assert set(routes) == set(STAFF_ROUTES) | set(STAFF_PROBES), (
        "say in this test how a new staff route is scoped"
    )
    world = await _staff_world(seeded, settings)
    stranger, member, admin = StaffBrowser(seeded), StaffBrowser(seeded), StaffBrowser(seeded)
    assert (await member.sign_in("nord@example.org")).status == 303
    assert (await admin.sign_in("admin@example.org")).status == 303
    await member.get("/staff/")
    await admin.get("/staff/admin/accounts")

    async def send(browser: StaffBrowser, method: str, path: str, form: dict[str, str] | None = None) -> Page:
        return await (browser.get(path) if method == "GET" else browser.post(path, form or {}))

    for name, kind in STAFF_ROUTES.items():
        method, template = routes[name]
        path = _fill(template, world)
        if kind == "public":
            continue
        page = await stranger.request(method, path)
        assert page.status == 303 and (page.location or "").startswith("/staff/login"), (name, page.status)
        if kind == "admin":
            assert (await send(member, method, path)).status == 404, name
            allowed = await send(admin, method, path)
            # through to the page (an empty form gets its clear 400), and still signed in afterwards
            assert allowed.status in (200, 303, 400) and "/staff/login" not in (allowed.location or ""), name
    for name, probe in STAFF_PROBES.items():
        assert routes[name][0] == probe.method, name
        path, form = probe.path(world), probe.form(world) if probe.form else None
        page = await stranger.request(probe.method, path)
        assert page.status == 303 and (page.location or "").startswith("/staff/login"), (name, page.status)
        before = _snapshot(settings)
        assert (await send(member, probe.method, path, form)).status == 404, name
        assert _snapshot(settings) == before, f"{name}: a foreign staff member changed something"
        assert (await send(admin, probe.method, path, form)).status == probe.own_status, name


@pytest.mark.sqlite_only  # the command line's part; the matrix above runs the same services on both backends
def test_api_token_scope_on_the_command_line(cli: Callable[..., CliResult]) -> None:
    assert cli("contact-point", "add", "KISS Nord", "--slug", "kiss-nord").returncode == 0
    made = cli("api-token", "add", "Nord", "--contact-point", "kiss-nord", "--json")
    assert made.returncode == 0, made.stderr
    assert made.json()["scope"] == {"admin": False, "contact_points": ["kiss-nord"]}
    listed = cli("api-token", "list", "--json").json()["api_tokens"]
    assert [t["scope"] for t in listed] == [{"admin": False, "contact_points": ["kiss-nord"]}]
    assert "kiss-nord" in cli("api-token", "list").stdout
    unscoped = cli("api-token", "add", "Ohne")
    assert unscoped.returncode == 2 and "--admin" in unscoped.stderr
    unknown = cli("api-token", "add", "Falsch", "--contact-point", "gibt-es-nicht")
    assert unknown.returncode == 2
    assert (
        unknown.stderr.strip()
        == "meetkit: Fehler: Keine Kontaktstelle mit der Kurzbezeichnung 'gibt-es-nicht'."
    )
    assert len(cli("api-token", "list", "--json").json()["api_tokens"]) == 1  # nothing half-written


@pytest.mark.sqlite_only  # the migration's SQL is the same on both backends (storage/migrate.py)
async def test_tokens_made_before_scopes_keep_working_as_admin_tokens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An installation at migration 0009 with a token; after migrating, the same token sees everything."""
    path = tmp_path / "meetkit.db"
    conn = sqlite3.connect(path, isolation_level=None)
    every = migrate.migration_files()
    monkeypatch.setattr(migrate, "migration_files", lambda: [m for m in every if m[0] <= 9])
    migrate.migrate(conn)  # type: ignore[arg-type]
    token = api_tokens.TOKEN_PREFIX + "x" * 43
    conn.execute(
        "INSERT INTO api_tokens (name, token_hash, created_at) VALUES ('Altes Skript', ?, '2026-01-01T00:00:00Z')",
        (ids.hash_secret(token),),
    )
    monkeypatch.setattr(migrate, "migration_files", lambda: every)
    assert "api_token_scope" in migrate.migrate(conn)  # type: ignore[arg-type]
    conn.close()
    db = database_for(f"sqlite:///{path}")
    await db.open()
    try:
        scope = await api_tokens.scope_for_api_token(db, token)
        assert scope.is_admin
        listed = await api_tokens.list_api_tokens(db, OPERATOR)
        assert [(t.name, t.is_admin) for t in listed] == [("Altes Skript", True)]
    finally:
        await db.close()
