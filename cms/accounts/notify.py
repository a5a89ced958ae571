"""Who of a country's staff to email, by the language each chose for the admin."""

from __future__ import annotations


def staff_by_language(group, country) -> dict[str, list[str]]:
    """Active members of ``group`` with an address, by their admin language (else the
    country's first language), in a stable order."""
    from wagtail.users.models import UserProfile

    found: dict[str, list[str]] = {}
    for user in group.user_set.filter(is_active=True).exclude(email="").order_by("pk"):
        chosen = UserProfile.get_for_user(user).preferred_language
        found.setdefault(chosen or country.default_language, []).append(user.email)
    return dict(sorted(found.items()))
