"""Errors raised by the chip package; a failed verification step is a result, not an error.

ChipError
├── TLVError            BER-TLV that is malformed, truncated or larger than allowed
├── LDSError            an LDS file whose structure is not what Doc 9303 Part 10 says
├── SODError            an EF.SOD that is not a CMS SignedData with an LDSSecurityObject
├── TrustStoreError     a master list, LDIF or PEM input that cannot be imported
├── AlgorithmError      a hash, signature or key algorithm (or EC curve) not supported
└── CMSError            a CMS SignedData that cannot be read (SODError, TrustStoreError wrap it)
"""

from __future__ import annotations


class ChipError(Exception):
    """Root of every error the chip package raises."""


class TLVError(ChipError):
    """BER-TLV that cannot be read: says what is wrong and at which byte offset."""

    def __init__(self, offset: int, reason: str) -> None:
        super().__init__(f"byte {offset}: {reason}")
        self.offset = offset
        self.reason = reason


class LDSError(ChipError):
    """An LDS file (EF.COM, a data group) that does not have the structure Doc 9303 gives it."""

    def __init__(self, file: str, reason: str, offset: int | None = None) -> None:
        where = f"{file}" if offset is None else f"{file}, byte {offset}"
        super().__init__(f"{where}: {reason}")
        self.file = file
        self.reason = reason
        self.offset = offset


class SODError(ChipError):
    """An EF.SOD that cannot be read as a CMS SignedData holding an LDSSecurityObject."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"EF.SOD: {reason}")
        self.reason = reason


class TrustStoreError(ChipError):
    """Trust-store input that cannot be imported: which source, which entry, and why."""

    def __init__(self, source: str, reason: str, entry: int | None = None) -> None:
        where = source if entry is None else f"{source}, entry {entry}"
        super().__init__(f"{where}: {reason}")
        self.source = source
        self.reason = reason
        self.entry = entry


class AlgorithmError(ChipError):
    """A hash, signature or key algorithm not supported, e.g. EC parameters of no known curve."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class CMSError(ChipError):
    """A CMS SignedData (EF.SOD, a master list) that cannot be read; callers rename it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
