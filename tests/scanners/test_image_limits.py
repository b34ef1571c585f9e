"""A page with more pixels than any document scanner makes is refused before it is decoded."""

from __future__ import annotations

from io import BytesIO

import pypdfium2 as pdfium
import pytest
from PIL import Image

from scanners.errors import ImageLoadError
from scanners.image import MAX_PIXELS, read_image
from tests.scanners.mrz_images import looped_pdf


def pdf_page(width_pt: float, height_pt: float) -> bytes:
    document = pdfium.PdfDocument.new()
    document.new_page(width_pt, height_pt)
    out = BytesIO()
    document.save(out)
    document.close()
    return out.getvalue()


def png(size: tuple[int, int], mode: str = "1") -> bytes:
    out = BytesIO()
    Image.new(mode, size, 1).save(out, format="PNG")
    return out.getvalue()


def test_a_tiny_pdf_asking_for_a_huge_page_is_refused_before_rendering() -> None:
    data = pdf_page(14_400, 14_400)  # 200 in square: 40,000 px a side at 200 dpi
    assert len(data) < 2_000

    with pytest.raises(ImageLoadError, match="pixels"):
        read_image(data)


@pytest.mark.parametrize("size", [(8_000, 6_000), (14_000, 14_000)])
def test_an_image_with_too_many_pixels_is_refused_before_decoding(size: tuple[int, int]) -> None:
    assert size[0] * size[1] > MAX_PIXELS

    with pytest.raises(ImageLoadError, match="pixels"):
        read_image(png(size))


def test_an_a4_page_at_scanner_resolution_is_still_read() -> None:
    a4_at_300_dpi = (2_480, 3_508)

    reading = read_image(png(a4_at_300_dpi, mode="L"))

    assert not reading.found  # a blank page: read, nothing found, no error


def test_a_pdf_whose_page_tree_loops_is_an_unreadable_image_not_a_crash() -> None:
    with pytest.raises(ImageLoadError, match="first page cannot be read"):
        read_image(looped_pdf())
