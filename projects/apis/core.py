"""The projects API: programmes, calls, applications and their workflow,
reviews, contracts and money (DESIGN §5)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import paginated
from bureau.models import Role
from bureau.permissions import has_role
from enterprises.models import Tier
from projects.models import (
    Application,
    Attachment,
    BudgetLine,
    Call,
    Disbursement,
    Milestone,
    Programme,
    ReviewAssignment,
)
from projects.permissions import (
    BUREAU,
    applications_visible_to,
    calls_visible_to,
    can_manage_calls,
    get_application_for_user,
    may_see_files,
)
from projects.selectors import (
    application_list,
    assignments_for_expert,
    call_eligibility,
    call_ranking,
    ledger,
)
from projects.services.applications import (
    application_create,
    application_update,
    attachment_add,
)
from projects.services.calls import (
    call_create,
    call_panel_close,
    call_publish,
    programme_create,
)
from projects.services.money import (
    contract_record,
    disbursement_pay,
    disbursement_withhold,
    milestone_achieve,
)
from projects.services.review import assignment_declare, review_submit, reviewers_draw
from projects.workflow import allowed_transitions, application_transition


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


# --- Programmes and calls -----------------------------------------------------


class ProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Programme
        fields = ["id", "name", "level", "kind", "midterm_threshold", "is_active"]


class ProgrammeListCreateApi(APIView):
    @extend_schema(responses=ProgrammeSerializer(many=True))
    def get(self, request: Any) -> Response:
        return paginated(request, self, Programme.objects.all(), ProgrammeSerializer)

    @extend_schema(request=ProgrammeSerializer, responses={201: ProgrammeSerializer})
    def post(self, request: Any) -> Response:
        _require(has_role(request.user, Role.SECTION_HEAD))
        data = ProgrammeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        programme = programme_create(by=request.user, **data.validated_data)
        return Response(
            ProgrammeSerializer(programme).data, status=status.HTTP_201_CREATED
        )


class CallOutputSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    programme_name = serializers.CharField(source="programme.name", read_only=True)
    eligible_tiers = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    criteria = serializers.SerializerMethodField()

    class Meta:
        model = Call
        fields = [
            "id",
            "programme",
            "programme_name",
            "title",
            "year",
            "status",
            "description",
            "opens_at",
            "closes_at",
            "published_at",
            "eligible_tiers",
            "fields",
            "required_attachments",
            "budget_ceiling",
            "max_request",
            "criteria",
        ]

    def get_criteria(self, call: Call) -> list[dict[str, Any]]:
        return [
            {
                "id": c.pk,
                "name": c.name,
                "weight": str(c.weight),
                "max_score": c.max_score,
            }
            for c in call.criteria.all()
        ]


class CallInputSerializer(serializers.Serializer):
    class CriterionSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=100)
        weight = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0)
        max_score = serializers.IntegerField(min_value=1, max_value=1000, default=100)

    programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.all())
    title = serializers.CharField(max_length=200)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    description = serializers.CharField(required=False, allow_blank=True)
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    eligible_tiers = serializers.SlugRelatedField(
        slug_field="code", queryset=Tier.objects.all(), many=True, required=False
    )
    precheck_tier = serializers.SlugRelatedField(
        slug_field="code", queryset=Tier.objects.all(), required=False, allow_null=True
    )
    fields = serializers.CharField(max_length=200, required=False, allow_blank=True)
    required_attachments = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False
    )
    budget_ceiling = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0
    )
    max_request = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    reviewers_per_application = serializers.IntegerField(
        min_value=1, max_value=15, required=False
    )
    criteria = CriterionSerializer(many=True)


class CallListCreateApi(APIView):
    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=Call.Status.choices, required=False)
        year = serializers.IntegerField(required=False)

    @extend_schema(
        parameters=[FilterSerializer], responses=CallOutputSerializer(many=True)
    )
    def get(self, request: Any) -> Response:
        from django.db.models import Q
        from django.utils import timezone

        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        qs = calls_visible_to(request.user).prefetch_related(
            "eligible_tiers", "criteria"
        )
        now = timezone.now()
        wanted = filters.validated_data.get("status")
        if wanted == Call.Status.DRAFT:
            qs = qs.filter(published_at__isnull=True)
        elif wanted == Call.Status.OPEN:
            qs = qs.filter(published_at__isnull=False, closes_at__gt=now)
        elif wanted == Call.Status.CLOSED:
            qs = qs.filter(Q(published_at__isnull=False) & Q(closes_at__lte=now))
        if "year" in filters.validated_data:
            qs = qs.filter(year=filters.validated_data["year"])
        return paginated(request, self, qs, CallOutputSerializer)

    @extend_schema(request=CallInputSerializer, responses={201: CallOutputSerializer})
    def post(self, request: Any) -> Response:
        _require(can_manage_calls(request.user))
        data = CallInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        criteria = [dict(c) for c in values.pop("criteria")]
        call = call_create(
            by=request.user,
            criteria=criteria,
            eligible_tiers=values.pop("eligible_tiers", []),
            **values,
        )
        return Response(CallOutputSerializer(call).data, status=status.HTTP_201_CREATED)


class CallDetailApi(APIView):
    @extend_schema(responses=CallOutputSerializer)
    def get(self, request: Any, pk: int) -> Response:
        return Response(
            CallOutputSerializer(
                get_object_or_404(calls_visible_to(request.user), pk=pk)
            ).data
        )


class CallPublishApi(APIView):
    @extend_schema(request=None, responses=CallOutputSerializer)
    def post(self, request: Any, pk: int) -> Response:
        call = get_object_or_404(calls_visible_to(request.user), pk=pk)
        _require(can_manage_calls(request.user))
        return Response(
            CallOutputSerializer(call_publish(call=call, by=request.user)).data
        )


class CallPanelCloseApi(APIView):
    @extend_schema(request=None, responses=CallOutputSerializer)
    def post(self, request: Any, pk: int) -> Response:
        call = get_object_or_404(calls_visible_to(request.user), pk=pk)
        _require(can_manage_calls(request.user))
        return Response(
            CallOutputSerializer(call_panel_close(call=call, by=request.user)).data
        )


class CallEligibilityApi(APIView):
    """For an enterprise user: may I apply, and if not, what is missing?"""

    def get(self, request: Any, pk: int) -> Response:
        call = get_object_or_404(calls_visible_to(request.user), pk=pk)
        _require(bool(request.user.enterprise_id))
        result = call_eligibility(call=call, enterprise=request.user.enterprise)
        return Response({"eligible": result.eligible, "reasons": result.reasons})


class CallRankingApi(APIView):
    def get(self, request: Any, pk: int) -> Response:
        _require(has_role(request.user, *BUREAU))
        call = get_object_or_404(Call, pk=pk)
        return Response(
            {
                "call": call.pk,
                "panel_closed": call.panel_closed_at is not None,
                "results": [
                    {
                        "rank": r.rank,
                        "application": r.application_id,
                        "title": r.title,
                        "enterprise": r.enterprise,
                        "state": r.state,
                        "reviews": r.reviews,
                        "average": str(r.average) if r.average is not None else None,
                    }
                    for r in call_ranking(call=call)
                ],
            }
        )


# --- Applications -----------------------------------------------------------


class BudgetLineSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=BudgetLine.Category.choices)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class TeamMemberSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    organisation = serializers.CharField(
        max_length=200, required=False, allow_blank=True
    )
    role = serializers.CharField(max_length=100, required=False, allow_blank=True)


class ApplicationListSerializer(serializers.ModelSerializer):
    call_title = serializers.CharField(source="call.title", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "call",
            "call_title",
            "enterprise",
            "enterprise_name",
            "title",
            "requested_amount",
            "approved_amount",
            "state",
            "state_changed_at",
            "submitted_at",
        ]


class ApplicationDetailSerializer(ApplicationListSerializer):
    allowed_transitions = serializers.SerializerMethodField()
    budget_lines = BudgetLineSerializer(many=True, read_only=True)
    team_members = TeamMemberSerializer(many=True, read_only=True)
    attachments = serializers.SerializerMethodField()
    transitions = serializers.SerializerMethodField()
    possible_duplicates = serializers.SerializerMethodField()

    class Meta(ApplicationListSerializer.Meta):
        fields = [
            *ApplicationListSerializer.Meta.fields,
            "summary",
            "content",
            "field",
            "allowed_transitions",
            "budget_lines",
            "team_members",
            "attachments",
            "transitions",
            "possible_duplicates",
        ]

    def get_allowed_transitions(self, app: Application) -> list[str]:
        return allowed_transitions(user=self.context["request"].user, application=app)

    def get_attachments(self, app: Application) -> list[dict[str, Any]]:
        return [
            {"id": a.pk, "kind": a.kind, "name": a.original_name, "size": a.size}
            for a in app.attachments.all()
        ]

    def get_transitions(self, app: Application) -> list[dict[str, Any]]:
        return [
            {
                "from": t.from_state,
                "to": t.to_state,
                "actor": t.actor.get_username(),
                "comment": t.comment,
                "at": t.at.isoformat(),
            }
            for t in app.transitions.select_related("actor")
        ]

    def get_possible_duplicates(self, app: Application) -> list[int]:
        if not has_role(self.context["request"].user, *BUREAU):
            return []
        return list(app.duplicate_of.values_list("pk", flat=True))


class ApplicationInputSerializer(serializers.Serializer):
    call = serializers.PrimaryKeyRelatedField(queryset=Call.objects.all())
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField()
    content = serializers.CharField(required=False, allow_blank=True)
    field = serializers.CharField(max_length=50, required=False, allow_blank=True)
    requested_amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0
    )
    budget_lines = BudgetLineSerializer(many=True, required=False)
    team_members = TeamMemberSerializer(many=True, required=False)


class ApplicationListCreateApi(APIView):
    class FilterSerializer(serializers.Serializer):
        state = serializers.ChoiceField(
            choices=Application.State.choices, required=False
        )
        call = serializers.IntegerField(required=False)
        enterprise = serializers.IntegerField(required=False)

    @extend_schema(
        parameters=[FilterSerializer], responses=ApplicationListSerializer(many=True)
    )
    def get(self, request: Any) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        qs = application_list(user=request.user, filters=filters.validated_data)
        return paginated(request, self, qs, ApplicationListSerializer)

    @extend_schema(
        request=ApplicationInputSerializer, responses={201: ApplicationDetailSerializer}
    )
    def post(self, request: Any) -> Response:
        _require(has_role(request.user, Role.ENTERPRISE))
        data = ApplicationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        call = values.pop("call")
        if not calls_visible_to(request.user).filter(pk=call.pk).exists():
            raise Http404
        app = application_create(
            by=request.user,
            call=call,
            budget_lines=[dict(x) for x in values.pop("budget_lines", [])] or None,
            team_members=[dict(x) for x in values.pop("team_members", [])] or None,
            **values,
        )
        serializer = ApplicationDetailSerializer(app, context={"request": request})
        return Response(serializer.data, status=status.HTTP_201_CREATED)


class ApplicationDetailApi(APIView):
    @extend_schema(responses=ApplicationDetailSerializer)
    def get(self, request: Any, pk: int) -> Response:
        app = get_application_for_user(request.user, pk)
        return Response(
            ApplicationDetailSerializer(app, context={"request": request}).data
        )

    @extend_schema(
        request=ApplicationInputSerializer, responses=ApplicationDetailSerializer
    )
    def patch(self, request: Any, pk: int) -> Response:
        app = get_application_for_user(request.user, pk, write=True)
        data = ApplicationInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("call", None)
        lines = values.pop("budget_lines", None)
        members = values.pop("team_members", None)
        application_update(
            application=app,
            by=request.user,
            budget_lines=[dict(x) for x in lines] if lines is not None else None,
            team_members=[dict(x) for x in members] if members is not None else None,
            **values,
        )
        return Response(
            ApplicationDetailSerializer(app, context={"request": request}).data
        )


class ApplicationTransitionApi(APIView):
    """POST {"to": STATE, "comment": "…"}; approving also takes approved_amount."""

    class InputSerializer(serializers.Serializer):
        to = serializers.CharField(max_length=20)
        comment = serializers.CharField(required=False, allow_blank=True, default="")
        approved_amount = serializers.DecimalField(
            max_digits=14, decimal_places=2, required=False, allow_null=True
        )

    @extend_schema(request=InputSerializer, responses=ApplicationDetailSerializer)
    def post(self, request: Any, pk: int) -> Response:
        app = get_application_for_user(request.user, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if values.get("approved_amount") is None:
            values.pop("approved_amount", None)
        application_transition(application=app, by=request.user, **values)
        return Response(
            ApplicationDetailSerializer(app, context={"request": request}).data
        )


class ApplicationAttachmentsApi(APIView):
    parser_classes = [MultiPartParser]

    class InputSerializer(serializers.Serializer):
        kind = serializers.CharField(max_length=100)
        file = serializers.FileField()

    @extend_schema(request=InputSerializer)
    def post(self, request: Any, pk: int) -> Response:
        app = get_application_for_user(request.user, pk, write=True)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        attachment = attachment_add(
            application=app,
            by=request.user,
            kind=data.validated_data["kind"],
            upload=data.validated_data["file"],
        )
        return Response(
            {
                "id": attachment.pk,
                "kind": attachment.kind,
                "name": attachment.original_name,
                "size": attachment.size,
                "content_type": attachment.content_type,
            },
            status=status.HTTP_201_CREATED,
        )


class AttachmentDownloadApi(APIView):
    """The file, to whoever may see its application (an expert only after
    declaring no conflict)."""

    def get(self, request: Any, pk: int) -> Any:
        attachment = get_object_or_404(
            Attachment.objects.select_related("application"),
            pk=pk,
            application__in=applications_visible_to(request.user),
        )
        _require(may_see_files(request.user, attachment.application))
        return FileResponse(
            attachment.file.open("rb"),
            content_type=attachment.content_type,
            as_attachment=True,
            filename=attachment.original_name or "attachment",
        )


# --- Reviews ------------------------------------------------------------------


class ReviewerDrawApi(APIView):
    @extend_schema(request=None)
    def post(self, request: Any, pk: int) -> Response:
        app = get_application_for_user(request.user, pk)
        _require(can_manage_calls(request.user))
        assignments = reviewers_draw(application=app, by=request.user)
        return Response(
            {"assigned": [a.expert.name for a in assignments]},
            status=status.HTTP_201_CREATED,
        )


class AssignmentSerializer(serializers.ModelSerializer):
    application_title = serializers.CharField(
        source="application.title", read_only=True
    )
    call = serializers.CharField(source="application.call.title", read_only=True)
    others = serializers.SerializerMethodField()

    class Meta:
        model = ReviewAssignment
        fields = [
            "id",
            "application",
            "application_title",
            "call",
            "declared_at",
            "declined_reason",
            "submitted_at",
            "scores",
            "weighted_score",
            "opinion",
            "others",
        ]

    def get_others(self, assignment: ReviewAssignment) -> list[dict[str, Any]] | None:
        """Other experts' scores stay sealed until the panel closes."""
        if assignment.application.call.panel_closed_at is None:
            return None
        return [
            {"weighted_score": str(a.weighted_score)}
            for a in assignment.application.assignments.exclude(pk=assignment.pk)
            if a.submitted_at
        ]


class MyReviewsApi(APIView):
    @extend_schema(responses=AssignmentSerializer(many=True))
    def get(self, request: Any) -> Response:
        _require(has_role(request.user, Role.EXPERT))
        return paginated(
            request,
            self,
            assignments_for_expert(user=request.user),
            AssignmentSerializer,
        )


def _my_assignment(request: Any, pk: int) -> ReviewAssignment:
    _require(has_role(request.user, Role.EXPERT))
    return get_object_or_404(assignments_for_expert(user=request.user), pk=pk)


class ReviewDeclareApi(APIView):
    class InputSerializer(serializers.Serializer):
        conflict = serializers.BooleanField()
        reason = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(request=InputSerializer, responses=AssignmentSerializer)
    def post(self, request: Any, pk: int) -> Response:
        assignment = _my_assignment(request, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assignment_declare(
            assignment=assignment, by=request.user, **data.validated_data
        )
        return Response(AssignmentSerializer(assignment).data)


class ReviewSubmitApi(APIView):
    class InputSerializer(serializers.Serializer):
        scores = serializers.DictField(child=serializers.IntegerField())
        opinion = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(request=InputSerializer, responses=AssignmentSerializer)
    def post(self, request: Any, pk: int) -> Response:
        assignment = _my_assignment(request, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review_submit(assignment=assignment, by=request.user, **data.validated_data)
        return Response(AssignmentSerializer(assignment).data)


# --- Contracts and money ----------------------------------------------------------


class ContractApi(APIView):
    class MilestoneInput(serializers.Serializer):
        title = serializers.CharField(max_length=200)
        due_on = serializers.DateField()
        deliverable = serializers.CharField(
            max_length=300, required=False, allow_blank=True
        )
        amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)

    class InputSerializer(serializers.Serializer):
        number = serializers.CharField(max_length=50, required=False, allow_blank=True)
        start_on = serializers.DateField()
        end_on = serializers.DateField()
        deliverables = serializers.CharField()
        signed_on = serializers.DateField(required=False, allow_null=True)

        def get_fields(self) -> dict[str, Any]:
            fields = super().get_fields()
            fields["milestones"] = ContractApi.MilestoneInput(many=True)
            return fields

    @extend_schema(request=InputSerializer)
    def post(self, request: Any, pk: int) -> Response:
        app = get_application_for_user(request.user, pk)
        _require(can_manage_calls(request.user))
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        contract = contract_record(
            application=app,
            by=request.user,
            milestones=[dict(m) for m in values.pop("milestones")],
            **values,
        )
        return Response(
            {
                "id": contract.pk,
                "milestones": [
                    {"id": m.pk, "title": m.title, "due_on": m.due_on}
                    for m in contract.milestones.all()
                ],
            },
            status=status.HTTP_201_CREATED,
        )


class DisbursementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Disbursement
        fields = [
            "id",
            "application",
            "milestone",
            "amount",
            "status",
            "planned_on",
            "paid_on",
            "note",
        ]


class MilestoneAchieveApi(APIView):
    @extend_schema(request=None)
    def post(self, request: Any, pk: int) -> Response:
        _require(can_manage_calls(request.user))
        milestone = get_object_or_404(Milestone, pk=pk)
        milestone_achieve(milestone=milestone, by=request.user)
        return Response({"id": milestone.pk, "achieved_on": milestone.achieved_on})


class DisbursementActionApi(APIView):
    """POST {"action": "pay"} or {"action": "withhold", "reason": "…"}."""

    class InputSerializer(serializers.Serializer):
        action = serializers.ChoiceField(choices=["pay", "withhold"])
        reason = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(request=InputSerializer, responses=DisbursementSerializer)
    def post(self, request: Any, pk: int) -> Response:
        _require(can_manage_calls(request.user))
        disbursement = get_object_or_404(Disbursement, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if data.validated_data["action"] == "pay":
            disbursement = disbursement_pay(disbursement=disbursement, by=request.user)
        else:
            disbursement = disbursement_withhold(
                disbursement=disbursement,
                by=request.user,
                reason=data.validated_data["reason"],
            )
        return Response(DisbursementSerializer(disbursement).data)


class LedgerApi(APIView):
    class FilterSerializer(serializers.Serializer):
        year = serializers.IntegerField(required=False)
        programme = serializers.IntegerField(required=False)
        call = serializers.IntegerField(required=False)

    @extend_schema(parameters=[FilterSerializer])
    def get(self, request: Any) -> Response:
        _require(has_role(request.user, *BUREAU))
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        rows = ledger(**filters.validated_data)
        cents = Decimal("0.01")
        return Response(
            {
                "results": [
                    {
                        k: str(Decimal(v).quantize(cents))
                        if isinstance(v, Decimal | int)
                        and k not in ("call_id", "year", "projects")
                        else v
                        for k, v in r.items()
                    }
                    for r in rows
                ]
            }
        )
