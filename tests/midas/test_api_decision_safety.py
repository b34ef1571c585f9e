"""API: the screening's concerns, list settings, merging and splitting travellers."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from tests.midas.crossing_builders import load_lists, mrz

HOLDER = mrz("BROWN", "OLIVER", "X4821937", nationality="GBR", birth_date=date(1988, 2, 3))
IMPOSTOR = mrz("BROWN", "THOMAS", "X4821937", nationality="GBR", birth_date=date(1980, 7, 9))
STOLEN = mrz("MEIER", "KARL", "C01X00T47", nationality="DEU", birth_date=date(1970, 1, 1))


@pytest.fixture
def lists(app, tmp_path):
    load_lists(app, tmp_path)


def crossing(station, lines, decision="admitted", **extra):
    payload = {
        "client_id": str(uuid.uuid4()),
        "direction": "entry",
        "decision": decision,
        "officer": "officer_a",
        "mrz": list(lines),
        **extra,
    }
    return station.post("/api/v1/crossings", json=payload)


def test_a_screening_says_what_is_wrong_and_what_admitting_needs(app, station, lists):
    assert crossing(station, HOLDER).status_code == 201
    seen = station.post(
        "/api/v1/screenings",
        json={"mrz": list(IMPOSTOR), "officer": "officer_a", "direction": "entry"},
    ).get_json()
    assert [c["code"] for c in seen["concerns"]] == ["document_other_identity"]
    assert seen["suggested_decision"] == "referred" and seen["admission_needs"] == "reason"
    assert seen["document_holder_id"] is not None
    assert [c["other_traveller"] for c in seen["recent_crossings"]] == [True]
    refused = crossing(station, IMPOSTOR)
    assert refused.status_code == 409
    assert refused.get_json()["error"]["field"] == "override_reason"
    done = crossing(station, IMPOSTOR, override_reason="holder's brother, letter from consulate")
    assert done.status_code == 201 and done.get_json()["document_holder_id"] is not None
    stolen = station.post(
        "/api/v1/screenings", json={"mrz": list(STOLEN), "officer": "officer_a"}
    ).get_json()
    assert stolen["admission_needs"] == "supervisor"
    assert crossing(station, STOLEN, override_reason="looks fine").status_code == 403


def test_an_admin_sets_a_lists_policy_and_floor(app, login_as, lists):
    admin = login_as("admin")
    assert admin.get("/api/v1/watchlists/sltd").get_json()["alert_policy"] == "block"
    changed = admin.patch("/api/v1/watchlists/alerts", json={"possible_match_floor": 0.92})
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["possible_match_floor"] == 0.92
    assert changed.get_json()["alert_policy"] == "refer"
    too_low = admin.patch("/api/v1/watchlists/alerts", json={"possible_match_floor": 0.3})
    assert too_low.status_code == 422
    assert too_low.get_json()["error"]["field"] == "possible_match_floor"
    bad = admin.patch("/api/v1/watchlists/alerts", json={"alert_policy": "ignore"})
    assert bad.status_code == 422
    off = admin.patch("/api/v1/watchlists/alerts", json={"possible_match_floor": None})
    assert off.get_json()["possible_match_floor"] is None
    assert (
        login_as("supervisor_a")
        .patch("/api/v1/watchlists/alerts", json={"alert_policy": "inform"})
        .status_code
        == 403
    )


def test_a_supervisor_merges_and_splits_travellers(app, station, login_as, lists):
    one = crossing(station, mrz("LARSSON", "ANNA", "S1", birth_date=date(1990, 1, 2))).get_json()
    two = crossing(station, mrz("LARSSON", "ANNA", "S2", birth_date=date(1990, 2, 1))).get_json()
    supervisor = login_as("supervisor_a")
    path = f"/api/v1/travellers/{one['traveller_id']}"
    assert (
        login_as("officer_a")
        .post(f"{path}/merges", json={"traveller_id": two["traveller_id"], "reason": "same"})
        .status_code
        == 403
    )
    merged = supervisor.post(
        f"{path}/merges", json={"traveller_id": two["traveller_id"], "reason": "same woman"}
    )
    assert merged.status_code == 200, merged.get_json()
    (refiled,) = merged.get_json()["corrections"]
    history = supervisor.get(path).get_json()
    assert refiled in {c["id"] for c in history["crossings"]}
    split = supervisor.post(
        f"{path}/splits", json={"crossing_ids": [refiled], "reason": "not her after all"}
    )
    assert split.status_code == 201, split.get_json()
    assert split.get_json()["traveller_id"] not in (one["traveller_id"], two["traveller_id"])
