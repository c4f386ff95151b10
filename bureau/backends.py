from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from bureau.lib.request_context import current_ip

if TYPE_CHECKING:
    from bureau.models import User


class LockoutModelBackend(ModelBackend):
    """ModelBackend that refuses a locked username outright, even with the
    right password, and counts every failure in the database.

    Every login path (the login page, the admin, the token API) goes through
    `authenticate()`, so they share one lockout.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        from bureau.services import (
            login_failure_record,
            login_locked_until,
            login_success_record,
        )

        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if not username or password is None:
            return None
        if login_locked_until(username=username) is not None:
            # Still run the hasher so a locked account answers as slowly as
            # any other; then stop the backend chain.
            get_user_model()().set_password(password)
            login_failure_record(username=username, ip_address=current_ip.get())
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password)
        if user is None:
            login_failure_record(username=username, ip_address=current_ip.get())
            return None
        from bureau.mfa import mfa_required

        # With a second factor to come, the run of failures ends only once
        # the code is right (bureau/views.py LoginOtpView, the token API).
        if not mfa_required(user):
            login_success_record(user=user)
        return user
