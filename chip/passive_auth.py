"""Passive Authentication (Doc 9303 Part 11 §5.1): is the chip data what the issuing state signed?

Every check is its own named step, in this order: `sod_structure`, `hash_algorithm`,
`signed_attributes`, `signature`, `dsc_validity`, `csca_chain`, `csca_validity`,
`dsc_revocation`, then `dgN_hash` for every data group given or hashed. A bad document is a
failed step, never an exception.
"""

from __future__ import annotations

from datetime import date

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm

from chip.certificates import serial_of
from chip.chain import check_csca_validity, check_dsc_validity, check_revocation, find_path
from chip.cms import check_signature, check_signed_attributes, signer_certificate
from chip.errors import AlgorithmError, SODError
from chip.files import ChipFiles
from chip.results import PassiveAuthentication, Step, outcome_of
from chip.signatures import digest, hash_algorithm
from chip.sod import SecurityObject, read_sod
from chip.trust import TrustStore


def check_hash_algorithm(sod: SecurityObject) -> Step:
    """Check the SOD's hash algorithm is supported and every hash has its digest length."""
    name = "hash_algorithm"
    try:
        size = hash_algorithm(sod.hash_algorithm).digest_size
    except AlgorithmError as unsupported:
        return Step(name, "failed", unsupported.reason)
    wrong = [f"DG{n} ({len(h)} bytes)" for n, h in sorted(sod.hashes.items()) if len(h) != size]
    if wrong:
        return Step(
            name,
            "failed",
            f"{sod.hash_algorithm} digests are {size} bytes, not so: {', '.join(wrong)}",
        )
    return Step(name, "passed", f"{sod.hash_algorithm}, {size}-byte digests")


def check_data_groups(sod: SecurityObject, groups: dict[int, bytes], usable: bool) -> list[Step]:
    """Compare each data group's hash with the SOD's; a group the SOD lacks fails."""
    steps = []
    for number in sorted(set(groups) | set(sod.hashes)):
        name = f"dg{number}_hash"
        if number not in sod.hashes:
            steps.append(Step(name, "failed", f"DG{number} given but not hashed in EF.SOD"))
        elif number not in groups:
            steps.append(Step(name, "skipped", f"DG{number} hashed in EF.SOD but not given"))
        elif not usable:
            steps.append(Step(name, "skipped", f"{sod.hash_algorithm} not usable"))
        elif digest(sod.hash_algorithm, groups[number]) == sod.hashes[number]:
            steps.append(Step(name, "passed", f"DG{number} {sod.hash_algorithm} matches"))
        else:
            steps.append(Step(name, "failed", f"DG{number} {sod.hash_algorithm} differs"))
    return steps


def _find_dsc(sod: SecurityObject, store: TrustStore) -> x509.Certificate | None:
    if sod.dsc is not None:
        return sod.dsc
    signed = sod.signed
    if signed.signer_key_id is not None:
        return store.dsc_with_key_id(signed.signer_key_id)
    if signed.signer_serial is not None:
        return signer_certificate(signed, store.dscs_with_serial(signed.signer_serial))
    return None


def _dsc_steps(
    sod: SecurityObject, dsc: x509.Certificate | None, store: TrustStore, today: date
) -> list[Step]:
    if dsc is None:
        return [Step("signature", "not_verifiable", "no DSC in EF.SOD nor in the trust store")]
    try:
        path = find_path(dsc, store)
        return [
            check_signature(sod.signed, dsc),
            check_dsc_validity(dsc, today),
            path.step,
            check_csca_validity(path, today),
            check_revocation(path, store, today),
        ]
    except (ValueError, UnsupportedAlgorithm) as malformed:
        # cryptography reads a certificate's extensions lazily: a malformed DSC shows only here.
        return [Step("signature", "failed", f"DSC cannot be used: {malformed}")]


def verify_chip(files: ChipFiles, store: TrustStore, today: date) -> PassiveAuthentication:
    """Carry out Passive Authentication of one document's chip files on the date `today`."""
    if files.sod is None:
        steps = (Step("sod_structure", "not_verifiable", "no EF.SOD given"),)
        return PassiveAuthentication(outcome_of(steps), steps)
    try:
        sod = read_sod(files.sod)
    except SODError as malformed:
        steps = (Step("sod_structure", "failed", malformed.reason),)
        return PassiveAuthentication(outcome_of(steps), steps)
    lds = f", LDS {sod.lds_version}" if sod.lds_version else ""
    structure = Step(
        "sod_structure",
        "passed",
        f"LDSSecurityObject v{sod.version}, {len(sod.hashes)} data group hashes{lds}",
    )
    algorithm = check_hash_algorithm(sod)
    dsc = _find_dsc(sod, store)
    dsc_steps = _dsc_steps(sod, dsc, store, today)
    groups = check_data_groups(sod, files.groups, algorithm.status == "passed")
    checks = (structure, algorithm, check_signed_attributes(sod.signed), *dsc_steps, *groups)
    return PassiveAuthentication(
        status=outcome_of(checks),
        checks=checks,
        dsc_issuer=dsc.issuer.rfc4514_string() if dsc else None,
        dsc_serial=f"{serial_of(dsc):X}" if dsc else None,
        hash_algorithm=sod.hash_algorithm,
        data_groups_verified=tuple(int(s.name[2:-5]) for s in groups if s.status == "passed"),
    )
