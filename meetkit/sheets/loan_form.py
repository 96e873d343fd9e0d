"""The loan form (Leihschein) for the hand-over of a device: HTML from one template, PDF in the sheet pool."""

from __future__ import annotations

from dataclasses import dataclass

from meetkit.domain.devices import KINDS
from meetkit.domain.loans import shown
from meetkit.rendering import environment
from meetkit.services.loans import LoanView
from meetkit.sheets.html import PACKAGE_DIR

LOAN_FORM_CSS = PACKAGE_DIR / "static" / "loan-form.css"


@dataclass(frozen=True, slots=True)
class LoanFormData:
    """What the form prints: the device, the group, the days and the contact point; never a person."""

    loan_number: int
    device_label: str
    device_kind: str
    serial_number: str | None
    group_name: str
    group_number: int
    starts_on: str
    ends_on: str
    contact_point_name: str
    contact_point_phone: str | None


def form_data(view: LoanView) -> LoanFormData:
    """The form's content for a loan (the loan's notes stay in meetkit: they are staff's own)."""
    return LoanFormData(
        loan_number=view.loan.id,
        device_label=view.device.name,
        device_kind=KINDS.get(view.device.kind, view.device.kind),
        serial_number=view.device.serial_number,
        group_name=view.group.name,
        group_number=view.group.id,
        starts_on=shown(view.loan.starts_on),
        ends_on=shown(view.loan.ends_on),
        contact_point_name=view.contact_point.name,
        contact_point_phone=view.contact_point.phone,
    )


def form_html(data: LoanFormData, lang: str = "de") -> str:
    """The form as HTML for WeasyPrint (which gets the fonts and loan-form.css itself)."""
    return environment().get_template("loan_form.html").render(form=data, lang=lang)
