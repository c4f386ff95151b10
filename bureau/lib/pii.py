"""Personal data at rest: 国密 encryption, a keyed hash for exact search, masks.

Values are encrypted with SM4 in GCM mode (GB/T 32907, GM/T 0002) under
PII_SM4_KEY — one or more comma-separated 128-bit keys in hex; the first
encrypts, every one decrypts (rotation). A stored value reads
`sm4gcm:<key id>:<base64 of nonce, ciphertext and tag>`, the key id being the
first eight hex digits of the key's SM3 digest, so a value names the key it
needs. Values written before, with Fernet (AES) under FIELD_ENCRYPTION_KEY,
keep decrypting while that key is configured; `manage.py pii_reencrypt`
rewrites them (and values under a retired SM4 key) with the first SM4 key.

Exact search uses an HMAC-SM3 of the normalised value under PII_HASH_KEY, so
the database never holds the clear value; `keyed_hashes` also gives the
HMAC-SHA256 written before, for lookups while old rows are re-encrypted.
"""

from __future__ import annotations

import base64
import hashlib
import hmac as std_hmac
import os
from collections.abc import Callable
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as gm_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

PREFIX = "sm4gcm:"
# Apps that keep ciphertext in columns of their own (not EncryptedTextField)
# append a function rewriting them; `manage.py pii_reencrypt` runs each.
REENCRYPT_HOOKS: list[Callable[[], dict[str, int]]] = []
NONCE_BYTES = 12
TAG_BYTES = 16
# A Fernet token is url-safe base64 of a version byte 0x80: it starts "gAAAAA".
FERNET_START = "gAAAAA"


def sm3_hex(data: bytes) -> str:
    """The SM3 digest (GB/T 32905) of `data` in hex."""
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def hmac_sm3_hex(key: bytes, data: bytes) -> str:
    mac = gm_hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize().hex()


def parse_sm4_key(text: str) -> bytes:
    """A 128-bit SM4 key from 32 hex digits; ValueError otherwise."""
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        raise ValueError("an SM4 key is 32 hexadecimal digits") from None
    if len(key) != 16:
        raise ValueError("an SM4 key is 32 hexadecimal digits (128 bits)")
    return key


def new_sm4_key() -> str:
    return os.urandom(16).hex()


def key_id(key: bytes) -> str:
    return sm3_hex(key)[:8]


@lru_cache(maxsize=4)
def _sm4_keys(texts: tuple[str, ...]) -> tuple[tuple[str, bytes], ...]:
    keys = [parse_sm4_key(text) for text in texts]
    return tuple((key_id(key), key) for key in keys)


def _keys() -> tuple[tuple[str, bytes], ...]:
    return _sm4_keys(tuple(settings.PII_SM4_KEYS))


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(value: str) -> str:
    """`value` under the first SM4 key; "" stays ""."""
    if not value:
        return ""
    kid, key = _keys()[0]
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(PREFIX.encode() + kid.encode())
    body = encryptor.update(value.encode()) + encryptor.finalize()
    packed = base64.b64encode(nonce + body + encryptor.tag).decode()
    return f"{PREFIX}{kid}:{packed}"


def is_encrypted(stored: str) -> bool:
    return stored.startswith(PREFIX) or stored.startswith(FERNET_START)


def is_current(stored: str) -> bool:
    """True when `stored` is SM4 under the key that encrypts today."""
    return stored.startswith(f"{PREFIX}{_keys()[0][0]}:")


def _decrypt_sm4(stored: str) -> str:
    try:
        kid, packed = stored[len(PREFIX) :].split(":", 1)
        raw = base64.b64decode(packed, validate=True)
    except ValueError:
        raise ValueError("cannot decrypt: not an sm4gcm value") from None
    key = dict(_keys()).get(kid)
    if key is None:
        raise ValueError(f"cannot decrypt: SM4 key {kid} is not in PII_SM4_KEY")
    nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(PREFIX.encode() + kid.encode())
    try:
        return (decryptor.update(body) + decryptor.finalize()).decode()
    except InvalidTag:
        raise ValueError("cannot decrypt: the value was altered") from None


def decrypt(stored: str) -> str:
    """The clear value. Call only where a person must see it in full."""
    if not stored:
        return ""
    if stored.startswith(PREFIX):
        return _decrypt_sm4(stored)
    legacy = tuple(settings.FIELD_ENCRYPTION_KEYS)
    if not legacy:
        raise ValueError(
            "cannot decrypt a Fernet value: FIELD_ENCRYPTION_KEY is not set"
        )
    try:
        return _fernet(legacy).decrypt(stored.encode()).decode()
    except InvalidToken:
        raise ValueError("cannot decrypt: wrong FIELD_ENCRYPTION_KEY?") from None


def _normalised(value: str) -> bytes:
    return value.strip().upper().encode()


def keyed_hash(value: str) -> str:
    """HMAC-SM3 of the normalised value: what is stored for exact search."""
    if not value:
        return ""
    return hmac_sm3_hex(settings.PII_HASH_KEY.encode(), _normalised(value))


def keyed_hashes(value: str) -> list[str]:
    """Every digest a stored row may hold for `value`: HMAC-SM3 and, until
    `pii_reencrypt` has run, the HMAC-SHA256 written before."""
    if not value:
        return []
    legacy = std_hmac.new(
        settings.PII_HASH_KEY.encode(), _normalised(value), hashlib.sha256
    ).hexdigest()
    return [keyed_hash(value), legacy]


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
