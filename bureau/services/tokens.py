"""API tokens: issue (with the per-user limit), revoke, prune."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from bureau.audit import audit
from bureau.models import (
    User,
)

if TYPE_CHECKING:
    from knox.models import AuthToken


def api_tokens_prune() -> int:
    from knox.models import AuthToken

    count, _ = AuthToken.objects.filter(expiry__lt=timezone.now()).delete()
    return count


@transaction.atomic
def api_token_create(*, user: User) -> tuple[AuthToken, str]:
    """A new API token for `user` (the instance and its secret). A user holds
    at most REST_KNOX["TOKEN_LIMIT_PER_USER"] live tokens: expired ones are
    dropped and the oldest live ones revoked to make room. Concurrent logins
    of one user queue on the user's row, so the limit holds under load."""
    from knox.models import AuthToken
    from knox.settings import knox_settings

    User.objects.select_for_update().filter(pk=user.pk).values("pk").first()
    now = timezone.now()
    tokens = AuthToken.objects.filter(user=user)
    tokens.filter(expiry__lt=now).delete()
    limit = knox_settings.TOKEN_LIMIT_PER_USER
    oldest = list(
        tokens.order_by("-created").values_list("pk", flat=True)[max(limit - 1, 0) :]
    )
    if oldest:
        AuthToken.objects.filter(pk__in=oldest).delete()
        audit(
            by=user,
            action="api_token.revoke_oldest",
            target=user,
            after={"revoked": len(oldest)},
        )
    instance, token = AuthToken.objects.create(
        user=user, expiry=knox_settings.TOKEN_TTL
    )
    audit(by=user, action="api_token.create", target=user)
    return instance, token


@transaction.atomic
def api_token_revoke(
    *, by: User, token: AuthToken | None, everything: bool = False
) -> int:
    """Revoke the caller's `token`, or every token of theirs; audited."""
    from knox.models import AuthToken

    if everything:
        count, _kinds = AuthToken.objects.filter(user=by).delete()
    else:
        count, _kinds = AuthToken.objects.filter(pk=getattr(token, "pk", None)).delete()
    audit(
        by=by,
        action="api_token.revoke_all" if everything else "api_token.revoke",
        target=by,
    )
    return count
