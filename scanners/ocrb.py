"""Read MRZ lines by matching fixed-pitch cells against OCR-B glyphs (ICAO Doc 9303 Part 3 §4.2).

An MRZ is printed in OCR-B at a fixed pitch, so each line is a row of equal cells. We find a
line's ends, cut it into 30, 36 or 44 cells, and score every cell against every glyph of the
real typeface by normalised correlation. Unlike a general OCR engine this never drops or adds a
filler `<`, and it reads `<` as `<` rather than `K`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view
from PIL import Image, ImageDraw, ImageFont
from scipy import ndimage

from scanners.errors import DependencyMissing
from scanners.regions import Gray, resize

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
LINE_LENGTHS = (30, 36, 44)
FONT_PATHS = (
    Path("/usr/share/fonts/opentype/ocr-b/OCRB.otf"),  # Debian/Ubuntu fonts-ocr-b
    Path("/usr/share/fonts/ocr-b/OCRB.otf"),
)
FONT_HINT = "apt-get install fonts-ocr-b (see README, 'Scanner images')"

CAP = 20  # cap height, in pixels, that cells are scaled to before matching
MARGIN = 5  # rows of template above the cap line and below the base line
SHIFT_X = 3  # a cell is searched this many pixels either side of its grid position
SHIFT_Y = 3
HEIGHT_FACTORS = (0.85, 0.92, 1.0, 1.08)  # the measured line height is only roughly the cap height
FIRST_INK = 0.17  # OCR-B glyphs start about this share of the pitch into their cell
LAST_INK = 0.35  # ...and end this share of the pitch before the next cell
PROBE_LINES = 2  # lines read at every glyph height and line length to choose between them
RUNNER_UP_MARGIN = 0.06  # a glyph scoring this close to the best is offered to check-digit repair
RUNNER_UPS = 2  # at most this many runner-ups per cell
SMALL_LINE = 16.0  # px; lines less tall than this are enlarged before reading
MAX_ZOOM = 3.0
REFINE_BELOW = 0.75  # a line whose poorest glyph matched worse has its ends nudged
REFINE_STEP = 0.15  # share of a pitch the ends are nudged by
RHYTHM_MARGIN = 0.15  # below this lead in autocorrelation the second likeliest length is read too


@dataclass(frozen=True, slots=True)
class TextLine:
    """One read line: text, mean match score, narrowest lead of a glyph, and pitch in pixels."""

    text: str
    score: float
    weakest: float
    pitch: float
    # per cell, the glyphs that matched nearly as well as the one read, likeliest first
    alternatives: tuple[str, ...] = ()
    poorest: float = 1.0  # the lowest score of a glyph read in the line
    leads: tuple[float, ...] = ()  # per cell, the best glyph's score minus the runner-up's


@dataclass(frozen=True, slots=True)
class _Glyphs:
    vectors: npt.NDArray[np.float32]  # one normalised template per row, in ALPHABET order
    width: int
    height: int


def font_path() -> Path:
    """Return the OCR-B font file, or raise DependencyMissing naming the package to install."""
    for path in FONT_PATHS:
        if path.is_file():
            return path
    raise DependencyMissing("the OCR-B font", FONT_HINT)


@cache
def _glyphs(source_cap: int = CAP) -> _Glyphs:
    """Return the templates as a line whose glyphs are `source_cap` pixels tall looks at CAP.

    A small glyph scaled up to CAP is blurred by the scaling; a sharp template then favours the
    glyph with fewer strokes (F over E, O over Q). So the templates go through the same
    sampling: down to the source size by area, back up bilinearly.
    """
    size = 300
    font = ImageFont.truetype(str(font_path()), size)
    advance = font.getlength("H")
    canvas = Image.new("L", (size * 2, size * 2), 0)
    ImageDraw.Draw(canvas).text((0, 0), "H", font=font, fill=255)
    rows = np.nonzero(np.asarray(canvas).max(axis=1) > 128)[0]
    cap_top, base = int(rows[0]), int(rows[-1]) + 1
    scale = CAP / (base - cap_top)
    width, height = round(advance * scale), CAP + 2 * MARGIN
    top = cap_top - round(MARGIN / scale)
    bottom = top + round(height / scale)
    shrink = min(1.0, source_cap / CAP)
    small = (max(2, round(width * shrink)), max(2, round(height * shrink)))
    vectors = []
    for char in ALPHABET:
        canvas = Image.new("L", (int(advance) + 1, size * 2), 0)
        ImageDraw.Draw(canvas).text((0, 0), char, font=font, fill=255)
        crop = canvas.crop((0, top, int(advance) + 1, bottom))
        if shrink < 1.0:
            crop = crop.resize(small, Image.Resampling.BOX)
            cell = crop.resize((width, height), Image.Resampling.BILINEAR)
        else:
            cell = crop.resize((width, height), Image.Resampling.BOX)
        glyph = ndimage.gaussian_filter(np.asarray(cell, dtype=np.float32) / 255, 0.7)
        vectors.append(glyph.ravel())
    return _Glyphs(_normalise(np.stack(vectors)), width, height)


def _normalise(rows: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    centred = rows - rows.mean(axis=-1, keepdims=True)
    norms = np.linalg.norm(centred, axis=-1, keepdims=True)
    unit: npt.NDArray[np.float32] = (centred / np.maximum(norms, 1e-6)).astype(np.float32)
    return unit


def ink(gray: Gray, line_height: float) -> Gray:
    """Return darkness in [0, 1] of strokes thinner than a glyph, ignoring tinted backgrounds."""
    size = max(3, round(line_height * 0.6))
    tophat: Gray = ndimage.grey_closing(gray, size=(size, size)) - gray  # black top-hat
    strong = float(np.percentile(tophat, 99))
    dark: Gray = np.clip(tophat / max(strong * 0.8, 1e-3), 0, 1).astype(np.float32)
    return dark


def deskew(dark: Gray, limit: float = 4.0, step: float = 0.25) -> tuple[Gray, float]:
    """Return `dark` turned so its text lines are level, and the angle turned in degrees."""
    width = min(400, dark.shape[1])
    small = resize(dark, width, round(dark.shape[0] * width / dark.shape[1]))
    best_angle, best_sharpness = 0.0, -1.0
    for angle in np.arange(-limit, limit + step / 2, step):
        profile = ndimage.rotate(small, angle, reshape=False, order=1).sum(axis=1)
        sharpness = float(np.sum(np.diff(profile) ** 2))
        if sharpness > best_sharpness:
            best_angle, best_sharpness = float(angle), sharpness
    if abs(best_angle) < step / 2:
        return dark, 0.0
    return ndimage.rotate(dark, best_angle, reshape=True, order=1).astype(np.float32), best_angle


def text_bands(dark: Gray) -> list[tuple[int, int]]:
    """Return the (top, bottom) rows of each text line in `dark`, top to bottom."""
    profile = ndimage.uniform_filter1d(dark.mean(axis=1), 3)
    # Measured from the emptiest rows, so a patterned background does not join the lines.
    floor = float(np.percentile(profile, 10))
    on = profile > floor + 0.35 * (profile.max() - floor)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], on.astype(np.int8), [0]))))
    bands = [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]
    if not bands:
        return []
    tallest = max(b - a for a, b in bands)
    return [(a, b) for a, b in bands if b - a >= 0.5 * tallest and b - a >= 4]


def read_lines(crop: Gray, line_height: float) -> tuple[TextLine, ...]:
    """Read every MRZ-like text line in `crop`, a grey region whose lines are about so tall."""
    # Small print is enlarged smoothly before the strokes are found: the top-hat and the cell
    # grid are too coarse at a few pixels per glyph. Pitches are reported in crop pixels.
    zoom = min(MAX_ZOOM, max(1.0, SMALL_LINE / max(line_height, 1.0)))
    if zoom > 1.0:
        crop = upscale(crop, zoom)
        lines = _read_dark(*deskew(ink(crop, line_height * zoom))[:1])
        return tuple(replace(line, pitch=line.pitch / zoom) for line in lines)
    return _read_dark(deskew(ink(crop, line_height))[0])


def upscale(gray: Gray, zoom: float) -> Gray:
    """Return `gray` enlarged `zoom` times with bicubic interpolation."""
    pil = Image.fromarray(gray.astype(np.float32), mode="F")
    size = (round(gray.shape[1] * zoom), round(gray.shape[0] * zoom))
    return np.asarray(pil.resize(size, Image.Resampling.BICUBIC), dtype=np.float32)


def _read_dark(dark: Gray) -> tuple[TextLine, ...]:
    """Read every MRZ-like text line in `dark`, a levelled ink image."""
    spans = [(band, ends) for band in text_bands(dark) if (ends := _ends(dark, band)) is not None]
    if not spans:
        return ()
    # All lines of one MRZ start and end together, and a stray mark only ever lengthens a line:
    # the innermost ends are the other guess for every line.
    inner = (max(e[0] for _, e in spans), min(e[1] for _, e in spans))
    # The glyph height and the line length are settled on the widest lines (MRZ lines are the
    # widest print in a region), then every line is read with them.
    probes = sorted(spans, key=lambda span: span[1][0] - span[1][1])[:PROBE_LINES]
    settings = [(n, factor) for n in line_lengths(dark, spans) for factor in HEIGHT_FACTORS]
    length, _ = max(
        settings,
        key=lambda setting: sum(
            line.score for line in _read_spans(dark, probes, inner, setting[0], setting[1:])
        ),
    )
    return _read_spans(dark, spans, inner, length, HEIGHT_FACTORS, matched=True)


def _read_spans(
    dark: Gray,
    spans: list[tuple[tuple[int, int], tuple[int, int]]],
    inner: tuple[int, int],
    length: int,
    factors: tuple[float, ...],
    matched: bool = False,
) -> tuple[TextLine, ...]:
    """Read each line at the ends and glyph height that match it best.

    The ends are the line's own or the innermost of all lines. The height is chosen per line:
    a line of digits is taller than a line of capitals and fillers, and a wrong height turns
    `0` into `O`. The choice is made with sharp templates, the reading with matched ones.
    """
    found = []
    for band, ends in spans:
        tries: list[tuple[float, float]] = [s for s in {ends, inner} if s[1] - s[0] > length]
        if not tries:
            continue
        best, span, factor = max(
            (
                (_read_line(dark, band, span, length, factor, matched=False), span, factor)
                for span in tries
                for factor in factors
            ),
            key=lambda found: found[0].score,
        )
        if matched and best.poorest < REFINE_BELOW:
            best, span = _refine(dark, band, span, length, factor, best)
        found.append(_read_line(dark, band, span, length, factor) if matched else best)
    return tuple(found)


def _refine(
    dark: Gray,
    band: tuple[int, int],
    ends: tuple[float, float],
    length: int,
    factor: float,
    line: TextLine,
) -> tuple[TextLine, tuple[float, float]]:
    """Nudge a poorly read line's ends by a fraction of a pitch each way; keep the best fit.

    The ends come from the first and last ink, which a faint stroke, a speck or a torn edge
    moves by a pixel or two; over a long line that drifts the grid off the outermost glyphs.
    """
    step = REFINE_STEP * line.pitch
    best, kept = line, ends
    for left in (-step, 0.0, step):
        for right in (-step, 0.0, step):
            if left == right == 0.0:
                continue
            span = (ends[0] + left, ends[1] + right)
            tried = _read_line(dark, band, span, length, factor, matched=False)
            if tried.score > best.score:
                best, kept = tried, span
    return best, kept


def line_lengths(dark: Gray, spans: list[tuple[tuple[int, int], tuple[int, int]]]) -> list[int]:
    """Return the likely characters per line, likeliest first, from the rhythm of the glyphs.

    Fixed-pitch print makes the column profile of a line repeat every pitch, so its
    autocorrelation peaks at the lag that cuts the line into the right number of cells. This
    does not depend on the glyph height, which varies between printers.
    """
    rhythm = dict.fromkeys(LINE_LENGTHS, 0.0)
    for (top, bottom), (left, right) in spans:
        profile = dark[top:bottom, left:right].sum(axis=0)
        profile = profile - profile.mean()
        spectrum = np.fft.rfft(profile, 2 * len(profile))
        auto = np.fft.irfft(spectrum * np.conj(spectrum))[: len(profile)]
        auto = auto / max(float(auto[0]), 1e-9)
        for length in LINE_LENGTHS:
            lag = (right - left) / (length - LAST_INK)
            rhythm[length] += float(np.interp(lag, np.arange(len(auto)), auto)) / len(spans)
    ranked = sorted(LINE_LENGTHS, key=lambda n: -rhythm[n])
    close = rhythm[ranked[0]] - rhythm[ranked[1]] < RHYTHM_MARGIN
    return ranked[:2] if close else ranked[:1]


def _ends(dark: Gray, band: tuple[int, int]) -> tuple[int, int] | None:
    """Return the first and last ink columns of the longest run of text in the band."""
    top, bottom = band
    reach = (bottom - top) // 2
    tall = (dark[max(0, top - reach) : bottom + reach] > 0.5).mean(axis=0)
    # Glyphs stay inside the line; a page edge or a frame rule runs on above and below it.
    # A glyph column holds a stroke's worth of ink; a stray background line crosses in a pixel.
    inked = (dark[top:bottom] > 0.5).sum(axis=0) >= max(2.0, 0.15 * (bottom - top))
    columns = np.flatnonzero(inked & (tall < 0.8))
    if len(columns) < 10:
        return None
    runs = np.split(columns, np.flatnonzero(np.diff(columns) > 1.5 * (bottom - top)) + 1)
    longest = max(runs, key=lambda run: int(run[-1] - run[0]))
    return int(longest[0]), int(longest[-1]) + 1


def _read_line(
    dark: Gray,
    band: tuple[int, int],
    ends: tuple[float, float],
    length: int,
    factor: float,
    *,
    matched: bool = True,
) -> TextLine:
    height = (band[1] - band[0]) * factor
    # Settings are compared with the sharp templates: blurred ones match everything better,
    # so they would always favour the smallest glyph height tried.
    glyphs = _glyphs(min(CAP, round(height)) if matched else CAP)
    middle = (band[0] + band[1]) / 2
    y0 = max(0, int(middle - 1.3 * height))
    y1 = min(dark.shape[0], int(middle + 1.3 * height) + 1)
    pitch = (ends[1] - ends[0]) / (length - LAST_INK)
    sx, sy = glyphs.width / pitch, CAP / height
    strip = dark[y0:y1]
    scaled = resize(strip, round(strip.shape[1] * sx), round(strip.shape[0] * sy))
    pad = max(SHIFT_X, SHIFT_Y) + glyphs.width
    scaled = np.pad(ndimage.gaussian_filter(scaled, 0.7), pad)
    windows = sliding_window_view(scaled, (glyphs.height, glyphs.width))
    top = (middle - height / 2 - y0) * sy - MARGIN + pad
    left = ends[0] * sx - FIRST_INK * glyphs.width + pad
    cells = np.arange(length)
    dys = np.arange(-SHIFT_Y, SHIFT_Y + 1)
    dxs = np.arange(-SHIFT_X, SHIFT_X + 1)
    ys = np.clip(np.round(top + dys), 0, windows.shape[0] - 1).astype(int)
    xs = np.round(left + cells[:, None] * glyphs.width + dxs[None, :]).astype(int)
    xs = np.clip(xs, 0, windows.shape[1] - 1)
    # patches[cell, dy, dx] -> flattened window
    patches = windows[ys[None, :, None], xs[:, None, :]]
    flat = _normalise(patches.reshape(-1, glyphs.height * glyphs.width))
    scores = (flat @ glyphs.vectors.T).reshape(length, len(dys), len(dxs), len(ALPHABET))
    allowed = _aligned(scores, dys, dxs)
    per_glyph = np.where(allowed[..., None], scores, -1.0).max(axis=(1, 2))
    order = np.argsort(-per_glyph, axis=1)
    best, second = order[:, 0], order[:, 1]
    top_scores = per_glyph[cells, best]
    leads = top_scores - per_glyph[cells, second]
    text = "".join(ALPHABET[i] for i in best)
    close = per_glyph >= top_scores[:, None] - RUNNER_UP_MARGIN
    alternatives = tuple(
        "".join(ALPHABET[i] for i in order[cell, 1 : 1 + RUNNER_UPS] if close[cell, i])
        for cell in cells
    )
    return TextLine(
        text,
        float(top_scores.mean()),
        float(leads.min()),
        float(pitch),
        alternatives,
        float(top_scores.min()),
        tuple(float(lead) for lead in leads),
    )


def _aligned(
    scores: npt.NDArray[np.float32], dys: npt.NDArray[np.int_], dxs: npt.NDArray[np.int_]
) -> npt.NDArray[np.bool_]:
    """Keep only shifts near a straight line fitted through each cell's best shift.

    Cells may drift a little along a line, but not jump: letting each cell pick any height
    would let `0` pass as `O` (OCR-B digits are taller than capitals).
    """
    best = scores.max(axis=3).reshape(len(scores), -1)
    pick = best.argmax(axis=1)
    weight = best.max(axis=1).clip(0.05, None)
    cell = np.arange(len(scores))
    fit_y = np.polyval(np.polyfit(cell, dys[pick // len(dxs)], 1, w=weight), cell)
    fit_x = np.polyval(np.polyfit(cell, dxs[pick % len(dxs)], 1, w=weight), cell)
    near_y = np.abs(dys[None, :] - fit_y[:, None]) <= 1.0
    near_x = np.abs(dxs[None, :] - fit_x[:, None]) <= 1.5
    return near_y[:, :, None] & near_x[:, None, :]
