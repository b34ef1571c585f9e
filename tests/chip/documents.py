"""Documents for the chip tests: keys come from build_pki's per-process cache, so they are cheap."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chip.build_pki import (
    Family,
    Issued,
    PrivateKey,
    build_sod,
    ec_key,
    make_csca,
    make_dg1,
    make_dg2,
    make_dsc,
    rsa_key,
)
from chip.files import ChipFiles

TODAY = date(2026, 5, 1)
MRZ = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<L898902C36UTO7408122F1204159ZE184226B<<<<<10"
# name -> (signature family, CSCA key, DSC key)
FAMILIES: dict[str, tuple[Family, PrivateKey, PrivateKey]] = {
    "rsa-pkcs1": ("pkcs1", rsa_key(0), rsa_key(1)),
    "rsa-pss": ("pss", rsa_key(2), rsa_key(3)),
    "ecdsa-p256": ("ecdsa", ec_key("secp256r1", 0), ec_key("secp256r1", 1)),
    "ecdsa-brainpoolP256r1": ("ecdsa", ec_key("brainpoolP256r1", 0), ec_key("brainpoolP256r1", 1)),
    "ecdsa-brainpoolP384r1": ("ecdsa", ec_key("brainpoolP384r1", 0), ec_key("brainpoolP384r1", 1)),
}


@dataclass(frozen=True, slots=True)
class Document:
    """One document's PKI and chip files."""

    csca: Issued
    dsc: Issued
    groups: dict[int, bytes]
    sod: bytes

    @property
    def files(self) -> ChipFiles:
        return ChipFiles(sod=self.sod, groups=self.groups)


def make_document(family: str = "ecdsa-p256", **sod_options: object) -> Document:
    """Build a CSCA, a DSC and a signed EF.SOD over DG1 and DG2 in this family."""
    scheme, csca_key, dsc_key = FAMILIES[family]
    csca = make_csca("UT", csca_key, scheme)
    dsc = make_dsc(csca, dsc_key, scheme)
    groups = {1: make_dg1(MRZ), 2: make_dg2()}
    sod = build_sod(groups, dsc.key, dsc.certificate, signature=scheme, **sod_options)  # type: ignore[arg-type]
    return Document(csca, dsc, groups, sod)
