"""Writes of the bureau app, by subject: users, the login lockout, API
tokens, notifications, configuration. Callers import from `bureau.services`."""

from __future__ import annotations

from bureau.services.config import (
    ORG_UNIT_AUDIT_FIELDS,
    audit_export_record,
    config_save,
    org_unit_save,
)
from bureau.services.logins import (
    account_unlock,
    login_failure_record,
    login_locked_until,
    login_success_record,
    login_throttles_prune,
)
from bureau.services.notifications import (
    notification_create,
    notification_mark_read,
    notification_send_email,
)
from bureau.services.tokens import (
    api_token_create,
    api_token_revoke,
    api_tokens_prune,
)
from bureau.services.users import (
    USER_AUDIT_FIELDS,
    role_change_decide,
    user_active_set,
    user_create,
    user_password_temporary_set,
    user_save,
    user_set_password,
    user_update,
    users_dormant_disable,
)

__all__ = [
    "ORG_UNIT_AUDIT_FIELDS",
    "USER_AUDIT_FIELDS",
    "account_unlock",
    "api_token_create",
    "api_token_revoke",
    "api_tokens_prune",
    "audit_export_record",
    "config_save",
    "login_failure_record",
    "login_locked_until",
    "login_success_record",
    "login_throttles_prune",
    "notification_create",
    "notification_mark_read",
    "notification_send_email",
    "org_unit_save",
    "role_change_decide",
    "user_active_set",
    "user_create",
    "user_password_temporary_set",
    "user_save",
    "user_set_password",
    "user_update",
    "users_dormant_disable",
]
