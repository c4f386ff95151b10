"""The indicators API: the import template, uploads, batches, rollback."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import paginated, validated
from bureau.lib.types import AuthedApiRequest
from indicators.exports.imports import import_template_xlsx
from indicators.models import ImportBatch
from indicators.permissions import (
    can_import,
    get_import_batch_for_user,
    import_batches_for_user,
    require,
)
from indicators.selectors.imports import import_template_codes
from indicators.services import ImportRefused, import_rollback, import_start


class ImportTemplateApi(APIView):
    def get(self, request: AuthedApiRequest) -> HttpResponse:
        require(can_import(request.user))
        response = HttpResponse(
            import_template_xlsx(**import_template_codes(request.user)),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            'attachment; filename="indicator-import-template.xlsx"'
        )
        return response


class ImportBatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "original_name",
            "status",
            "rows",
            "processed",
            "created",
            "replaced",
            "uploaded_at",
            "finished_at",
            "rolled_back_at",
        ]


class ImportCreateApi(APIView):
    """POST multipart `file`: 201 with the row count, or 400 with
    errors [{row, column, message}] and nothing stored."""

    parser_classes = [MultiPartParser]

    class InputSerializer(serializers.Serializer):
        file = serializers.FileField()

    class OutputSerializer(ImportBatchSerializer):
        row_count = serializers.IntegerField(source="rows")

        class Meta(ImportBatchSerializer.Meta):
            fields = [*ImportBatchSerializer.Meta.fields, "row_count"]

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request: AuthedApiRequest) -> Response:
        require(can_import(request.user))
        data = validated(self.InputSerializer, request.data)
        try:
            batch = import_start(file=data["file"], by=request.user)
        except ImportRefused as exc:
            return Response(
                {"detail": exc.message, "code": exc.code, "errors": exc.errors},
                status=status.HTTP_400_BAD_REQUEST,
            )
        batch.refresh_from_db()
        return Response(
            {**ImportBatchSerializer(batch).data, "row_count": batch.rows},
            status=status.HTTP_201_CREATED,
        )

    def get(self, request: AuthedApiRequest) -> Response:
        return paginated(
            request, self, import_batches_for_user(request.user), ImportBatchSerializer
        )


class ImportDetailApi(APIView):
    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        batch = get_import_batch_for_user(request.user, pk)
        return Response(ImportBatchSerializer(batch).data)


class ImportRollbackApi(APIView):
    @extend_schema(request=None, responses=ImportBatchSerializer)
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        batch = get_import_batch_for_user(request.user, pk, rollback=True)
        return Response(
            ImportBatchSerializer(import_rollback(batch=batch, by=request.user)).data
        )
