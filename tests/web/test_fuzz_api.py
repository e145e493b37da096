"""Schemathesis against the OpenAPI document: generated requests to every operation, signed in as the
supervision office, never get a 5xx. Bounded (a few examples per operation) to stay within CI's time."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, given, settings

from duban.ledger.services import auth
from duban.ledger.store.db import connect
from duban.settings import Settings
from duban.web.app import create_app
from tests.databases import sqlite_url
from tests.ledger.conftest import NOW
from tests.ledger.helpers import NOTICE, import_text

EXAMPLES_PER_OPERATION = 12


def test_generated_requests_never_get_a_server_error(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    database = connect(url)
    with database.writer() as session:
        import_text(session, NOTICE, NOW)
        auth.add_user(session, "admin", "admin", "correct-horse-1", None, NOW)
        token = auth.create_token(session, "admin", NOW)
    app = create_app(Settings(database_url=url, today=date(2021, 7, 15)), database)
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    headers = {"Authorization": f"Bearer {token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20
    failures: list[str] = []
    sent: list[int] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: schemathesis.Case) -> None:
            response = case.call(headers=headers)
            sent.append(response.status_code)
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path} → {response.status_code}: {response.text[:200]}"
                )

        run()
    database.dispose()
    assert failures == []
    assert len(sent) >= 2 * len(operations)
    assert any(400 <= code < 500 for code in sent) and any(code < 300 for code in sent)
