from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bureau.lib.fields import EncryptedTextField


class Role(models.TextChoices):
    """The nine roles of DESIGN §2. Each is also a Group carrying model
    permissions (see bureau/roles.py)."""

    BUREAU_ADMIN = "bureau_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDITOR = "auditor", _("Audit administrator")
    STAFF = "staff", _("Bureau officer")
    SECTION_HEAD = "section_head", _("Section head")
    LEADER = "leader", _("Bureau leadership")
    STREET_LIAISON = "street_liaison", _("Street or park liaison")
    ENTERPRISE = "enterprise", _("Enterprise user")
    EXPERT = "expert", _("Expert")


# Roles that manage the system rather than business data (三员分立).
ADMIN_ROLES = frozenset({Role.BUREAU_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR})
# Roles inside the bureau that work on business data.
BUREAU_ROLES = frozenset({Role.STAFF, Role.SECTION_HEAD, Role.LEADER})
# Roles whose grant needs the security administrator's approval (三员分立):
# the system administrator proposes, another person approves.
PRIVILEGED_ROLES = BUREAU_ROLES | ADMIN_ROLES


class OrgUnit(models.Model):
    """A node of the administrative tree: city → district → street or park.

    Districts under the same city are peers, ranked against each other; the
    bureau's own district is the one marked `is_home`.
    """

    class Level(models.TextChoices):
        CITY = "city", _("City")
        DISTRICT = "district", _("District or county")
        STREET = "street", _("Street or town")
        PARK = "park", _("Park")

    # Which level may sit under which.
    PARENT_LEVELS: dict[str, tuple[str | None, ...]] = {
        Level.CITY: (None,),
        Level.DISTRICT: (Level.CITY,),
        Level.STREET: (Level.DISTRICT,),
        Level.PARK: (Level.DISTRICT,),
    }

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        validators=[
            RegexValidator(
                r"^[0-9A-Za-z_-]+$",
                _("Use only letters, digits, hyphens and underscores."),
            )
        ],
        help_text=_("Administrative division code, e.g. 330105 or 330105001."),
    )
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_home = models.BooleanField(
        _("our district"),
        default=False,
        help_text=_("The district this bureau serves. Exactly one unit has it."),
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        ordering = ["sort_order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_home"],
                condition=Q(is_home=True),
                name="bureau_orgunit_one_home",
                violation_error_message=_("Only one org unit can be our district."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        allowed: tuple[str | None, ...] = self.PARENT_LEVELS.get(self.level) or ()
        parent_level = self.parent.level if self.parent is not None else None
        if parent_level not in allowed:
            raise ValidationError(
                {"parent": _("A unit of this level cannot sit under that parent.")}
            )
        if self.is_home and self.level != self.Level.DISTRICT:
            raise ValidationError({"is_home": _("Only a district can be ours.")})

    @property
    def is_street_or_park(self) -> bool:
        return self.level in (self.Level.STREET, self.Level.PARK)


class User(AbstractUser):
    """A person who signs in. One role each; the role's Group carries the
    model permissions and the links below scope what the user sees."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    phone = EncryptedTextField(_("phone"), max_length=30, blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("org unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    # The password lifecycle (bureau/passwords.py). A password someone else
    # chose (an administrator, a bulk issue, a registration) must be changed
    # at the next login; `password_changed_at` drives expiry.
    password_change_required = models.BooleanField(
        _("must change password at next login"), default=False
    )
    password_changed_at = models.DateTimeField(
        _("password changed at"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="enterprise") | Q(enterprise__isnull=False),
                name="bureau_user_enterprise_role_has_enterprise",
                violation_error_message=_("An enterprise user needs an enterprise."),
            ),
            models.CheckConstraint(
                condition=~Q(role="street_liaison") | Q(org_unit__isnull=False),
                name="bureau_user_liaison_has_org_unit",
                violation_error_message=_(
                    "A street or park liaison needs a street or park."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        if self.role != Role.ENTERPRISE and self.enterprise_id:
            raise ValidationError(
                {"enterprise": _("Only enterprise users are linked to an enterprise.")}
            )
        if (
            self.role == Role.STREET_LIAISON
            and self.org_unit is not None
            and not self.org_unit.is_street_or_park
        ):
            raise ValidationError(
                {"org_unit": _("A liaison must belong to a street or a park.")}
            )

    def get_short_name(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def is_enterprise_user(self) -> bool:
        return self.role == Role.ENTERPRISE


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise TypeError("Audit events are append-only")

    def delete(self):  # type: ignore[no-untyped-def]
        raise TypeError("Audit events are append-only")


class AuditEvent(models.Model):
    """One business action: who did what to which object, the fields that
    changed (before and after), when and from where. Append-only: the model
    refuses updates and deletes, and on PostgreSQL a trigger does too."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Kept as text so the record reads the same after renames.
    actor_username = models.CharField(_("actor username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(
        _("changes"),
        default=dict,
        blank=True,
        help_text=_('Changed fields: {"field": [before, after]}.'),
    )
    message = models.CharField(_("message"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # The chain (bureau/audit_chain.py): SM3 of this event's content and the
    # previous event's digest, so a changed or removed row breaks every later one.
    prev_digest = models.CharField(_("previous digest"), max_length=64, blank=True)
    digest = models.CharField(_("digest"), max_length=64, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.action}"
        )

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise TypeError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise TypeError("Audit events are append-only")


class AuditChain(models.Model):
    """The head of the audit chain (one row): the digest the next event links
    to, and what the last verification found. Locked while an event is added,
    so events are chained in the order of their ids."""

    last_event_id = models.BigIntegerField(null=True, blank=True)
    last_digest = models.CharField(max_length=64, blank=True)
    # Events archived out of the table (`audit_archive`) end at this digest,
    # which the first remaining event links to.
    anchor_event_id = models.BigIntegerField(null=True, blank=True)
    anchor_digest = models.CharField(max_length=64, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_count = models.PositiveBigIntegerField(default=0)
    broken_event_id = models.BigIntegerField(null=True, blank=True)
    broken_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("audit chain")
        verbose_name_plural = _("audit chain")

    def __str__(self) -> str:
        return f"audit chain at {self.last_event_id}"


class LoginThrottle(models.Model):
    """Consecutive login failures for one username, known or not, so that an
    unknown username behaves exactly like a wrong password."""

    username = models.CharField(_("username"), max_length=150, unique=True)
    failures = models.PositiveIntegerField(_("consecutive failures"), default=0)
    # ISO times of the failures still inside the window, oldest first.
    recent_failures = models.JSONField(_("recent failures"), default=list)
    last_failure_at = models.DateTimeField(_("last failure"), null=True)
    last_ip_address = models.GenericIPAddressField(
        _("last IP address"), null=True, blank=True
    )
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("login lockout")
        verbose_name_plural = _("login lockouts")
        ordering = ["-last_failure_at"]
        permissions = [("unlock_account", _("Can unlock a locked account"))]

    def __str__(self) -> str:
        return self.username

    def is_locked(self, now=None) -> bool:  # type: ignore[no-untyped-def]
        now = now or timezone.now()
        return self.locked_until is not None and self.locked_until > now


class Notification(models.Model):
    """An in-app message to one user, optionally also sent by e-mail."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    send_email = models.BooleanField(_("send e-mail"), default=False)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.subject


class RoleChangeRequest(models.Model):
    """A privileged role proposed for a user by the system administrator,
    applied only when a security administrator (another person) approves it
    (三员分立). `role` and `is_active` are the account's state once approved."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SUPERSEDED = "superseded", _("Superseded")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="role_change_requests",
    )
    role = models.CharField(_("requested role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    previous_role = models.CharField(
        _("previous role"), max_length=20, choices=Role.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("role change request")
        verbose_name_plural = _("role change requests")
        ordering = ["-requested_at", "-id"]
        permissions = [
            ("approve_rolechangerequest", _("Can approve a privileged role change"))
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="pending"),
                name="bureau_rolechange_one_pending",
                violation_error_message=_(
                    "This user already has a role change awaiting approval."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.get_role_display()}"


class PasswordHistory(models.Model):
    """The hashes of a user's recent passwords, newest first, so that none of
    the last PASSWORD_HISTORY is chosen again (bureau/passwords.py)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="password_history",
    )
    password = models.CharField(_("password hash"), max_length=128)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("earlier password")
        verbose_name_plural = _("earlier passwords")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"


class UserSession(models.Model):
    """A place a user is signed in from: a browser session or an API token,
    with when and from where, so the user can see and end each one
    (bureau/sessions.py)."""

    class Kind(models.TextChoices):
        SESSION = "session", _("Browser session")
        TOKEN = "token", _("API token")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="signed_in",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # The session key, or the API token's digest.
    key = models.CharField(_("key"), max_length=128, unique=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("signed in at"), default=timezone.now)
    last_seen = models.DateTimeField(_("last active"), default=timezone.now)

    class Meta:
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "kind"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"


from bureau.models.jobs import BackgroundJob  # noqa: E402, F401
from bureau.models.tasks import (  # noqa: E402, F401
    Deadline,
    DeadlineDate,
    DeadlineReminder,
    LineOfWork,
    Task,
    TaskNote,
    TaskReminder,
)
