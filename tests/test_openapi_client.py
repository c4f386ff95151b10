"""A Python client generated from the project's own OpenAPI schema can read
a list, an object and an error from the running API (issue 16 item 8)."""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from bureau.models import Role
from bureau.tests.factories import PASSWORD, UserFactory
from enterprises.tests.factories import EnterpriseFactory

PACKAGE = "bureau_client"


@pytest.fixture(scope="module")
def client_package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The client package that openapi-python-client generates from the schema."""
    folder = tmp_path_factory.mktemp("openapi-client")
    schema = folder / "schema.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(schema))
    config = folder / "config.yaml"
    config.write_text(
        f"project_name_override: bureau-client\npackage_name_override: {PACKAGE}\n"
    )
    subprocess.run(
        [
            str(Path(sys.executable).with_name("openapi-python-client")),
            "generate",
            "--path",
            str(schema),
            "--config",
            str(config),
            "--meta",
            "none",
            "--output-path",
            str(folder / PACKAGE),
        ],
        check=True,
        capture_output=True,
        cwd=folder,
    )
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [n for n in sys.modules if n.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def _module(package: Any, name: str) -> Any:
    return importlib.import_module(f"{package.__name__}.{name}")


def _signed_in(client_package: Any, live_server: Any) -> tuple[Any, Any, Any]:
    """The generated client's API and models modules, and a client signed in
    as a staff member with a token the generated client itself obtained."""
    staff = UserFactory(username="client_staff", role=Role.STAFF)
    api = _module(client_package, "api.v1")
    models = _module(client_package, "models")
    token = _module(api, "v1_auth_token_create").sync(
        client=client_package.Client(base_url=live_server.url),
        body=models.AuthTokenCreateInputRequest(
            username=staff.username, password=PASSWORD
        ),
    )
    assert isinstance(token, models.AuthTokenCreateOutput), token
    client = client_package.AuthenticatedClient(
        base_url=live_server.url, token=token.token, prefix="Token"
    )
    return api, models, client


def test_it_reads_a_list_an_object_and_an_error(
    client_package: Any, live_server: Any
) -> None:
    enterprise = EnterpriseFactory(name="数据科技有限公司")
    api, models, client = _signed_in(client_package, live_server)

    listed = _module(api, "v1_enterprises_list").sync(client=client, q="数据科技")
    assert isinstance(listed, models.PaginatedEnterpriseOutputList), listed
    assert listed.count == 1
    assert [e.id for e in listed.results] == [enterprise.pk]
    assert listed.next_ is None

    one = _module(api, "v1_enterprises_retrieve").sync(id=enterprise.pk, client=client)
    assert isinstance(one, models.EnterpriseOutput), one
    assert (one.credit_code, one.name) == (enterprise.credit_code, enterprise.name)

    missing = _module(api, "v1_enterprises_retrieve").sync_detailed(
        id=enterprise.pk + 1000, client=client
    )
    assert missing.status_code == 404
    assert isinstance(missing.parsed, models.Error), missing.parsed
    assert missing.parsed.code == "not_found"
    assert missing.parsed.detail


def test_it_reads_the_field_errors_of_a_400(
    client_package: Any, live_server: Any
) -> None:
    api, models, client = _signed_in(client_package, live_server)

    refused = _module(api, "v1_enterprises_create").sync_detailed(
        client=client,
        body=models.EnterpriseInputRequest(
            credit_code="not-a-code", name="某公司", org_unit="nowhere"
        ),
    )

    assert refused.status_code == 400
    assert isinstance(refused.parsed, models.Error), refused.parsed
    assert refused.parsed.code == "invalid"
    assert "org_unit" in refused.parsed.errors
