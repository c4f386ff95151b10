from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from projects.fields import split_names
from projects.models import Application, Call, Expert, ProfessionalField, Programme
from projects.services.calls import call_create

PDF = b"%PDF-1.7\n" + b"x" * 64


def pdf(name: str = "file.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def make_programme(**changes) -> Programme:  # type: ignore[no-untyped-def]
    return Programme.objects.create(
        **{
            "name": "区科技计划项目",
            "level": "district",
            "kind": "grant",
            "midterm_threshold": Decimal("500000"),
            **changes,
        }
    )


def make_call(by, programme=None, published=True, **changes) -> Call:  # type: ignore[no-untyped-def]
    now = timezone.now()
    fields = {
        "programme": programme or make_programme(),
        "title": "2026年度区科技计划项目申报",
        "year": now.year,
        "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=30),
        "budget_ceiling": Decimal("5000000"),
        "field": ProfessionalField.objects.get(code="01"),
        "required_attachments": ["项目申报书"],
        "reviewers_per_application": 2,
        **changes,
    }
    call = call_create(
        by=by,
        criteria=[
            {"name": "技术创新性", "weight": Decimal("0.6"), "max_score": 100},
            {"name": "经济社会效益", "weight": Decimal("0.4"), "max_score": 50},
        ],
        **fields,
    )
    if published:
        call.published_at = now - timedelta(hours=1)
        call.save(update_fields=["published_at"])
    return call


def make_expert(
    user, name: str, organisation: str = "浙江工业大学", fields: str = "电子信息"
) -> Expert:  # type: ignore[no-untyped-def]
    expert, _ = Expert.objects.update_or_create(
        user=user, defaults={"name": name, "organisation": organisation}
    )
    expert.fields.set(ProfessionalField.objects.named(split_names(fields)))
    return expert


def make_application(call, by, **changes) -> Application:  # type: ignore[no-untyped-def]
    """A submitted application of `by`'s enterprise, written directly (no
    workflow), for tests that start from a given state."""
    return Application.objects.create(
        **{
            "call": call,
            "enterprise": by.enterprise,
            "title": "工业视觉质检平台",
            "summary": "缺陷识别",
            "requested_amount": Decimal("200000"),
            "state": Application.State.SUBMITTED,
            "created_by": by,
            **changes,
        }
    )
