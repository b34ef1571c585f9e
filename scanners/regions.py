"""Find machine-readable zones on a page: stacks of long, dense lines of dark text."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PIL import Image
from scipy import ndimage

Gray = npt.NDArray[np.float32]
"""A grey page as floats in [0, 1], 1 being white."""

WORK_WIDTH = 400  # the page is searched at this width: an MRZ line is then ~8 px tall
MIN_LINE_WIDTH = 0.2  # a line spans at least this share of the page (cards scanned side by side)
MIN_LINE_ASPECT = 8.0  # an MRZ line is at least this many times wider than tall
MAX_LINE_HEIGHT = WORK_WIDTH // 16  # taller marks at work width are frames, photos or patterns
MIN_WIDTH_RATIO = 0.75  # lines of one MRZ are as long as each other (a short one is other text)
MAX_TILT = 20.0  # degrees a page may lie askew on the scanner glass and still be levelled
MIN_TILT = 2.5  # degrees below which the page is left as it is (regions are levelled again)
TILT_WIDTH = 300  # the page's tilt is measured at this width


@dataclass(frozen=True, slots=True)
class Region:
    """A box in page pixels around `lines` stacked text lines that may be an MRZ."""

    top: int
    bottom: int
    left: int
    right: int
    lines: int
    line_height: float

    def crop(self, page: Gray) -> Gray:
        """Return the part of `page` inside the box."""
        return page[self.top : self.bottom, self.left : self.right]


@dataclass(frozen=True, slots=True)
class _Line:
    top: int
    bottom: int
    left: int
    right: int

    @property
    def height(self) -> int:
        return self.bottom - self.top

    @property
    def width(self) -> int:
        return self.right - self.left


def otsu_threshold(values: Gray) -> float:
    """Return the threshold that best splits `values` into two classes (Otsu's method)."""
    hist, edges = np.histogram(values, bins=256)
    centres = (edges[:-1] + edges[1:]) / 2
    weight_low = np.cumsum(hist)
    weight_high = weight_low[-1] - weight_low
    mass = np.cumsum(hist * centres)
    mean_low = mass / np.maximum(weight_low, 1)
    mean_high = (mass[-1] - mass) / np.maximum(weight_high, 1)
    between = weight_low * weight_high * (mean_low - mean_high) ** 2
    return float(centres[int(np.argmax(between))])


def resize(image: Gray, width: int, height: int) -> Gray:
    """Return `image` resampled to `width` x `height`."""
    pil = Image.fromarray(image.astype(np.float32), mode="F")
    return np.asarray(pil.resize((max(1, width), max(1, height)), Image.Resampling.BILINEAR))


def find_regions(page: Gray, limit: int = 4) -> tuple[Region, ...]:
    """Return up to `limit` likely MRZ boxes on `page`, most likely first."""
    scale = WORK_WIDTH / page.shape[1]
    small = resize(page, WORK_WIDTH, round(page.shape[0] * scale))
    lines = _text_lines(small)
    groups = sorted(_groups(lines), key=_rank)[:limit]
    return tuple(_to_region(group, scale, page.shape) for group in groups)


def likely_turns(page: Gray) -> tuple[int, ...]:
    """Return the quarter turns (counter-clockwise) `page` may lie at, likeliest first.

    The axis whose stacked long lines look most like an MRZ comes first; on each axis the way
    that puts those lines in the lower half of the page comes first, as an MRZ is printed at
    the foot of its page. Only the order in which the ways are read depends on this guess,
    never whether they are read: every way is read until one gives a valid MRZ.
    """
    scale = WORK_WIDTH / max(page.shape)
    small = resize(page, round(page.shape[1] * scale), round(page.shape[0] * scale))
    axes = []
    for turns in (0, 1):
        turned = np.ascontiguousarray(np.rot90(small, -turns))
        groups = sorted(_groups(_text_lines(turned)), key=_rank)
        if not groups:
            axes.append((0.0, turns, turns))
            continue
        best = groups[0]
        stacked = min(len(best), 3) if len(best) > 1 else 0.5
        width = max(x.right for x in best) - min(x.left for x in best)
        middle = (min(x.top for x in best) + max(x.bottom for x in best)) / 2
        upright = middle >= turned.shape[0] / 2
        axes.append((stacked * width, turns, turns if upright else turns + 2))
    axes.sort(key=lambda axis: -axis[0])  # stable: the page as it lies wins a tie
    return tuple(turns for _, _, first in axes for turns in (first, (first + 2) % 4))


def level(page: Gray, limit: float = MAX_TILT, step: float = 0.25) -> tuple[Gray, float]:
    """Return `page` turned so its text runs level, and the angle turned in degrees.

    The angle is the one that makes the row profile of the darkest strokes sharpest; the
    profile of each angle is a histogram of projected stroke points on a small copy, so
    searching +-`limit` degrees costs little. Small tilts are left to the line reader, which
    levels each region itself.
    """
    scale = TILT_WIDTH / page.shape[1]
    small = resize(page, TILT_WIDTH, max(8, round(page.shape[0] * scale)))
    dark = ndimage.grey_closing(small, size=(5, 5)) - small
    ys, xs = np.nonzero(dark > np.percentile(dark, 90))
    if len(ys) == 0:
        return page, 0.0  # a blank page: no stroke to level by
    weights = dark[ys, xs]
    best_angle, best_sharpness = 0.0, -1.0
    for angle in np.arange(-limit, limit + step / 2, step):
        theta = np.deg2rad(angle)
        rows = (ys * np.cos(theta) - xs * np.sin(theta)).round().astype(np.int64)
        profile = np.bincount(rows - rows.min(), weights=weights)
        sharpness = float(np.sum(np.diff(profile) ** 2))
        if sharpness > best_sharpness:
            best_angle, best_sharpness = float(angle), sharpness
    if abs(best_angle) < MIN_TILT:
        return page, 0.0
    turned = ndimage.rotate(page, best_angle, reshape=True, order=1, mode="nearest")
    return turned.astype(np.float32), best_angle


def _text_lines(small: Gray) -> list[_Line]:
    # Dark glyph strokes (black top-hat) with strong vertical edges, smeared along the line.
    size = max(3, WORK_WIDTH // 60)
    tophat = ndimage.grey_closing(small, size=(size, size)) - small
    edges = np.abs(ndimage.sobel(tophat, axis=1))
    smeared = ndimage.grey_closing(edges, size=(max(3, size // 2), size * 2))
    mask = smeared > otsu_threshold(smeared)
    mask = ndimage.binary_opening(mask, structure=np.ones((2, 2)))
    # Frame rules, photos and guilloche run on far above and below a line of print: drop what
    # stays after an opening taller than any MRZ line, so lines touching a frame come free.
    tall = ndimage.binary_opening(mask, structure=np.ones((MAX_LINE_HEIGHT, 1)))
    mask &= ~ndimage.binary_dilation(tall, structure=np.ones((1, 3)))
    labels, _ = ndimage.label(mask)
    found = []
    for rows, cols in ndimage.find_objects(labels):
        line = _Line(rows.start, rows.stop, cols.start, cols.stop)
        if line.height < 3 or line.width < MIN_LINE_WIDTH * small.shape[1]:
            continue
        if line.width / line.height >= MIN_LINE_ASPECT:
            found.append(line)
    return found


def _follows(last: _Line, line: _Line) -> bool:
    """Tell whether `line` could be the next line of an MRZ whose line above is `last`."""
    gap = line.top - last.bottom
    overlap = min(last.right, line.right) - max(last.left, line.left)
    narrow, wide = sorted((last.width, line.width))
    short, tall = sorted((last.height, line.height))
    return (
        0 <= gap < 2.5 * last.height + 4
        and overlap > 0.6 * narrow
        and narrow >= MIN_WIDTH_RATIO * wide
        and short >= 0.5 * tall
    )


def _groups(lines: list[_Line]) -> list[list[_Line]]:
    """Return every run of two or three stacked, matching lines, and each lone line."""
    ordered = sorted(lines, key=lambda x: (x.top, x.left))
    found: list[list[_Line]] = []
    for i, line in enumerate(ordered):
        found.append([line])
        chain = [line]
        for other in ordered[i + 1 :]:
            if len(chain) == 3:
                break
            if _follows(chain[-1], other):
                chain.append(other)
                found.append(list(chain))
    return found


def _rank(group: list[_Line]) -> tuple[int, float]:
    width = max(x.right for x in group) - min(x.left for x in group)
    return (0 if len(group) in (2, 3) else 1, -width * min(len(group), 3) - group[-1].bottom / 100)


def _to_region(group: list[_Line], scale: float, shape: tuple[int, ...]) -> Region:
    top = min(x.top for x in group)
    bottom = max(x.bottom for x in group)
    pitch = (bottom - top) / len(group)
    return Region(
        top=max(0, int((top - pitch) / scale)),
        bottom=min(shape[0], int((bottom + pitch) / scale) + 1),
        left=max(0, int((min(x.left for x in group) - pitch) / scale)),
        right=min(shape[1], int((max(x.right for x in group) + pitch) / scale) + 1),
        lines=len(group),
        line_height=float(np.median([x.height for x in group])) / scale,
    )
