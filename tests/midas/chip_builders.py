"""Chips for the service's tests: a throw-away CSCA and DSC, and LDS files for any MRZ."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from cryptography.hazmat.primitives.serialization import Encoding
from PIL import Image

from chip.build_lds import build_dg1, build_dg2
from chip.build_pki import Issued, build_sod, ec_key, make_csca, make_dsc


@dataclass(frozen=True, slots=True)
class Pki:
    """A state's CSCA and one of its document signers."""

    csca: Issued
    dsc: Issued

    def csca_pem(self) -> bytes:
        return self.csca.certificate.public_bytes(Encoding.PEM)


@cache
def pki(country: str = "UT", slot: int = 10) -> Pki:
    """Return a state's PKI (ECDSA P-256 keys, cached per process: cheap)."""
    csca = make_csca(country, ec_key("secp256r1", slot), "ecdsa")
    dsc = make_dsc(csca, ec_key("secp256r1", slot + 1), "ecdsa")
    return Pki(csca, dsc)


@cache
def face_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (24, 32), (200, 150, 120)).save(buffer, "JPEG")
    return buffer.getvalue()


def chip_files(
    lines: Sequence[str], issuer: Pki | None = None, *, dg1_lines: Sequence[str] | None = None
) -> list[bytes]:
    """Return EF.SOD, DG1 and DG2 of a chip signed over `lines`; `dg1_lines` replaces DG1 after
    signing (a chip altered after issue)."""
    issuer = issuer or pki()
    groups = {
        1: build_dg1(list(lines)),
        2: build_dg2(face_jpeg(), width=24, height=32),
    }
    sod = build_sod(groups, issuer.dsc.key, issuer.dsc.certificate, signature="ecdsa")
    if dg1_lines is not None:
        groups[1] = build_dg1(list(dg1_lines))
    return [sod, groups[1], groups[2]]


def encoded(files: Sequence[bytes]) -> list[str]:
    """Return files base64-encoded, as the API takes them."""
    return [base64.b64encode(blob).decode() for blob in files]
