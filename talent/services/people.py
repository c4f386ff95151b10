"""Writes of people: ID numbers and phones reach the database only encrypted,
and the audit log only masked."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bureau.audit import audited_save, snapshot
from bureau.lib import pii
from bureau.models import User
from talent.models import (
    Talent,
)
from talent.validators import id_birth_date, validate_id_number

TALENT_FIELDS = (
    "name",
    "gender",
    "birth_year",
    "birth_date",
    "degree",
    "title",
    "field",
    "employer",
    "arrived_on",
    "left_on",
    "nationality",
)
# What the audit log records of a person: never the clear ID number or phone.
TALENT_AUDIT_FIELDS = (*TALENT_FIELDS, "id_number_masked", "phone_masked")


def _set_id_number(talent: Talent, id_number: str) -> None:
    value = id_number.strip().upper()
    if not value:
        talent.id_number_encrypted = talent.id_number_hash = talent.id_number_masked = (
            ""
        )
        return
    try:
        validate_id_number(value)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from None
    digest = pii.keyed_hash(value)
    if (
        Talent.objects.filter(id_number_hash__in=pii.keyed_hashes(value))
        .exclude(pk=talent.pk)
        .exists()
    ):
        raise ValidationError(
            {"id_number": [_("A person with this ID number is already registered.")]}
        )
    born = id_birth_date(value)
    if talent.birth_year and talent.birth_year != born.year:
        raise ValidationError(
            {"birth_year": [_("The birth year does not match the ID number.")]}
        )
    if talent.birth_date and talent.birth_date != born:
        raise ValidationError(
            {"birth_date": [_("The date of birth does not match the ID number.")]}
        )
    talent.birth_year = born.year
    talent.birth_date = born
    if not talent.gender:
        talent.gender = (
            Talent.Gender.MALE if int(value[16]) % 2 else Talent.Gender.FEMALE
        )
    talent.id_number_encrypted = pii.encrypt(value)
    talent.id_number_hash = digest
    talent.id_number_masked = pii.mask_id_number(value)


def _sync_birth_year(talent: Talent) -> None:
    """A date of birth given sets the birth year; a year that disagrees
    with it is refused."""
    if talent.birth_date is None:
        return
    if talent.birth_year and talent.birth_year != talent.birth_date.year:
        raise ValidationError(
            {"birth_year": [_("The birth year does not match the date of birth.")]}
        )
    talent.birth_year = talent.birth_date.year


def _set_phone(talent: Talent, phone: str) -> None:
    value = "".join(ch for ch in phone if ch.isdigit() or ch in "+-")
    if phone.strip() and len([c for c in value if c.isdigit()]) < 7:
        raise ValidationError({"phone": [_("This is not a phone number.")]})
    talent.phone_encrypted = pii.encrypt(value)
    talent.phone_masked = pii.mask_phone(value)


@transaction.atomic
def talent_create(
    *, by: User | None, name: str, id_number: str = "", phone: str = "", **fields: Any
) -> Talent:
    unknown = set(fields) - set(TALENT_FIELDS)
    if unknown:
        raise ValueError(f"talent_create cannot set {sorted(unknown)}")
    talent = Talent(name=name, **fields)
    _sync_birth_year(talent)
    _set_id_number(talent, id_number)
    _set_phone(talent, phone)
    return audited_save(
        talent, by=by, action="talent.create", fields=TALENT_AUDIT_FIELDS
    )


@transaction.atomic
def talent_update(*, talent: Talent, by: User | None, **fields: Any) -> Talent:
    """Change a person; `id_number` and `phone` may be given in clear and are
    stored encrypted like on creation."""
    before = snapshot(talent, TALENT_AUDIT_FIELDS)
    id_number = fields.pop("id_number", None)
    phone = fields.pop("phone", None)
    unknown = set(fields) - set(TALENT_FIELDS)
    if unknown:
        raise ValueError(f"talent_update cannot set {sorted(unknown)}")
    if fields.get("birth_date") and "birth_year" not in fields:
        talent.birth_year = None  # follows the new date
    for name, value in fields.items():
        setattr(talent, name, value)
    _sync_birth_year(talent)
    if id_number is not None:
        _set_id_number(talent, id_number)
    if phone is not None:
        _set_phone(talent, phone)
    return audited_save(
        talent,
        by=by,
        action="talent.update",
        fields=TALENT_AUDIT_FIELDS,
        before=before,
        only_if_changed=True,
    )


def talents_reencrypt() -> dict[str, int]:
    """Rewrite ID numbers and phones not yet under the current SM4 key, and
    searchable hashes not yet HMAC-SM3 (`manage.py pii_reencrypt` calls this
    through bureau.lib.pii.REENCRYPT_HOOKS); the counts rewritten."""
    counts = {"talent.id_number": 0, "talent.phone": 0}
    rows = Talent.objects.values_list(
        "pk", "id_number_encrypted", "id_number_hash", "phone_encrypted"
    )
    for pk, id_stored, id_hash, phone_stored in rows.iterator(chunk_size=1000):
        update: dict[str, str] = {}
        if id_stored and not pii.is_current(id_stored):
            clear = pii.decrypt(id_stored)
            update["id_number_encrypted"] = pii.encrypt(clear)
            update["id_number_hash"] = pii.keyed_hash(clear)
            counts["talent.id_number"] += 1
        elif id_stored and len(id_hash) == 64:
            clear = pii.decrypt(id_stored)
            digest = pii.keyed_hash(clear)
            if digest != id_hash:
                update["id_number_hash"] = digest
                counts["talent.id_number"] += 1
        if phone_stored and not pii.is_current(phone_stored):
            update["phone_encrypted"] = pii.encrypt(pii.decrypt(phone_stored))
            counts["talent.phone"] += 1
        if update:
            Talent.objects.filter(pk=pk).update(**update)
    return counts
