"""User rules: usernames, roles, passwords, contact fields (pure, no I/O)."""
from __future__ import annotations

import re

from crmkit.auth import ROLES
from crmkit.domain_errors import FieldError, Invalid

USERNAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
USERNAME_MAX = 64
PASSWORD_MIN = 8
PASSWORD_MAX = 128
NAME_MAX = 200
EMAIL_MAX = 254
PHONE_MAX = 32
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9]{6,20}$")


def username_key(username: str) -> str:
    """Usernames are unique case-insensitively."""
    return username.strip().lower()


def normalise_roles(roles: list[str], field: str = "roles") -> list[str]:
    for role in roles:
        if role not in ROLES:
            raise Invalid(FieldError(field, "invalid_role", {"role": role}))
    return sorted(set(roles), key=ROLES.index)


def check_password(password: str, *, username: str, field: str = "password") -> None:
    if len(password) < PASSWORD_MIN or password.strip().lower() == username_key(username):
        raise Invalid(FieldError(field, "weak_password", {"min_length": PASSWORD_MIN}))


def normalise_email(email: str | None) -> str | None:
    if email is None or not email.strip():
        return None
    local, _, domain = email.strip().rpartition("@")
    value = f"{local}@{domain.lower()}"
    if not _EMAIL.match(value):
        raise Invalid(FieldError("email", "invalid_email"))
    return value


def normalise_phone(phone: str | None) -> str | None:
    if phone is None or not phone.strip():
        return None
    value = re.sub(r"[\s.\-()]", "", phone)
    if not _PHONE.match(value):
        raise Invalid(FieldError("phone", "invalid_phone"))
    return value
