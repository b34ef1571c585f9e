"""MRZ image reading on the shared specimens: MIDAS's reader vs plain passporteye, same run.

Run (one core, as the figures in docs/benchmarks.md were taken):
    OPENBLAS_NUM_THREADS=1 OMP_THREAD_LIMIT=1 taskset -c 0 \
        .venv/bin/python benchmarks/image_reading.py [--turns 90,180,270]
Exact match = every key field right (see tests/scanners/test_image_accuracy.py for the rules).
`--turns` adds each specimen turned by those angles (counter-clockwise, lossless PNG), as phones
and flatbeds deliver pages; figures are then given per angle and over all.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scanners.image import read_image
from scanners.mrz.parse import parse_mrz
from scanners.mrz.result import MRZResult
from tests.scanners.mrz_images import Specimen, load_specimens, wrong_fields

Reader = Callable[[Path], tuple[MRZResult, bool]]


def midas(path: Path) -> tuple[MRZResult, bool]:
    reading = read_image(path)
    return reading.result, reading.valid


def passporteye_reader(params: str) -> Reader:
    from passporteye import read_mrz
    from pytesseract import TesseractError

    def read(path: Path) -> tuple[MRZResult, bool]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                mrz = read_mrz(str(path), extra_cmdline_params=params)
            except TesseractError:  # --oem 0 fails: Debian's models have no legacy engine
                mrz = None
        lines = mrz.aux["text"].splitlines() if mrz is not None else []
        # Judge passporteye's own text with our parser, so fields compare like for like,
        # but count as valid only what passporteye itself called valid.
        return parse_mrz(lines), bool(mrz is not None and mrz.valid)

    return read


def run(name: str, reader: Reader, specimens: list[Specimen]) -> Figures:
    seconds, right, valid_wrong = [], 0, 0
    for specimen in specimens:
        start = time.perf_counter()
        result, valid = reader(specimen.path)
        seconds.append(time.perf_counter() - start)
        wrong = wrong_fields(specimen, result)
        right += not wrong
        valid_wrong += bool(valid and wrong)
    return report(name, Figures(right, valid_wrong, seconds))


@dataclass(frozen=True, slots=True)
class Figures:
    right: int
    valid_wrong: int
    seconds: list[float]

    @property
    def exact(self) -> float:
        return self.right / len(self.seconds)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def p95(self) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.right + other.right,
            self.valid_wrong + other.valid_wrong,
            self.seconds + other.seconds,
        )


def report(name: str, figures: Figures) -> Figures:
    print(
        f"{name:28s} exact {figures.exact:.3f} ({figures.right}/{len(figures.seconds)})  "
        f"valid-but-wrong {figures.valid_wrong}  "
        f"median {figures.median:.2f} s  p95 {figures.p95:.2f} s",
        flush=True,
    )
    return figures


def turned(specimens: list[Specimen], angle: int, folder: Path) -> list[Specimen]:
    """Return the specimens turned `angle` degrees counter-clockwise, saved as PNG in `folder`."""
    from PIL import Image, ImageOps

    out = []
    for specimen in specimens:
        with Image.open(specimen.path) as image:
            page = ImageOps.exif_transpose(image).convert("RGB").rotate(angle, expand=True)
        path = folder / f"{specimen.path.stem}-{angle}.png"
        page.save(path)
        out.append(replace(specimen, path=path))
    return out


def compare(
    specimens: list[Specimen], label: str, skip_default_oem: bool
) -> tuple[Figures, Figures]:
    print(f"-- {label}: {len(specimens)} images", flush=True)
    ours = run("midas read_image", midas, specimens)
    theirs = run("passporteye --oem 1", passporteye_reader("--oem 1"), specimens)
    if not skip_default_oem:
        run("passporteye --oem 0", passporteye_reader("--oem 0"), specimens)
    print(
        f"ratio midas/passporteye: exact x{ours.exact / max(theirs.exact, 1e-9):.2f}, "
        f"median time x{ours.median / theirs.median:.2f}"
    )
    return ours, theirs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-default-oem", action="store_true")
    parser.add_argument(
        "--turns", default="", help="also read each specimen turned by these angles (90,180,270)"
    )
    args = parser.parse_args()
    specimens = load_specimens()
    ours, theirs = compare(specimens, "upright", args.skip_default_oem)
    angles = [int(a) for a in args.turns.split(",") if a.strip()]
    if angles:
        with tempfile.TemporaryDirectory() as folder:
            for angle in angles:
                more = compare(turned(specimens, angle, Path(folder)), f"turned {angle}", True)
                ours, theirs = ours + more[0], theirs + more[1]
        print("-- every angle together", flush=True)
        report("midas read_image", ours)
        report("passporteye --oem 1", theirs)


if __name__ == "__main__":
    main()
