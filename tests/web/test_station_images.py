"""Images at the station: the desk scanner's watched folder, and an image chosen on the page."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.test import EnvironBuilder

from midas.web.inbox import claim, file_away, waiting
from tests.midas.chip_builders import chip_files
from tests.scanners.mrz_images import looped_pdf, render_document
from tests.web.builders import add_desk, add_post, form_values, mrz
from tests.web.conftest import Pages, csrf_of

# Images are read and filed in folders; the database only records the crossing.
pytestmark = pytest.mark.one_backend

CLEAN = mrz("ERIKSSON", "ANNA MARIA", "L898902C3", nationality="SWE")


def png(lines: str) -> bytes:
    """Return a PNG of a document page whose MRZ says these lines (drawn in OCR-B)."""
    out = io.BytesIO()
    render_document(tuple(lines.splitlines())).save(out, format="PNG")
    return out.getvalue()


def blank_png() -> bytes:
    """Return a PNG of a page with writing but no MRZ."""
    out = io.BytesIO()
    render_document(("",), header="NOTHING TO READ HERE").save(out, format="PNG")
    return out.getvalue()


def drop(folder: Path, name: str, data: bytes, age: float = 10.0) -> Path:
    """Save a file as the desk scanner would, some seconds ago (so it has settled)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    then = time.time() - age
    os.utime(path, (then, then))
    return path


@pytest.fixture
def inbox(web_app: Flask, tmp_path: Path) -> Path:
    """Turn the watched folder on at a temporary path."""
    folder = tmp_path / "scan-inbox"
    folder.mkdir()
    web_app.config["SCAN_INBOX"] = str(folder)
    return folder


@pytest.fixture
def desk(web_app: Flask, pages: Pages) -> int:
    """Create a desk at the officer's post and return its id."""
    return add_desk(web_app, pages.seeded.post_code, "Arrivals 3")


def choose_desk(pages: Pages, station_id: int) -> Any:
    """Pick the desk with the station page's desk form."""
    token = csrf_of(pages.client.get("/station").get_data(as_text=True))
    return pages.client.post(
        "/station/desk", data={"station_id": str(station_id), "csrf_token": token}
    )


def check_scanner(pages: Pages) -> Any:
    """Press "Check scanner" (the page without its script)."""
    html = pages.client.get("/station").get_data(as_text=True)
    return pages.client.post("/station/scanner", data=form_values(html, "scanner-form"))


def test_an_officer_picks_a_desk_of_their_post(pages: Pages, inbox: Path, desk: int) -> None:
    pages.login("officer1")
    html = pages.client.get("/station").get_data(as_text=True)
    assert "Arrivals 3" in html
    assert 'id="scanner-form"' not in html
    choose_desk(pages, desk)
    html = pages.client.get("/station").get_data(as_text=True)
    assert 'id="scanner-form"' in html
    assert "Images the scanner of desk Arrivals 3 saves are read here." in html
    assert pages.client.get("/station/scanner/status").get_json() == {
        "watching": True,
        "waiting": 0,
    }


def test_a_desk_of_another_post_cannot_be_picked(pages: Pages, web_app: Flask, inbox: Path) -> None:
    add_post(web_app, "NMG-BORDER")
    elsewhere = add_desk(web_app, "NMG-BORDER", "Lane 1")
    pages.login("officer1")
    choose_desk(pages, elsewhere)
    assert "Choose one of this post&#39;s desks." in pages.client.get("/station").get_data(
        as_text=True
    )
    assert pages.client.get("/station/scanner/status").get_json()["watching"] is False
    drop(inbox / str(elsewhere), "scan.png", png(CLEAN))
    response = pages.client.post(
        "/station/scanner",
        data={"csrf_token": csrf_of(pages.client.get("/station").get_data(as_text=True))},
    )
    assert response.status_code == 409
    assert (inbox / str(elsewhere) / "scan.png").exists()


def test_the_scanner_image_is_read_previewed_and_filed_as_done(
    pages: Pages, inbox: Path, desk: int
) -> None:
    pages.login("officer1")
    choose_desk(pages, desk)
    drop(inbox / str(desk), "scan-0001.png", png(CLEAN))
    assert pages.client.get("/station/scanner/status").get_json()["waiting"] == 1
    response = check_scanner(pages)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "ERIKSSON, ANNA MARIA" in html
    assert 'id="screen-clear"' in html
    assert "Read from the desk scanner" in html and "scan-0001.png" in html
    assert 'id="decision-form"' in html
    assert not (inbox / str(desk) / "scan-0001.png").exists()
    assert [p.name.endswith("-scan-0001.png") for p in (inbox / str(desk) / "done").iterdir()] == [
        True
    ]
    assert list((inbox / str(desk) / "processing").iterdir()) == []

    recorded = pages.client.post("/station/record", data=form_values(html, "decision-form"))
    assert recorded.status_code == 302
    desk_page = pages.client.get(recorded.headers["Location"]).get_data(as_text=True)
    assert "ERIKSSON, ANNA MARIA admitted" in desk_page
    # The image now carries its crossing's id, so it goes when that crossing is anonymised.
    crossing_id = recorded.headers["Location"].rsplit("recorded=", 1)[1]
    (kept,) = (inbox / str(desk) / "done").iterdir()
    assert kept.name.startswith(f"crossing-{crossing_id}-") and kept.name.endswith("-scan-0001.png")


@pytest.mark.parametrize(
    "named", ["../../etc/passwd", "0123456789ab-../../x.png", ".hidden", "crossing-1-x", ""]
)
def test_a_forged_image_name_in_the_decision_form_touches_no_file(
    pages: Pages, inbox: Path, desk: int, named: str
) -> None:
    pages.login("officer1")
    choose_desk(pages, desk)
    drop(inbox / str(desk), "scan-0002.png", png(CLEAN))
    html = check_scanner(pages).get_data(as_text=True)
    (read,) = (inbox / str(desk) / "done").iterdir()
    form = form_values(html, "decision-form") | {"scan_image": named}

    recorded = pages.client.post("/station/record", data=form)

    assert recorded.status_code == 302
    assert list((inbox / str(desk) / "done").iterdir()) == [read]  # left for the sweep


def test_the_oldest_image_is_read_first_and_an_empty_folder_says_so(
    pages: Pages, inbox: Path, desk: int
) -> None:
    pages.login("officer1")
    choose_desk(pages, desk)
    other = mrz("MWANGI", "JOSEPH", "AB1234567", nationality="KEN", sex="M")
    drop(inbox / str(desk), "b.png", png(CLEAN), age=30)
    drop(inbox / str(desk), "a.png", png(other), age=10)
    assert "ERIKSSON" in check_scanner(pages).get_data(as_text=True)
    assert "MWANGI" in check_scanner(pages).get_data(as_text=True)
    response = check_scanner(pages)
    assert response.status_code == 200
    assert "No new image from the desk scanner." in response.get_data(as_text=True)


def test_an_image_without_an_mrz_is_filed_as_failed_and_explained(
    pages: Pages, inbox: Path, desk: int
) -> None:
    pages.login("officer1")
    choose_desk(pages, desk)
    drop(inbox / str(desk), "blank.png", blank_png())
    response = check_scanner(pages)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "blank.png: No machine-readable zone was found in the image" in html
    assert [p.name.endswith("-blank.png") for p in (inbox / str(desk) / "failed").iterdir()] == [
        True
    ]


def test_a_file_that_is_not_an_image_is_filed_as_failed(
    pages: Pages, inbox: Path, desk: int
) -> None:
    pages.login("officer1")
    choose_desk(pages, desk)
    drop(inbox / str(desk), "torn.jpg", b"\xff\xd8\xff not really a jpeg")
    response = check_scanner(pages)
    assert response.status_code == 422
    assert "torn.jpg: The image could not be read" in response.get_data(as_text=True)
    assert len(list((inbox / str(desk) / "failed").iterdir())) == 1


def test_without_a_watched_folder_the_scanner_is_not_offered(pages: Pages, desk: int) -> None:
    pages.login("officer1")
    choose_desk(pages, desk)
    assert 'id="scanner-form"' not in pages.client.get("/station").get_data(as_text=True)
    assert pages.client.get("/station/scanner/status").get_json()["watching"] is False


def upload(pages: Pages, data: bytes, name: str) -> Any:
    """Send an image with the station's image form."""
    html = pages.client.get("/station").get_data(as_text=True)
    values: dict[str, Any] = form_values(html, "image-form")
    values["image"] = (io.BytesIO(data), name)
    return pages.client.post("/station/image", data=values, content_type="multipart/form-data")


def test_an_image_chosen_on_the_page_is_read_and_previewed(pages: Pages) -> None:
    pages.login("officer1")
    response = upload(pages, png(CLEAN), "passport.png")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "ERIKSSON, ANNA MARIA" in html
    assert "Read from the chosen image" in html


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF", "notes.txt", "Choose a JPEG, PNG, TIFF or PDF file."),
        (b"just some text", "photo.png", "This file is not a JPEG, PNG, TIFF or PDF image."),
    ],
)
def test_a_file_of_the_wrong_type_is_refused(
    pages: Pages, data: bytes, name: str, message: str
) -> None:
    pages.login("officer1")
    response = upload(pages, data, name)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_an_image_without_an_mrz_says_so_next_to_the_field(pages: Pages) -> None:
    pages.login("officer1")
    response = upload(pages, blank_png(), "blank.png")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="image-error"' in html
    assert "No machine-readable zone was found in the image" in html


def test_no_file_is_asked_for_in_words(pages: Pages) -> None:
    pages.login("officer1")
    html = pages.client.get("/station").get_data(as_text=True)
    response = pages.client.post("/station/image", data=form_values(html, "image-form"))
    assert response.status_code == 422
    assert "Choose an image of the data page." in response.get_data(as_text=True)


def test_two_claims_of_one_file_give_it_to_one(tmp_path: Path) -> None:
    drop(tmp_path, "scan.png", b"x")
    first, second = claim(tmp_path), claim(tmp_path)
    assert first is not None and first.name == "scan.png"
    assert second is None


def test_a_file_still_being_written_and_other_files_wait(tmp_path: Path) -> None:
    drop(tmp_path, "fresh.png", b"x", age=0)
    drop(tmp_path, "notes.txt", b"x")
    drop(tmp_path, ".partial.png", b"x")
    assert waiting(tmp_path) == []
    assert claim(tmp_path) is None


def test_a_link_in_the_scanner_folder_is_not_followed(tmp_path: Path) -> None:
    other_desk = tmp_path / "other"
    other_desk.mkdir()
    secret = drop(other_desk, "someone-else.png", b"x")
    desk = tmp_path / "desk"
    desk.mkdir()
    link = desk / "scan.png"
    link.symlink_to(secret)
    old = time.time() - 60
    os.utime(link, (old, old), follow_symlinks=False)

    assert waiting(desk) == []
    assert claim(desk) is None


def test_a_folder_that_cannot_be_used_is_reported_and_not_watched_again(
    pages: Pages, inbox: Path, desk: int
) -> None:
    pages.login("officer1")
    choose_desk(pages, desk)
    drop(inbox / str(desk), "scan.png", png(CLEAN))
    (inbox / str(desk) / "processing").write_text("not a folder")
    response = check_scanner(pages)
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "The scanner folder cannot be used" in html
    assert 'data-stuck="1"' in html
    assert (inbox / str(desk) / "scan.png").exists()


def test_an_image_over_the_size_limit_is_refused_before_it_is_read(pages: Pages) -> None:
    pages.login("officer1")
    oversized = b"\x89PNG\r\n\x1a\n" + bytes(22 * 1024 * 1024)
    values: dict[str, Any] = form_values(
        pages.client.get("/station").get_data(as_text=True), "image-form"
    )
    values["image"] = (io.BytesIO(oversized), "huge.png")
    # The server refuses unread; the body the test client spooled to a file is closed here.
    environ = EnvironBuilder(path="/station/image", method="POST", data=values).get_environ()
    try:
        response = pages.client.open(environ)
    finally:
        environ["wsgi.input"].close()
    assert response.status_code == 413
    assert "A document image may be up to 20 MB" in response.get_data(as_text=True)


def test_an_image_a_dead_worker_left_in_processing_is_filed_as_failed(tmp_path: Path) -> None:
    left = drop(tmp_path / "processing", "abc123-scan.png", b"x", age=3600)
    reading = drop(tmp_path / "processing", "def456-scan.png", b"x", age=2)
    assert claim(tmp_path) is None
    assert (tmp_path / "failed" / left.name).exists()
    assert reading.exists()


def test_an_old_scan_just_claimed_is_not_swept_by_another_tab(tmp_path: Path) -> None:
    drop(tmp_path, "backlog-1.png", b"x", age=3600)
    drop(tmp_path, "backlog-2.png", b"x", age=3500)
    first = claim(tmp_path)
    second = claim(tmp_path)
    assert first is not None and second is not None
    assert first.path.exists()
    assert not (tmp_path / "failed").exists()


def test_a_pdf_from_the_desk_scanner_is_read(pages: Pages, inbox: Path, desk: int) -> None:
    out = io.BytesIO()
    render_document(tuple(CLEAN.splitlines())).convert("RGB").save(out, format="PDF")
    pages.login("officer1")
    choose_desk(pages, desk)
    drop(inbox / str(desk), "scan-0002.pdf", out.getvalue())
    html = check_scanner(pages).get_data(as_text=True)
    assert "ERIKSSON, ANNA MARIA" in html
    assert "scan-0002.pdf" in html


def test_a_pdf_whose_page_tree_loops_is_refused_next_to_the_field(pages: Pages) -> None:
    pages.login("officer1")
    response = upload(pages, looped_pdf(), "scan.pdf")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="image-error"' in html
    assert "first page cannot be read" in html


def test_chip_files_beside_the_image_are_claimed_with_it_and_filed(tmp_path: Path) -> None:
    drop(tmp_path, "scan-0001.png", b"x")
    drop(tmp_path, "scan-0001.sod", b"\x77\x00")
    drop(tmp_path, "scan-0001-DG1.bin", b"\x61\x00")
    drop(tmp_path, "scan-00012.sod", b"\x77\x00")  # another scan's, whose name only begins alike
    drop(tmp_path, "scan-0001.jpg", b"x")  # an image is an image, never a chip file
    claimed = claim(tmp_path)
    assert claimed is not None and claimed.name == "scan-0001.png"
    assert sorted(p.name.split("-", 1)[1] for p in claimed.chip) == [
        "scan-0001-DG1.bin",
        "scan-0001.sod",
    ]
    file_away(claimed, "done")
    done = sorted(p.name.split("-", 1)[1] for p in (tmp_path / "done").iterdir())
    assert done == ["scan-0001-DG1.bin", "scan-0001.png", "scan-0001.sod"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [
        "scan-0001.jpg",
        "scan-00012.sod",
    ]


def test_a_scanner_image_with_its_chip_shows_the_chip(pages: Pages, inbox: Path, desk: int) -> None:
    pages.login("officer1")
    choose_desk(pages, desk)
    lines = CLEAN.splitlines()
    folder = inbox / str(desk)
    drop(folder, "scan-0001.png", png(CLEAN))
    for number, blob in enumerate(chip_files(lines)):
        drop(folder, f"scan-0001.chip{number}", blob)
    html = check_scanner(pages).get_data(as_text=True)
    assert 'id="chip"' in html and "chip not verifiable" in html  # no CSCA loaded here
    assert "MRZ equals the printed one." in html
    recorded = pages.client.post("/station/record", data=form_values(html, "decision-form"))
    assert recorded.status_code == 302
    assert sorted(p.suffix for p in (folder / "done").iterdir()) == [
        ".chip0",
        ".chip1",
        ".chip2",
        ".png",
    ]


def test_another_images_chip_files_and_unsettled_ones_are_not_taken(tmp_path: Path) -> None:
    drop(tmp_path, "scan-0001.png", b"x", age=20)
    drop(tmp_path, "scan-0001-2.png", b"x", age=10)  # a later scan whose name begins alike
    drop(tmp_path, "scan-0001-2-DG1.bin", b"\x61\x00")  # the later scan's chip file
    drop(tmp_path, "scan-0001.sod", b"\x77\x00", age=0)  # still being written
    drop(tmp_path, "scan-0001.dg2", b"\x75\x00")
    claimed = claim(tmp_path)
    assert claimed is not None and claimed.name == "scan-0001.png"
    assert [p.name.split("-", 1)[1] for p in claimed.chip] == ["scan-0001.dg2"]
