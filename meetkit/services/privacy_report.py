"""`meetkit privacy-report`: records of processing, measures in force and open points, from the live system."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from meetkit.config import Settings
from meetkit.domain import inventory, privacy
from meetkit.domain.schedules import TIMEZONE
from meetkit.jitsi import check, check_report
from meetkit.rendering import environment
from meetkit.services import accounts, retention
from meetkit.storage import inventory as storage
from meetkit.storage.database import Database

CONFIG_CHECK = "Jitsi config.js"  # the check that reads Jitsi's config.js; without it nothing else is known


@dataclass(frozen=True, slots=True)
class PrivacyReport:
    """Everything the report shows."""

    generated_at: str
    settings: Settings
    facts: privacy.Facts
    records: list[privacy.Record]
    measures: list[privacy.Measure]
    jitsi: list[check_report.Check]
    open_points: list[privacy.Text]
    tables: tuple[inventory.Table, ...]

    @property
    def jitsi_reason(self) -> str | None:
        """Why Jitsi's settings could not be read (the config.js check's message), or None when they were."""
        if self.facts.jitsi_checked:
            return None
        return next((c.message for c in self.jitsi if c.name == CONFIG_CHECK), None)


async def gather(db: Database, settings: Settings, csp: str, jitsi_timeout: float) -> PrivacyReport:
    """Read the database and run `meetkit check-jitsi`'s checks; a Jitsi that cannot be reached is reported."""
    staff, groups, devices, oldest = await db.read(storage.overview)
    pending = await retention.preview(db, settings)
    checks = await check.check_jitsi(settings, jitsi_timeout)
    facts = privacy.Facts(
        second_factor_required=await accounts.second_factor_required(db),
        staff_accounts=staff,
        groups=groups,
        devices=devices,
        oldest_meeting=oldest,
        pending_purge=sum(pending.removed.values()),
        jitsi_checked=any(c.name == CONFIG_CHECK and c.status == check_report.OK for c in checks),
        jitsi_problems=sum(c.status == check_report.PROBLEM for c in checks),
        jitsi_warnings=sum(c.status == check_report.WARNING for c in checks),
        csp=csp,
    )
    return PrivacyReport(
        generated_at=dt.datetime.now(TIMEZONE).strftime("%Y-%m-%d %H:%M"),
        settings=settings,
        facts=facts,
        records=privacy.records(settings, facts),
        measures=privacy.measures(settings, facts),
        jitsi=checks,
        open_points=privacy.open_points(settings, facts),
        tables=inventory.TABLES,
    )


def render_html(report: PrivacyReport, lang: str) -> str:
    """The report as one self-contained HTML page (nothing loaded from anywhere)."""
    return environment().get_template("privacy_report.html").render(lang=lang, report=report)


def render_pdf(html: str) -> bytes:
    """The same page as PDF (WeasyPrint; call it off the event loop)."""
    from weasyprint import HTML

    return bytes(HTML(string=html).write_pdf())
