"""Fixtures of the chip tests: one sound document, built once per session."""

from __future__ import annotations

import pytest

from tests.chip.documents import Document, make_document


@pytest.fixture(scope="session")
def document() -> Document:
    """An ECDSA P-256 document whose CSCA, DSC and EF.SOD are all in order."""
    return make_document()
