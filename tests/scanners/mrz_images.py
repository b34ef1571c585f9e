"""Test images of MRZs drawn in the real OCR-B face, and the shared specimen truth with its scoring.

Fixtures are drawn with Pillow from Debian's fonts-ocr-b, so tests need no binary files. The
specimen scoring is shared by tests/scanners/test_image_accuracy.py and benchmarks/image_reading.py.
"""

from __future__ import annotations

import json
import math
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from scanners.mrz.result import MRZResult
from scanners.ocrb import font_path

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "mrz"
KEY_FIELDS = (
    "document_number",
    "birth_date",
    "expiry_date",
    "surname",
    "given_names",
    "issuing_state",
    "nationality",
)

TD3_LINES = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)
TD1_LINES = (
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
)


def render_document(
    lines: tuple[str, ...],
    *,
    pitch: int = 24,
    header: str = "PASSPORT  PASSEPORT  UTOPIA",
    blur: float = 0.0,
    noise: int = 0,
    seed: int = 3,
) -> Image.Image:
    """Draw a pale document page with `header` text above and the MRZ `lines` near the bottom."""
    font = ImageFont.truetype(str(font_path()), round(pitch / 0.723))
    small = ImageFont.truetype(str(font_path()), round(pitch / 0.723 * 0.7))
    width = pitch * (len(lines[0]) + 4)
    height = round(width * 0.7)
    page = Image.new("L", (width, height), 236)
    draw = ImageDraw.Draw(page)
    draw.text((2 * pitch, pitch), header, font=small, fill=60)
    draw.text((2 * pitch, 3 * pitch), "SURNAME / NOM  ERIKSSON", font=small, fill=60)
    draw.rectangle((2 * pitch, 5 * pitch, 7 * pitch, 11 * pitch), fill=150)
    top = height - pitch * (2 * len(lines) + 1)
    for i, line in enumerate(lines):
        draw.text((2 * pitch, top + i * 2 * pitch), line, font=font, fill=20)
    if blur:
        page = page.filter(ImageFilter.GaussianBlur(blur))
    if noise:
        speckle = Image.effect_noise(page.size, noise)
        page = Image.blend(page, speckle, 0.35)
    return page


@dataclass(frozen=True, slots=True)
class Specimen:
    """One shared specimen image and what its MRZ says, sliced from the transcribed lines."""

    path: Path
    format: str
    check_digits_valid: bool
    fields: dict[str, str]


def load_specimens(root: Path = SHARED_DATA) -> list[Specimen]:
    """Return every specimen that has an MRZ, in file order."""
    out = []
    for row in (root / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        if not row.strip():
            continue
        item = json.loads(row)
        if not item["mrz"]:
            continue
        out.append(
            Specimen(
                path=root / "images" / item["file"],
                format=item["format"],
                check_digits_valid=bool(item["check_digits_valid"]),
                fields=truth_fields(item["mrz"], item["format"]),
            )
        )
    return out


def negative_images(root: Path = SHARED_DATA) -> list[Path]:
    """Return the shared images that hold no MRZ."""
    rows = (json.loads(r) for r in (root / "truth.jsonl").read_text().splitlines() if r.strip())
    return [root / "images" / r["file"] for r in rows if not r["mrz"]]


def _fold(text: str) -> str:
    """Drop diacritics (a printed Ñ reads as N) and fillers, and collapse spaces."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(plain.replace("<", " ").split())


def truth_fields(mrz: str, fmt: str) -> dict[str, str]:
    """Slice the key fields out of transcribed MRZ text by ICAO position (no check, no repair)."""
    lines = mrz.split("\n")
    if fmt == "TD1":
        first, second, names = lines
        number = first[5:14]
        if first[14] == "<" and first[15:30].strip("<"):  # Doc 9303 Part 5 §4.2.2: long number
            number += first[15:30].split("<")[0][:-1]
        state, birth, expiry, nation = first[2:5], second[0:6], second[8:14], second[15:18]
    else:
        names, second = lines[0][5:], lines[1]
        number, state = second[0:9], lines[0][2:5]
        birth, expiry, nation = second[13:19], second[21:27], second[10:13]
    surname, _, given = names.rstrip("<").partition("<<")
    return {
        "document_number": _fold(number).replace(" ", ""),
        "birth_date": birth,
        "expiry_date": expiry,
        "surname": _fold(surname),
        "given_names": _fold(given),
        "issuing_state": _fold(state),
        "nationality": _fold(nation),
    }


def reading_fields(result: MRZResult) -> dict[str, str]:
    """Return the key fields of a parsed reading in the form truth_fields uses."""

    def day(value: object) -> str:
        return value.strftime("%y%m%d") if hasattr(value, "strftime") else ""

    return {
        "document_number": _fold(result.document_number or "").replace(" ", ""),
        "birth_date": day(result.birth_date),
        "expiry_date": day(result.expiry_date),
        "surname": _fold(result.surname or ""),
        "given_names": _fold(result.given_names or ""),
        "issuing_state": _fold(result.issuing_state or ""),
        "nationality": _fold(result.nationality or ""),
    }


def wrong_fields(specimen: Specimen, result: MRZResult) -> list[str]:
    """Return the names of key fields the reading got wrong (empty when all are right)."""
    got = reading_fields(result)
    return [name for name in KEY_FIELDS if got[name] != specimen.fields[name]]


def draw_guilloche(page: Image.Image, *, shade: int = 150, spacing: int = 4) -> Image.Image:
    """Cover `page` with thin wavy diagonal lines, as printed under a visa's MRZ."""
    draw = ImageDraw.Draw(page)
    width, height = page.size
    for start in range(-2 * height, width + height, spacing):
        points = [(x, (x - start) * 0.6 + 6 * math.sin(x / 17.0)) for x in range(0, width, 3)]
        draw.line(points, fill=shade, width=1)
    return page


def shrink(page: Image.Image, pitch: float, *, blur: float, drawn_at: int = 24) -> Image.Image:
    """Return `page`, drawn at `drawn_at` px per glyph, blurred and shrunk to `pitch` px."""
    factor = pitch / drawn_at
    soft = page.filter(ImageFilter.GaussianBlur(blur / factor / 2))
    size = (round(page.width * factor), round(page.height * factor))
    return soft.resize(size, Image.Resampling.BOX)


def looped_pdf() -> bytes:
    """Return a PDF whose page tree loops (a Pages node is its own grandchild): no page loads."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
