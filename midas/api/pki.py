"""The trust store and chip verification: /api/v1/pki — admins load, supervisors read, desks verify.

`POST /pki/loads` takes the files base64-encoded (a master list, an LDIF download or PEM files)
and makes them the source's new active version, all or nothing. `POST /pki/verifications`
verifies exported chip files and returns the JSON `midas chip verify` prints.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from flask import current_app
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from midas.api.crossings import CHIP_FILES, MRZ_LINES
from midas.auth import current_actor, require
from midas.domain.audit import record_audit
from midas.domain.chip_checks import check_chip, decode_chip_files, sorted_chip_files
from midas.domain.errors import InvalidInput
from midas.domain.readings import read_document
from midas.domain.texts import N_
from midas.domain.trust_loads import read_trust_files
from midas.domain.trust_store import (
    TRUST_FORMATS,
    app_trust_cache,
    state_trust,
    store_trust_version,
    trust_versions,
)
from midas.persistence import session
from midas.persistence.base import utcnow
from midas.persistence.models import Role

blp = Blueprint(
    "pki",
    __name__,
    url_prefix="/pki",
    description="The trust store for Passive Authentication, and chip verification.",
)


class TrustFileSchema(Schema):
    """One file of a load: its name and its bytes, base64."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    data = fields.String(required=True, metadata={"description": "the file's bytes, base64"})


class TrustLoadArgs(Schema):
    """Files to load as a new version of a trust source."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    format = fields.String(required=True, validate=validate.OneOf(TRUST_FORMATS))
    files = fields.List(
        fields.Nested(TrustFileSchema), required=True, validate=validate.Length(min=1, max=50)
    )
    accept_unverified_signer = fields.String(
        validate=validate.Length(max=500),
        metadata={"description": "load a master list whose signer does not verify; why"},
    )


class TrustOverviewSchema(Schema):
    """The trust versions, and per issuing state what is trusted until when."""

    versions = fields.List(fields.Dict())
    states = fields.List(fields.Dict())


class VerificationArgs(Schema):
    """Chip files to verify, and the printed MRZ to compare DG1 with (optional)."""

    chip = CHIP_FILES
    mrz = MRZ_LINES


class VerificationSchema(Schema):
    """Passive Authentication of a chip, each step named, and DG1 against the printed MRZ."""

    status = fields.String(metadata={"description": "verified, failed or not_verifiable"})
    failed_step = fields.String(allow_none=True)
    checks = fields.List(fields.Dict(), metadata={"description": "name, status, detail"})
    dsc_issuer = fields.String(allow_none=True)
    dsc_serial = fields.String(allow_none=True)
    hash_algorithm = fields.String(allow_none=True)
    data_groups_verified = fields.List(fields.Integer())
    dg1 = fields.Dict(allow_none=True, metadata={"description": "DG1's MRZ, as /mrz reads it"})
    mrz_match = fields.Boolean(allow_none=True)
    mrz_differences = fields.List(fields.String())
    problems = fields.List(fields.String())
    face = fields.Dict(allow_none=True)


@blp.route("")
@require(Role.ADMIN, Role.SUPERVISOR)
@blp.response(200, TrustOverviewSchema)
def overview() -> dict[str, Any]:
    """List the trust versions and, per issuing state, the CSCAs trusted and CRLs going stale."""
    db = session()
    with db.begin():
        versions = [v.to_dict() for v in trust_versions(db)]
        store = app_trust_cache(current_app).store(db)
    days = int(current_app.config["PKI_CRL_WARNING_DAYS"])
    return {"versions": versions, "states": state_trust(store, utcnow().date(), days)}


@blp.route("/loads", methods=["POST"])
@require(Role.ADMIN)
@blp.arguments(TrustLoadArgs())
@blp.response(201, TrustOverviewSchema)
def load(args: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """Load files as the source's new active version (all or nothing); return the versions."""
    files = []
    for item in args["files"]:
        try:
            files.append((item["name"], base64.b64decode(item["data"], validate=True)))
        except (binascii.Error, ValueError):
            raise InvalidInput(
                N_("%(name)s is not base64"), params={"name": item["name"]}, field="files"
            ) from None
    loaded = read_trust_files(
        args["format"], files, accept_unverified=args.get("accept_unverified_signer")
    )
    db = session()
    with db.begin():
        store_trust_version(db, current_actor(), args["name"], args["format"], loaded)
    with db.begin():
        versions = [v.to_dict() for v in trust_versions(db, args["name"])]
    return {"versions": versions, "states": []}, 201


@blp.route("/verifications", methods=["POST"])
@require(Role.OFFICER, Role.SUPERVISOR, Role.ADMIN)
@blp.arguments(VerificationArgs())
@blp.response(200, VerificationSchema)
def verify(args: dict[str, Any]) -> dict[str, Any]:
    """Verify chip files against the trust store; compare DG1 with the printed MRZ if given."""
    files = sorted_chip_files(decode_chip_files(args.get("chip") or ()))
    today = utcnow().date()
    horizon = int(current_app.config["MRZ_EXPIRY_HORIZON_DAYS"])
    mrz = args.get("mrz")
    printed = None if mrz is None else read_document(mrz, None, today=today)
    db = session()
    with db.begin():
        store = app_trust_cache(current_app).store(db)
        result = check_chip(files, printed, store, today=today, expiry_horizon_days=horizon)
        # The chip's DG1 is the traveller's data: reading it is audited (without the data).
        record_audit(
            db,
            current_actor(),
            "chip.verify",
            detail={"status": result.authentication.status, "mrz_match": result.mrz_match},
        )
    return result.to_dict()
