"""The trust store for Passive Authentication: versioned loads, the active store, an overview.

A load reads every file first (a master list's signer verified, an LDIF's entries checked) and
refuses the whole load on any error, naming the file and the entry; then one transaction writes
the new version with its items and flips the source's pointer, superseding the old version
(rule 6 of the house style). The active store is the union of every source's active version,
built once per process for each set of active versions and shared by every verification.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from chip.certificates import describe, describe_crl
from chip.trust import StateTrust, TrustStore, trust_overview
from midas.domain.actors import Actor
from midas.domain.audit import record_audit
from midas.domain.errors import InvalidInput, NotFound
from midas.domain.texts import N_
from midas.persistence.database import Host
from midas.persistence.models import TrustItem, TrustItemKind, TrustSource, TrustVersion
from watchlists.versions import VersionState

TRUST_FORMATS = ("masterlist", "ldif", "pem")
NAME_LENGTH = 120


@dataclass(frozen=True, slots=True)
class TrustLoad:
    """What a load brings before it is stored: CSCAs, DSCs and CRLs, and where they came from."""

    cscas: tuple[x509.Certificate, ...]
    dscs: tuple[x509.Certificate, ...]
    crls: tuple[x509.CertificateRevocationList, ...]
    # One entry per file: its name, sha256, size, and what verifying it found.
    provenance: tuple[dict[str, Any], ...]


def checked_source_name(name: str) -> str:
    """Return a trust source's name stripped; refuse an empty or overlong one."""
    text = " ".join((name or "").split())
    if not text:
        raise InvalidInput(N_("name the trust source (say, icao-pkd)"), field="name")
    if len(text) > NAME_LENGTH:
        raise InvalidInput(
            N_("at most %(limit)s characters"),
            params={"limit": NAME_LENGTH},
            field="name",
        )
    return text


def _moment(day: datetime | None) -> datetime | None:
    return None if day is None else day.astimezone(UTC)


def _certificate_item(kind: TrustItemKind, certificate: x509.Certificate) -> dict[str, Any]:
    info = describe(certificate)
    der = certificate.public_bytes(Encoding.DER)
    return {
        "kind": kind,
        "country": info.country,
        "subject": info.subject,
        "serial": info.serial_hex[:80],
        "valid_from": _moment(certificate.not_valid_before_utc),
        "valid_until": _moment(certificate.not_valid_after_utc),
        "sha256": hashlib.sha256(der).hexdigest(),
        "der": der,
    }


def _crl_item(crl: x509.CertificateRevocationList) -> dict[str, Any]:
    info = describe_crl(crl)
    der = crl.public_bytes(Encoding.DER)
    return {
        "kind": TrustItemKind.CRL,
        "country": info.country,
        "subject": info.issuer,
        "serial": None,
        "valid_from": _moment(crl.last_update_utc),
        "valid_until": _moment(crl.next_update_utc),
        "sha256": hashlib.sha256(der).hexdigest(),
        "der": der,
    }


def store_trust_version(
    session: Session, actor: Actor | str, name: str, source_format: str, load: TrustLoad
) -> TrustVersion:
    """Write a load as the source's new active version, superseding the old, in the caller's
    transaction; the same certificate given twice is kept once."""
    name = checked_source_name(name)
    if source_format not in TRUST_FORMATS:
        raise InvalidInput(
            N_("format must be one of %(choices)s"),
            params={"choices": ", ".join(TRUST_FORMATS)},
            field="format",
        )
    if not (load.cscas or load.dscs or load.crls):
        raise InvalidInput(N_("the files hold no certificate and no CRL"), field="files")
    source = session.scalar(select(TrustSource).where(TrustSource.name == name).with_for_update())
    if source is None:
        source = TrustSource(name=name)
        session.add(source)
        session.flush()
    number = (
        session.scalar(
            select(func.max(TrustVersion.number)).where(TrustVersion.source_id == source.id)
        )
        or 0
    ) + 1
    items: dict[str, dict[str, Any]] = {}
    for certificate in load.cscas:
        item = _certificate_item(TrustItemKind.CSCA, certificate)
        items.setdefault(item["sha256"], item)
    for certificate in load.dscs:
        item = _certificate_item(TrustItemKind.DSC, certificate)
        items.setdefault(item["sha256"], item)
    for crl in load.crls:
        item = _crl_item(crl)
        items.setdefault(item["sha256"], item)
    counts = {kind: 0 for kind in TrustItemKind}
    for item in items.values():
        counts[item["kind"]] += 1
    label = actor.label if isinstance(actor, Actor) else actor
    version = TrustVersion(
        source_id=source.id,
        number=number,
        source_format=source_format,
        provenance=list(load.provenance),
        loaded_by=label,
        status=VersionState.LOADING,
        csca_count=counts[TrustItemKind.CSCA],
        dsc_count=counts[TrustItemKind.DSC],
        crl_count=counts[TrustItemKind.CRL],
    )
    session.add(version)
    session.flush()
    session.execute(insert(TrustItem), [{"version_id": version.id, **i} for i in items.values()])
    previous = (
        None
        if source.active_version_id is None
        else session.get(TrustVersion, source.active_version_id)
    )
    if previous is not None:
        previous.status = VersionState.SUPERSEDED
        session.flush()  # one active version per source: the old one steps down first
    version.status = VersionState.ACTIVE
    source.active_version_id = version.id
    record_audit(
        session,
        actor,
        "trust_store.load",
        "trust_version",
        version.id,
        detail={
            "source": name,
            "number": number,
            "format": source_format,
            "cscas": version.csca_count,
            "dscs": version.dsc_count,
            "crls": version.crl_count,
            "files": [p.get("file") for p in load.provenance],
        },
    )
    return version


def active_version_ids(session: Session) -> tuple[int, ...]:
    """Return the active version of every trust source, sorted."""
    ids = session.scalars(
        select(TrustSource.active_version_id).where(TrustSource.active_version_id.is_not(None))
    )
    return tuple(sorted(i for i in ids if i is not None))


def build_trust_store(session: Session, version_ids: Sequence[int]) -> TrustStore:
    """Build the trust store of these versions from their stored DER."""
    if not version_ids:
        return TrustStore.build()
    rows = session.execute(
        select(TrustItem.kind, TrustItem.der)
        .where(TrustItem.version_id.in_(version_ids))
        .order_by(TrustItem.id)
    ).all()
    return TrustStore.from_der(
        certificates=[der for kind, der in rows if kind is TrustItemKind.CSCA],
        crls=[der for kind, der in rows if kind is TrustItemKind.CRL],
        dscs=[der for kind, der in rows if kind is TrustItemKind.DSC],
    )


class TrustStoreCache:
    """The active trust store, built once per process for each set of active versions."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._built: tuple[tuple[int, ...], TrustStore] | None = None

    def store(self, session: Session) -> TrustStore:
        """Return the trust store of the versions active in the caller's transaction."""
        ids = active_version_ids(session)
        built = self._built
        if built is not None and built[0] == ids:
            return built[1]
        with self._lock:
            built = self._built
            if built is not None and built[0] == ids:
                return built[1]
            store = build_trust_store(session, ids)
            self._built = (ids, store)
            return store


TRUST_CACHE_KEY = "midas.trust_store"


def app_trust_cache(app: Host) -> TrustStoreCache:
    """Return the app's per-process trust-store cache."""
    cache: TrustStoreCache = app.extensions.setdefault(TRUST_CACHE_KEY, TrustStoreCache())
    return cache


@dataclass(frozen=True, slots=True)
class TrustVersionShown:
    """A trust version as the list shows it."""

    source: str
    number: int
    source_format: str
    status: str
    loaded_by: str
    loaded_at: datetime
    cscas: int
    dscs: int
    crls: int
    provenance: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "source": self.source,
            "number": self.number,
            "format": self.source_format,
            "status": self.status,
            "loaded_by": self.loaded_by,
            "loaded_at": self.loaded_at.isoformat(),
            "cscas": self.cscas,
            "dscs": self.dscs,
            "crls": self.crls,
            "provenance": self.provenance,
        }


def trust_versions(session: Session, source: str | None = None) -> list[TrustVersionShown]:
    """Return every trust version, newest first per source (one source's if named)."""
    query = select(TrustVersion, TrustSource.name).join(
        TrustSource, TrustVersion.source_id == TrustSource.id
    )
    if source is not None:
        query = query.where(TrustSource.name == source)
    rows = session.execute(query.order_by(TrustSource.name, TrustVersion.number.desc())).all()
    if source is not None and not rows:
        raise NotFound(
            N_("no trust source named %(source)s"), params={"source": repr(source)}, field="source"
        )
    return [
        TrustVersionShown(
            source=name,
            number=v.number,
            source_format=v.source_format,
            status=v.status.value,
            loaded_by=v.loaded_by,
            loaded_at=v.loaded_at,
            cscas=v.csca_count,
            dscs=v.dsc_count,
            crls=v.crl_count,
            provenance=v.provenance,
        )
        for v, name in rows
    ]


def state_trust(store: TrustStore, today: date, stale_within_days: int) -> list[dict[str, Any]]:
    """Return per issuing state which CSCAs are trusted until when and which CRLs go stale."""
    return [_state_json(s) for s in trust_overview(store, today, stale_within_days)]


def _state_json(state: StateTrust) -> dict[str, Any]:
    return {
        "state": state.state,
        "trusted_until": state.trusted_until.isoformat() if state.trusted_until else None,
        "cscas": [
            {
                "subject": c.subject,
                "serial": c.serial_hex,
                "self_signed": c.self_signed,
                "not_after": c.not_after.isoformat(),
                "valid_today": c.valid_today,
            }
            for c in state.cscas
        ],
        "crls_stale_soon": [
            {"issuer": issuer, "next_update": due.isoformat() if due else None}
            for issuer, due in state.crls_stale_soon
        ],
    }
