"""The data inventory of the staff app, leader invitations and loans (issue 11, 12, 17): the columns they
added to older tables and their own tables. domain/inventory.py merges them into the one inventory."""

from __future__ import annotations

from meetkit.domain.accounts import N_
from meetkit.domain.inventory_model import CONTACT_POINT, CREATED, GROUP, Column, Purpose, Table
from meetkit.domain.inventory_model import column as _c

EXTRA_COLUMNS: dict[str, tuple[Column, ...]] = {
    "api_tokens": (_c("role", N_("Rolle: Admin (alle Kontaktstellen) oder Kontaktstelle")),),
    "contact_points": (
        _c("rules_text", N_("eigene Gruppenregeln der Kontaktstelle für Mitgliederseite und Blatt")),
        _c("practice_on_sheet", N_("ob die Blätter die Adresse des Übungsraums drucken (ja/nein)")),
    ),
    "devices": (
        _c("kind", N_("Art des Geräts (Tablet, Laptop, Lautsprecher, Kamera ...)")),
        _c("serial_number", N_("Seriennummer (nur Buchstaben, Ziffern, Zeichen)")),
        _c("notes", N_("Notizen der Mitarbeitenden zum Gerät (der Hilfetext warnt: keine Namen)")),
        _c("last_seen_at", N_("wann das Tablet zuletzt eine Seite abrief (höchstens minütlich)")),
    ),
    "schedule_exceptions": (  # single dates (issue 12)
        _c("start_time", N_("eigene Uhrzeit eines zusätzlichen Termins (leer: die des Rhythmus)")),
        _c("duration_minutes", N_("eigene Dauer eines zusätzlichen Termins in Minuten")),
    ),
    "support_groups": (
        _c("name_key", N_("der Gruppenname vereinfacht, zum Sortieren und Suchen")),
        _c("archived_at", N_("Zeitpunkt der Archivierung (Links gelten dann nicht mehr)")),
        _c("deleted_at", N_("Zeitpunkt der Löschung (die Zeile bleibt nur für die Monatssummen)")),
        # sheet language (issue 15)
        _c(
            "sheet_lang",
            N_("Sprache des gedruckten Einladungsblatts: Deutsch, Englisch oder Leichte Sprache"),
        ),
    ),
}

FEATURE_TABLES: tuple[Table, ...] = (
    Table(
        "api_token_contact_points",
        Purpose.STAFF,
        N_("Welche Kontaktstellen ein API-Schlüssel sehen darf."),
        N_("bis der Schlüssel gelöscht wird"),
        (
            _c("token_id", N_("Nummer des Schlüssels")),
            _c("contact_point_id", CONTACT_POINT),
        ),
    ),
    Table(
        "leader_invitations",
        Purpose.MEETING_LINKS,
        N_(
            "Einladungen, mit denen eine Gruppenleitung den Treffpunkt ihrer Gruppe selbst anlegt (als Hash)."
        ),
        N_("bis die Kontaktstelle gelöscht wird; der Link gilt höchstens 90 Tage und einmal"),
        (
            _c("id", N_("laufende Nummer")),
            _c("contact_point_id", CONTACT_POINT),
            _c("token_hash", N_("SHA-256-Hash des Einladungs-Links")),
            _c("submission_hash", N_("Hash des einmal abgeschickten Formulars (gegen doppelte Gruppen)")),
            _c("created_by", N_("Anmeldename der/des Mitarbeitenden, die/der eingeladen hat"), personal=True),
            _c("created_at", CREATED),
            _c("expires_at", N_("Ablauf")),
            _c("used_at", N_("Zeitpunkt der Einlösung")),
            _c("withdrawn_at", N_("Zeitpunkt der Rücknahme")),
            _c("group_id", GROUP),
        ),
    ),
    Table(
        "guest_links",
        Purpose.MEETING_LINKS,
        N_("Gast-Links einer Gruppe für ein einziges Treffen (als Hash)."),
        N_("bis die Gruppe gelöscht wird"),
        (
            _c("id", N_("laufende Nummer")),
            _c("group_id", GROUP),
            _c("token_hash", N_("SHA-256-Hash des Gast-Links")),
            _c("meeting_date", N_("der Tag, an dem der Link gilt")),
            _c("created_at", CREATED),
        ),
    ),
    Table(
        "leader_handovers",
        Purpose.MEETING_LINKS,
        N_("Einmal-Links, mit denen eine Gruppenleitung die Leitung übergibt (als Hash)."),
        N_("bis die Gruppe gelöscht wird"),
        (
            _c("id", N_("laufende Nummer")),
            _c("group_id", GROUP),
            _c("token_hash", N_("SHA-256-Hash des Übergabe-Links")),
            _c("submission_hash", N_("Hash des einmal abgeschickten Formulars (gegen doppelte Übergaben)")),
            _c("created_at", CREATED),
            _c("expires_at", N_("Ablauf")),
            _c("used_at", N_("Zeitpunkt der Einlösung")),
        ),
    ),
    Table(
        "loans",
        Purpose.TABLETS,
        N_(
            "Ausleihen von Geräten an Gruppen (nie an Personen: wer unterschreibt, steht nur auf dem Papier)."
        ),
        N_("bis die Kontaktstelle gelöscht wird"),
        (
            _c("id", N_("laufende Nummer")),
            _c("device_id", N_("Nummer des Geräts")),
            _c("group_id", GROUP),
            _c("contact_point_id", CONTACT_POINT),
            _c("starts_on", N_("erster Tag der Ausleihe")),
            _c("ends_on", N_("letzter Tag der Ausleihe")),
            _c("returned_on", N_("Tag der Rückgabe")),
            _c("notes", N_("Notizen der Mitarbeitenden zur Ausleihe (der Hilfetext warnt: keine Namen)")),
            _c("return_note", N_("Notiz zum Zustand bei der Rückgabe (der Hilfetext warnt: keine Namen)")),
            _c("tablet_pairing_hash", N_("SHA-256-Hash des Kopplungs-Links als Gruppen-Tablet")),
            _c("tablet_pairing_expires_at", N_("Ablauf des Kopplungs-Links")),
            _c("tablet_token_hash", N_("SHA-256-Hash des Schlüssels des Gruppen-Tablets")),
            _c("tablet_paired_at", N_("Zeitpunkt der Kopplung")),
            _c("created_at", CREATED),
        ),
    ),
    Table(
        "sheet_batches",
        Purpose.STAFF,
        N_("Sammel-PDFs von Einladungsblättern, die Mitarbeitende erstellen lassen (mit Fortschritt)."),
        N_("eine Stunde"),
        (
            _c("id", N_("laufende Nummer")),
            _c("contact_point_id", CONTACT_POINT),
            _c("actor", N_("Anmeldename der/des Mitarbeitenden, die/der es gestartet hat"), personal=True),
            _c("lang", N_("Sprache der Blätter")),
            _c("layout", N_("A4 oder Kärtchen")),
            _c("total", N_("Zahl der Blätter")),
            _c("done", N_("Zahl der fertigen Blätter")),
            _c("state", N_("Stand (läuft, fertig, fehlgeschlagen)")),
            _c("pdf", N_("das fertige PDF (Einladungsblätter: Gruppen-Links, keine Personen)")),
            _c("created_at", CREATED),
            _c("updated_at", N_("Zeitpunkt des letzten Fortschritts")),
        ),
    ),
)
