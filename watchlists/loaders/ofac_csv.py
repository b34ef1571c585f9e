"""OFAC legacy SDN CSV: `sdn.csv` joined with `alt.csv` (and `sdn_comments.csv`) beside it.

Files have no header, `-0- ` means null, lines may end in CRLF and OFAC ends each file with a
DOS end-of-file byte (0x1A). sdn.csv columns: ent_num, SDN_Name, SDN_Type, Program, Title,
Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks. alt.csv: ent_num, alt_num,
alt_type (aka/fka/nka), alt_name, alt_remarks. sdn_comments.csv: ent_num, the remarks text that
did not fit in sdn.csv (appended as is). add.csv holds addresses, which a person entry has no
place for: it is part of the checksum but not read.

Only `individual` records become PersonEntry (entry_id = ent_num; names 'SURNAME, Given Names'
keep that spelling in `full` and are split into family and given). Entities, vessels and
aircraft are yielded as `Skipped`: the person list screens travellers, and company or ship
names matched against a traveller's name would only add false hits. alt.csv names are STRONG,
remark `a.k.a. '…'` names WEAK (that is where OFAC keeps its weak aliases).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from watchlists.errors import FormatError, SourceNotFoundError
from watchlists.loaders.fields import entry_name
from watchlists.loaders.ofac_remarks import read_remarks, with_title
from watchlists.loaders.progress import open_text
from watchlists.loaders.records import Record, Skipped
from watchlists.models import NameQuality, PersonEntry, Rejected

FORMAT = "ofac_csv"

SDN_FILE = "sdn.csv"
ALT_FILE = "alt.csv"
ADD_FILE = "add.csv"
COMMENTS_FILE = "sdn_comments.csv"
SDN_FIELDS = 12
_NULL = "-0-"
_EOF = "\x1a"


def main_file(path: Path) -> Path:
    """Return sdn.csv for a folder, or `path` itself when it names a file."""
    if path.is_dir():
        path = path / SDN_FILE
    if not path.is_file():
        raise SourceNotFoundError("file not found", path=str(path))
    return path


def source_files(path: Path) -> tuple[Path, ...]:
    """Return sdn.csv and whichever of alt.csv, add.csv and sdn_comments.csv sit beside it."""
    sdn = main_file(path)
    companions = (sdn.parent / name for name in (ALT_FILE, ADD_FILE, COMMENTS_FILE))
    return (sdn, *(companion for companion in companions if companion.is_file()))


def read_published(path: Path) -> date | None:
    """Return None: the legacy CSV carries no publication date."""
    return None


def _value(cell: str) -> str | None:
    text = cell.strip()
    return None if text in ("", _NULL) else text


def _rows(path: Path, progress: bool | None) -> Iterator[tuple[int, list[str]]]:
    """Yield (first line number, row) of an OFAC CSV, skipping the trailing EOF byte."""
    with open_text(path, desc=path.name, progress=progress, encoding="utf-8") as text:
        # strict: a file that ends inside a quoted field was cut off (a failed download), and
        # must fail the load rather than lose every entry after the cut.
        reader = csv.reader(text, strict=True)
        last_line = 0
        try:
            for row in reader:
                line = last_line + 1
                last_line = reader.line_num
                if not row or row == [_EOF] or (len(row) == 1 and not row[0].strip()):
                    continue
                yield line, row
        except csv.Error as exc:
            raise FormatError(str(exc), path=str(path), location=f"line {reader.line_num}") from exc
        except UnicodeDecodeError as exc:
            reason, location = f"not UTF-8: {exc.reason}", f"after line {reader.line_num}"
            raise FormatError(reason, path=str(path), location=location) from exc


def _aliases(path: Path) -> dict[str, list[tuple[int, str]]]:
    """Return alt.csv as ent_num -> [(line, alias name)]."""
    aliases: dict[str, list[tuple[int, str]]] = {}
    if not path.is_file():
        return aliases
    for line, row in _rows(path, progress=False):
        if len(row) < 4 or not (name := _value(row[3])):
            continue
        aliases.setdefault(row[0].strip(), []).append((line, name))
    return aliases


def _comments(path: Path) -> dict[str, str]:
    """Return sdn_comments.csv as ent_num -> remarks overflow."""
    if not path.is_file():
        return {}
    return {
        row[0].strip(): row[1]
        for _, row in _rows(path, progress=False)
        if len(row) >= 2 and _value(row[1])
    }


def split_name(name: str) -> tuple[str | None, str | None]:
    """Split OFAC's 'SURNAME, Given Names' into (given, family); a name without comma is family."""
    family, comma, given = name.partition(",")
    if not comma:
        return None, name.strip() or None
    return given.strip() or None, family.strip() or None


def iter_records(path: Path, *, progress: bool | None = None) -> Iterator[Record]:
    """Yield a PersonEntry per individual, Skipped for other SDN types, Rejected for bad rows."""
    sdn = main_file(path)
    aliases = _aliases(sdn.parent / ALT_FILE)
    comments = _comments(sdn.parent / COMMENTS_FILE)
    seen: set[str] = set()
    for line, row in _rows(sdn, progress):
        location = f"{SDN_FILE} line {line}"
        if len(row) != SDN_FIELDS:
            reason = f"row: expected {SDN_FIELDS} fields, got {len(row)}"
            yield Rejected(location=location, reason=reason)
            continue
        ent_num = row[0].strip()
        if not ent_num.isdigit():
            yield Rejected(location=location, reason=f"ent_num: {ent_num!r} is not a number")
            continue
        seen.add(ent_num)
        sdn_type = (_value(row[2]) or "entity").lower()
        if sdn_type != "individual":
            yield Skipped(location=location, what=sdn_type)
            continue
        name = _value(row[1])
        if name is None:
            yield Rejected(location=location, reason="SDN_Name: is empty")
            continue
        remarks = (_value(row[11]) or "") + comments.get(ent_num, "")
        yield _person(ent_num, name, row, remarks, aliases.get(ent_num, []))
    for ent_num, rows in aliases.items():
        if ent_num not in seen:
            for alias_line, _ in rows:
                location = f"{ALT_FILE} line {alias_line}"
                yield Skipped(location=location, what=f"alias of an ent_num not in {SDN_FILE}")


def _person(
    ent_num: str, name: str, row: list[str], remarks: str, aliases: list[tuple[int, str]]
) -> PersonEntry:
    facts = read_remarks(remarks)
    given, family = split_name(name)
    names = [entry_name(name, given=given, family=family)]
    spelled = {name}
    for _, alias in aliases:
        if alias not in spelled:
            spelled.add(alias)
            alias_given, alias_family = split_name(alias)
            strong = NameQuality.STRONG
            names.append(entry_name(alias, strong, given=alias_given, family=alias_family))
    for alias in facts.weak_aliases:
        if alias not in spelled:
            spelled.add(alias)
            names.append(entry_name(alias, NameQuality.WEAK))
    program = _value(row[3])
    programs = tuple(p.strip(" []") for p in program.split("] [")) if program else ()
    return PersonEntry(
        entry_id=ent_num,
        names=tuple(names),
        birth_dates=facts.birth_dates,
        nationalities=facts.nationalities,
        sex=facts.sex,
        documents=facts.documents,
        programs=programs,
        remarks=with_title(_value(row[4]), remarks.strip()) or None,
    )
