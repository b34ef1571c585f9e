"""The chip read with a document: Passive Authentication, and DG1 against the printed MRZ.

Composes the `chip` library (LDS files, Passive Authentication) with the MRZ engine: DG1 holds
an MRZ, read by `scanners` exactly as the printed one is, then compared field by field. The
outcome goes into the reading's JSON (`reading["chip"]`), so recording, corrections, the
station page, the API and the statistics all see the one result. The face image is shown at the
desk and kept only when the retention setting says so.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import IO, Any

from cryptography import x509
from sqlalchemy.orm import Session

from chip.bundle import read_pem
from chip.certificates import country_of
from chip.errors import ChipError, TrustStoreError
from chip.face import read_dg2
from chip.files import MAX_FILE_BYTES, ChipFiles, sort_files
from chip.lds import read_dg1
from chip.passive_auth import verify_chip
from chip.results import PassiveAuthentication, Step, outcome_of
from chip.trust import TrustStore
from midas.domain.chip_steps import SIGNER_STATE_OTHER, SIGNER_STATE_SAME, SIGNER_STATE_UNKNOWN
from midas.domain.errors import InvalidInput
from midas.domain.readings import DocumentReading
from midas.domain.texts import N_, verbatim
from midas.domain.travellers import Identity
from midas.domain.trust_store import app_trust_cache
from midas.persistence.database import Host
from scanners.mrz.parse import parse_mrz
from scanners.mrz.result import MRZResult
from statecodes import is_known, same_state, to_code

# Fields of DG1 compared with the printed MRZ (Doc 9303 Part 10 §4.7.1: DG1 mirrors the MRZ).
MRZ_FIELDS = (
    "document_type",
    "issuing_state",
    "document_number",
    "surname",
    "given_names",
    "nationality",
    "birth_date",
    "sex",
    "expiry_date",
    "optional_data",
)
# A typed-in document has no optional data, and its names are written as the officer read
# them (accents, full length): the names are compared on the MRZ alone.
MANUAL_FIELDS = (
    "issuing_state",
    "document_number",
    "nationality",
    "birth_date",
    "sex",
    "expiry_date",
)
# The most one chip file may weigh (the faces bound uploads by it).
MAX_CHIP_FILE_BYTES = MAX_FILE_BYTES
# Bounds what one reading may carry: an LDS has at most EF.COM, EF.SOD and 16 data groups.
MAX_CHIP_FILES = 18


@dataclass(frozen=True, slots=True)
class FaceShown:
    """The chip's face image, for the desk: its media type and bytes."""

    mime_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class ChipCheck:
    """Everything learned from one chip: PA, DG1 as read, where it differs, and the face."""

    authentication: PassiveAuthentication
    dg1: MRZResult | None
    differences: tuple[str, ...]
    problems: tuple[str, ...]
    face: FaceShown | None

    @property
    def mrz_match(self) -> bool | None:
        """Tell whether DG1 equals the printed MRZ field by field (None: no DG1 to compare)."""
        return None if self.dg1 is None else not self.differences

    @property
    def verified(self) -> bool:
        """Tell whether Passive Authentication verified the chip's data."""
        return self.authentication.status == "verified"

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON kept with the crossing and printed by the API and the CLI."""
        return {
            **self.authentication.to_dict(),
            "dg1": None if self.dg1 is None else self.dg1.to_dict(),
            "mrz_match": self.mrz_match,
            "mrz_differences": list(self.differences),
            "problems": list(self.problems),
            "face": None if self.face is None else {"mime_type": self.face.mime_type},
        }


def decode_chip_files(encoded: Sequence[str], field: str = "chip") -> tuple[bytes, ...]:
    """Decode base64 chip files as the API and the desk send them; say which one is not."""
    if len(encoded) > MAX_CHIP_FILES:
        raise InvalidInput(
            N_("at most %(limit)s chip files"),
            params={"limit": MAX_CHIP_FILES},
            field=field,
        )
    files = []
    for number, text in enumerate(encoded, start=1):
        try:
            files.append(base64.b64decode(text, validate=True))
        except (binascii.Error, ValueError):
            raise InvalidInput(
                N_("chip file %(number)s is not base64"), params={"number": number}, field=field
            ) from None
    return tuple(files)


def chip_files_from(streams: Iterable[tuple[str, IO[bytes]]]) -> tuple[bytes, ...]:
    """Read chip files (name, stream) as uploaded or dropped, at most MAX_CHIP_FILE_BYTES each;
    raise InvalidInput naming a file that is too large or not an LDS file."""
    blobs = []
    for name, stream in streams:
        data = stream.read(MAX_CHIP_FILE_BYTES + 1)
        if len(data) > MAX_CHIP_FILE_BYTES:
            raise InvalidInput(
                N_("chip file %(name)s is larger than 1 MiB"), params={"name": name}, field="chip"
            )
        blobs.append(data)
    sorted_chip_files(blobs)
    return tuple(blobs)


def sorted_chip_files(blobs: Sequence[bytes], field: str = "chip") -> ChipFiles:
    """Sort chip files by their tags; raise InvalidInput naming what is wrong with one."""
    if len(blobs) > MAX_CHIP_FILES:
        raise InvalidInput(
            N_("at most %(limit)s chip files"),
            params={"limit": MAX_CHIP_FILES},
            field=field,
        )
    try:
        return sort_files(blobs)
    except ChipError as error:
        raise InvalidInput(verbatim(str(error)), field=field) from None


def check_chip(
    files: ChipFiles,
    printed: DocumentReading | None,
    store: TrustStore,
    *,
    today: date,
    expiry_horizon_days: int = 90,
) -> ChipCheck:
    """Verify a document's chip files and compare DG1 with the document as read from its page."""
    authentication = verify_chip(files, store, today)
    problems: list[str] = []
    dg1 = None
    if 1 in files.groups:
        try:
            lines = read_dg1(files.groups[1])
        except ChipError as error:
            problems.append(str(error))
        else:
            dg1 = parse_mrz(list(lines), today=today, expiry_horizon_days=expiry_horizon_days)
    face = None
    if 2 in files.groups:
        try:
            images = read_dg2(files.groups[2])
        except ChipError as error:
            problems.append(str(error))
        else:
            if images:
                face = FaceShown(images[0].mime_type, images[0].data)
    differences = () if dg1 is None or printed is None else mrz_differences(dg1, printed)
    state = (dg1.issuing_state if dg1 is not None else None) or (
        printed.identity.issuing_state if printed is not None else None
    )
    authentication = with_signer_state(authentication, state)
    return ChipCheck(authentication, dg1, differences, tuple(problems), face)


def with_signer_state(
    authentication: PassiveAuthentication, issuing_state: str | None
) -> PassiveAuthentication:
    """Add the step that the document signer's state is the document's issuing state.

    Passive Authentication proves the data was signed by some state's CSCA; a chip signed by
    another state than the one the document names (a genuine chip of one state in another
    state's booklet) is as wrong as a broken signature. A state the code table does not know
    (test states such as Utopia) cannot be compared, and the step says so.
    """
    if authentication.status != "verified" or not authentication.dsc_issuer or not issuing_state:
        return authentication
    try:
        name = x509.Name.from_rfc4514_string(authentication.dsc_issuer)
    except ValueError:
        return authentication
    country = country_of(name)
    signer = to_code(country) if country else None
    if signer is None or not is_known(issuing_state):
        step = Step(
            "signer_state",
            "skipped",
            SIGNER_STATE_UNKNOWN % {"state": issuing_state},
        )
    elif same_state(signer, issuing_state):
        step = Step("signer_state", "passed", SIGNER_STATE_SAME % {"state": issuing_state})
    else:
        step = Step(
            "signer_state",
            "failed",
            SIGNER_STATE_OTHER % {"state": issuing_state, "signer": signer},
        )
    checks = (*authentication.checks, step)
    return replace(authentication, status=outcome_of(checks), checks=checks)


def mrz_differences(dg1: MRZResult, printed: DocumentReading) -> tuple[str, ...]:
    """Name the fields where DG1 differs from the printed document, in MRZ order."""
    return differences_of(dg1.to_dict(), printed.data)


def differences_of(theirs: dict[str, Any], ours: dict[str, Any]) -> tuple[str, ...]:
    """Name the fields where a DG1 reading (its JSON) differs from a document's reading (its
    JSON), in MRZ order."""
    manual = ours.get("source") == "manual"
    names = MANUAL_FIELDS if manual else MRZ_FIELDS
    found = []
    for name in names:
        mine = ours.get(name)
        if manual and mine in (None, ""):
            continue  # not typed in: nothing to compare
        if _plain(mine) != _plain(theirs.get(name)):
            found.append(name)
    return tuple(found)


def _plain(value: object) -> str:
    return "" if value is None else str(value).strip().upper()


def with_extra_cscas(store: TrustStore, certificates: Sequence[bytes]) -> TrustStore:
    """Return the store with more CSCA certificates (PEM or DER) trusted, for one run only."""
    if not certificates:
        return store
    extra: list[x509.Certificate] = []
    for number, data in enumerate(certificates, start=1):
        try:
            read = read_pem(data, f"CSCA file {number}")
        except TrustStoreError as error:
            raise InvalidInput(verbatim(str(error)), field="csca") from None
        if read.errors:
            raise InvalidInput(verbatim(str(read.errors[0])), field="csca")
        extra += read.certificate_list()
    return TrustStore.build([*store.authorities, *extra], store.crls, store.dscs)


def with_chip(
    reading: DocumentReading, check: ChipCheck, *, keep_face: bool = False
) -> DocumentReading:
    """Return the reading carrying its chip's result; when PA verified DG1, its identity too
    (screening asks the lists for the chip's data as well as the page's). The face image is
    kept in the reading only when `keep_face` (the retention setting) says so."""
    chip = check.to_dict()
    if keep_face and check.face is not None:
        chip["face"] = {
            "mime_type": check.face.mime_type,
            "data": base64.b64encode(check.face.data).decode(),
        }
    data = {**reading.data, "chip": chip}
    chip_identity = None
    if check.verified and check.dg1 is not None:
        chip_identity = dg1_identity(check.dg1.to_dict())
    face = None if check.face is None else (check.face.mime_type, check.face.data)
    return replace(reading, data=data, chip_identity=chip_identity, chip_face=face)


def carried_chip(original: dict[str, Any] | None, reading: DocumentReading) -> DocumentReading:
    """Return a correction's new reading with the chip result of the crossing it corrects,
    compared again with the corrected MRZ: the chip read at the desk does not change because
    the page was read again, and neither may what it asks of the decision."""
    chip = (original or {}).get("chip")
    if not isinstance(chip, dict):
        return reading
    dg1 = chip.get("dg1")
    carried = dict(chip)
    if isinstance(dg1, dict):
        differences = differences_of(dg1, reading.data)
        carried.update(mrz_match=not differences, mrz_differences=list(differences))
    data = {**reading.data, "chip": carried}
    verified = chip.get("status") == "verified" and isinstance(dg1, dict)
    chip_identity = dg1_identity(dg1) if verified and isinstance(dg1, dict) else None
    return replace(reading, data=data, chip_identity=chip_identity)


def dg1_identity(dg1: dict[str, Any]) -> Identity | None:
    """Return the identity a DG1 reading (its JSON) names; None when DG1 was not an MRZ."""
    if not dg1.get("format"):
        return None
    return Identity.of(
        surname=dg1.get("surname"),
        given_names=dg1.get("given_names"),
        birth_date=_date(dg1.get("birth_date")),
        nationality=dg1.get("nationality"),
        sex=dg1.get("sex"),
        document_number=dg1.get("document_number"),
        issuing_state=dg1.get("issuing_state"),
        document_type=dg1.get("document_type"),
        expiry_date=_date(dg1.get("expiry_date")),
    )


def _date(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


@dataclass(frozen=True, slots=True)
class ChipVerifier:
    """What verifying a chip at recording or screening needs: the active trust store, and
    whether the face image is kept with the crossing."""

    trust: Callable[[Session], TrustStore]
    keep_face: bool = False


# A verifier with an empty trust store: every chip is shown as not verifiable.
NO_TRUST = ChipVerifier(trust=lambda session: TrustStore.build())


def app_chip_verifier(app: Host) -> ChipVerifier:
    """Return the app's verifier: its per-process trust-store cache and its retention setting."""
    cache = app_trust_cache(app)
    return ChipVerifier(trust=cache.store, keep_face=bool(app.config["CHIP_FACE_RETENTION"]))


def read_chip(
    session: Session,
    reading: DocumentReading,
    files: Sequence[bytes],
    verifier: ChipVerifier,
    *,
    today: date,
    expiry_horizon_days: int = 90,
) -> DocumentReading:
    """Return the reading with its chip verified and compared (unchanged when no chip was read)."""
    if not files:
        return reading
    sorted_files = sorted_chip_files(files)
    check = check_chip(
        sorted_files,
        reading,
        verifier.trust(session),
        today=today,
        expiry_horizon_days=expiry_horizon_days,
    )
    return with_chip(reading, check, keep_face=verifier.keep_face)
