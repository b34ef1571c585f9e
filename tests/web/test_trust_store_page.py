"""The trust store page: an administrator loads CSCAs and sees what is trusted per state."""

from __future__ import annotations

import io

import pytest

from tests.midas.chip_builders import pki
from tests.web.conftest import Pages, csrf_of

# What the page adds to the domain (tests/midas test loads on both databases).
pytestmark = pytest.mark.one_backend


def upload(pages: Pages, files: list[tuple[bytes, str]], **fields: str):
    token = csrf_of(pages.client.get("/admin/trust-store").get_data(as_text=True))
    data = {
        "csrf_token": token,
        "name": "germany",
        "format": "pem",
        "files": [(io.BytesIO(blob), name) for blob, name in files],
        **fields,
    }
    return pages.client.post("/admin/trust-store", data=data, content_type="multipart/form-data")


def test_an_admin_loads_a_csca_and_sees_its_state_trusted(pages: Pages) -> None:
    pages.login("admin1")
    empty = pages.client.get("/admin/trust-store").get_data(as_text=True)
    assert "No CSCA loaded: every chip is shown as not verifiable." in empty
    done = upload(pages, [(pki("DE", 30).csca_pem(), "csca-de.pem")])
    assert done.status_code == 302, done.get_data(as_text=True)
    shown = pages.client.get("/admin/trust-store").get_data(as_text=True)
    assert "germany version 1 is active: 1 CSCA certificates" in shown
    assert "<td>DE</td>" in shown and "2035-01-01" in shown
    assert "csca-de.pem" in shown


def test_a_broken_file_is_refused_naming_it_and_nothing_loads(pages: Pages) -> None:
    pages.login("admin1")
    refused = upload(pages, [(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                              "broken.pem")])  # fmt: skip
    assert refused.status_code == 422
    assert "In broken.pem, entry 1: CERTIFICATE" in refused.get_data(as_text=True)
    assert "Nothing loaded yet." in refused.get_data(as_text=True)


@pytest.mark.parametrize("who", ["officer1", "super1"])
def test_only_administrators_see_the_trust_store(pages: Pages, who: str) -> None:
    pages.login(who)
    assert pages.client.get("/admin/trust-store").status_code == 403
