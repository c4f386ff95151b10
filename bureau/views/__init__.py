"""The bureau app's pages, by subject; the URL configuration and the
settings name them as `bureau.views.<name>`."""

from __future__ import annotations

from bureau.views.audit import (
    audit_export,
    audit_log,
    audit_verify_start,
)
from bureau.views.jobs import (
    job_download,
    job_list,
    job_page,
)
from bureau.views.mfa import (
    MFA_PENDING,
    account,
    account_recovery_codes,
    account_session_end,
    account_token_end,
    login_otp,
    mfa_enrol,
    mfa_pending_start,
    mfa_user_list,
    mfa_user_reset,
)
from bureau.views.pages import (
    LoginView,
    bad_request,
    csrf_failure,
    favicon,
    home,
    lockout_list,
    lockout_unlock,
    not_found,
    notification_read,
    notifications,
    permission_denied,
    server_error,
)
from bureau.views.passwords import (
    password_change,
)

__all__ = [
    "LoginView",
    "MFA_PENDING",
    "account",
    "account_recovery_codes",
    "account_session_end",
    "account_token_end",
    "audit_export",
    "audit_log",
    "audit_verify_start",
    "bad_request",
    "csrf_failure",
    "favicon",
    "home",
    "job_download",
    "job_list",
    "job_page",
    "lockout_list",
    "lockout_unlock",
    "login_otp",
    "mfa_enrol",
    "mfa_pending_start",
    "mfa_user_list",
    "mfa_user_reset",
    "not_found",
    "notification_read",
    "notifications",
    "password_change",
    "permission_denied",
    "server_error",
]
