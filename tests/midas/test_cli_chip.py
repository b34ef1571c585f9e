"""`midas pki load|list` and `midas chip verify`, against the database."""

from __future__ import annotations

import json
from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from chip.build_pki import make_master_list
from midas.cli import main
from midas.domain.demo_chips import ensure_demo_chips
from midas.persistence.database import database
from midas.persistence.models import AuditEvent
from tests.midas.chip_builders import chip_files, pki
from tests.midas.crossing_builders import mrz

HOLDER = mrz("LINDQVIST", "SARA", "UT4821937", nationality="UTO")
OTHER = mrz("LINDQVIST", "SARA", "UT4821938", nationality="UTO")


def write_files(folder: Path, blobs: list[bytes]) -> list[str]:
    # Names say nothing: the files are recognised by their tags.
    paths = []
    for number, blob in enumerate(blobs):
        path = folder / f"export-{number}.bin"
        path.write_bytes(blob)
        paths.append(str(path))
    return paths


def test_a_master_list_is_loaded_listed_and_audited(runner: FlaskCliRunner, session, tmp_path):
    issuer = pki()
    signed = make_master_list(issuer.dsc, [issuer.csca.certificate])  # a signer the CSCA issued
    path = tmp_path / "utopia.ml"
    path.write_bytes(signed)
    loaded = runner.invoke(main, ["pki", "load", "--name", "utopia", "--format", "masterlist",
                                  str(path)])  # fmt: skip
    assert loaded.exit_code == 0, loaded.output
    assert "utopia version 1 active: 1 CSCA certificates" in loaded.output
    listed = runner.invoke(main, ["pki", "list"])
    assert listed.exit_code == 0, listed.output
    shown = json.loads(listed.output)
    (version,) = shown["versions"]
    (master_list,) = version["provenance"][0]["master_lists"]
    assert master_list["verified"] is True
    assert [s["state"] for s in shown["states"]] == ["UT"]
    (event,) = session.scalars(select(AuditEvent).where(AuditEvent.action == "trust_store.load"))
    assert event.actor.startswith("cli:") and event.detail["cscas"] == 1


def test_a_master_list_signed_by_a_stranger_is_refused(runner, tmp_path):
    stranger = pki("VV", 20)
    signed = make_master_list(stranger.dsc, [pki().csca.certificate])
    path = tmp_path / "forged.ml"
    path.write_bytes(signed)
    args = ["pki", "load", "--name", "utopia", "--format", "masterlist", str(path)]
    refused = runner.invoke(main, args)
    assert refused.exit_code == 1 and "forged.ml" in refused.output
    assert json.loads(runner.invoke(main, ["pki", "list"]).output)["versions"] == []


def test_chip_verify_exits_by_outcome(runner, tmp_path):
    files = write_files(tmp_path, chip_files(HOLDER))
    unknown = runner.invoke(main, ["chip", "verify", *files])
    assert unknown.exit_code == 1
    assert json.loads(unknown.output)["status"] == "not_verifiable"
    csca = tmp_path / "csca.pem"
    csca.write_bytes(pki().csca_pem())
    verified = runner.invoke(main, ["chip", "verify", "--csca", str(csca), *files])
    assert verified.exit_code == 0, verified.output
    body = json.loads(verified.output)
    assert body["status"] == "verified" and body["dg1"]["surname"] == "LINDQVIST"
    printed = tmp_path / "printed.txt"
    printed.write_text("\n".join(OTHER) + "\n")
    mismatch = runner.invoke(
        main, ["chip", "verify", "--csca", str(csca), "--mrz-file", str(printed), *files]
    )
    assert mismatch.exit_code == 1
    assert json.loads(mismatch.output)["mrz_differences"] == ["document_number"]
    altered = write_files(tmp_path, chip_files(HOLDER, dg1_lines=OTHER))
    failed = runner.invoke(main, ["chip", "verify", "--csca", str(csca), *altered])
    assert failed.exit_code == 1 and json.loads(failed.output)["failed_step"] == "dg1_hash"


def test_chip_verify_refuses_a_file_that_is_not_a_chip_file(runner, tmp_path):
    stray = tmp_path / "photo.jpg"
    stray.write_bytes(b"\xff\xd8\xff\xe0")
    refused = runner.invoke(main, ["chip", "verify", str(stray)])
    assert refused.exit_code == 2 and "0xFF is not the tag of an LDS file" in refused.output


def test_the_demo_chips_verify_fail_and_cannot_be_verified_as_named(runner, app, tmp_path):
    with database(app).sessions.begin() as session:
        made = ensure_demo_chips(session, tmp_path, "cli:test")
    assert made.loaded and made.folder == tmp_path / "demo-chips"
    outcomes = {}
    for case in ("verified", "altered", "untrusted-state"):
        folder = made.folder / case
        files = sorted(str(p) for p in folder.iterdir() if p.suffix == ".bin")
        result = runner.invoke(
            main, ["chip", "verify", "--mrz-file", str(folder / "mrz.txt"), *files]
        )
        body = json.loads(result.output)
        outcomes[case] = (result.exit_code, body["status"], body["failed_step"])
    assert outcomes == {
        "verified": (0, "verified", None),
        "altered": (1, "failed", "dg1_hash"),
        "untrusted-state": (1, "not_verifiable", None),
    }
    with database(app).sessions.begin() as session:
        assert not ensure_demo_chips(session, tmp_path, "cli:test").loaded


def test_a_csca_whose_self_signature_fails_is_refused(runner, tmp_path):
    # The last byte of a certificate's DER is its signature's: damaged on the way here.
    der = bytearray(pki().csca.certificate.public_bytes(Encoding.DER))
    der[-1] ^= 0x01
    path = tmp_path / "damaged.der"
    path.write_bytes(bytes(der))
    refused = runner.invoke(main, ["pki", "load", "--name", "x", "--format", "pem", str(path)])
    assert refused.exit_code == 1
    assert "is not signed by its own key" in refused.output
