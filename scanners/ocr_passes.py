"""The ways of turning a page into candidate MRZ lines, each a named pass tried in order."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from io import BytesIO

import numpy as np
from PIL import Image

from scanners.errors import DependencyMissing
from scanners.ocrb import LINE_LENGTHS, TextLine, read_lines
from scanners.regions import Gray, find_regions, level

TESSERACT_HINT = "apt-get install tesseract-ocr (see README, 'Scanner images')"
WHITELIST = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
TESSERACT_TIMEOUT = 30.0  # seconds; a hung OCR call must not stall a desk
MIN_SCORE = 0.55  # below this mean glyph correlation a "line" is texture, not OCR-B print
TRUSTED_SCORE = 0.75  # a line matched worse than this is too garbled for its runner-ups to count
# The work of a reading is bounded by counts, never by a clock, so a page reads the same on a
# quiet machine and a loaded one: at most 4 passes x 3 regions x 4 windows are parsed.
REGIONS_PER_PASS = 3
WINDOWS_PER_REGION = 4  # runs of 2 or 3 lines; a region holds an MRZ and a line or two beside it


@dataclass(frozen=True, slots=True)
class Candidate:
    """Lines a pass proposes as one MRZ, their glyph match score and glyph pitch in pixels."""

    lines: tuple[str, ...]
    score: float  # 1.0 for Tesseract, which gives no comparable score
    pitch: float
    poorest: float = 1.0  # the lowest match score of any glyph in the lines
    # 0-based (line, column) -> glyphs that matched nearly as well, likeliest first
    alternatives: Mapping[tuple[int, int], str] = field(default_factory=dict)
    leads: tuple[tuple[float, ...], ...] = ()  # per line and cell: best score minus runner-up


Pass = Callable[[Gray], Iterator[Candidate]]


def ocrb_upright(page: Gray) -> Iterator[Candidate]:
    """Match OCR-B glyphs in each likely MRZ region of the page as it lies."""
    page, _ = level(page)
    for region in find_regions(page, REGIONS_PER_PASS):
        lines = read_lines(region.crop(page), region.line_height)
        yield from itertools.islice(_windows(lines), WINDOWS_PER_REGION)


def ocrb_turned(quarter_turns: int) -> Pass:
    """Return a pass that turns the page back `quarter_turns` quarter turns, then reads it.

    `ocrb-90` reads a page lying a quarter turn counter-clockwise (as a phone held in portrait
    photographs a passport held in landscape), `ocrb-180` one fed upside down.
    """

    def turned(page: Gray) -> Iterator[Candidate]:
        yield from ocrb_upright(np.ascontiguousarray(np.rot90(page, -quarter_turns)))

    turned.__doc__ = f"Match OCR-B glyphs on the page turned back {90 * quarter_turns} degrees."
    return turned


def tesseract_regions(page: Gray) -> Iterator[Candidate]:
    """Run Tesseract (whitelisted, one text block) on each likely MRZ region."""
    for region in find_regions(page, REGIONS_PER_PASS):
        lines = [line for line in _tesseract(region.crop(page)) if _near_mrz_length(line)]
        for size in (3, 2):
            for start in range(len(lines) - size + 1):
                run = tuple(lines[start : start + size])
                pitch = (region.right - region.left) / max(len(line) for line in run)
                yield Candidate(run, 1.0, pitch)


TURNED_PASSES = {0: "ocrb", 1: "ocrb-90", 2: "ocrb-180", 3: "ocrb-270"}
"""The OCR-B pass that reads a page lying so many quarter turns counter-clockwise: the passes
tried when none are named, in the order `scanners.regions.likely_turns` gives for the page.
Tesseract is left out: on the shared specimens it added 4 right readings but also 4 readings
that passed every check with a wrong given name (it reads the filler `<` as K, C or X, and
names have no check digit)."""

PASSES: dict[str, Pass] = {
    "ocrb": ocrb_upright,
    "ocrb-90": ocrb_turned(1),
    "ocrb-180": ocrb_turned(2),
    "ocrb-270": ocrb_turned(3),
    "tesseract": tesseract_regions,
}
"""Every pass by name."""


def _windows(lines: tuple[TextLine, ...]) -> Iterator[Candidate]:
    """Yield consecutive runs of lines that could form one MRZ, best-matched first."""
    if not lines:
        return
    size = 3 if len(lines[0].text) == 30 else 2
    runs = [lines[i : i + size] for i in range(len(lines) - size + 1)]
    for run in sorted(runs, key=lambda r: -min(line.score for line in r)):
        score = min(line.score for line in run)
        if score >= MIN_SCORE:
            pitch = min(line.pitch for line in run)
            seen = {
                (row, col): alts
                for row, line in enumerate(run)
                for col, alts in enumerate(line.alternatives)
                if alts and line.score >= TRUSTED_SCORE
            }
            poorest = min(line.poorest for line in run)
            leads = tuple(line.leads for line in run)
            yield Candidate(tuple(line.text for line in run), score, pitch, poorest, seen, leads)


def _near_mrz_length(line: str) -> bool:
    return any(abs(len(line) - n) <= 2 for n in LINE_LENGTHS)


def tesseract_path() -> str:
    """Return the tesseract program, or raise DependencyMissing with how to install it."""
    found = shutil.which("tesseract")
    if found is None:
        raise DependencyMissing("tesseract", TESSERACT_HINT)
    return found


def _tesseract(crop: Gray) -> list[str]:
    """Return the cleaned lines Tesseract reads in `crop`."""
    buffer = BytesIO()
    Image.fromarray((np.clip(crop, 0, 1) * 255).astype(np.uint8)).save(buffer, format="PNG")
    command = [
        tesseract_path(), "stdin", "stdout", "-l", "eng",
        # --oem 1 (LSTM): Debian's models have no legacy engine, so passporteye's --oem 0 fails.
        "--oem", "1", "--psm", "6",
        "-c", f"tessedit_char_whitelist={WHITELIST}",
        "-c", "load_system_dawg=0", "-c", "load_freq_dawg=0",
    ]  # fmt: skip
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one core per call; desks run several readers
    done = subprocess.run(
        command,
        input=buffer.getvalue(),
        capture_output=True,
        env=env,
        timeout=TESSERACT_TIMEOUT,
        check=False,
    )
    text = done.stdout.decode("utf-8", "replace")
    return [clean_line(line) for line in text.splitlines() if line.strip()]


def clean_line(line: str) -> str:
    """Strip spaces, upper-case, and map look-alikes of the filler (such as '«') to '<'."""
    text = line.replace(" ", "").upper()
    return "".join("<" if ch in "«‹<>〈" else ch for ch in text)
