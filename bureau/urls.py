from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from bureau import health, home, views
from bureau.forms import PasswordResetSetForm
from bureau.views import accounts as account_views
from bureau.views.metrics import metrics_view
from bureau.views.tasks import task_page_patterns

admin.site.site_header = "区县科技局业务平台管理"
admin.site.site_title = "区县科技局业务平台管理"
admin.site.index_title = "系统管理"

handler400 = "bureau.views.bad_request"
handler403 = "bureau.views.permission_denied"
handler404 = "bureau.views.not_found"
handler500 = "bureau.views.server_error"


urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),
    path("favicon.ico", views.favicon, name="favicon"),
    # Pages
    path("", views.home, name="home"),
    path("work/<slug:name>/", home.queue_view, name="home-queue"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # /account/password/ (bureau/passwords.py): change, and reset by e-mail
    path("account/password/", views.password_change, name="password-change"),
    path(
        "account/password/reset/",
        auth_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "account/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "account/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=PasswordResetSetForm),
        name="password_reset_confirm",
    ),
    path(
        "account/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("security/lockouts/", views.lockout_list, name="lockout-list"),
    path("security/lockouts/unlock/", views.lockout_unlock, name="lockout-unlock"),
    path("audit/", views.audit_log, name="audit-log"),
    path("audit/export/", views.audit_export, name="audit-export"),
    path("audit/verify/", views.audit_verify_start, name="audit-verify"),
    path("notifications/", views.notifications, name="notification-list"),
    path("jobs/", views.job_list, name="job-list"),
    path("jobs/<int:pk>/", views.job_page, name="job-page"),
    path("jobs/<int:pk>/download/", views.job_download, name="job-download"),
    path(
        "notifications/<int:pk>/read/",
        views.notification_read,
        name="notification-read",
    ),
    path("login/code/", views.login_otp, name="login-otp"),
    path("login/enrol/", views.mfa_enrol, name="mfa-enrol"),
    path("security/mfa/", views.mfa_user_list, name="mfa-user-list"),
    path("security/mfa/<int:pk>/reset/", views.mfa_user_reset, name="mfa-user-reset"),
    path("accounts/users/", account_views.account_list, name="account-list"),
    path("accounts/users/new/", account_views.account_create, name="account-create"),
    path(
        "accounts/users/<int:pk>/disable/",
        account_views.account_active_set,
        {"active": False},
        name="account-disable",
    ),
    path(
        "accounts/users/<int:pk>/enable/",
        account_views.account_active_set,
        {"active": True},
        name="account-enable",
    ),
    path(
        "accounts/users/<int:pk>/password/",
        account_views.account_password_reset,
        name="account-password-reset",
    ),
    path(
        "accounts/role-changes/<int:pk>/decide/",
        account_views.role_change_decision,
        name="role-change-decide",
    ),
    path("account/", views.account, name="account"),
    path(
        "account/sessions/<int:pk>/end/",
        views.account_session_end,
        name="account-session-end",
    ),
    path("account/tokens/end/", views.account_token_end, name="account-token-end"),
    path(
        "account/recovery-codes/",
        views.account_recovery_codes,
        name="account-recovery-codes",
    ),
    *task_page_patterns,
    path("", include("enterprises.urls")),
    path("", include("talent.urls")),
    path("", include("projects.urls")),
    path("", include("indicators.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    # API
    # Public or not per API_DOCS_PUBLIC (SPECTACULAR_SETTINGS SERVE_PERMISSIONS).
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(  # the split view: no inline script, for the CSP
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="schema", template_name="api_docs.html"
        ),
        name="api-docs",
    ),
    path("api/v1/", include("bureau.api_urls")),
    # Anything else under /api/ is a JSON 404, never the login page or HTML.
    re_path(r"^api/", csrf_exempt(login_not_required(views.not_found))),
]
