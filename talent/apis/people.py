"""The people API. ID numbers and phones go in clear and come out masked,
to every role."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import paginated, validated
from bureau.lib.types import AuthedApiRequest
from enterprises.selectors import enterprise_choices
from talent.models import (
    Degree,
    Talent,
)
from talent.permissions import (
    get_talent_for_user,
    require_talent_lister,
    require_talent_manager,
)
from talent.selectors import talent_list
from talent.services import (
    TALENT_FIELDS,
    talent_create,
    talent_update,
)


class TalentOutputSerializer(serializers.ModelSerializer):
    id_number = serializers.CharField(source="id_number_masked", read_only=True)
    phone = serializers.CharField(source="phone_masked", read_only=True)
    employer_name = serializers.CharField(
        source="employer.name", read_only=True, default=None
    )

    class Meta:
        model = Talent
        # What a person's record holds (the service's list), masked numbers.
        fields = ["id", *TALENT_FIELDS, "id_number", "phone", "employer_name"]


class TalentInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    id_number = serializers.CharField(max_length=18, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    gender = serializers.ChoiceField(
        choices=Talent.Gender.choices, required=False, allow_blank=True
    )
    birth_year = serializers.IntegerField(
        min_value=1900, max_value=2100, required=False, allow_null=True
    )
    birth_date = serializers.DateField(required=False, allow_null=True)
    degree = serializers.ChoiceField(
        choices=Degree.choices, required=False, allow_blank=True
    )
    title = serializers.CharField(max_length=50, required=False, allow_blank=True)
    field = serializers.CharField(max_length=100, required=False, allow_blank=True)
    employer = serializers.PrimaryKeyRelatedField(
        queryset=enterprise_choices(), required=False, allow_null=True
    )
    arrived_on = serializers.DateField(required=False, allow_null=True)
    left_on = serializers.DateField(required=False, allow_null=True)
    nationality = serializers.RegexField(r"^[A-Za-z]{2}$", required=False)


class TalentListCreateApi(APIView):
    class FilterSerializer(serializers.Serializer):
        q = serializers.CharField(required=False, allow_blank=True)
        employer = serializers.IntegerField(
            required=False, min_value=1, max_value=2**63 - 1
        )

    @extend_schema(
        parameters=[FilterSerializer], responses=TalentOutputSerializer(many=True)
    )
    def get(self, request: AuthedApiRequest) -> Response:
        require_talent_lister(request.user)
        filters = validated(self.FilterSerializer, request.query_params)
        qs = talent_list(user=request.user, **filters)
        return paginated(request, self, qs, TalentOutputSerializer)

    @extend_schema(
        request=TalentInputSerializer, responses={201: TalentOutputSerializer}
    )
    def post(self, request: AuthedApiRequest) -> Response:
        require_talent_manager(request.user)
        values = validated(TalentInputSerializer, request.data)
        if "nationality" in values:
            values["nationality"] = values["nationality"].upper()
        talent = talent_create(by=request.user, **values)
        return Response(
            TalentOutputSerializer(talent).data, status=status.HTTP_201_CREATED
        )


class TalentSearchApi(APIView):
    """Find a person by ID number. A POST, so the number never appears in a
    URL (and so in no access log); matched through the keyed hash."""

    class InputSerializer(serializers.Serializer):
        id_number = serializers.CharField(max_length=18)

    @extend_schema(request=InputSerializer, responses=TalentOutputSerializer(many=True))
    def post(self, request: AuthedApiRequest) -> Response:
        require_talent_lister(request.user)
        data = validated(self.InputSerializer, request.data)
        qs = talent_list(user=request.user, id_number=data["id_number"])
        return paginated(request, self, qs, TalentOutputSerializer)


class TalentDetailApi(APIView):
    @extend_schema(responses=TalentOutputSerializer)
    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        return Response(
            TalentOutputSerializer(get_talent_for_user(request.user, pk)).data
        )

    @extend_schema(request=TalentInputSerializer, responses=TalentOutputSerializer)
    def patch(self, request: AuthedApiRequest, pk: int) -> Response:
        talent = get_talent_for_user(request.user, pk, write=True)
        data = validated(TalentInputSerializer, request.data, partial=True)
        talent_update(talent=talent, by=request.user, **data)
        return Response(TalentOutputSerializer(talent).data)
