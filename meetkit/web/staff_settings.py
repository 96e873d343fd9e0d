"""A contact point's settings page: name, help phone, group names, the group rules, the practice room on sheets."""

from __future__ import annotations

from aiohttp import web

from meetkit.domain.group_rules import MAX_RULE_LENGTH, MAX_RULE_LINES
from meetkit.domain.links import practice_url
from meetkit.domain.models import ContactPoint
from meetkit.services import directory
from meetkit.services.contact_point_settings import SettingsError, change_settings
from meetkit.web.forms import read_form
from meetkit.web.keys import DATABASE, SETTINGS
from meetkit.web.staff_session import render, scope, with_lang

routes = web.RouteTableDef()


def entered_from(contact_point: ContactPoint) -> dict[str, str]:
    """The form's fields filled from what is stored."""
    return {
        "name": contact_point.name,
        "phone": contact_point.phone or "",
        "show_group_names": "yes" if contact_point.show_group_names else "no",
        "rules": contact_point.rules_text or "",
        "practice_on_sheet": "yes" if contact_point.practice_on_sheet else "",
    }


@routes.get("/staff/contact-points/{slug}/settings", name="staff_contact_point_settings")
async def settings_page(request: web.Request) -> web.StreamResponse:
    """The settings form, filled with what is stored."""
    found = await directory.get_contact_point(
        request.app[DATABASE], scope(request), request.match_info["slug"]
    )
    return render(
        request,
        "contact_point_settings.html",
        contact_point=found,
        practice_url=practice_url(request.app[SETTINGS].public_url, found.slug),
        entered=entered_from(found),
        saved=request.query.get("saved") == "1",
        max_rules=MAX_RULE_LINES,
        max_rule_length=MAX_RULE_LENGTH,
    )


@routes.post("/staff/contact-points/{slug}/settings", name="staff_contact_point_settings_save")
async def settings_save(request: web.Request) -> web.StreamResponse:
    """Store the settings; a mistake is shown next to its field with everything as typed, nothing stored."""
    db, who, slug = request.app[DATABASE], scope(request), request.match_info["slug"]
    found = await directory.get_contact_point(db, who, slug)  # outside the scope: 404 before anything else
    form = await read_form(request)
    entered = {
        name: form.get(name, "")
        for name in ("name", "phone", "show_group_names", "rules", "practice_on_sheet")
    }
    try:
        await change_settings(
            db,
            who,
            slug,
            name=entered["name"],
            phone=entered["phone"],
            show_group_names=entered["show_group_names"] != "no",
            rules_text=entered["rules"],
            practice_on_sheet=entered["practice_on_sheet"] == "yes",
        )
    except SettingsError as error:
        return render(
            request,
            "contact_point_settings.html",
            error=error,
            field=error.field,
            contact_point=found,
            practice_url=practice_url(request.app[SETTINGS].public_url, found.slug),
            entered=entered,
            max_rules=MAX_RULE_LINES,
            max_rule_length=MAX_RULE_LENGTH,
        )
    raise web.HTTPSeeOther(with_lang(request, f"/staff/contact-points/{slug}/settings", saved="1"))
