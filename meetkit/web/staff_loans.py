"""Staff pages for loans: lend a device to a group, see loans and overdue ones, record returns, print the form."""

from __future__ import annotations

from aiohttp import web

from meetkit.domain.accounts import N_
from meetkit.domain.attendance_times import local_today
from meetkit.domain.errors import Conflict, InvalidInput
from meetkit.domain.numbers import parse_id
from meetkit.qr import qr_svg
from meetkit.services import directory, group_tablet, inventory, loans
from meetkit.sheets.loan_form import LOAN_FORM_CSS, form_data, form_html
from meetkit.web.forms import read_form
from meetkit.web.i18n import request_language
from meetkit.web.keys import DATABASE, SETTINGS, SHEET_RENDERER
from meetkit.web.staff_session import render, scope, with_lang

routes = web.RouteTableDef()

LOAN_ID = "{id:[0-9]+}"
NOTICES = {
    "lent": N_("Die Ausleihe ist eingetragen. Drucken Sie jetzt den Leihschein zum Unterschreiben."),
    "returned": N_("Die Rückgabe ist eingetragen."),
    "cancelled": N_("Die Ausleihe ist abgesagt."),
}


async def _loans_page(
    request: web.Request, error: InvalidInput | Conflict | None = None, entered: dict[str, str] | None = None
) -> web.Response:
    db, who = request.app[DATABASE], scope(request)
    today = local_today()
    found = await loans.list_loans(db, who, today=today)
    items = [item for item in await inventory.inventory(db, who, today=today) if item.state != "revoked"]
    groups = await directory.list_groups(db, who)
    notice = NOTICES.get(request.query.get("done", ""))
    return render(
        request,
        "loans.html",
        error=error,
        notice=notice,
        today=today,
        overdue=[v for v in found if v.status(today) == "overdue"],
        current=[v for v in found if v.status(today) in ("active", "planned")],
        returned=[v for v in found if v.status(today) == "returned"][:50],
        items=items,
        groups=[g for g in groups if g.contact_point_id is not None],
        entered=entered or {"device": request.query.get("device", "")},
    )


@routes.get("/staff/loans", name="staff_loans")
async def loans_page(request: web.Request) -> web.StreamResponse:
    """Overdue, current and planned loans, the latest returns, and the form to lend a device."""
    return await _loans_page(request)


@routes.post("/staff/loans", name="staff_loan_add")
async def add_loan(request: web.Request) -> web.StreamResponse:
    """Lend a device to a group; overlaps and wrong dates come back to the form with a clear message."""
    form = await read_form(request)
    entered = {k: form.get(k, "") for k in ("device", "group", "starts_on", "ends_on", "notes")}
    try:
        view = await loans.lend(
            request.app[DATABASE],
            scope(request),
            entered["device"],
            entered["group"],
            entered["starts_on"],
            entered["ends_on"],
            entered["notes"],
        )
    except (InvalidInput, Conflict) as error:
        return await _loans_page(request, error, entered)
    raise web.HTTPSeeOther(with_lang(request, f"/staff/loans/{view.loan.id}", done="lent"))


async def _loan_page(
    request: web.Request,
    error: InvalidInput | Conflict | None = None,
    pairing_url: str | None = None,
) -> web.Response:
    db = request.app[DATABASE]
    view = await loans.find_loan(db, scope(request), _loan_id(request))
    return render(
        request,
        "loan.html",
        error=error,
        notice=NOTICES.get(request.query.get("done", "")),
        view=view,
        today=local_today(),
        pairing_url=pairing_url,
        pairing_qr=qr_svg(pairing_url) if pairing_url else None,
    )


def _loan_id(request: web.Request) -> int:
    return parse_id(request.match_info["id"], "Ausleihe")


@routes.get(f"/staff/loans/{LOAN_ID}", name="staff_loan")
async def loan_page(request: web.Request) -> web.StreamResponse:
    """One loan: its form, the return, the group's tablet."""
    return await _loan_page(request)


@routes.post(f"/staff/loans/{LOAN_ID}/return", name="staff_loan_return")
async def return_loan(request: web.Request) -> web.StreamResponse:
    """Record the return with a note on the device's state."""
    form = await read_form(request)
    try:
        await loans.return_loan(
            request.app[DATABASE],
            scope(request),
            _loan_id(request),
            form.get("returned_on"),
            form.get("note"),
        )
    except (InvalidInput, Conflict) as error:
        return await _loan_page(request, error)
    raise web.HTTPSeeOther(with_lang(request, f"/staff/loans/{_loan_id(request)}", done="returned"))


@routes.post(f"/staff/loans/{LOAN_ID}/cancel", name="staff_loan_cancel")
async def cancel_loan(request: web.Request) -> web.StreamResponse:
    """Cancel a loan that has not begun."""
    try:
        await loans.cancel_loan(request.app[DATABASE], scope(request), _loan_id(request))
    except InvalidInput as error:
        return await _loan_page(request, error)
    raise web.HTTPSeeOther(with_lang(request, "/staff/loans", done="cancelled"))


@routes.get(f"/staff/loans/{LOAN_ID}/form.pdf", name="staff_loan_form")
async def loan_form(request: web.Request) -> web.StreamResponse:
    """The loan form to print and sign at the hand-over (PDF, rendered in the sheet workers)."""
    view = await loans.find_loan(request.app[DATABASE], scope(request), _loan_id(request))
    lang = request_language(request)
    body = await request.app[SHEET_RENDERER].page_pdf(form_html(form_data(view), lang), LOAN_FORM_CSS)
    name = "leihschein" if lang == "de" else "loan-form"
    return web.Response(
        body=body,
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}-{view.loan.id}.pdf"'},
    )


@routes.post(f"/staff/loans/{LOAN_ID}/tablet", name="staff_loan_tablet")
async def tablet_pairing(request: web.Request) -> web.StreamResponse:
    """A one-time link that makes a tablet this group's tablet while the loan runs."""
    try:
        _, token = await group_tablet.open_pairing(request.app[DATABASE], scope(request), _loan_id(request))
    except InvalidInput as error:
        return await _loan_page(request, error)
    return await _loan_page(request, pairing_url=group_tablet.pairing_url(request.app[SETTINGS], token))
