"""Request types for views and APIs behind the login.

LoginRequiredMiddleware (pages) and IsAuthenticated (API) guarantee a real
user everywhere except the views marked public, so views annotate their
request with these and pass `request.user` to services typed `by: User`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from rest_framework.request import Request

if TYPE_CHECKING:
    from bureau.models import User


class AuthedRequest(HttpRequest):
    user: User


class AuthedApiRequest(Request):
    user: User


def acting_user(request: HttpRequest | Request) -> User:
    """The signed-in user of a request that is behind the login (the admin,
    a DRF permission), typed for services' `by=`."""
    from bureau.models import User

    user = request.user
    if not isinstance(user, User):
        raise PermissionError("This request has no signed-in user.")
    return user
