"""The front end's API types are generated from the response models (``make types``): regenerate them into a
temporary folder and compare with the committed files, so a shape changed without ``make types`` fails here."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from duban.web import api_types


def test_generated_api_types_are_current(tmp_path: Path) -> None:
    if shutil.which("node") is None or not api_types.GENERATOR.exists():
        pytest.fail("node and frontend/node_modules are needed: run `npm ci --prefix frontend` (make setup)")
    document, schema = tmp_path / "openapi.json", tmp_path / "schema.d.ts"
    api_types.generate(document, schema)
    stale = [
        f"{committed.relative_to(api_types.ROOT)} is stale: run make types"
        for committed, fresh in ((api_types.DOCUMENT, document), (api_types.SCHEMA, schema))
        if not committed.exists()
        or committed.read_text(encoding="utf-8") != fresh.read_text(encoding="utf-8")
    ]
    assert not stale, "; ".join(stale)


def test_every_json_route_declares_its_response_model(tmp_path: Path) -> None:
    """Every route of the API answers a declared shape, except downloads and answers without a body."""
    from fastapi.routing import APIRoute

    from duban.ledger.store.db import connect
    from duban.settings import Settings
    from duban.web.app import create_app

    url = f"sqlite:///{tmp_path}/unused.db"
    database = connect(url, upgrade=False)
    app = create_app(Settings(database_url=url), database)
    undeclared = [
        f"{sorted(route.methods)} {route.path}"
        for route in app.routes
        if isinstance(route, APIRoute)
        and route.include_in_schema
        and route.response_model is None
        and route.status_code != 204
        and not route.path.endswith((".xlsx", ".docx", "/attachments/{attachment_id}"))
    ]
    database.dispose()
    assert not undeclared, undeclared
