"""The audit log's actions as people read them: one short German label per recorded action, for the admin's
page and `meetkit audit` alike (English in locale/en/audit.po). The log and `--json` keep the machine words.

tests/test_audit_words.py finds every action meetkit records and fails on one without a label here.
"""

from __future__ import annotations

from meetkit.domain.accounts import N_
from meetkit.domain.scope import CLI_ACTOR

# Actors that are no person, said in the reader's words (people are shown by their login as stored).
ACTOR_LABELS: dict[str, str] = {CLI_ACTOR: N_("(Kommandozeile)")}

ACTION_LABELS: dict[str, str] = {
    # signing in and out (services/signin.py)
    "login": N_("Angemeldet"),
    "login_with_recovery_code": N_("Angemeldet mit Wiederherstellungscode"),
    "login_failed": N_("Anmeldung fehlgeschlagen"),
    "second_factor_failed": N_("Anmeldung fehlgeschlagen: falscher Code"),
    "logout": N_("Abgemeldet"),
    # staff accounts (services/accounts.py, services/staff_data.py)
    "account_created": N_("Zugang angelegt"),
    "account_disabled": N_("Zugang gesperrt"),
    "account_reset": N_("Zugang zurückgesetzt (neuer Einmal-Link)"),
    "account_exported": N_("Daten eines Zugangs exportiert"),
    "account_deleted": N_("Zugang gelöscht"),
    "password_set": N_("Passwort festgelegt"),
    "password_changed": N_("Passwort geändert"),
    "second_factor_on": N_("Zwei-Faktor-Anmeldung eingeschaltet"),
    "second_factor_off": N_("Zwei-Faktor-Anmeldung ausgeschaltet"),
    "second_factor_required": N_("Zwei-Faktor-Anmeldung für alle vorgeschrieben"),
    "second_factor_optional": N_("Zwei-Faktor-Anmeldung freiwillig"),
    # contact points and API tokens
    "contact_point_created": N_("Kontaktstelle angelegt"),
    "contact_point_changed": N_("Einstellungen der Kontaktstelle geändert"),
    "api_token_created": N_("API-Token angelegt"),
    "api_token_revoked": N_("API-Token widerrufen"),
    # groups, their links and sheets
    "group_created": N_("Gruppe angelegt"),
    "groups_imported": N_("Gruppen aus einer Liste übernommen"),
    "group_renamed": N_("Gruppe umbenannt"),
    "group_archived": N_("Gruppe archiviert"),
    "group_reactivated": N_("Gruppe wieder aktiviert"),
    "group_deleted": N_("Gruppe gelöscht"),
    "group_rotated": N_("Links und PIN erneuert"),
    "group_leader_link_issued": N_("Leitungs-Link erneuert"),
    "sheets_batch": N_("Einladungsblätter erstellt"),
    "sheet_language": N_("Sprache des gedruckten Blatts geändert"),
    # group leaders: invitations, hand-over, their dates
    "leader_invited": N_("Einladung für eine Gruppenleitung erstellt"),
    "leader_invitation_withdrawn": N_("Einladung zurückgezogen"),
    "leader_handover_opened": N_("Übergabe-Link erstellt"),
    "leader_handed_over": N_("Leitung übergeben"),
    "schedule_changed": N_("Termine geändert"),
    # devices and loans
    "device_added": N_("Gerät hinzugefügt"),
    "device_changed": N_("Gerät geändert"),
    "device_pairing_opened": N_("Kopplungslink erstellt"),
    "device_revoked": N_("Gerät abgemeldet"),
    "loan_created": N_("Ausleihe eingetragen"),
    "loan_returned": N_("Rückgabe eingetragen"),
    "loan_cancelled": N_("Ausleihe abgesagt"),
    "loan_tablet_pairing_opened": N_("Kopplungslink für das Tablet einer Gruppe erstellt"),
}


def action_label(action: str) -> str:
    """The German label of a recorded action, to translate where it is shown; an unknown one as it is."""
    return ACTION_LABELS.get(action, action)


def actor_label(actor: str | None) -> str | None:
    """The German label of an actor that is no person (the command line), to translate; None for a person."""
    return ACTOR_LABELS.get(actor) if actor else None
