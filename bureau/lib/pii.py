"""Personal data at rest: encryption, a keyed hash for exact search, masks.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under
FIELD_ENCRYPTION_KEY (several comma-separated keys rotate: the first
encrypts, all decrypt). Exact search uses an HMAC-SHA256 of the normalised
value under PII_HASH_KEY, so the database never holds the clear value.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(value: str) -> str:
    if not value:
        return ""
    return (
        _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS)).encrypt(value.encode()).decode()
    )


def decrypt(token: str) -> str:
    """The clear value. Call only where a person must see it in full."""
    if not token:
        return ""
    try:
        return (
            _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))
            .decrypt(token.encode())
            .decode()
        )
    except InvalidToken:
        raise ValueError("cannot decrypt: wrong FIELD_ENCRYPTION_KEY?") from None


def keyed_hash(value: str) -> str:
    if not value:
        return ""
    key = settings.PII_HASH_KEY.encode()
    return hmac.new(key, value.strip().upper().encode(), hashlib.sha256).hexdigest()


def mask_id_number(value: str) -> str:
    """110105199001011234 → 110105********1234 (the region and the last four)."""
    if not value:
        return ""
    if len(value) <= 10:
        return value[:2] + "*" * max(len(value) - 4, 0) + value[-2:]
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    """13812348000 → 138****8000."""
    digits = value.strip()
    if not digits:
        return ""
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
