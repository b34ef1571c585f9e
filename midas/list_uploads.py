"""Uploaded list files: each upload in a private temporary folder, archives unpacked, leftovers
of a process that stopped removed.

A format may need several files (an OFAC SDN CSV publication is sdn.csv with alt.csv, add.csv
and sdn_comments.csv); the page and the API take several files, or one zip or tar archive of
them. Archives are unpacked flat (names without folders), at most MAX_MEMBERS files and the
upload limit in bytes, so a crafted archive cannot fill the disk or write outside the folder.
The folder's name carries the process that made it, so a folder whose process has gone (a load
killed mid-way) is found and removed.
"""

from __future__ import annotations

import os
import shutil
import tarfile
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

from midas.domain.errors import InvalidInput
from midas.domain.list_loads import process_stamp
from watchlists.companions import expected_files
from watchlists.format_names import title
from watchlists.loaders import ofac_csv

PREFIX = "midas-upload-"
# Files one upload may hold: an OFAC publication is four; more is a mistake, not a list.
MAX_FILES = 8
MAX_MEMBERS = 16
_ARCHIVES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz")
# The file each multi-file format reads first, by registry format.
_MAIN_FILES = {ofac_csv.FORMAT: ofac_csv.SDN_FILE}


class UploadedFile(Protocol):
    """What the page and the API hand over for each file: werkzeug's FileStorage fits."""

    filename: str | None

    def save(self, dst: str | os.PathLike[str]) -> None:
        """Write the file's content to `dst`."""
        ...

    def close(self) -> None:
        """Release the file (a large upload is spooled to a temporary file)."""
        ...


@dataclass(frozen=True, slots=True)
class UploadedSource:
    """An upload ready to load: its private folder, the path the loader reads, its file names."""

    folder: Path
    path: Path
    file_name: str


def _safe(name: str) -> str:
    kept = "".join(ch for ch in Path(name.replace("\\", "/")).name if ch.isalnum() or ch in "._-")
    return kept.lstrip(".") or "list"


def new_folder(base: Path | None = None) -> Path:
    """Make a private folder for one upload, named after this process."""
    pid = os.getpid()
    prefix = f"{PREFIX}{pid}-{process_stamp(pid) or 0}-"
    return Path(tempfile.mkdtemp(prefix=prefix, dir=base))


def store_upload(
    files: Sequence[UploadedFile], fmt: str, max_bytes: int, base: Path | None = None
) -> UploadedSource:
    """Save uploaded files (or unpack one archive) for a load of registry format `fmt`.

    Raise InvalidInput naming the file field when the files do not make one source of `fmt`.
    """
    given = [f for f in files if f.filename]
    if not given:
        raise InvalidInput("Choose the list file.", field="file")
    if len(given) > MAX_FILES:
        raise InvalidInput(f"Give at most {MAX_FILES} files in one upload.", field="file")
    folder = new_folder(base)
    try:
        names = [_save(upload, folder) for upload in given]
        if len(names) == 1 and names[0].lower().endswith(_ARCHIVES):
            archive = folder / names[0]
            names = _unpack(archive, folder, max_bytes)
            archive.unlink()
        return _source(folder, names, fmt)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _save(upload: UploadedFile, folder: Path) -> str:
    name = _canonical(_safe(upload.filename or "list"))
    target = folder / name
    if target.exists():
        raise InvalidInput(f"{name} was given twice; give each file once.", field="file")
    try:
        upload.save(target)
    finally:
        upload.close()  # a large upload is spooled to disk: give its descriptor back now
    return name


def _canonical(name: str) -> str:
    """Spell a file a format expects by its published name (SDN.CSV -> sdn.csv)."""
    known = {*_MAIN_FILES.values(), *(n for fmt in _MAIN_FILES for n in expected_files(fmt))}
    return name.lower() if name.lower() in known else name


def _members(archive: Path) -> Iterator[tuple[str, int, IO[bytes]]]:
    """Yield (name, size, content) of each regular file in a zip or tar archive."""
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as zipped:
            for info in zipped.infolist():
                if not info.is_dir():
                    with zipped.open(info) as content:
                        yield info.filename, info.file_size, content
        return
    try:
        with tarfile.open(archive) as tarred:
            for member in tarred:
                if member.isdir():
                    continue
                if not member.isfile():
                    raise InvalidInput(
                        f"{member.name} in {archive.name} is a link, not a file; give the files "
                        "themselves.",
                        field="file",
                    )
                extracted = tarred.extractfile(member)
                if extracted is not None:
                    yield member.name, member.size, extracted
    except tarfile.TarError as error:
        raise InvalidInput(f"{archive.name} is not a readable archive.", field="file") from error


def _unpack(archive: Path, folder: Path, max_bytes: int) -> list[str]:
    """Unpack an archive's files flat into `folder`, bounded in count and bytes; return names."""
    names: list[str] = []
    written = 0
    try:
        for member, size, content in _members(archive):
            if len(names) == MAX_MEMBERS:
                raise InvalidInput(
                    f"{archive.name} holds more than {MAX_MEMBERS} files.", field="file"
                )
            name = _canonical(_safe(member))
            target = folder / name
            if target.exists():
                raise InvalidInput(f"{archive.name} holds {name} twice.", field="file")
            written += size
            if written > max_bytes:
                raise InvalidInput(
                    f"{archive.name} unpacks to more than the upload limit.", field="file"
                )
            with target.open("wb") as out:
                # Copied in bounded chunks, counting what is actually written: a member's
                # declared size may lie.
                copied = 0
                while chunk := content.read(1 << 20):
                    copied += len(chunk)
                    if written - size + copied > max_bytes:
                        raise InvalidInput(
                            f"{archive.name} unpacks to more than the upload limit.", field="file"
                        )
                    out.write(chunk)
            names.append(name)
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise InvalidInput(f"{archive.name} is not a readable archive.", field="file") from error
    if not names:
        raise InvalidInput(f"{archive.name} holds no file.", field="file")
    return names


def _source(folder: Path, names: list[str], fmt: str) -> UploadedSource:
    """Return what a loader of `fmt` reads from the saved files, or say what is missing."""
    joined = "+".join(names)
    main = _MAIN_FILES.get(fmt)
    if main is not None:
        if main not in names:
            wanted = ", ".join((main, *expected_files(fmt)))
            raise InvalidInput(
                f"{title(fmt)} needs {main} (give {wanted}, or one archive of them).",
                field="file",
            )
        extra = sorted(set(names) - {main, *expected_files(fmt)})
        if extra:
            raise InvalidInput(
                f"{title(fmt)} does not read {', '.join(extra)}; give only "
                f"{', '.join((main, *expected_files(fmt)))}.",
                field="file",
            )
        return UploadedSource(folder, folder, joined)
    if len(names) > 1:
        raise InvalidInput(
            f"{title(fmt)} is one file; {len(names)} were given ({', '.join(names)}).",
            field="file",
        )
    return UploadedSource(folder, folder / names[0], joined)


def sweep_uploads(base: Path | None = None) -> int:
    """Remove upload folders whose process has stopped (a load killed mid-way); return how many."""
    root = Path(base or tempfile.gettempdir())
    removed = 0
    for folder in root.glob(f"{PREFIX}*"):
        if folder.is_dir() and not _owner_alive(folder.name.removeprefix(PREFIX)):
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def _owner_alive(suffix: str) -> bool:
    """Tell whether the process named in an upload folder's name still runs (same host)."""
    pid, _, rest = suffix.partition("-")
    stamp = rest.partition("-")[0]
    if not (pid.isdigit() and stamp.isdigit()):
        return False  # made before folders were named after their process
    if not Path("/proc").is_dir():
        return True  # cannot tell: keep it
    return process_stamp(int(pid)) == stamp
