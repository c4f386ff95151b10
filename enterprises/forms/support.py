"""Forms of enterprise support: the visit (走访) record."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bureau.lib.forms import ListedChoiceField
from bureau.models import User
from enterprises.forms.fields import _field
from enterprises.permissions import VISITORS


class VisitForm(forms.Form):
    visited_on = forms.DateField(
        label=_("visit date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    issues_raised = forms.CharField(
        label=_("issues raised"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    follow_up_action = forms.CharField(
        label=_("Follow-up action"), required=False, max_length=300
    )
    follow_up_owner = ListedChoiceField(
        label=_("owner"), queryset=User.objects.none(), required=False
    )
    follow_up_due_on = forms.DateField(
        label=_("due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        _field(
            self, "follow_up_owner", forms.ModelChoiceField
        ).queryset = User.objects.filter(is_active=True, role__in=VISITORS).order_by(
            "full_name"
        )
        self.fields["follow_up_owner"].initial = user.pk

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("follow_up_action") and not data.get("follow_up_due_on"):
            self.add_error("follow_up_due_on", _("Give the follow-up a due date."))
        return data
