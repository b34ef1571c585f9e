"""Uploaded list files: saved in a private folder, archives unpacked flat and bounded, folders
of a stopped process swept."""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage

from midas.domain.errors import InvalidInput
from midas.list_uploads import MAX_MEMBERS, PREFIX, new_folder, store_upload, sweep_uploads


def upload(name: str, content: bytes) -> FileStorage:
    return FileStorage(stream=io.BytesIO(content), filename=name)


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_an_archive_is_unpacked_flat_inside_its_folder(tmp_path: Path) -> None:
    archive = zipped({"../../etc/sdn.csv": b"1", "/abs/alt.csv": b"2", "x/add.csv": b"3"})

    source = store_upload([upload("pub.zip", archive)], "ofac_csv", 1 << 20, base=tmp_path)

    assert source.path == source.folder and source.folder.parent == tmp_path
    assert sorted(p.name for p in source.folder.iterdir()) == ["add.csv", "alt.csv", "sdn.csv"]
    assert source.file_name == "sdn.csv+alt.csv+add.csv"


def test_a_tar_archive_with_a_link_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        link = tarfile.TarInfo("sdn.csv")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        archive.addfile(link)
    with pytest.raises(InvalidInput, match="is a link, not a file"):
        store_upload([upload("pub.tgz", buffer.getvalue())], "ofac_csv", 1 << 20, base=tmp_path)
    assert list(tmp_path.iterdir()) == []  # nothing half-written is left


@pytest.mark.parametrize(
    ("members", "limit", "said"),
    [
        ({"sdn.csv": b"0" * 5000}, 4096, "unpacks to more than the upload limit"),
        ({f"f{n}.csv": b"" for n in range(MAX_MEMBERS + 1)}, 1 << 20, "more than 16 files"),
        ({"a/sdn.csv": b"1", "b/sdn.csv": b"2"}, 1 << 20, "holds sdn.csv twice"),
        ({}, 1 << 20, "holds no file"),
    ],
)
def test_an_archive_is_bounded_in_files_and_bytes(
    tmp_path: Path, members: dict[str, bytes], limit: int, said: str
) -> None:
    with pytest.raises(InvalidInput, match=said):
        store_upload([upload("pub.zip", zipped(members))], "ofac_csv", limit, base=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_single_file_format_reads_the_file_it_was_given(tmp_path: Path) -> None:
    source = store_upload([upload("../Wanted List.csv", b"x")], "csv", 1 << 20, base=tmp_path)
    assert source.path == source.folder / "WantedList.csv"


def gone_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_upload_folders_of_a_stopped_process_are_swept_and_live_ones_kept(tmp_path: Path) -> None:
    live = new_folder(tmp_path)
    dead = tmp_path / f"{PREFIX}{gone_pid()}-999-abcd"
    legacy = tmp_path / f"{PREFIX}k3j2_x9a"
    other = tmp_path / "someone-else"
    for folder in (dead, legacy, other):
        folder.mkdir()
        (folder / "sdn.csv").write_text("1")

    assert sweep_uploads(tmp_path) == 2

    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, other.name])
    assert live.name.startswith(f"{PREFIX}{os.getpid()}-")
