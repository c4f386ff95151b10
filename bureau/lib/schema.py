"""The OpenAPI schema class of every API (REST_FRAMEWORK DEFAULT_SCHEMA_CLASS).

drf-spectacular reads GenericAPIViews well but knows little about the plain
APIViews of this project (STYLE §6). This class fills in what it cannot guess,
by the conventions every API here follows, so that the schema says what the
API really answers:

- a method that returns `bureau.lib.drf.paginated(request, self, qs, S)` is a
  list: its response is the `{count, next, previous, results: [S]}` envelope,
  with the `page` and `page_size` parameters;
- without an `@extend_schema` saying otherwise, the request body is the
  serializer the method builds from `request.data` (else the view's nested
  `InputSerializer`), and the responses are the serializers the method hands
  to `Response(...)` with their status codes (else the nested
  `OutputSerializer`); files are binary bodies of their content type;
- every operation lists the errors it can give, all with the one `Error`
  body of `bureau.lib.drf.exception_handler` (`detail`, `code`, and `errors`
  on a 400);
- nested `InputSerializer`/`OutputSerializer` classes are named after their
  view (`AuthTokenCreateInput`), not all "Input" and "Output".

The method is read with `ast`, never run.
"""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from collections.abc import Callable, Iterator
from functools import cached_property
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.types import OpenApiTypes
from rest_framework import permissions, serializers
from rest_framework.parsers import FileUploadParser, MultiPartParser

from bureau.lib.drf import ErrorSerializer, Pagination

UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

# Markers in a method (or a project function it calls) of the errors it can
# give beyond those every operation of its kind can give.
REFUSES = re.compile(
    r"PermissionDenied|_require\b|has_role|\bcan_\w+|\bmay_\w+|_for_user\b"
)
NOT_FOUND = re.compile(r"get_object_or_404|Http404|NotFound|_for_user\b")
CONFLICT = re.compile(r"ApplicationError")
INVALID = re.compile(r"is_valid\(|ValidationError")

ERROR_DESCRIPTIONS = {
    "400": "Invalid input: `errors` names each field (or row) and what is wrong.",
    "401": "Not authenticated: no token, an unknown or expired token.",
    "403": "Authenticated, but this role may never do this.",
    "404": "Not found, or not visible to the caller (also a page past the end).",
    "409": "The object's state forbids this (a business rule).",
    "413": "The request body is too large.",
    "415": "Unsupported content type of the request body.",
}


def _is_serializer_class(value: Any) -> bool:
    return isinstance(value, type) and issubclass(value, serializers.BaseSerializer)


class _MethodReader:
    """What one view method does, read from its source: which serializer it
    fills from `request.data`, what it returns, and which project functions it
    calls."""

    def __init__(self, view: Any, method: Callable[..., Any] | None) -> None:
        self.view = view
        self.method = method
        self.tree: ast.AST | None = None
        self.source = ""
        if method is None:
            return
        try:
            self.source = textwrap.dedent(inspect.getsource(method))
            self.tree = ast.parse(self.source)
        except (OSError, TypeError, SyntaxError):
            self.tree = None

    # --- resolving names --------------------------------------------------

    def resolve(self, node: ast.AST) -> Any:
        """The object an expression names: `self.x`, `Name`, `Name.attr`."""
        if isinstance(node, ast.Name):
            if node.id == "self":
                return self.view
            namespace = getattr(self.method, "__globals__", {})
            return namespace.get(node.id, getattr(type(self.view), node.id, None))
        if isinstance(node, ast.Attribute):
            owner = self.resolve(node.value)
            return getattr(owner, node.attr, None) if owner is not None else None
        return None

    def calls(self) -> Iterator[ast.Call]:
        if self.tree is not None:
            yield from (n for n in ast.walk(self.tree) if isinstance(n, ast.Call))

    # --- what the method does ---------------------------------------------

    @cached_property
    def paginated_serializer(self) -> type | None:
        """S of `paginated(request, self, qs, S)`, or None when not a list."""
        for call in self.calls():
            if _callee_name(call) != "paginated":
                continue
            arg = call.args[3] if len(call.args) > 3 else None
            for keyword in call.keywords:
                if keyword.arg == "serializer":
                    arg = keyword.value
            found = self.resolve(arg) if arg is not None else None
            return found if _is_serializer_class(found) else serializers.Serializer
        return None

    @cached_property
    def input_serializer(self) -> type | None:
        """The serializer built with `data=request.data`."""
        for call in self.calls():
            for keyword in call.keywords:
                if keyword.arg == "data" and _is_request_data(keyword.value):
                    found = self.resolve(call.func)
                    if _is_serializer_class(found):
                        return found
        return None

    @cached_property
    def reads_body(self) -> bool:
        return bool(self.tree) and any(
            _is_request_data(n)
            for n in ast.walk(self.tree)  # type: ignore[arg-type]
        )

    @cached_property
    def responses(self) -> dict[str, Any]:
        """Status code → serializer class, OpenApiTypes.OBJECT (a dict built
        in place) or None (no body), for each 2xx `Response(...)` returned."""
        found: dict[str, Any] = {}
        for call in self.calls():
            if _callee_name(call) != "Response":
                continue
            code = "200"
            for keyword in call.keywords:
                if keyword.arg == "status":
                    match = re.search(r"(\d{3})", ast.unparse(keyword.value))
                    code = match.group(1) if match else code
            if not code.startswith("2"):
                continue  # errors are declared for every operation alike
            body = call.args[0] if call.args else None
            if body is None:
                found[code] = None
                continue
            serializer = None
            if (
                isinstance(body, ast.Attribute)
                and body.attr == "data"
                and isinstance(body.value, ast.Call)
            ):
                serializer = self.resolve(body.value.func)
            if _is_serializer_class(serializer):
                found.setdefault(code, serializer)
            elif code not in found or found[code] is None:
                found[code] = OpenApiTypes.OBJECT
        return found

    @cached_property
    def file_types(self) -> list[str] | None:
        """Content types of a file answer (`HttpResponse`/`FileResponse`)."""
        types: list[str] = []
        for call in self.calls():
            if _callee_name(call) not in ("HttpResponse", "FileResponse"):
                continue
            value = next(
                (k.value for k in call.keywords if k.arg == "content_type"), None
            )
            resolved = (
                value.value
                if isinstance(value, ast.Constant)
                else self.resolve(value)
                if value is not None
                else None
            )
            types.append(resolved if isinstance(resolved, str) else "*/*")
        return types or None

    @cached_property
    def helpers(self) -> list[_MethodReader]:
        """Readers of the view's own methods this method calls (`self.record`)."""
        found = []
        for call in self.calls():
            function = self.resolve(call.func)
            if inspect.ismethod(function) and function.__self__ is self.view:
                found.append(_MethodReader(self.view, function.__func__))
        return found

    @cached_property
    def text(self) -> str:
        """The method's source and that of the project functions it calls
        directly (the access helpers and services where errors come from)."""
        parts = [self.source, *(helper.text for helper in self.helpers)]
        seen: set[int] = set()
        for call in self.calls():
            function = inspect.unwrap(self.resolve(call.func) or (lambda: None))
            if not inspect.isfunction(function) or id(function) in seen:
                continue
            seen.add(id(function))
            if _is_project_code(function):
                parts.append(inspect.getsource(function))
        return "\n".join(parts)

    @cached_property
    def calls_services(self) -> bool:
        """Whether it calls a service (a write that can break a rule)."""
        for call in self.calls():
            module = getattr(self.resolve(call.func), "__module__", "") or ""
            if {"services", "workflow"} & set(module.split(".")):
                return True
        return any(helper.calls_services for helper in self.helpers)


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return {"allOf": [schema], "nullable": True}
    return {**schema, "nullable": True}


def _model_fields(model: Any, field: Any) -> list[Any]:
    """The model fields along `field`'s source (`employer.name` → employer,
    name), as far as they are model fields."""
    found = []
    for attr in getattr(field, "source_attrs", []):
        try:
            model_field = model._meta.get_field(attr)
        except (AttributeError, LookupError, FieldDoesNotExist):
            break
        found.append(model_field)
        model = model_field.related_model
        if model is None:
            break
    return found


def _may_be_null(field: Any, model: Any) -> bool:
    """A read-only field is null when its source crosses a relation that may be
    empty (`employer.name` without employer): DRF gives None, not an error."""
    if not field.read_only or getattr(field, "source", "") == "*":
        return False
    if model is None:
        # No model to ask: a relation may always be empty.
        return isinstance(field, serializers.RelatedField)
    return any(getattr(f, "null", False) for f in _model_fields(model, field))


def _may_be_missing(field: Any, model: Any) -> bool:
    """A read-only field read from a query annotation (not a model attribute)
    is left out when the object was loaded without it (e.g. just created)."""
    attrs = getattr(field, "source_attrs", [])
    return (
        model is not None
        and field.read_only
        and bool(attrs)
        and field.source != "*"
        and not hasattr(model, attrs[0])
        and field.default is serializers.empty
    )


def _is_project_code(function: Any) -> bool:
    """Whether `function` is this project's own code (not a library, not the
    shared helpers of bureau/lib)."""
    try:
        path = Path(inspect.getsourcefile(function) or "").resolve()
    except TypeError:
        return False
    base = Path(settings.BASE_DIR).resolve()
    return (
        path.is_relative_to(base)
        and not path.is_relative_to(base / ".venv")
        and "site-packages" not in path.parts
        and not path.is_relative_to(base / "bureau" / "lib")
    )


def _callee_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _is_request_data(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "data"
        and isinstance(node.value, ast.Name)
        and node.value.id == "request"
    )


class AutoSchema(SpectacularAutoSchema):
    # --- reading the view method --------------------------------------------

    @property
    def reader(self) -> _MethodReader:
        key = (id(self.view), self.method)
        if getattr(self, "_reader_key", None) != key:
            handler = getattr(type(self.view), self.method.lower(), None)
            self._reader = _MethodReader(self.view, handler)
            self._reader_key = key
        return self._reader

    def _nested(self, name: str) -> type | None:
        found = getattr(type(self.view), name, None)
        return found if _is_serializer_class(found) else None

    # --- request and responses when no @extend_schema says ------------------

    def get_request_serializer(self) -> Any:
        if self.method not in ("POST", "PUT", "PATCH"):
            return None
        found = self.reader.input_serializer or self._nested("InputSerializer")
        if found is not None:
            return found
        if self.reader.reads_body:
            return OpenApiTypes.OBJECT
        return None

    def get_response_serializers(self) -> Any:
        listed = self.reader.paginated_serializer
        if listed is not None:
            return {"200": listed(many=True)}
        files = self.reader.file_types
        if files:
            return {("200", *files): OpenApiTypes.BINARY}
        found = dict(self.reader.responses)
        if not found:
            output = self._nested("OutputSerializer")
            code = "201" if self.method == "POST" and output else "200"
            return {code: output or OpenApiTypes.OBJECT}
        return found

    def map_parsers(self) -> list[Any]:
        # Bodies are JSON; the form encodings DRF also parses by default are
        # for the browsable API, not a contract. Upload views keep multipart.
        media_types = super().map_parsers()
        return (
            ["application/json"] if "application/json" in media_types else media_types
        )

    # --- lists are paginated --------------------------------------------------

    def _is_list_view(self, serializer: Any = None) -> bool:
        if self.reader.paginated_serializer is not None:
            # An explicit single serializer in @extend_schema describes the
            # whole answer (e.g. a page plus extra keys): keep it as it is.
            explicit = serializer is not None and not isinstance(
                serializer, serializers.ListSerializer
            )
            return not explicit
        return super()._is_list_view(serializer)

    def _get_paginator(self) -> Any:
        return Pagination() if self.reader.paginated_serializer is not None else None

    def get_filter_backends(self) -> list[Any]:
        # Filters are FilterSerializers declared as parameters, not backends.
        return []

    def get_operation_id(self) -> str:
        # A GET of one object that pages through its rows (a reward batch and
        # its entitlements) is still a retrieve, not a second "list".
        operation_id = super().get_operation_id()
        if self.path.endswith("}/") and operation_id.endswith("_list"):
            operation_id = operation_id.removesuffix("_list") + "_retrieve"
        return operation_id

    # --- fields -------------------------------------------------------------

    def _map_basic_serializer(self, serializer: Any, direction: str) -> Any:
        schema = super()._map_basic_serializer(serializer, direction)
        serializer = serializer if not isinstance(serializer, type) else serializer()
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        properties = schema.get("properties", {})
        for name, field in serializer.fields.items():
            if name not in properties:
                continue
            if direction == "response" and _may_be_null(field, model):
                properties[name] = _nullable(properties[name])
            if direction == "response" and _may_be_missing(field, model):
                schema["required"] = [
                    r for r in schema.get("required", []) if r != name
                ]
            if direction == "request" and isinstance(field, serializers.IntegerField):
                # Numbers past 64 bits are not ids or years; the database
                # cannot even compare them.
                properties[name].setdefault("format", "int64")
                properties[name].setdefault("minimum", -(2**63))
                properties[name].setdefault("maximum", 2**63 - 1)
        if not schema.get("required"):
            schema.pop("required", None)
        return schema

    # --- names ------------------------------------------------------------------

    def get_serializer_name(self, serializer: Any, direction: str) -> str:
        """`TeamCreateApi.OutputSerializer` → `TeamCreateOutput`, so nested
        serializers of different views never share a component name."""
        parts = [
            part
            for part in type(serializer).__qualname__.split(".")
            if part != "<locals>" and not part.islower()
        ]
        cleaned = [re.sub(r"(Api|Serializer)$", "", part) for part in parts[:-1]]
        return "".join([*cleaned, parts[-1]])

    # --- errors -------------------------------------------------------------------

    def _error_codes(self, operation: dict[str, Any]) -> list[str]:
        reader = self.reader
        text = reader.text
        writes = self.method in UNSAFE_METHODS
        has_body = "requestBody" in operation
        query = any(p.get("in") == "query" for p in operation.get("parameters", []))
        codes = []
        if has_body or query or INVALID.search(text) or writes and reader.reads_body:
            codes.append("400")
        codes.append("401")
        permission_classes = getattr(self.view, "permission_classes", [])
        plain = all(
            cls in (permissions.IsAuthenticated, permissions.AllowAny)
            for cls in permission_classes
        )
        # Writes may also be refused by CSRF (session authentication).
        if writes or not plain or REFUSES.search(text):
            codes.append("403")
        path_has_id = "{" in self.path
        if path_has_id or reader.paginated_serializer or NOT_FOUND.search(text):
            codes.append("404")
        if writes and (reader.calls_services or CONFLICT.search(text)):
            codes.append("409")
        if has_body and self._uploads():
            codes.append("413")
        if has_body:
            codes.append("415")
        return codes

    def _uploads(self) -> bool:
        return any(
            isinstance(p, MultiPartParser | FileUploadParser)
            for p in self.view.get_parsers()
        )

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        for parameter in operation.get("parameters", []):
            schema = parameter.get("schema", {})
            if parameter.get("in") == "path" and schema.get("type") == "integer":
                schema.setdefault("minimum", 0)  # the <int:…> converter: digits
        error = self.resolve_serializer(ErrorSerializer, "response")
        assert isinstance(error, ResolvedComponent)
        for code in self._error_codes(operation):
            operation["responses"].setdefault(
                code,
                {
                    "description": ERROR_DESCRIPTIONS[code],
                    "content": {"application/json": {"schema": error.ref}},
                },
            )
        operation["responses"] = dict(sorted(operation["responses"].items()))
        return operation
