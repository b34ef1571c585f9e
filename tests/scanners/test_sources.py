"""Scanner sources: what each yields, in what order, and when it stops."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from scanners.errors import ScannerError, SourceError
from scanners.sources import FakeScanner, FileSource, FolderSource, Scan, StreamSource

TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"


def drop(folder: Path, name: str, content: bytes | str, mtime: float) -> Path:
    path = folder / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    os.utime(path, (mtime, mtime))
    return path


def test_a_file_source_yields_an_image_scan_for_an_image(tmp_path):
    path = drop(tmp_path, "scan.JPG", b"\xff\xd8", 1)
    assert list(FileSource(path).read()) == [Scan("image", path, "file")]


def test_a_file_source_yields_the_text_of_a_text_file(tmp_path):
    path = drop(tmp_path, "scan.txt", TD3, 1)
    assert list(FileSource(path, name="desk-3").read()) == [Scan("text", TD3, "desk-3")]


def test_a_missing_file_is_a_source_error(tmp_path):
    with pytest.raises(SourceError, match="no such file") as caught:
        list(FileSource(tmp_path / "gone.png").read())
    assert isinstance(caught.value, ScannerError)


def test_an_unknown_suffix_is_refused(tmp_path):
    with pytest.raises(SourceError, match=r"suffix \.doc"):
        list(FileSource(drop(tmp_path, "scan.doc", b"x", 1)).read())


def test_a_folder_yields_each_file_once_oldest_first_and_skips_other_files(tmp_path):
    drop(tmp_path, "b.png", b"png", 20)
    drop(tmp_path, "a.txt", TD3, 10)
    drop(tmp_path, "notes.doc", b"x", 5)
    drop(tmp_path, ".partial.png", b"x", 5)
    source = FolderSource(tmp_path, idle_polls=2, sleep=lambda _: None)
    scans = list(source.read())
    assert [s.kind for s in scans] == ["text", "image"]
    assert scans[0].payload == TD3
    assert scans[1].payload == tmp_path / "b.png"


def test_a_folder_source_picks_up_files_dropped_while_it_watches(tmp_path):
    drops = iter([("late.png", 30), ("later.png", 40)])

    def sleep(_: float) -> None:
        item = next(drops, None)
        if item:
            drop(tmp_path, item[0], b"png", item[1])

    source = FolderSource(tmp_path, limit=2, sleep=sleep)
    assert [s.payload for s in source.read()] == [tmp_path / "late.png", tmp_path / "later.png"]


def test_a_folder_source_waits_until_a_file_stops_growing(tmp_path):
    path = drop(tmp_path, "scan.png", b"pn", 10)
    polls: list[int] = []

    def sleep(_: float) -> None:
        polls.append(1)
        if len(polls) == 1:
            path.write_bytes(b"png-complete")

    scans = list(FolderSource(tmp_path, limit=1, sleep=sleep).read())
    assert scans == [Scan("image", path, "folder")]
    assert len(polls) == 2  # seen growing once, then stable


def test_a_folder_source_stops_after_the_limit(tmp_path):
    for i in range(5):
        drop(tmp_path, f"{i}.png", b"png", i + 1)
    source = FolderSource(tmp_path, limit=3, sleep=lambda _: None)
    assert [s.payload for s in source.read()] == [tmp_path / f"{i}.png" for i in range(3)]


def test_a_missing_folder_is_a_source_error(tmp_path):
    with pytest.raises(SourceError, match="no such folder"):
        list(FolderSource(tmp_path / "none", idle_polls=1).read())


def test_a_stream_splits_mrzs_on_blank_lines():
    typed = io.StringIO(f"\n{TD3}\n\n\n  I<UTOD231458907<<<<<<<<<<<<<<<\nLINE2\nLINE3\n")
    scans = list(StreamSource(typed).read())
    assert [s.payload for s in scans] == [TD3, "I<UTOD231458907<<<<<<<<<<<<<<<\nLINE2\nLINE3"]
    assert {s.source for s in scans} == {"stdin"}


def test_a_fake_scanner_yields_texts_and_images_in_order(tmp_path):
    image = tmp_path / "x.png"
    scans = list(FakeScanner([TD3, image]).read())
    assert scans == [Scan("text", TD3, "fake"), Scan("image", image, "fake")]
