"""The chip at the desk: Passive Authentication through the API, its rules, and the trust store."""

from __future__ import annotations

import base64
import uuid
from datetime import date

import pytest

from tests.midas.chip_builders import chip_files, encoded, face_jpeg, pki
from tests.midas.crossing_builders import load_lists, mrz

HOLDER = mrz("LINDQVIST", "SARA", "UT4821937", nationality="UTO")
OTHER = mrz("LINDQVIST", "SARA", "UT4821938", nationality="UTO")


def trust(login_as, issuer=None, name="utopia"):
    """Load a state's CSCA as an admin would, through the API."""
    pem = (issuer or pki()).csca_pem()
    loaded = login_as("admin").post(
        "/api/v1/pki/loads",
        json={
            "name": name,
            "format": "pem",
            "files": [{"name": "csca.pem", "data": base64.b64encode(pem).decode()}],
        },
    )
    assert loaded.status_code == 201, loaded.get_json()
    return loaded.get_json()


def screen(station, lines, files):
    answer = station.post(
        "/api/v1/screenings",
        json={"mrz": list(lines), "officer": "officer_a", "chip": encoded(files)},
    )
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def record(station, lines, files, decision="admitted", **extra):
    payload = {
        "client_id": str(uuid.uuid4()),
        "direction": "entry",
        "decision": decision,
        "officer": "officer_a",
        "mrz": list(lines),
        "chip": encoded(files),
        **extra,
    }
    return station.post("/api/v1/crossings", json=payload)


def test_a_chip_that_verifies_is_shown_with_its_face_and_recorded(station, login_as):
    versions = trust(login_as)["versions"]
    assert [(v["source"], v["number"], v["status"], v["cscas"]) for v in versions] == [
        ("utopia", 1, "active", 1)
    ]
    seen = screen(station, HOLDER, chip_files(HOLDER))
    chip = seen["reading"]["chip"]
    assert chip["status"] == "verified" and chip["mrz_match"] is True
    assert chip["data_groups_verified"] == [1, 2]
    assert chip["dg1"]["document_number"] == "UT4821937"
    assert seen["chip_face"]["mime_type"] == "image/jpeg"
    assert base64.b64decode(seen["chip_face"]["data"])[:3] == b"\xff\xd8\xff"
    assert "face" not in chip or "data" not in chip["face"]  # not kept by default
    assert seen["concerns"] == [] and seen["suggested_decision"] == "admitted"
    done = record(station, HOLDER, chip_files(HOLDER))
    assert done.status_code == 201, done.get_json()
    body = done.get_json()
    assert body["chip_status"] == "verified"
    assert body["reading"]["chip"]["dsc_issuer"].endswith("C=UT")


def test_a_chip_altered_after_issue_fails_and_refers(station, login_as):
    trust(login_as)
    altered = chip_files(HOLDER, dg1_lines=OTHER)
    seen = screen(station, HOLDER, altered)
    chip = seen["reading"]["chip"]
    assert chip["status"] == "failed" and chip["failed_step"] == "dg1_hash"
    codes = [c["code"] for c in seen["concerns"]]
    assert codes == ["chip_failed", "chip_mrz_mismatch"]
    assert seen["suggested_decision"] == "referred" and seen["admission_needs"] == "reason"
    refused = record(station, HOLDER, altered)
    assert refused.status_code == 409
    assert refused.get_json()["error"]["field"] == "override_reason"
    admitted = record(station, HOLDER, altered, override_reason="chip damaged; consul confirmed")
    assert admitted.status_code == 201 and admitted.get_json()["chip_status"] == "failed"


def test_a_signed_chip_for_another_document_is_a_red_flag(station, login_as):
    trust(login_as)
    seen = screen(station, HOLDER, chip_files(OTHER))
    chip = seen["reading"]["chip"]
    assert chip["status"] == "verified" and chip["mrz_match"] is False
    assert chip["mrz_differences"] == ["document_number"]
    assert [c["code"] for c in seen["concerns"]] == ["chip_mrz_mismatch"]
    assert seen["admission_needs"] == "reason"


def test_a_chip_without_a_trusted_csca_is_shown_not_blocking(station, login_as):
    trust(login_as, pki("VV", 20))  # another state's CSCA only
    seen = screen(station, HOLDER, chip_files(HOLDER))
    assert seen["reading"]["chip"]["status"] == "not_verifiable"
    assert [c["code"] for c in seen["concerns"]] == ["chip_not_verifiable"]
    assert seen["suggested_decision"] == "admitted" and seen["admission_needs"] == "nothing"
    done = record(station, HOLDER, chip_files(HOLDER))
    assert done.status_code == 201 and done.get_json()["chip_status"] == "not_verifiable"


def test_a_crossing_without_a_chip_has_no_chip_status(station):
    done = record(station, HOLDER, [])
    assert done.status_code == 201 and done.get_json()["chip_status"] is None
    assert "chip" not in done.get_json()["reading"]


@pytest.mark.parametrize(
    ("chip", "message"),
    [
        (["not base64!"], "chip file 1 is not base64"),
        ([base64.b64encode(b"\x30\x00").decode()], "not the tag of an LDS file"),
        ([base64.b64encode(b"\x61\x00").decode()] * 2, "DG1: given twice"),
    ],
)
def test_chip_files_that_are_not_a_chip_are_refused_by_name(station, chip, message):
    payload = {"mrz": list(HOLDER), "officer": "officer_a", "chip": chip}
    answer = station.post("/api/v1/screenings", json=payload)
    assert answer.status_code == 422
    error = answer.get_json()["error"]
    assert error["field"] == "chip" and message in error["message"]


def test_a_retry_with_other_chip_files_is_a_reuse_not_a_retry(station, login_as):
    trust(login_as)
    client_id, files = str(uuid.uuid4()), chip_files(HOLDER)
    first = record(station, HOLDER, files, client_id=client_id)
    assert first.status_code == 201
    again = record(station, HOLDER, files, client_id=client_id)
    assert again.status_code == 200 and again.get_json()["id"] == first.get_json()["id"]
    other = record(station, HOLDER, chip_files(OTHER), client_id=client_id)
    assert other.status_code == 409


def test_the_statistics_count_chips_by_result(station, login_as):
    trust(login_as)
    record(station, HOLDER, chip_files(HOLDER))
    record(station, OTHER, [])
    figures = login_as("supervisor_a").get("/api/v1/statistics?measure=crossings&group_by=chip")
    assert figures.status_code == 200, figures.get_json()
    counts = {row["chip"]: row["count"] for row in figures.get_json()["rows"]}
    assert counts == {"no_chip": 1, "verified": 1}


def test_only_admins_load_and_officers_cannot_read_the_trust_store(station, login_as):
    pem = base64.b64encode(pki().csca_pem()).decode()
    payload = {"name": "x", "format": "pem", "files": [{"name": "a.pem", "data": pem}]}
    assert login_as("supervisor_a").post("/api/v1/pki/loads", json=payload).status_code == 403
    assert login_as("officer_a").get("/api/v1/pki").status_code == 403
    trust(login_as)
    overview = login_as("supervisor_a").get("/api/v1/pki").get_json()
    (state,) = overview["states"]
    assert state["state"] == "UT" and state["trusted_until"] == "2035-01-01"


def test_a_load_with_a_broken_entry_writes_nothing(login_as):
    good = pki().csca_pem().decode()
    broken = good + "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
    admin = login_as("admin")
    payload = {
        "name": "utopia",
        "format": "pem",
        "files": [{"name": "bundle.pem", "data": base64.b64encode(broken.encode()).decode()}],
    }
    answer = admin.post("/api/v1/pki/loads", json=payload)
    assert answer.status_code == 422
    assert "bundle.pem, entry 2" in answer.get_json()["error"]["message"]
    assert admin.get("/api/v1/pki").get_json()["versions"] == []


def test_a_new_version_supersedes_the_old_one(login_as):
    trust(login_as)
    versions = trust(login_as, pki("VV", 20))["versions"]
    assert [(v["number"], v["status"]) for v in versions] == [(2, "active"), (1, "superseded")]


def test_the_verification_endpoint_answers_as_the_cli_does(station, login_as):
    trust(login_as)
    answer = station.post(
        "/api/v1/pki/verifications",
        json={"chip": encoded(chip_files(HOLDER)), "mrz": list(OTHER)},
    )
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["status"] == "verified" and body["mrz_match"] is False
    assert body["mrz_differences"] == ["document_number"]
    assert {step["name"] for step in body["checks"]} >= {"signature", "dg1_hash", "dg2_hash"}


def test_a_chip_signed_by_another_state_than_the_document_names_fails(station, login_as):
    german, french = pki("DE", 30), pki("FR", 40)
    trust(login_as, german, name="germany")
    trust(login_as, french, name="france")
    lines = mrz("MEIER", "ANNA", "C01X00T48", nationality="DEU")
    own = screen(station, lines, chip_files(lines, german))["reading"]["chip"]
    assert own["status"] == "verified"
    assert own["checks"][-1] == {
        "name": "signer_state",
        "status": "passed",
        "detail": "signed by a CSCA of DEU",
    }
    foreign = screen(station, lines, chip_files(lines, french))
    chip = foreign["reading"]["chip"]
    assert chip["status"] == "failed" and chip["failed_step"] == "signer_state"
    assert "signed by a CSCA of FRA" in chip["checks"][-1]["detail"]
    assert [c["code"] for c in foreign["concerns"]] == ["chip_failed"]


def test_screening_asks_with_the_verified_chip_too(station, login_as, app, tmp_path):
    load_lists(app, tmp_path)  # lists Mohamed Al Rashid, born 1975-03-02, IRQ
    trust(login_as)
    printed = mrz("RASHID", "OMAR", "UT1111111", nationality="UTO", birth_date=date(1975, 3, 2))
    chip = mrz("AL RASHID", "MOHAMED", "UT1111111", nationality="UTO", birth_date=date(1975, 3, 2))
    seen = screen(station, printed, chip_files(chip))
    assert seen["reading"]["chip"]["status"] == "verified"
    assert seen["reading"]["chip"]["mrz_differences"] == ["surname", "given_names"]
    (hit,) = seen["hits"]
    assert hit["entry_id"] == "p1"
    assert any(reason["feature"] == "chip" for reason in hit["reasons"])
    unverified = screen(station, printed, chip_files(chip, pki("VV", 20)))
    assert unverified["reading"]["chip"]["status"] == "not_verifiable"
    assert unverified["hits"] == []  # an unverified chip's data is shown, never trusted


def test_the_face_is_kept_with_the_crossing_only_when_retention_says_so(app, station, login_as):
    trust(login_as)
    files = chip_files(HOLDER)
    kept_not = record(station, HOLDER, files).get_json()["reading"]["chip"]["face"]
    assert kept_not == {"mime_type": "image/jpeg"}
    app.config["CHIP_FACE_RETENTION"] = True
    kept = record(station, HOLDER, files).get_json()["reading"]["chip"]["face"]
    assert kept["mime_type"] == "image/jpeg"
    assert base64.b64decode(kept["data"]) == face_jpeg()


def test_a_correction_with_the_lines_read_again_keeps_the_chips_word(station, login_as):
    trust(login_as)
    altered = chip_files(HOLDER, dg1_lines=OTHER)
    first = record(station, HOLDER, altered, decision="referred")
    assert first.status_code == 201, first.get_json()

    def correct(**extra):
        payload = {
            "client_id": str(uuid.uuid4()),
            "direction": "entry",
            "decision": "admitted",
            "officer": "officer_a",
            "mrz": list(HOLDER),
            "reason": "decision entered wrongly",
            **extra,
        }
        return station.post(f"/api/v1/crossings/{first.get_json()['id']}/corrections", json=payload)

    refused = correct()
    assert refused.status_code == 409, refused.get_json()
    assert refused.get_json()["error"]["field"] == "override_reason"
    done = correct(override_reason="consul confirmed the chip was damaged")
    assert done.status_code == 201, done.get_json()
    body = done.get_json()
    assert body["chip_status"] == "failed"
    assert body["reading"]["chip"]["mrz_differences"] == ["document_number"]


def test_a_chip_without_dg1_ties_nothing_to_the_document(station, login_as):
    trust(login_as)
    sod, _dg1, dg2 = chip_files(HOLDER)
    seen = screen(station, HOLDER, [sod, dg2])
    assert seen["reading"]["chip"]["status"] == "verified"  # DG2's hash is the SOD's
    assert "chip_without_dg1" in [c["code"] for c in seen["concerns"]]
    assert seen["admission_needs"] == "reason"
