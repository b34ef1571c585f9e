"""The certificate path DSC → (link certificates) → CSCA, its validity, and DSC revocation.

Validity rule (the shell model at the date of the check, `today`): the DSC and every CA
certificate of the path must be valid on that day. Doc 9303 Part 12 §5 sizes the periods for
it: a DSC's certificate lives as long as its private key is used (at most three months) plus
the longest validity of a document it signed, and a CSCA's as long as its key is used plus the
longest DSC validity, so a genuine document is inside every period for its whole life; only
the private key usage period ends early, and it is not checked here (the SOD's signing time is
optional and asserted by the signer itself). An expired CSCA therefore fails even a document
signed while it was valid: its state has stopped vouching for its key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm

from chip.certificates import country_of, serial_of, valid_on
from chip.curves import public_key_of
from chip.errors import AlgorithmError
from chip.results import Step, StepStatus
from chip.signatures import verify_issued
from chip.trust import TrustStore

# DSC, at most two link certificates (three CSCA generations), the root: real paths have 2-3.
MAX_CHAIN_LENGTH = 4


@dataclass(frozen=True, slots=True)
class Path:
    """A certificate path from a DSC to a trust anchor, or the reason there is none."""

    certificates: tuple[x509.Certificate, ...]
    step: Step


def signature_problem(
    item: x509.Certificate | x509.CertificateRevocationList, issuer: x509.Certificate
) -> str | None:
    """Return why `issuer` did not sign `item`, or None if it did."""
    try:
        verify_issued(item, public_key_of(issuer))
    except InvalidSignature:
        return f"the signature does not verify with the key of {issuer.subject.rfc4514_string()}"
    except AlgorithmError as unsupported:
        return unsupported.reason
    except (UnsupportedAlgorithm, ValueError) as unsupported:
        return f"cannot verify: {unsupported}"
    return None


def _extend(
    path: list[x509.Certificate], store: TrustStore, problems: list[str]
) -> list[x509.Certificate] | None:
    """Depth-first: extend the path by an issuer whose signature verifies, up to an anchor."""
    if len(path) >= MAX_CHAIN_LENGTH:
        problems.append(f"no anchor within {MAX_CHAIN_LENGTH} certificates")
        return None
    for issuer in store.issuers_of(path[-1]):
        if issuer in path:
            continue
        problem = signature_problem(path[-1], issuer)
        if problem is not None:
            problems.append(problem)
            continue
        extended = [*path, issuer]
        if store.is_anchor(issuer):
            return extended
        found = _extend(extended, store, problems)
        if found is not None:
            return found
    return None


def find_path(dsc: x509.Certificate, store: TrustStore) -> Path:
    """Find a verified path from the DSC to a self-signed CSCA of the store (`csca_chain`)."""
    name = "csca_chain"
    issuer = dsc.issuer.rfc4514_string()
    if not store.issuers_of(dsc):
        state = country_of(dsc.issuer)
        if state is None or not store.cscas_of(state):
            return Path((), Step(name, "not_verifiable", f"no CSCA of state {state} in the store"))
        return Path(
            (),
            Step(name, "failed", f"no CSCA of {state} has the DSC's issuer name and key id"),
        )
    problems: list[str] = []
    found = _extend([dsc], store, problems)
    if found is None:
        return Path((), Step(name, "failed", f"no path to a CSCA: {'; '.join(problems)}"))
    links = len(found) - 2
    via = f" via {links} link certificate{'s' if links > 1 else ''}" if links else ""
    return Path(tuple(found), Step(name, "passed", f"DSC issued by {issuer}{via}"))


def check_dsc_validity(dsc: x509.Certificate, today: date) -> Step:
    """Check the DSC's validity period covers the date of the check (shell model), and that its
    key may sign (Doc 9303 Part 12 §7.1.2: a DSC's key usage is digitalSignature)."""
    start, end = dsc.not_valid_before_utc.date(), dsc.not_valid_after_utc.date()
    try:
        usage = dsc.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    if usage is not None and not usage.digital_signature:
        return Step("dsc_validity", "failed", "the DSC's key usage does not allow signing")
    status: StepStatus = "passed" if valid_on(dsc, today) else "failed"
    return Step("dsc_validity", status, f"DSC valid {start} to {end}; checked on {today}")


def check_csca_validity(path: Path, today: date) -> Step:
    """Check every CA certificate of the path (links and root) is valid on the check date."""
    name = "csca_validity"
    if not path.certificates:
        return Step(name, "skipped", "no path to a CSCA")
    for certificate in path.certificates[1:]:
        if not valid_on(certificate, today):
            return Step(
                name,
                "failed",
                f"{certificate.subject.rfc4514_string()} valid"
                f" {certificate.not_valid_before_utc.date()} to"
                f" {certificate.not_valid_after_utc.date()}, not on {today}",
            )
    root = path.certificates[-1]
    return Step(name, "passed", f"CSCA valid until {root.not_valid_after_utc.date()}")


def check_revocation(path: Path, store: TrustStore, today: date) -> Step:
    """Look the DSC up in its issuer's CRLs; no CRL or only stale ones is said, not fatal."""
    name = "dsc_revocation"
    if not path.certificates:
        return Step(name, "skipped", "no path to a CSCA")
    dsc, issuer = path.certificates[0], path.certificates[1]
    crls = [c for c in store.crls_of(dsc.issuer) if signature_problem(c, issuer) is None]
    if not crls:
        return Step(
            name, "skipped", f"no CRL of {dsc.issuer.rfc4514_string()}: revocation not checked"
        )
    for crl in crls:
        revoked = crl.get_revoked_certificate_by_serial_number(serial_of(dsc))
        if revoked is not None:
            return Step(
                name,
                "failed",
                f"DSC {serial_of(dsc):X} revoked on {revoked.revocation_date_utc.date()}",
            )
    fresh = [c for c in crls if c.next_update_utc is None or c.next_update_utc.date() >= today]
    if fresh:
        newest = max(fresh, key=lambda c: c.last_update_utc)
        return Step(name, "passed", f"not on the CRL of {newest.last_update_utc.date()}")
    newest = max(crls, key=lambda c: c.last_update_utc)
    due = newest.next_update_utc.date() if newest.next_update_utc else None
    return Step(
        name,
        "skipped",
        f"not on the CRL of {newest.last_update_utc.date()}, but that CRL is stale (next update"
        f" {due}): revocation may be out of date",
    )
