"""What `meetkit privacy-report` states: records of processing per purpose (Art. 30 GDPR), the technical and
organisational measures in force with their evidence, and the open points for a DPIA, all derived from the
live Settings and facts read from the database and Jitsi, never from boilerplate the configuration contradicts.

Texts are German message ids (meetkit/locale/en/privacy.po has the English); `values` fill their `{name}`s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import urlsplit

from meetkit.config import Settings
from meetkit.domain.accounts import N_, SESSION_ABSOLUTE_HOURS, SETUP_LINK_HOURS
from meetkit.domain.devices import PAIRING_MINUTES
from meetkit.domain.failure_budget import BUDGETS
from meetkit.domain.inventory import Purpose, Table, tables_for
from meetkit.domain.retention import AUDIT_MONTHS


class State(StrEnum):
    """Whether a measure is in force."""

    IN_FORCE = "in_force"
    NOT_IN_FORCE = "not_in_force"
    OUTSIDE = "outside"  # outside meetkit: the operator must confirm it


@dataclass(frozen=True, slots=True)
class Text:
    """A message id and the values of its `{name}`s."""

    message: str
    values: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Record:
    """One purpose's record of processing."""

    purpose: Purpose
    title: str
    active: Text
    description: str
    subjects: str
    data: str
    recipients: str
    tables: list[Table]


@dataclass(frozen=True, slots=True)
class Measure:
    """One technical or organisational measure, its state, and what shows it."""

    title: str
    state: State
    text: Text
    evidence: Text


@dataclass(frozen=True, slots=True)
class Facts:
    """What the report reads from the live database and from `meetkit check-jitsi`."""

    second_factor_required: bool
    staff_accounts: int
    groups: int
    devices: int
    oldest_meeting: str | None
    pending_purge: int
    jitsi_checked: bool  # whether Jitsi's config.js could be read at all
    jitsi_problems: int
    jitsi_warnings: int
    csp: str  # the Content-Security-Policy pages are served with


def _https(url: str | None) -> bool:
    return url is not None and urlsplit(url).scheme == "https"


def records(settings: Settings, facts: Facts) -> list[Record]:
    """The records of processing of the purposes meetkit serves, with what this configuration switches on."""
    dial_in = settings.dialin_enabled
    sources = [
        name
        for name, on in (
            ("MEETKIT_CENSUS_URL", settings.census_url is not None),
            ("MEETKIT_EVENTS_SECRET", settings.events_secret is not None),
        )
        if on
    ]
    return [
        Record(
            Purpose.MEETING_LINKS,
            N_("Treffpunkte: Gruppenräume, Beitritts- und Leitungs-Links, Termine, Einladungsblätter"),
            Text(N_("aktiv")),
            N_(
                "Jede Gruppe bekommt einen zufälligen Jitsi-Raum, einen Mitglieder-Link und einen Leitungs-Link; "
                "Mitglieder treten ohne Konto, Namen oder App bei. Die Mitgliederseite und das Blatt zeigen "
                "Termine und Regeln."
            ),
            N_("Mitglieder (ohne dass meetkit etwas über sie speichert), Gruppenleitungen, Kontaktstellen"),
            N_(
                "Gruppen- und Kontaktstellen-Namen, zufällige Codes und PINs, Hashes von Links, Termine. "
                "Keine Namen, E-Mail-Adressen, IP-Adressen oder Zeiten von Mitgliedern."
            ),
            N_("keine; Jitsi bekommt nur den zufälligen Raumnamen"),
            tables_for(Purpose.MEETING_LINKS),
        ),
        Record(
            Purpose.DIAL_IN,
            N_("Telefon-Einwahl"),
            Text(N_("aktiv: {count} Einwahl-Nummer(n)"), {"count": len(settings.dialin_numbers)})
            if dial_in
            else Text(N_("nicht eingerichtet (MEETKIT_DIALIN_NUMBERS ist leer)")),
            N_(
                "Anrufende geben eine PIN ein; die Telefonanlage fragt meetkit, zu welchem Raum sie gehört. "
                "meetkit bekommt und speichert keine Rufnummer."
            ),
            N_("Mitglieder, die per Telefon teilnehmen"),
            N_("die PIN der Gruppe und ersetzte PINs; keine Rufnummern"),
            N_(
                "die Telefonanlage und der Telefonanbieter des Betreibers (sie sehen die Rufnummer; "
                "außerhalb von meetkit)"
            ),
            tables_for(Purpose.DIAL_IN),
        ),
        Record(
            Purpose.ATTENDANCE,
            N_("Teilnahmezahlen für Berichte an Förderer"),
            Text(
                N_("aktiv; Zahlen kommen von Jitsi ({sources}) und von Hand (Leitung, Kiosk)"),
                {"sources": ", ".join(sources)},
            )
            if sources
            else Text(N_("aktiv; nur Zählungen von Hand (Leitung, Kiosk), kein Zensus und keine Webhooks")),
            N_(
                "Ein Treffen ist eine Gruppe an einem Tag: Beginn und Ende auf 5 Minuten gerundet, höchste "
                "Zahl online, Zahl im Raum und am Telefon. Berichte nennen Treffen und Teilnehmende je Gruppe "
                "und Kontaktstelle."
            ),
            N_("Mitglieder, nur als Anzahl"),
            N_(
                "Zahlen und gerundete Zeiten je Treffen; Jitsi-Meldungen mit Namen, E-Mail-Adressen oder "
                "JIDs werden verworfen, bevor etwas gespeichert oder protokolliert wird"
            ),
            N_("Förderer bekommen anonyme Monatsberichte (kleine Zahlen auf Wunsch unterdrückt)"),
            tables_for(Purpose.ATTENDANCE),
        ),
        Record(
            Purpose.STAFF,
            N_("Konten der Mitarbeitenden, Anmeldung und Audit-Protokoll"),
            Text(N_("aktiv: {count} Konto/Konten"), {"count": facts.staff_accounts}),
            N_(
                "Mitarbeitende der Kontaktstellen melden sich an, verwalten Gruppen und Geräte; ihre Aktionen "
                "stehen im Audit-Protokoll, das nur Admins lesen."
            ),
            N_("Beschäftigte der Kontaktstellen und der Koordinationsstelle"),
            N_(
                "Anmeldename, Anzeigename, Rolle, Hashes von Passwort und Codes, Sitzungszeiten, "
                "Audit-Einträge (wer, was, wann)"
            ),
            N_("E-Mail-Versand der Einrichtungs-Links über MEETKIT_SMTP_URL, falls gesetzt"),
            tables_for(Purpose.STAFF),
        ),
        Record(
            Purpose.TABLETS,
            N_("Tablets der Kontaktstellen (Kiosk) und Leihgeräte für Gruppen"),
            Text(N_("aktiv: {count} Gerät(e)"), {"count": facts.devices}),
            N_(
                "Ein gekoppeltes Tablet zeigt die Treffen des Tages, tritt als Raumgerät bei und zählt die "
                "Personen im Raum; danach setzt es sich zurück. Geräte werden an Gruppen verliehen, nie an "
                "Personen: wer unterschreibt, steht nur auf dem Papier-Leihschein."
            ),
            N_("keine Personen (Geräte); im Raum Anwesende nur als Anzahl"),
            N_(
                "Gerätename, Art, Seriennummer, Hashes von Geräte- und Kopplungs-Schlüssel, Ausleihen (Gruppe, Tage), Notizen der Mitarbeitenden, Zeitpunkte"
            ),
            N_("keine"),
            tables_for(Purpose.TABLETS),
        ),
        Record(
            Purpose.OPERATION,
            N_("Betrieb und Schutz vor Missbrauch"),
            Text(N_("aktiv")),
            N_(
                "Fehlgeschlagene Abrufe mit geheimen Links werden je Besucher gezählt, damit niemand Codes "
                "durchprobieren kann; Hintergrundaufgaben laufen in nur einem Prozess."
            ),
            N_("Besucher der Seiten"),
            N_(
                "Hash der IP-Adresse mit geheimem Schlüssel (nie die Adresse), Art und Zeitpunkt des Fehlversuchs"
            ),
            N_("keine"),
            tables_for(Purpose.OPERATION),
        ),
    ]


def measures(settings: Settings, facts: Facts) -> list[Measure]:
    """The technical and organisational measures as this configuration and database have them."""
    https = _https(settings.public_url)
    jitsi_https = _https(settings.jitsi_url) and settings.jitsi_configured
    smtp = settings.smtp_url
    found = [
        Measure(
            N_("Verschlüsselung beim Transport (meetkit)"),
            State.IN_FORCE if https else State.NOT_IN_FORCE,
            Text(N_("Mitglieder und Mitarbeitende erreichen meetkit über HTTPS."))
            if https
            else Text(
                N_("meetkit ist über unverschlüsseltes HTTP eingestellt; Links und Anmeldungen sind lesbar.")
            ),
            Text(N_("MEETKIT_PUBLIC_URL = {url}"), {"url": settings.public_url}),
        ),
        Measure(
            N_("Verschlüsselung beim Transport (Jitsi)"),
            State.IN_FORCE if jitsi_https else State.NOT_IN_FORCE,
            Text(N_("Treffen laufen über HTTPS zu Jitsi; Medien sind per DTLS-SRTP verschlüsselt."))
            if jitsi_https
            else Text(N_("JITSI_URL ist nicht gesetzt oder nicht HTTPS.")),
            Text(N_("JITSI_URL = {url}"), {"url": settings.jitsi_url}),
        ),
        Measure(
            N_("Lebensdauer von Schlüsseln und Links"),
            State.IN_FORCE,
            Text(
                N_(
                    "Moderations-Token gelten {jwt} Minuten und nur für einen Raum; Einrichtungs-Links {setup} "
                    "Stunden, einmal; Kopplungs-Links {pairing} Minuten; Anmeldesitzungen enden nach {idle} "
                    "Minuten ohne Nutzung, spätestens nach {hours} Stunden."
                ),
                {
                    "jwt": settings.jwt_ttl_minutes,
                    "setup": SETUP_LINK_HOURS,
                    "pairing": PAIRING_MINUTES,
                    "idle": settings.staff_idle_minutes,
                    "hours": SESSION_ABSOLUTE_HOURS,
                },
            ),
            Text(
                N_("MEETKIT_JWT_TTL_MINUTES = {jwt}, MEETKIT_STAFF_IDLE_MINUTES = {idle}"),
                {"jwt": settings.jwt_ttl_minutes, "idle": settings.staff_idle_minutes},
            ),
        ),
        Measure(
            N_("Inhalt der Protokolle"),
            State.IN_FORCE,
            Text(
                N_(
                    "Das Zugriffsprotokoll nennt nur Methode, Name der Route, Status und Dauer: nie Pfad, "
                    "Abfrage, IP-Adresse, Browser, Referrer, Codes, Tokens, PINs oder Rufnummern."
                )
            ),
            Text(N_("meetkit/web/accesslog.py; geprüft von tests/test_privacy.py")),
        ),
        Measure(
            N_("Aufbewahrung und Löschung"),
            State.IN_FORCE,
            Text(
                N_(
                    "Treffen werden nach {months} Monaten gelöscht (die Monatssummen bleiben), Audit-Einträge "
                    "nach {audit} Monaten; Abgelaufenes wird täglich entfernt. Jetzt wären {pending} Zeilen "
                    "fällig; das älteste gespeicherte Treffen ist vom {oldest}."
                ),
                {
                    "months": settings.retention_months,
                    "audit": AUDIT_MONTHS,
                    "pending": facts.pending_purge,
                    "oldest": facts.oldest_meeting or "-",
                },
            ),
            Text(
                N_("MEETKIT_RETENTION_MONTHS = {months}; „meetkit purge --dry-run“"),
                {"months": settings.retention_months},
            ),
        ),
        Measure(
            N_("Keine Anfragen an Dritte (Content Security Policy)"),
            State.IN_FORCE,
            Text(
                N_(
                    "Seiten laden nichts von anderen Servern: keine CDN, keine fremden Schriften, keine Statistik."
                )
            ),
            Text(N_("Content-Security-Policy: {csp}"), {"csp": facts.csp}),
        ),
        Measure(
            N_("Schutz vor dem Durchprobieren geheimer Links"),
            State.IN_FORCE,
            Text(
                N_("Fehlversuche je Besucher und Art sind begrenzt: {limits}."),
                {
                    "limits": "; ".join(
                        f"{kind.value} "
                        + ", ".join(
                            f"{limit.failures}/{int(limit.seconds // 60)} min" for limit in budget.limits
                        )
                        for kind, budget in BUDGETS.items()
                    )
                },
            ),
            Text(N_("meetkit/domain/failure_budget.py; Besucher nur als Hash mit Schlüssel gespeichert")),
        ),
        Measure(
            N_("Anmeldung der Mitarbeitenden"),
            State.IN_FORCE if facts.second_factor_required else State.NOT_IN_FORCE,
            Text(N_("Passwörter als argon2id-Hash; der zweite Faktor (TOTP) ist für alle Pflicht."))
            if facts.second_factor_required
            else Text(
                N_("Passwörter als argon2id-Hash; der zweite Faktor (TOTP) ist nicht für alle Pflicht.")
            ),
            Text(N_("Einstellung der Admins in /staff/ (gespeichert in staff_settings)")),
        ),
        Measure(
            N_("E-Mail-Versand"),
            State.IN_FORCE if smtp is None or smtp.startswith("smtps://") else State.OUTSIDE,
            Text(N_("meetkit versendet keine E-Mails; Links werden persönlich übergeben."))
            if smtp is None
            else Text(N_("Einrichtungs-Links gehen per E-Mail über den eingestellten Server.")),
            Text(N_("MEETKIT_SMTP_URL ist nicht gesetzt"))
            if smtp is None
            else Text(
                N_("MEETKIT_SMTP_URL beginnt mit {scheme}:// (smtp:// nutzt STARTTLS nur, wenn angeboten)"),
                {"scheme": urlsplit(smtp).scheme},
            ),
        ),
        Measure(
            N_("Datensicherung"),
            State.OUTSIDE,
            Text(
                N_(
                    "„meetkit backup -o DATEI“ erstellt im laufenden Betrieb eine stimmige Sicherung. Ob, wie oft "
                    "und wohin gesichert wird und wer die Sicherungen lesen kann, sieht meetkit nicht."
                )
            ),
            Text(N_("docs/deploy.md (Sicherung und Wiederherstellung)")),
        ),
    ]
    return found


def open_points(settings: Settings, facts: Facts) -> list[Text]:
    """What a data protection impact assessment (DPIA) must weigh for this installation."""
    points = [
        Text(
            N_(
                "Die Zugehörigkeit zu einer Selbsthilfegruppe ist ein Gesundheitsdatum (Art. 9 DSGVO); eine "
                "Datenschutz-Folgenabschätzung ist daher zu prüfen, auch wenn meetkit keine Mitgliederdaten speichert."
            )
        ),
        Text(
            N_(
                "Jitsi (Prosody, Jicofo, Videobridge, Web-Server) verarbeitet während eines Treffens IP-Adressen, "
                "Anzeigenamen sowie Bild und Ton; dessen Protokolle und Aufbewahrung liegen außerhalb von meetkit."
            )
        ),
    ]
    if not settings.operator_configured:
        points.append(
            Text(
                N_(
                    "Betreiber und Kontakt sind nicht eingestellt (MEETKIT_OPERATOR_NAME, MEETKIT_OPERATOR_CONTACT)."
                )
            )
        )
    if settings.dpo_contact is None:
        points.append(
            Text(N_("Kein Kontakt der/des Datenschutzbeauftragten eingestellt (MEETKIT_DPO_CONTACT)."))
        )
    if not _https(settings.public_url):
        points.append(Text(N_("meetkit ist nicht über HTTPS erreichbar (MEETKIT_PUBLIC_URL).")))
    if not facts.jitsi_checked:
        points.append(Text(N_("Die Einstellungen von Jitsi konnten nicht geprüft werden (siehe unten).")))
    elif facts.jitsi_problems or facts.jitsi_warnings:
        points.append(
            Text(
                N_(
                    "„meetkit check-jitsi“ meldet {problems} Problem(e) und {warnings} Warnung(en) (siehe unten)."
                ),
                {"problems": facts.jitsi_problems, "warnings": facts.jitsi_warnings},
            )
        )
    if settings.dialin_enabled:
        points.append(
            Text(
                N_(
                    "Telefon-Einwahl: Telefonanlage und Telefonanbieter sehen die Rufnummern der Anrufenden; "
                    "Aufbewahrung der Verbindungsdaten und Auftragsverarbeitung sind dort zu klären."
                )
            )
        )
    if settings.smtp_url is not None:
        points.append(
            Text(
                N_(
                    "E-Mail-Versand: der E-Mail-Anbieter sieht die Anmeldenamen der Mitarbeitenden (Auftragsverarbeitung)."
                )
            )
        )
    if not facts.second_factor_required and facts.staff_accounts:
        points.append(Text(N_("Der zweite Faktor ist für Mitarbeitende nicht Pflicht.")))
    points.append(
        Text(
            N_(
                "Datensicherungen: Ort, Verschlüsselung, Zugriff und Aufbewahrungsfrist der Sicherungen festlegen."
            )
        )
    )
    return points
