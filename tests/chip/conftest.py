"""Fixtures of the chip tests: DG2 images made with Pillow at test time (no binary committed),
and one sound document, built once per session."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.chip.documents import Document, make_document


def make_image(fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (24, 32), (200, 150, 120)).save(buffer, fmt, **options)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def jpeg() -> bytes:
    return make_image("JPEG")


@pytest.fixture(scope="session")
def jp2() -> bytes:
    return make_image("JPEG2000")


@pytest.fixture(scope="session")
def j2k() -> bytes:
    return make_image("JPEG2000", no_jp2=True)


@pytest.fixture(scope="session")
def document() -> Document:
    """An ECDSA P-256 document whose CSCA, DSC and EF.SOD are all in order."""
    return make_document()
