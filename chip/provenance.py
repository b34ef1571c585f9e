"""Where each imported certificate or CRL came from, so an admin can trace every trusted key."""

from __future__ import annotations

from dataclasses import dataclass

from cryptography import x509


@dataclass(frozen=True, slots=True)
class Provenance:
    """The source (file or URL), the entry in it (LDIF entry, PEM block) and any nesting."""

    source: str
    entry: int | None = None
    via: str | None = None

    def describe(self) -> str:
        """Say where, in one phrase."""
        where = self.source if self.entry is None else f"{self.source}, entry {self.entry}"
        return where if self.via is None else f"{where}, {self.via}"


@dataclass(frozen=True, slots=True)
class SourcedCertificate:
    """A certificate and where it came from."""

    certificate: x509.Certificate
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class SourcedCrl:
    """A CRL and where it came from."""

    crl: x509.CertificateRevocationList
    provenance: Provenance
