"""What makes a SECRET_KEY too weak to run with DEBUG off: the criteria of
Django's own deployment check (security.W009), enforced at start-up."""

from __future__ import annotations

MIN_LENGTH = 50
MIN_UNIQUE_CHARACTERS = 5
INSECURE_PREFIX = "django-insecure-"


def secret_key_weakness(key: str) -> str | None:
    """Why `key` is too weak to sign sessions and tokens, or None."""
    if key.startswith(INSECURE_PREFIX):
        return f"starts with Django's {INSECURE_PREFIX!r} prefix"
    if len(key) < MIN_LENGTH:
        return f"has {len(key)} characters; use at least {MIN_LENGTH}"
    if len(set(key)) < MIN_UNIQUE_CHARACTERS:
        return f"has fewer than {MIN_UNIQUE_CHARACTERS} different characters"
    return None
