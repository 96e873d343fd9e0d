"""The public links that members and leaders receive."""

from __future__ import annotations

from meetkit.domain.ids import format_member_code


def member_url(public_url: str, member_code: str) -> str:
    """Return the short member link printed on sheets: `{public}/j/abcde-fghjk`."""
    return f"{public_url}/j/{format_member_code(member_code)}"


def leader_url(public_url: str, leader_token: str) -> str:
    """Return the leader link (only known at creation or renewal; storage keeps a hash)."""
    return f"{public_url}/l/{leader_token}"


def practice_path(contact_point_slug: str) -> str:
    """Return the path of a contact point's practice page ("Technik ausprobieren"): `/ueben/{slug}`."""
    return f"/ueben/{contact_point_slug}"


def practice_url(public_url: str, contact_point_slug: str) -> str:
    """Return the practice page's address as printed on sheets."""
    return public_url + practice_path(contact_point_slug)
