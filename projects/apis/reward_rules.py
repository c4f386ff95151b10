"""The API of reward rules (奖补规则): the district's reward policy as data.

Money in 元 and the rate as a fraction (DESIGN §5), as decimal strings;
`terms` says in Chinese what the rule pays. Bureau roles read the rules,
staff and section heads write them (as the rules page)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import paginated, validated
from bureau.lib.types import AuthedApiRequest
from projects.models import Programme, RewardRule
from projects.permissions import (
    can_manage_reward_rules,
    can_read_rewards,
    get_reward_rule_for_user,
)
from projects.reward_arithmetic import terms_sentence
from projects.selectors.rewards import reward_rule_list, tier_names
from projects.services.rewards import reward_rule_create, reward_rule_update


def _money(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=18, decimal_places=2, min_value=0, allow_null=True, **kwargs
    )


class RankBandSerializer(serializers.Serializer):
    up_to_rank = serializers.IntegerField(min_value=1)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)


class RuleOutputSerializer(serializers.ModelSerializer):
    tiers = RankBandSerializer(many=True)
    terms = serializers.SerializerMethodField()

    class Meta:
        model = RewardRule
        fields = [
            "id",
            "programme",
            "name",
            "kind",
            "target",
            "award_round",
            "amount",
            "figure",
            "base",
            "rate",
            "cap",
            "minimum_amount",
            "minimum_current",
            "minimum_previous",
            "top_n",
            "tiers",
            "is_active",
            "terms",
        ]

    _tier_names: dict[str, str] | None = None

    def get_terms(self, rule: RewardRule) -> str:
        """What the rule pays, in Chinese (the tier names read once per
        answer: a list shares one child serializer)."""
        if self._tier_names is None:
            self._tier_names = tier_names()
        return terms_sentence(rule, self._tier_names)


class RuleInputSerializer(serializers.Serializer):
    programme = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.filter(kind=Programme.Kind.REWARD)
    )
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=RewardRule.Kind.choices)
    target = serializers.CharField(max_length=30, required=False, allow_blank=True)
    award_round = serializers.ChoiceField(
        choices=RewardRule.AwardRound.choices, required=False
    )
    amount = _money(required=False)
    figure = serializers.ChoiceField(
        choices=RewardRule.Figure.choices, required=False, allow_blank=True
    )
    base = serializers.ChoiceField(
        choices=RewardRule.Base.choices, required=False, allow_blank=True
    )
    rate = serializers.DecimalField(
        max_digits=7,
        decimal_places=6,
        min_value=0,
        max_value=1,
        required=False,
        allow_null=True,
        help_text="A fraction: 0.05 for 5%.",
    )
    cap = _money(required=False)
    minimum_amount = _money(required=False)
    minimum_current = _money(required=False)
    minimum_previous = _money(required=False)
    top_n = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    tiers = RankBandSerializer(many=True, required=False)
    is_active = serializers.BooleanField(required=False)


def _values(data: dict[str, Any]) -> dict[str, Any]:
    """The validated body as the service takes it (rank band amounts as
    strings, as the rules store them)."""
    if "tiers" in data:
        data["tiers"] = [
            {"up_to_rank": b["up_to_rank"], "amount": str(b["amount"])}
            for b in sorted(data["tiers"], key=lambda b: b["up_to_rank"])
        ]
    return data


class RewardRuleListCreateApi(APIView):
    @extend_schema(responses=RuleOutputSerializer(many=True))
    def get(self, request: AuthedApiRequest) -> Response:
        if not can_read_rewards(request.user):
            raise PermissionDenied
        rules = [row.rule for row in reward_rule_list(user=request.user)]
        return paginated(request, self, rules, RuleOutputSerializer)

    @extend_schema(request=RuleInputSerializer, responses={201: RuleOutputSerializer})
    def post(self, request: AuthedApiRequest) -> Response:
        if not (
            can_read_rewards(request.user) and can_manage_reward_rules(request.user)
        ):
            raise PermissionDenied
        values = _values(validated(RuleInputSerializer, request.data))
        rule = reward_rule_create(by=request.user, **values)
        return Response(RuleOutputSerializer(rule).data, status=status.HTTP_201_CREATED)


class RewardRuleDetailApi(APIView):
    @extend_schema(responses=RuleOutputSerializer)
    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        rule = get_reward_rule_for_user(request.user, pk)
        return Response(RuleOutputSerializer(rule).data)

    @extend_schema(request=RuleInputSerializer, responses=RuleOutputSerializer)
    def patch(self, request: AuthedApiRequest, pk: int) -> Response:
        """Change some terms; the fields the rule's kind does not read are
        cleared."""
        rule = get_reward_rule_for_user(request.user, pk, write=True)
        values = _values(validated(RuleInputSerializer, request.data, partial=True))
        rule = reward_rule_update(rule=rule, by=request.user, **values)
        return Response(RuleOutputSerializer(rule).data)


reward_rule_api_patterns = [
    # /api/v1/reward-rules/
    path("reward-rules/", RewardRuleListCreateApi.as_view(), name="reward-rule-list"),
    path(
        "reward-rules/<int:pk>/",
        RewardRuleDetailApi.as_view(),
        name="reward-rule-detail",
    ),
]
