"""Sealed secrets (domain/sealing.py): only this server's key opens them, and only for their own row."""

from __future__ import annotations

import pytest

from meetkit.domain.errors import Unauthorized
from meetkit.domain.sealing import SEAL_BROKEN, SecretBox

SERVER_SECRET = "s" * 40


def test_a_sealed_secret_opens_with_the_same_key_for_its_own_row_only() -> None:
    box = SecretBox(SERVER_SECRET, "totp")
    sealed = box.seal("JBSWY3DPEHPK3PXP", "staff_account:1")
    assert "JBSWY3DPEHPK3PXP" not in sealed and sealed != box.seal("JBSWY3DPEHPK3PXP", "staff_account:1")
    assert box.open(sealed, "staff_account:1") == "JBSWY3DPEHPK3PXP"
    for wrong_box, row in (
        (box, "staff_account:2"),  # copied into another account's row
        (SecretBox("t" * 40, "totp"), "staff_account:1"),  # MEETKIT_SECRET changed
        (SecretBox(SERVER_SECRET, "other"), "staff_account:1"),  # a key for another purpose
    ):
        with pytest.raises(Unauthorized) as refused:
            wrong_box.open(sealed, row)
        assert refused.value.message == SEAL_BROKEN


def test_secrets_stored_before_sealing_are_read_as_they_are() -> None:
    assert SecretBox(SERVER_SECRET, "totp").open("JBSWY3DPEHPK3PXP", "staff_account:1") == "JBSWY3DPEHPK3PXP"
