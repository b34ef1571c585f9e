"""Read the files of a trust-store load: CSCA master lists, ICAO PKD LDIF downloads, PEM bundles.

Every file is read and verified before anything is written; an entry that cannot be read, or a
master list whose signer does not verify (unless the administrator accepts it with a reason,
kept in the provenance), refuses the whole load, naming the file and the entry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date
from typing import Any

from cryptography import x509

from chip.bundle import Bundle, read_ldif, read_pem
from chip.certificates import is_ca, is_self_issued, serial_of
from chip.chain import signature_problem
from chip.errors import TrustStoreError
from chip.masterlist import MasterList, read_master_list
from midas.domain.errors import InvalidInput
from midas.domain.texts import N_, Text
from midas.domain.trust_store import TRUST_FORMATS, TrustLoad

# Errors named at once when a file has many bad entries; the rest are counted.
ERRORS_SHOWN = 5


def _master_list_json(master_list: MasterList) -> dict[str, Any]:
    return {
        "source": master_list.source,
        "signer": None
        if master_list.signer is None
        else master_list.signer.subject.rfc4514_string(),
        "verified": master_list.verified,
        "accepted_because": master_list.accepted_because,
        "checks": [step.to_dict() for step in master_list.checks],
        "certificates": len(master_list.certificates),
    }


def _refuse(errors: Sequence[TrustStoreError]) -> InvalidInput:
    shown = tuple(
        Text(N_("in %(error)s"), {"error": str(error)}) for error in errors[:ERRORS_SHOWN]
    )
    more = len(errors) - ERRORS_SHOWN
    if more > 0:
        return InvalidInput(
            N_("%(errors)s; and %(more)s more"),
            params={"errors": shown, "more": more},
            field="files",
        )
    return InvalidInput(Text("%(errors)s", {"errors": shown}, translatable=False), field="files")


def read_trust_files(
    source_format: str,
    files: Sequence[tuple[str, bytes]],
    *,
    accept_unverified: str | None = None,
    today: date | None = None,
) -> TrustLoad:
    """Read and verify a load's files (name, bytes); raise InvalidInput naming what is wrong."""
    if source_format not in TRUST_FORMATS:
        raise InvalidInput(
            N_("format must be one of %(choices)s"),
            params={"choices": ", ".join(TRUST_FORMATS)},
            field="format",
        )
    if not files:
        raise InvalidInput(N_("give at least one file"), field="files")
    reason = (accept_unverified or "").strip() or None
    certificates: list[x509.Certificate] = []
    crls: list[x509.CertificateRevocationList] = []
    provenance: list[dict[str, Any]] = []
    for name, data in files:
        entry: dict[str, Any] = {
            "file": name,
            "sha256": hashlib.sha256(data).hexdigest(),
            "bytes": len(data),
        }
        try:
            if source_format == "masterlist":
                master_list = read_master_list(data, name, today=today, accept_unverified=reason)
                bundle = Bundle(master_list.certificates, (), (master_list,), master_list.errors)
            elif source_format == "ldif":
                bundle = read_ldif(data, name, today=today, accept_unverified=reason)
            else:
                bundle = read_pem(data, name)
        except TrustStoreError as error:
            raise InvalidInput(N_("in %(error)s"), params={"error": error}, field="files") from None
        if bundle.errors:
            raise _refuse(bundle.errors)
        entry["master_lists"] = [_master_list_json(m) for m in bundle.master_lists]
        entry["certificates"] = len(bundle.certificates)
        entry["crls"] = len(bundle.crls)
        provenance.append(entry)
        certificates += bundle.certificate_list()
        crls += bundle.crl_list()
    for certificate in certificates:
        # A self-signed CSCA whose own signature fails was damaged or forged on its way here.
        if is_ca(certificate) and is_self_issued(certificate):
            problem = signature_problem(certificate, certificate)
            if problem is not None:
                raise InvalidInput(
                    N_(
                        "the CSCA %(subject)s (serial %(serial)s) is not signed by its "
                        "own key: %(problem)s"
                    ),
                    params={
                        "subject": certificate.subject.rfc4514_string(),
                        "serial": format(serial_of(certificate), "X"),
                        "problem": problem,
                    },
                    field="files",
                )
    return TrustLoad(
        cscas=tuple(c for c in certificates if is_ca(c)),
        dscs=tuple(c for c in certificates if not is_ca(c)),
        crls=tuple(crls),
        provenance=tuple(provenance),
    )
