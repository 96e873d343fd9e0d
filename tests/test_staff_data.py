"""Staff data rights: `meetkit user export LOGIN` shows everything stored about an account (no secrets);
`meetkit user delete LOGIN` removes it, ends its sessions, and leaves only an anonymous audit reference."""

from __future__ import annotations

import json
from collections.abc import Callable

from meetkit.config import Settings
from tests import dbtools
from tests.conftest import CliResult
from tests.staff import Client, StaffBrowser


async def test_an_admin_exports_and_deletes_a_staff_account(
    seeded: Client, settings: Settings, cli: Callable[..., CliResult]
) -> None:
    assert (
        cli(
            "user", "add", "erika@example.org", "--name", "Erika Beispiel", "--contact-point", "kiss-nord"
        ).returncode
        == 0
    )
    nord = StaffBrowser(seeded)
    assert (await StaffBrowser(seeded).sign_in("nord@example.org", "ganz falsches Passwort")).status == 401
    assert (await nord.sign_in("nord@example.org")).status == 303
    assert (await nord.get("/staff/")).status == 200

    exported = cli("user", "export", "nord@example.org")
    assert exported.returncode == 0, exported.stderr
    data = exported.json()
    account = data["account"]
    assert (account["login"], account["role"], account["contact_points"]) == (
        "nord@example.org",
        "staff",
        ["kiss-nord"],
    )
    assert account["has_password"] is True and account["has_second_factor"] is False
    assert data["sessions"] == 1 and data["failed_sign_ins_in_a_row"] == 0
    assert [e["action"] for e in data["audit_entries_by_account"]] == [
        "password_set",
        "login_failed",
        "login",
    ]
    assert [e["action"] for e in data["audit_entries_about_account"]] == ["account_created"]
    assert "$argon2" not in exported.stdout and "password_hash" not in exported.stdout
    written = cli(
        "user", "export", "erika@example.org", "-o", "erika.json", extra_env={"LANG": "en_US.UTF-8"}
    )
    assert written.stderr.startswith("Everything stored about erika@example.org written to erika.json")

    account_id = account["id"]
    reference = f"(gelöschtes Konto #{account_id})"
    deleted = cli("user", "delete", "nord@example.org", "--json")
    assert deleted.returncode == 0, deleted.stderr
    assert deleted.json() == {"deleted": account_id, "reference": reference, "audit_entries_anonymised": 5}
    # its session ended at once, and nothing of it is left but the reference
    assert (await nord.get("/staff/")).location == "/staff/login?ended=1"
    entries = cli("audit", "--json").json()["audit"]
    assert "nord@example.org" not in json.dumps(entries)
    assert [
        (e["actor"], e["action"], e["target"])
        for e in entries
        if reference in json.dumps(e, ensure_ascii=False)
    ] == [
        ("(Kommandozeile)", "account_deleted", reference),
        ("(Kommandozeile)", "account_exported", reference),
        (reference, "login", None),
        (reference, "login_failed", None),
        (reference, "password_set", None),
        ("(Kommandozeile)", "account_created", f"{reference} (staff)"),
    ]
    for table in ("staff_sessions", "staff_memberships", "staff_setup_links", "staff_recovery_codes"):
        assert dbtools.rows(settings, f"SELECT * FROM {table} WHERE account_id = ?", account_id) == [], table
    # not in the files either: SQLite overwrites deleted rows and empties its WAL after a deletion
    stored = dbtools.database_bytes(settings)
    assert b"erika@example.org" in stored and b"nord@example.org" not in stored
    assert cli("user", "list", "--json").json()["users"][-1]["login"] == "erika@example.org"
    for command in ("export", "delete"):
        gone = cli("user", command, "nord@example.org")
        assert (gone.returncode, gone.stderr) == (
            2,
            "meetkit: Fehler: Einen Zugang 'nord@example.org' gibt es nicht.\n",
        )
