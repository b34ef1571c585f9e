"""The OpenAPI document is built once per process and served alike by every app."""

from __future__ import annotations

import pytest
from flask_smorest import Blueprint

from midas import create_app


def test_a_later_app_serves_the_same_document_without_documenting_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = create_app({"TESTING": True, "DATABASE_URL": "sqlite://"})
    served = first.test_client().get("/api/v1/openapi.json").get_json()
    assert "/api/v1/crossings" in served["paths"]

    def documenting(*args: object, **kwargs: object) -> None:
        raise AssertionError("a later app documented its blueprints again")

    monkeypatch.setattr(Blueprint, "register_views_in_doc", documenting)
    later = create_app({"TESTING": True, "DATABASE_URL": "sqlite://"})
    assert later.test_client().get("/api/v1/openapi.json").get_json() == served
    # Documentation aside, the later app's routes are all there.
    routes = {rule.rule for rule in later.url_map.iter_rules()}
    assert routes == {rule.rule for rule in first.url_map.iter_rules()}
