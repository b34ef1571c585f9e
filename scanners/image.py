"""Read the MRZ from a scanner image (JPEG, PNG, TIFF) or the first page of a PDF.

Passes are tried in order (see `scanners.ocr_passes.PASSES`); the first reading whose every
ICAO check passes wins, otherwise the reading with the most passing checks among those
matched nearly as well as the best of their pass. The work is bounded by counts (passes,
regions per pass, windows per region), never by a clock: the same image gives the same
reading on a quiet machine and a loaded one.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from scanners.errors import DependencyMissing, ImageLoadError
from scanners.mrz.formats import CharClass, detect
from scanners.mrz.parse import parse_mrz
from scanners.mrz.repair import LETTER_TO_DIGIT
from scanners.mrz.result import MRZResult

if TYPE_CHECKING:
    from PIL import Image

    from scanners.ocr_passes import Candidate
    from scanners.regions import Gray

MIN_TRUSTED_PITCH = 9.0  # px per glyph; below it E/F and similar name letters blur together
NAME_DOUBT_MARGIN = 0.03  # a name glyph leading its runner-up by less is doubted (see below)
MATCH_SLACK = 0.05  # an unchecked reading matched worse than its pass's best by more is set aside
MIN_TRUSTED_GLYPH = 0.7  # a glyph matching worse than this may be another glyph (see valid)
# Pixels of the largest page a document scanner makes (A4 at 600 dpi is 35 million); more is
# refused before decoding, so a tiny file cannot ask a worker for gigabytes.
MAX_PIXELS = 40_000_000
PDF_DPI = 200  # scanner PDFs are rendered at this resolution; MRZ glyphs are then ~20 px tall
# Letters an OCR-B digit is torn with: the parser's look-alikes, and U, which a 0 whose top
# arc printed faint becomes (its check-digit weight can equal 0's, so no check tells them).
TORN_DIGITS = {**LETTER_TO_DIGIT, "U": "0"}
PYTHON_HINT = "pip install 'midas-border' (numpy, Pillow, scipy and pypdfium2 come with it)"


@dataclass(frozen=True, slots=True)
class Attempt:
    """One candidate a pass proposed: its lines, how the parser judged them, and its cost."""

    pass_name: str
    lines: tuple[str, ...]
    valid: bool
    checks_passed: int
    match_score: float
    pitch: float
    seconds: float


@dataclass(frozen=True, slots=True)
class ImageReading:
    """The outcome of reading one image: the parsed MRZ, the winning pass, and every attempt."""

    result: MRZResult
    winner: str | None  # the pass whose lines were kept; None when no pass found MRZ lines
    attempts: tuple[Attempt, ...]
    seconds: float
    pitch: float = 0.0  # glyph pitch of the kept lines in image pixels
    poorest: float = 1.0  # the lowest match score of any glyph of the kept lines

    @property
    def found(self) -> bool:
        """True when some pass found lines that look like an MRZ."""
        return self.winner is not None

    @property
    def valid(self) -> bool:
        """True when every ICAO check passed and every glyph was clear enough to trust.

        Names carry no check digit, and two misread characters of a document number can cancel
        out in its check digit; so a passing MRZ from a tiny image, or with a glyph that matched
        poorly, keeps its fields but is not called valid.
        """
        return (
            self.result.valid
            and self.pitch >= MIN_TRUSTED_PITCH
            and self.poorest >= MIN_TRUSTED_GLYPH
        )


def read_image(
    image: Path | str | bytes,
    *,
    today: date | None = None,
    passes: Sequence[str] | None = None,
) -> ImageReading:
    """Read the MRZ in an image file, PDF or encoded image bytes.

    Without `passes`, the page is read each way it can lie (upright, upside down, a quarter
    turn either way), likeliest first, until a reading is valid.
    """
    # heavy (numpy, scipy, Pillow): imported only when an image is read
    from threadpoolctl import threadpool_limits

    # One BLAS thread: desks run several readers, and CI has two cores.
    with threadpool_limits(limits=1):
        return _read(image, today, passes)


def _read(
    image: Path | str | bytes, today: date | None, passes: Sequence[str] | None
) -> ImageReading:
    from scanners.ocr_passes import PASSES, TURNED_PASSES
    from scanners.regions import likely_turns

    # The clock is read only to report how long a reading took; nothing is decided by it.
    started = time.perf_counter()
    page = load_page(image)
    if passes is None:
        names = [TURNED_PASSES[turns] for turns in likely_turns(page)]
    else:
        names = list(passes)
    attempts: list[Attempt] = []
    readings: list[_Parsed] = []
    for name in names:
        run = PASSES[name]
        clock = time.perf_counter()
        for candidate in run(page):
            lines, seen = prefer_classes(candidate.lines, candidate.alternatives)
            seen = _settled_by_check_or_torn(lines, seen, candidate.leads)
            result = parse_mrz(lines, today=today, alternatives=seen)
            passed = sum(check.passed for check in result.checks)
            attempts.append(
                Attempt(
                    name,
                    lines,
                    result.valid,
                    passed,
                    candidate.score,
                    candidate.pitch,
                    time.perf_counter() - clock,
                )
            )
            clock = time.perf_counter()
            if result.format is not None:
                readings.append(_Parsed(result, name, candidate, passed))
            if result.valid:
                break
        if any(r.result.valid for r in readings):
            break
    elapsed = time.perf_counter() - started
    if not readings:
        return ImageReading(parse_mrz([], today=today), None, tuple(attempts), elapsed)
    best = _likeliest(readings)
    kept = best.candidate
    return ImageReading(best.result, best.name, tuple(attempts), elapsed, kept.pitch, kept.poorest)


@dataclass(frozen=True, slots=True)
class _Parsed:
    result: MRZResult
    name: str
    candidate: Candidate
    passed: int


def _likeliest(readings: list[_Parsed]) -> _Parsed:
    """Return the valid reading, or else the one passing most checks among the well matched.

    Readings matched clearly worse than the best of their pass are set aside first: a line of
    garbage passes a check digit by chance one time in ten, and a document printed with a
    wrong check digit must not lose to it.
    """
    valid = [r for r in readings if r.result.valid]
    if valid:
        return valid[0]
    top: dict[str, float] = {}
    for r in readings:
        top[r.name] = max(top.get(r.name, r.candidate.score), r.candidate.score)
    pool = [r for r in readings if r.candidate.score >= top[r.name] - MATCH_SLACK]
    return max(pool, key=lambda r: (r.passed, -len(r.result.problems)))


def _settled_by_check_or_torn(
    lines: tuple[str, ...],
    seen: Mapping[tuple[int, int], str],
    leads: tuple[tuple[float, ...], ...],
) -> dict[tuple[int, int], str]:
    """Keep second choices where a check digit can settle them, or where the OCR was torn.

    Where no check digit covers a position (names, sex, some state codes) a second choice makes
    the parser report doubt, so there it is kept only when the best glyph led by under
    NAME_DOUBT_MARGIN: on the shared specimens every wrong name letter led by less than that.
    """
    fmt = detect(len(lines), len(lines[0]), lines[0][:1]) if lines else None
    if fmt is None or not leads:
        return dict(seen)
    checked = {
        (span.line, col)
        for check in fmt.checks
        for span in (*check.covers, check.digit)
        for col in range(span.start, span.end)
    }
    kept: dict[tuple[int, int], str] = {}
    for (line, col), others in seen.items():
        row = leads[line] if line < len(leads) else ()
        lead = row[col] if col < len(row) else 0.0
        if (line, col) in checked or lead < NAME_DOUBT_MARGIN:
            kept[(line, col)] = others
    return kept


def prefer_classes(
    lines: tuple[str, ...], alternatives: Mapping[tuple[int, int], str]
) -> tuple[tuple[str, ...], dict[tuple[int, int], str]]:
    """Where the OCR was torn between glyphs, read the one the position's class allows.

    A digit beats a close letter in dates and check digits, a letter beats a close digit in
    names and codes, and in document numbers a digit beats its close look-alike letter (O and 0
    differ by a hair in OCR-B, and numbers are mostly digits). The glyph set aside stays an
    alternative, so check-digit repair may still choose it.
    """
    fmt = detect(len(lines), len(lines[0]), lines[0][:1]) if lines else None
    if fmt is None or any(len(line) != fmt.line_length for line in lines):
        return lines, dict(alternatives)
    classes: dict[tuple[int, int], CharClass] = {}
    for spec in fmt.fields:
        for col in range(spec.span.start, spec.span.end):
            classes[(spec.span.line, col)] = spec.char_class
    for check in fmt.checks:
        classes[(check.digit.line, check.digit.start)] = CharClass.DIGIT
    rows = [list(line) for line in lines]
    seen = dict(alternatives)
    for (line, col), others in alternatives.items():
        read, kind = rows[line][col], classes.get((line, col))
        if kind is CharClass.DIGIT and not read.isdigit():
            pick = next((c for c in others if c.isdigit()), None)
        elif kind in (CharClass.ALPHA, CharClass.SEX) and read.isdigit():
            pick = next((c for c in others if not c.isdigit()), None)
        elif kind is CharClass.ALNUM and TORN_DIGITS.get(read, "-") in others:
            pick = TORN_DIGITS[read]
        else:
            pick = None
        if pick is not None:
            rows[line][col] = pick
            seen[(line, col)] = read + others.replace(pick, "")
    return tuple("".join(row) for row in rows), seen


def load_page(image: Path | str | bytes) -> Gray:
    """Return the image (or a PDF's first page) as grey floats in [0, 1]."""
    try:
        import numpy as np
        from PIL import Image, ImageOps, UnidentifiedImageError
    except ImportError as error:
        raise DependencyMissing(error.name or "numpy/Pillow", PYTHON_HINT) from error
    if isinstance(image, bytes):
        name, data = "<bytes>", image
    else:
        name = str(image)
        try:
            data = Path(image).read_bytes()
        except OSError as error:
            raise ImageLoadError(image, error.strerror or str(error)) from error
    if data[:5] == b"%PDF-":
        picture = _render_pdf(name, data)
    else:
        try:
            with warnings.catch_warnings():
                # Pillow only warns of a decompression bomb below twice its limit; refuse it.
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                picture = Image.open(BytesIO(data))
            _check_pixels(name, *picture.size)  # from the header, before decoding
            picture.load()
        except UnidentifiedImageError as error:
            # Pillow's message names its in-memory buffer, which tells a person nothing.
            raise ImageLoadError(
                name, "not a readable image: not a JPEG, PNG, TIFF or PDF that can be opened"
            ) from error
        except OSError as error:
            raise ImageLoadError(name, f"not a readable image ({error})") from error
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ImageLoadError(name, f"page has too many pixels ({error})") from error
        picture = ImageOps.exif_transpose(picture)
    grey = np.asarray(picture.convert("L"), dtype=np.float32) / 255.0
    if min(grey.shape) < 16:
        raise ImageLoadError(name, f"image is too small ({grey.shape[1]}x{grey.shape[0]})")
    return grey


def _check_pixels(name: str, width: int, height: int) -> None:
    """Refuse a page bigger than any scanner makes, before it is decoded into memory.

    A file's size says nothing of its pixels: a few hundred bytes of PDF or PNG can ask for
    billions, which as a float array would take a worker's memory with it.
    """
    if width * height > MAX_PIXELS:
        raise ImageLoadError(
            name,
            f"page is {width}x{height} pixels; a scanned document page is at most "
            f"{MAX_PIXELS // 1_000_000} million",
        )


def _render_pdf(name: str, data: bytes) -> Image.Image:
    try:
        import pypdfium2 as pdfium
    except ImportError as error:
        raise DependencyMissing("pypdfium2", PYTHON_HINT) from error
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise ImageLoadError(name, f"not a readable PDF ({error})") from error
    try:
        if len(document) == 0:
            raise ImageLoadError(name, "the PDF has no pages")
        page = document[0]
        width, height = page.get_size()  # points
        _check_pixels(name, round(width * PDF_DPI / 72), round(height * PDF_DPI / 72))
        bitmap = page.render(scale=PDF_DPI / 72, grayscale=True)
        picture: Image.Image = bitmap.to_pil()
        return picture
    except pdfium.PdfiumError as error:
        # The page list is read lazily: a page tree that loops or points nowhere is only
        # found when the first page is loaded or drawn.
        raise ImageLoadError(name, f"the PDF's first page cannot be read ({error})") from error
    finally:
        document.close()
