"""Images for DG2 made with Pillow at test time, so no binary is committed."""

import io

import pytest
from PIL import Image


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
