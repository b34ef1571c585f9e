"""Reading MRZs from images, on pages drawn in the real OCR-B face (see mrz_images.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from scanners import ocr_passes
from scanners.errors import DependencyMissing, ImageLoadError, ScannerError
from scanners.image import MIN_TRUSTED_GLYPH, prefer_classes, read_image
from tests.scanners.mrz_images import TD1_LINES, TD3_LINES, render_document

TODAY = date(2011, 1, 1)  # the ICAO example documents expire in 2012


def save(image, tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    image.save(path)
    return path


def test_a_clean_passport_page_is_read_valid_by_the_first_pass(tmp_path):
    reading = read_image(save(render_document(TD3_LINES), tmp_path, "td3.png"), today=TODAY)
    assert reading.valid and reading.found
    assert reading.winner == "ocrb"
    assert reading.result.lines == TD3_LINES
    assert (reading.result.surname, reading.result.given_names) == ("ERIKSSON", "ANNA MARIA")
    assert reading.attempts[-1].pass_name == "ocrb"
    assert reading.seconds > 0


def test_a_td1_card_is_read(tmp_path):
    page = render_document(TD1_LINES, pitch=26, header="IDENTITY CARD UTOPIA")
    reading = read_image(save(page, tmp_path, "td1.jpg"), today=TODAY)
    assert reading.valid
    assert reading.result.format == "TD1"
    assert reading.result.document_number == "D23145890"


def test_a_blurred_noisy_jpeg_is_still_read(tmp_path):
    page = render_document(TD3_LINES, blur=1.0, noise=30)
    path = tmp_path / "noisy.jpg"
    page.save(path, quality=55)
    reading = read_image(path, today=TODAY)
    assert reading.valid
    assert reading.result.document_number == "L898902C3"


def test_a_page_turned_a_quarter_turn_is_read_by_the_turning_pass(tmp_path):
    page = render_document(TD3_LINES).rotate(90, expand=True)
    reading = read_image(save(page, tmp_path, "turned.png"), today=TODAY)
    assert reading.valid
    assert reading.winner == "ocrb-90"
    assert [a.pass_name for a in reading.attempts][-1] == "ocrb-90"


def test_a_page_fed_upside_down_is_read(tmp_path):
    page = render_document(TD3_LINES).rotate(180)
    reading = read_image(save(page, tmp_path, "upside.png"), today=TODAY)
    assert reading.valid
    assert reading.winner == "ocrb-180"


def test_a_pdf_scan_is_read_from_its_first_page(tmp_path):
    path = tmp_path / "scan.pdf"
    render_document(TD3_LINES).convert("RGB").save(path, "PDF", resolution=200)
    reading = read_image(path, today=TODAY)
    assert reading.valid
    assert reading.result.surname == "ERIKSSON"


def test_encoded_bytes_are_read_like_a_file(tmp_path):
    path = save(render_document(TD3_LINES), tmp_path, "td3.png")
    assert read_image(path.read_bytes(), today=TODAY).result.lines == TD3_LINES


def test_a_page_without_an_mrz_is_a_clear_not_found_result(tmp_path):
    page = render_document(("THIS PAGE HAS NO MACHINE READABLE ZONE",), pitch=20)
    page = page.crop((0, 0, page.width, page.height - 60))
    reading = read_image(save(page, tmp_path, "blank.png"), today=TODAY)
    assert not reading.found and not reading.valid
    assert reading.winner is None
    assert reading.result.format is None


def test_a_tiny_image_keeps_its_fields_but_is_not_trusted_as_valid(tmp_path):
    page = render_document(TD3_LINES, pitch=24)
    small = page.resize((page.width // 3, page.height // 3))
    reading = read_image(save(small, tmp_path, "tiny.png"), today=TODAY)
    assert reading.pitch < 9
    assert not reading.valid  # names carry no check digit: too small to trust


def test_a_file_that_is_not_an_image_is_an_image_load_error(tmp_path):
    path = tmp_path / "scan.png"
    path.write_text("not an image")
    with pytest.raises(ImageLoadError, match="not a readable image") as caught:
        read_image(path)
    assert isinstance(caught.value, ScannerError)
    assert "BytesIO" not in str(caught.value) and "0x" not in str(caught.value)


def test_a_missing_file_is_an_image_load_error(tmp_path):
    with pytest.raises(ImageLoadError):
        read_image(tmp_path / "gone.png")


def test_the_tesseract_pass_without_tesseract_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr_passes.shutil, "which", lambda _: None)
    page = save(render_document(TD3_LINES), tmp_path, "td3.png")
    with pytest.raises(DependencyMissing, match="apt-get install tesseract-ocr"):
        read_image(page, passes=["tesseract"])


def test_a_missing_ocr_b_font_says_how_to_install_it(monkeypatch):
    from scanners import ocrb

    monkeypatch.setattr(ocrb, "FONT_PATHS", (Path("/nonexistent/OCRB.otf"),))
    with pytest.raises(DependencyMissing, match="fonts-ocr-b"):
        ocrb.font_path()


def test_a_page_lying_askew_on_the_glass_is_levelled_and_read(tmp_path):
    page = render_document(TD3_LINES).rotate(12, expand=True, fillcolor=236)
    reading = read_image(save(page, tmp_path, "askew.png"), today=TODAY)
    assert reading.valid
    assert reading.result.lines == TD3_LINES


def test_where_the_ocr_was_torn_the_position_class_decides_and_the_rest_stays_a_choice():
    lines = (
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO74O8122F1204159ZE184226B<<<<<1O",
    )
    torn = {(1, 15): "0", (1, 43): "0D", (1, 5): "3"}
    chosen, seen = prefer_classes(lines, torn)
    assert chosen == TD3_LINES
    assert seen[(1, 15)] == "O" and seen[(1, 43)] == "OD"
    assert seen[(1, 5)] == "3"  # a digit read where digits are allowed is kept


def test_two_misread_glyphs_that_cancel_in_the_check_digit_are_not_trusted(tmp_path):
    reading = read_image(save(render_document(TD3_LINES), tmp_path, "td3.png"), today=TODAY)
    assert reading.poorest >= MIN_TRUSTED_GLYPH
    doubtful = replace(reading, poorest=MIN_TRUSTED_GLYPH - 0.01)
    assert doubtful.result.valid and not doubtful.valid
