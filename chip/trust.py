"""The trust store: CSCAs (and link certificates), CRLs and known DSCs, indexed for lookup.

Immutable once built, so one store serves every verification of a trust-store version. An
issuer is found by subject name and authority key identifier in a dict, never by trying every
CSCA's key: with a few hundred CSCAs, a verification costs a handful of signature checks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import MappingProxyType
from typing import TypeVar

from cryptography import x509

from chip.certificates import (
    NameKey,
    authority_key_id,
    country_of,
    is_ca,
    is_self_issued,
    load_certificate,
    name_key,
    serial_of,
    subject_key_id,
    valid_on,
)

K = TypeVar("K")
V = TypeVar("V")


def _freeze(index: Mapping[K, list[V]]) -> Mapping[K, tuple[V, ...]]:
    return MappingProxyType({key: tuple(values) for key, values in index.items()})


@dataclass(frozen=True, slots=True)
class TrustStore:
    """CSCAs, link certificates, CRLs and DSCs, indexed by name and key identifier."""

    authorities: tuple[x509.Certificate, ...] = ()
    crls: tuple[x509.CertificateRevocationList, ...] = ()
    dscs: tuple[x509.Certificate, ...] = ()
    _by_subject: Mapping[NameKey, tuple[x509.Certificate, ...]] = field(
        default_factory=dict, repr=False
    )
    _by_key_id: Mapping[bytes, tuple[x509.Certificate, ...]] = field(
        default_factory=dict, repr=False
    )
    _by_state: Mapping[str, tuple[x509.Certificate, ...]] = field(default_factory=dict, repr=False)
    _crls_by_issuer: Mapping[NameKey, tuple[x509.CertificateRevocationList, ...]] = field(
        default_factory=dict, repr=False
    )
    _dscs_by_serial: Mapping[int, tuple[x509.Certificate, ...]] = field(
        default_factory=dict, repr=False
    )

    @classmethod
    def build(
        cls,
        certificates: Iterable[x509.Certificate] = (),
        crls: Iterable[x509.CertificateRevocationList] = (),
        dscs: Iterable[x509.Certificate] = (),
    ) -> TrustStore:
        """Index certificates (CA ones as CSCAs or links, others as DSCs), CRLs and DSCs."""
        # The same CSCA comes in many master lists: keep one of each (certificates hash by DER).
        authorities: dict[x509.Certificate, None] = {}
        signers: dict[x509.Certificate, None] = {}
        for certificate in certificates:
            (authorities if is_ca(certificate) else signers)[certificate] = None
        for certificate in dscs:
            signers[certificate] = None
        by_subject: defaultdict[NameKey, list[x509.Certificate]] = defaultdict(list)
        by_key_id: defaultdict[bytes, list[x509.Certificate]] = defaultdict(list)
        by_state: defaultdict[str, list[x509.Certificate]] = defaultdict(list)
        for certificate in authorities:
            by_subject[name_key(certificate.subject)].append(certificate)
            ski = subject_key_id(certificate)
            if ski is not None:
                by_key_id[ski].append(certificate)
            state = country_of(certificate.subject)
            if state is not None:
                by_state[state].append(certificate)
        crl_list = list(crls)
        crls_by_issuer: defaultdict[NameKey, list[x509.CertificateRevocationList]] = defaultdict(
            list
        )
        for crl in crl_list:
            crls_by_issuer[name_key(crl.issuer)].append(crl)
        dscs_by_serial: defaultdict[int, list[x509.Certificate]] = defaultdict(list)
        for certificate in signers:
            dscs_by_serial[serial_of(certificate)].append(certificate)
        return cls(
            tuple(authorities),
            tuple(crl_list),
            tuple(signers),
            _freeze(by_subject),
            _freeze(by_key_id),
            _freeze(by_state),
            _freeze(crls_by_issuer),
            _freeze(dscs_by_serial),
        )

    @classmethod
    def from_der(
        cls,
        certificates: Iterable[bytes],
        crls: Iterable[bytes] = (),
        dscs: Iterable[bytes] = (),
    ) -> TrustStore:
        """Build a store from DER blobs, as the service keeps a trust-store version."""
        return cls.build(
            (load_certificate(der) for der in certificates),
            (x509.load_der_x509_crl(der) for der in crls),
            (load_certificate(der) for der in dscs),
        )

    def issuers_of(
        self, item: x509.Certificate | x509.CertificateRevocationList
    ) -> tuple[x509.Certificate, ...]:
        """Return the CA certificates that may have signed this: same name, key id if given."""
        named = self._by_subject.get(name_key(item.issuer), ())
        aki = authority_key_id(item)
        if aki is None:
            return named
        keyed = tuple(c for c in named if subject_key_id(c) == aki)
        if keyed:
            return keyed
        # A name spelt differently in the issuer field: the key identifier still finds it, but
        # only among the CSCAs of the state the issuer names, so one state's CSCA never
        # vouches for a certificate that says it is another state's.
        country = country_of(item.issuer)
        return tuple(c for c in self._by_key_id.get(aki, ()) if country_of(c.subject) == country)

    def is_anchor(self, certificate: x509.Certificate) -> bool:
        """Tell whether a CA certificate of the store is a trust anchor (a self-signed CSCA)."""
        return is_self_issued(certificate)

    def cscas_of(self, state: str) -> tuple[x509.Certificate, ...]:
        """Return the CA certificates whose subject country is this state (ISO 3166 alpha-2)."""
        return self._by_state.get(state.upper(), ())

    def crls_of(self, issuer: x509.Name) -> tuple[x509.CertificateRevocationList, ...]:
        """Return the CRLs this issuer name published."""
        return self._crls_by_issuer.get(name_key(issuer), ())

    def dscs_with_serial(self, serial: int) -> tuple[x509.Certificate, ...]:
        """Return the known DSCs with this serial number (for an EF.SOD that omits its DSC)."""
        return self._dscs_by_serial.get(serial, ())

    def dsc_with_key_id(self, key_id: bytes) -> x509.Certificate | None:
        """Return a known DSC by subject key identifier."""
        return next((c for c in self.dscs if subject_key_id(c) == key_id), None)

    @property
    def states(self) -> tuple[str, ...]:
        """Return the states that have a CSCA in the store, sorted."""
        return tuple(sorted(self._by_state))


@dataclass(frozen=True, slots=True)
class CscaTrust:
    """One CSCA certificate of a state: whether it is an anchor or a link, and until when."""

    subject: str
    serial_hex: str
    self_signed: bool
    not_after: date
    valid_today: bool


@dataclass(frozen=True, slots=True)
class StateTrust:
    """What the store trusts for one issuing state, and which of its CRLs go stale soon."""

    state: str
    cscas: tuple[CscaTrust, ...]
    trusted_until: date | None
    crls_stale_soon: tuple[tuple[str, date | None], ...]


def trust_overview(store: TrustStore, today: date, within_days: int = 14) -> tuple[StateTrust, ...]:
    """Tell per state which CSCAs are trusted until when and which CRLs are stale by today+N."""
    horizon = today + timedelta(days=within_days)
    overview = []
    for state in store.states:
        cscas = tuple(
            CscaTrust(
                subject=c.subject.rfc4514_string(),
                serial_hex=f"{serial_of(c):X}",
                self_signed=is_self_issued(c),
                not_after=c.not_valid_after_utc.date(),
                valid_today=valid_on(c, today),
            )
            for c in sorted(store.cscas_of(state), key=lambda c: c.not_valid_after_utc)
        )
        current = [c.not_after for c in cscas if c.valid_today]
        stale: list[tuple[str, date | None]] = []
        for crl in store.crls:
            if country_of(crl.issuer) != state:
                continue
            due = crl.next_update_utc.date() if crl.next_update_utc else None
            if due is None or due <= horizon:
                stale.append((crl.issuer.rfc4514_string(), due))
        overview.append(StateTrust(state, cscas, max(current, default=None), tuple(stale)))
    return tuple(overview)
