"""MRZ image reading on the shared specimens: MIDAS's reader vs plain passporteye, same run.

Run (one core, as the figures in docs/benchmarks.md were taken):
    OPENBLAS_NUM_THREADS=1 OMP_THREAD_LIMIT=1 taskset -c 0 \
        .venv/bin/python benchmarks/image_reading.py
Exact match = every key field right (see tests/scanners/test_image_accuracy.py for the rules).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from collections.abc import Callable
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


def run(name: str, reader: Reader, specimens: list[Specimen]) -> dict[str, float]:
    seconds, right, valid_wrong = [], 0, 0
    for specimen in specimens:
        start = time.perf_counter()
        result, valid = reader(specimen.path)
        seconds.append(time.perf_counter() - start)
        wrong = wrong_fields(specimen, result)
        right += not wrong
        valid_wrong += bool(valid and wrong)
    seconds.sort()
    figures = {
        "exact": right / len(specimens),
        "right": right,
        "valid_wrong": valid_wrong,
        "median": statistics.median(seconds),
        "p95": seconds[min(len(seconds) - 1, round(0.95 * (len(seconds) - 1)))],
    }
    print(
        f"{name:28s} exact {figures['exact']:.3f} ({right}/{len(specimens)})  "
        f"valid-but-wrong {valid_wrong}  "
        f"median {figures['median']:.2f} s  p95 {figures['p95']:.2f} s",
        flush=True,
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-default-oem", action="store_true")
    args = parser.parse_args()
    specimens = load_specimens()
    ours = run("midas read_image", midas, specimens)
    theirs = run("passporteye --oem 1", passporteye_reader("--oem 1"), specimens)
    if not args.skip_default_oem:
        run("passporteye --oem 0", passporteye_reader("--oem 0"), specimens)
    print(
        f"ratio midas/passporteye: exact x{ours['exact'] / max(theirs['exact'], 1e-9):.2f}, "
        f"median time x{ours['median'] / theirs['median']:.2f}"
    )


if __name__ == "__main__":
    main()
