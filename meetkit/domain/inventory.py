"""The data inventory: every table and column meetkit stores, its purpose, whether it is personal data, and
how long it is kept. `meetkit privacy-report` renders it; tests/test_inventory.py fails when the live schema
(SQLite and PostgreSQL) has a table or column that is not described here.

Texts are German (the source language) and marked for the catalogs (meetkit/locale/en/privacy.po).
"""

from __future__ import annotations

from meetkit.domain.accounts import N_
from meetkit.domain.inventory_features import EXTRA_COLUMNS, FEATURE_TABLES
from meetkit.domain.inventory_model import (
    ACCOUNT,
    CONTACT_POINT,
    CREATED,
    FOREVER_HASH,
    GROUP,
    UNTIL_DELETED,
    Column,
    Purpose,
    Table,
)
from meetkit.domain.inventory_model import column as _c

__all__ = ["TABLES", "Column", "Purpose", "Table", "by_name", "tables_for", "undescribed"]


_CORE_TABLES: tuple[Table, ...] = (
    Table(
        "contact_points",
        Purpose.MEETING_LINKS,
        N_("Selbsthilfekontaktstellen, die Gruppen betreuen (Organisationen, keine Personen)."),
        N_("bis die Kontaktstelle gelöscht wird"),
        (
            _c("id", N_("laufende Nummer")),
            _c("slug", N_("Kurzname der Kontaktstelle")),
            _c("name", N_("Name der Kontaktstelle")),
            _c("phone", N_("Telefonnummer der Kontaktstelle (Büro, für Hilfe auf dem Einladungsblatt)")),
            _c("show_group_names", N_("Einstellung: Gruppennamen auf Seiten und Blättern zeigen")),
            _c("created_at", CREATED),
        ),
    ),
    Table(
        "support_groups",
        Purpose.MEETING_LINKS,
        N_("Gruppen mit ihrem zufälligen Jitsi-Raum, Mitglieder-Code, Leitungs-Link (als Hash) und PIN."),
        UNTIL_DELETED,
        (
            _c("id", N_("laufende Nummer")),
            _c("contact_point_id", CONTACT_POINT),
            _c("name", N_("Anzeigename der Gruppe (von der Kontaktstelle vergeben)")),
            _c("room", N_("zufälliger Jitsi-Raumname, nicht vom Namen oder Thema abgeleitet")),
            _c("member_code", N_("zufälliger Mitglieder-Code des Beitritts-Links")),
            _c("leader_token_hash", N_("SHA-256-Hash des Leitungs-Links")),
            _c("pin", N_("zufällige Einwahl-PIN (nur mit Telefon-Einwahl)")),
            _c("created_at", CREATED),
            _c("renewed_at", N_("Zeitpunkt der letzten Erneuerung der Links")),
        ),
    ),
    Table(
        "retired_links",
        Purpose.MEETING_LINKS,
        N_("Ersetzte Mitglieder-Codes und Leitungs-Links (als Hash), damit alte Links freundlich erklären."),
        UNTIL_DELETED,
        (
            _c("kind", N_("Art des Links (Mitglied oder Leitung)")),
            _c("secret_hash", N_("SHA-256-Hash des alten Links")),
            _c("group_id", GROUP),
            _c("retired_at", N_("Zeitpunkt der Erneuerung")),
        ),
    ),
    Table(
        "retired_rooms",
        Purpose.MEETING_LINKS,
        N_("Ersetzte Raumnamen, damit sie nie wieder vergeben werden."),
        FOREVER_HASH,
        (
            _c("room", N_("alter Raumname")),
            _c("group_id", GROUP),
            _c("retired_at", N_("Zeitpunkt der Erneuerung")),
        ),
    ),
    Table(
        "schedules",
        Purpose.MEETING_LINKS,
        N_("Regeltermine der Gruppen (für Mitgliederseite, Blatt, Kalender und Kiosk)."),
        UNTIL_DELETED,
        (
            _c("group_id", GROUP),
            _c("frequency", N_("Rhythmus (wöchentlich, zweiwöchentlich, monatlich oder einzelne Termine)")),
            _c("weekday", N_("Wochentag")),
            _c("start_time", N_("Uhrzeit")),
            _c("duration_minutes", N_("Dauer in Minuten")),
            _c("place", N_("Ort, z. B. „Raum 2“")),
            _c("anchor_date", N_("erster Termin des zweiwöchentlichen Rhythmus")),
            _c("nth", N_("der wievielte Wochentag im Monat")),
            _c("updated_at", N_("Zeitpunkt der letzten Änderung")),
        ),
    ),
    Table(
        "schedule_exceptions",
        Purpose.MEETING_LINKS,
        N_("Einzelne zusätzliche oder ausfallende Termine."),
        UNTIL_DELETED,
        (
            _c("group_id", GROUP),
            _c("day", N_("Datum")),
            _c("kind", N_("zusätzlich oder ausgefallen")),
        ),
    ),
    Table(
        "retired_pins",
        Purpose.DIAL_IN,
        N_("Ersetzte Einwahl-PINs, damit ein altes Blatt nie in einer anderen Gruppe landet."),
        FOREVER_HASH,
        (
            _c("pin", N_("alte PIN")),
            _c("retired_at", N_("Zeitpunkt der Erneuerung")),
        ),
    ),
    Table(
        "meeting_sessions",
        Purpose.ATTENDANCE,
        N_(
            "Treffen als Zahlen: eine Zeile je Gruppe und Tag, nie Namen, Adressen oder Zeiten einzelner Personen."
        ),
        N_("MEETKIT_RETENTION_MONTHS Monate (Vorgabe 24); danach bleiben nur die Monatssummen"),
        (
            _c("id", N_("laufende Nummer")),
            _c("group_id", GROUP),
            _c("meeting_date", N_("Tag des Treffens")),
            _c("started_at", N_("Beginn, auf 5 Minuten gerundet")),
            _c("ended_at", N_("Ende, auf 5 Minuten gerundet")),
            _c("peak_online", N_("höchste Zahl gleichzeitig verbundener Teilnehmender")),
            _c("in_room_count", N_("Zahl der Personen im Raum (von Hand gezählt)")),
            _c("phone_count", N_("Zahl der Personen am Telefon (eine Zahl, nie eine Nummer)")),
            _c("sources", N_("woher die Zahlen kamen (Zensus, Webhooks, Leitung, Kiosk, Mitarbeitende)")),
            _c("updated_at", N_("Zeitpunkt der letzten Änderung")),
        ),
    ),
    Table(
        "room_states",
        Purpose.ATTENDANCE,
        N_("Zählstand je Raum, damit ein Neustart mitten im Treffen weiterzählt."),
        UNTIL_DELETED,
        (
            _c("group_id", GROUP),
            _c("clock", N_("Zeitpunkt der letzten Beobachtung")),
            _c("occupants", N_("aktuelle Zahl der Verbundenen")),
            _c("is_open", N_("ob der Raum gerade offen ist")),
            _c("opened_at", N_("seit wann der Raum offen ist")),
            _c("session_floor", N_("Zeitpunkt vor dem Öffnen (für verspätete Meldungen)")),
            _c("session_id", N_("Nummer des laufenden Treffens")),
        ),
    ),
    Table(
        "monthly_totals",
        Purpose.ATTENDANCE,
        N_("Summen gelöschter Treffen je Gruppe, Monat und Woche, damit Monatsberichte gleich bleiben."),
        UNTIL_DELETED,
        (
            _c("group_id", GROUP),
            _c("month", N_("Monat")),
            _c("week_monday", N_("Montag der Kalenderwoche")),
            _c("meetings", N_("Zahl der Treffen")),
            _c("participants", N_("Zahl der Teilnehmenden")),
            _c("online", N_("davon online")),
            _c("in_room_count", N_("davon im Raum")),
            _c("phone_count", N_("davon am Telefon")),
            _c("not_counted", N_("Sitzungen, die nicht als Treffen zählten")),
        ),
    ),
    Table(
        "devices",
        Purpose.TABLETS,
        N_("Tablets der Kontaktstellen für hybride Treffen (Geräte, keine Personen)."),
        N_("bis die Kontaktstelle gelöscht wird; Kopplungs-Links eine Woche nach ihrem Ablauf entfernt"),
        (
            _c("id", N_("laufende Nummer")),
            _c("contact_point_id", CONTACT_POINT),
            _c("name", N_("Bezeichnung des Geräts, z. B. „Tablet Raum 2“")),
            _c("token_hash", N_("SHA-256-Hash des Geräte-Schlüssels")),
            _c("pairing_hash", N_("SHA-256-Hash des Kopplungs-Links")),
            _c("pairing_expires_at", N_("Ablauf des Kopplungs-Links")),
            _c("paired_at", N_("Zeitpunkt der Kopplung")),
            _c("revoked", N_("ob das Gerät gesperrt ist")),
            _c("revoked_at", N_("Zeitpunkt der Sperre")),
            _c("created_at", CREATED),
        ),
    ),
    Table(
        "staff_accounts",
        Purpose.STAFF,
        N_("Konten der Mitarbeitenden (Beschäftigte, keine Mitglieder)."),
        N_("bis das Konto gelöscht wird („meetkit user delete“)"),
        (
            _c("id", N_("laufende Nummer")),
            _c("login", N_("Anmeldename, oft die dienstliche E-Mail-Adresse"), True),
            _c("display_name", N_("Anzeigename"), True),
            _c("role", N_("Rolle (Admin oder Mitarbeitende)"), True),
            _c("password_hash", N_("argon2id-Hash des Passworts"), True),
            _c("totp_secret", N_("Schlüssel des zweiten Faktors (TOTP)"), True),
            _c("totp_pending_secret", N_("Schlüssel eines zweiten Faktors, der noch bestätigt wird"), True),
            _c("totp_last_step", N_("zuletzt verwendeter Zeitschritt des zweiten Faktors"), True),
            _c("disabled_at", N_("Zeitpunkt der Sperre"), True),
            _c("created_at", CREATED, True),
        ),
    ),
    Table(
        "staff_memberships",
        Purpose.STAFF,
        N_("Welche Kontaktstellen ein Konto sieht."),
        N_("bis das Konto gelöscht wird"),
        (_c("account_id", ACCOUNT, True), _c("contact_point_id", CONTACT_POINT, True)),
    ),
    Table(
        "staff_setup_links",
        Purpose.STAFF,
        N_("Einmal-Links zum Setzen des Passworts (als Hash)."),
        N_("bis zum Ablauf nach 72 Stunden; eine Woche danach entfernt"),
        (
            _c("token_hash", N_("SHA-256-Hash des Links")),
            _c("account_id", ACCOUNT, True),
            _c("expires_at", N_("Ablauf"), True),
            _c("used_at", N_("Zeitpunkt der Verwendung"), True),
        ),
    ),
    Table(
        "staff_sessions",
        Purpose.STAFF,
        N_("Anmeldesitzungen (die Sitzungsnummer nur als Hash)."),
        N_("bis zur Abmeldung, 30 Minuten ohne Nutzung (MEETKIT_STAFF_IDLE_MINUTES) oder 12 Stunden"),
        (
            _c("id_hash", N_("SHA-256-Hash der Sitzungsnummer")),
            _c("account_id", ACCOUNT, True),
            _c("signed_in", N_("ob die Anmeldung abgeschlossen ist"), True),
            _c("created_at", N_("Beginn der Sitzung"), True),
            _c("last_seen_at", N_("letzte Nutzung"), True),
        ),
    ),
    Table(
        "staff_recovery_codes",
        Purpose.STAFF,
        N_("Wiederherstellungs-Codes für den zweiten Faktor (als Hash)."),
        N_("bis neue Codes erzeugt werden oder das Konto gelöscht wird"),
        (
            _c("account_id", ACCOUNT, True),
            _c("code_hash", N_("SHA-256-Hash des Codes")),
            _c("used_at", N_("Zeitpunkt der Verwendung"), True),
        ),
    ),
    Table(
        "staff_login_failures",
        Purpose.STAFF,
        N_(
            "Fehlgeschlagene Anmeldungen je eingegebenem Anmeldenamen (als Hash), für die wachsende Wartezeit."
        ),
        N_("24 Stunden nach dem letzten Fehlversuch, oder bis zur erfolgreichen Anmeldung"),
        (
            _c("login_hash", N_("Hash des eingegebenen Anmeldenamens (mit Schlüssel)"), True),
            _c("failures", N_("Zahl der Fehlversuche in Folge"), True),
            _c("last_failed_at", N_("Zeitpunkt des letzten Fehlversuchs"), True),
        ),
    ),
    Table(
        "staff_settings",
        Purpose.STAFF,
        N_("Einstellungen der Mitarbeitenden-Verwaltung, z. B. ob der zweite Faktor Pflicht ist."),
        N_("solange meetkit läuft"),
        (_c("name", N_("Name der Einstellung")), _c("value", N_("Wert der Einstellung"))),
    ),
    Table(
        "audit_log",
        Purpose.STAFF,
        N_("Protokoll der Aktionen von Mitarbeitenden (wer, was, wann; nie Daten von Mitgliedern)."),
        N_("12 Monate"),
        (
            _c("id", N_("laufende Nummer")),
            _c("at", N_("Zeitpunkt"), True),
            _c("actor", N_("Anmeldename der handelnden Person (nach Löschung des Kontos anonym)"), True),
            _c("action", N_("Aktion, z. B. Anmeldung oder Gruppe angelegt"), True),
            _c("target", N_("worauf sich die Aktion bezog (Gruppe, Konto; nie Codes, Tokens, PINs)"), True),
        ),
    ),
    Table(
        "api_tokens",
        Purpose.STAFF,
        N_("Schlüssel für die JSON-Schnittstelle der Mitarbeitenden (als Hash)."),
        N_("bis der Schlüssel gelöscht wird"),
        (
            _c("id", N_("laufende Nummer")),
            _c("name", N_("Bezeichnung, z. B. „Verwaltung“")),
            _c("token_hash", N_("SHA-256-Hash des Schlüssels")),
            _c("created_at", CREATED),
            _c("revoked_at", N_("Zeitpunkt des Widerrufs")),
        ),
    ),
    Table(
        "lookup_failures",
        Purpose.OPERATION,
        N_("Fehlgeschlagene Abrufe mit geheimen Links je Besucher, gegen das Durchprobieren von Codes."),
        N_("eine Stunde"),
        (
            _c("id", N_("laufende Nummer")),
            _c("kind", N_("Art des Geheimnisses (Mitglieder-Code, Leitungs-Link, PIN ...)")),
            _c("client", N_("Hash der IP-Adresse mit Schlüssel (nie die Adresse selbst)"), True),
            _c("failed_at", N_("Zeitpunkt"), True),
        ),
    ),
    Table(
        "lookup_blocks",
        Purpose.OPERATION,
        N_("Besucher, die zu viele Fehlversuche hatten, und bis wann sie warten."),
        N_("bis die Sperre endet (höchstens eine Stunde)"),
        (
            _c("kind", N_("Art des Geheimnisses")),
            _c("client", N_("Hash der IP-Adresse mit Schlüssel (nie die Adresse selbst)"), True),
            _c("blocked_until", N_("Ende der Sperre"), True),
        ),
    ),
    Table(
        "job_leases",
        Purpose.OPERATION,
        N_("Welcher Prozess eine Hintergrundaufgabe ausführt (Zensus, Aufbewahrung)."),
        N_("solange meetkit läuft"),
        (
            _c("job", N_("Name der Aufgabe")),
            _c("holder", N_("zufällige Kennung des Prozesses")),
            _c("expires_at", N_("Ablauf")),
        ),
    ),
    Table(
        "cache_epoch",
        Purpose.OPERATION,
        N_(
            "Ein Zähler, der anderen Prozessen sagt, dass sich zwischengespeicherte Antworten geändert haben."
        ),
        N_("solange meetkit läuft"),
        (_c("id", N_("immer 1")), _c("epoch", N_("Zähler"))),
    ),
    Table(
        "schema_migrations",
        Purpose.OPERATION,
        N_("Welche Änderungen am Datenbankschema angewendet sind."),
        N_("solange meetkit läuft"),
        (
            _c("version", N_("Nummer der Änderung")),
            _c("name", N_("Name der Änderung")),
            _c("applied_at", N_("Zeitpunkt")),
        ),
    ),
)


def _with_features(core: tuple[Table, ...]) -> tuple[Table, ...]:
    """The core tables with the columns later features added to them, then the features' own tables."""
    grown = tuple(
        Table(t.name, t.purpose, t.description, t.retention, t.columns + EXTRA_COLUMNS.get(t.name, ()))
        for t in core
    )
    return grown + FEATURE_TABLES


TABLES = _with_features(_CORE_TABLES)


def by_name() -> dict[str, Table]:
    """Every described table by name."""
    return {table.name: table for table in TABLES}


def tables_for(purpose: Purpose) -> list[Table]:
    """The tables that serve one purpose, in inventory order."""
    return [table for table in TABLES if table.purpose is purpose]


def undescribed(columns: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (table, column) pairs of a live schema that the inventory does not describe."""
    known = {(table.name, column.name) for table in TABLES for column in table.columns}
    return sorted(set(columns) - known)
