"""`midas screen`: screen one traveller, or a JSON-lines batch, against the active watchlists.

Exit status: 0 no hit, 3 at least one hit, 1 on an error (bad input, no active list).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from midas.cli.language import _
from midas.cli.watchlist import require_schema
from midas.domain.screening import Document, built_screener, hit_json, screen_queries
from midas.domain.screening_indexes import ScreeningIndexes, screening_config
from watchlists.config import ScreeningConfig
from watchlists.models import BirthDate, Hit
from watchlists.screening import PersonQuery

HIT_EXIT = 3
# Where the per-process index cache lives among the app's extensions.
BATCH_FIELDS = frozenset(
    {
        "id",
        "name",
        "birth_date",
        "nationality",
        "sex",
        "document_number",
        "issuing_state",
        "document_type",
    }
)
_YEAR = re.compile(r"\d{4}")
_YEAR_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True, slots=True)
class Traveller:
    """One traveller to screen: a name with supporting facts and/or a document."""

    name: str | None = None
    birth_date: date | BirthDate | None = None
    nationality: str | None = None
    sex: str | None = None
    document_number: str | None = None
    issuing_state: str | None = None
    document_type: str | None = None


def parse_birth_date(text: str) -> date | BirthDate:
    """Read YYYY-MM-DD, YYYY-MM or YYYY; raise ValueError naming the accepted forms."""
    text = text.strip()
    if _YEAR.fullmatch(text):
        return BirthDate(int(text), int(text))
    month = _YEAR_MONTH.fullmatch(text)
    if month and 1 <= int(month.group(2)) <= 12:
        return BirthDate(int(month.group(1)), int(month.group(1)), int(month.group(2)))
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not YYYY-MM-DD, YYYY-MM or YYYY") from None


def screen_traveller(
    traveller: Traveller, indexes: ScreeningIndexes, config: ScreeningConfig
) -> list[Hit]:
    """Return the hits of a traveller on every active list, best first."""
    person = None
    if traveller.name:
        person = PersonQuery(
            name=traveller.name,
            birth_date=traveller.birth_date,
            nationality=traveller.nationality,
            sex=traveller.sex,
        )
    document = Document.of(
        traveller.document_number, traveller.issuing_state, traveller.document_type
    )
    return screen_queries(indexes, config, person, document)


def active_indexes() -> ScreeningIndexes:
    """Return this process's indexes of the active lists, built now for lists that changed."""
    indexes = built_screener(current_app).indexes()
    if not indexes.versions():
        raise click.ClickException(
            _("no active watchlist in the database: load one with `midas watchlist load`")
        )
    return indexes


def _warn_missing(traveller: Traveller, indexes: ScreeningIndexes) -> None:
    if traveller.name and not indexes.persons:
        click.echo(_("warning: no active person list; the name was not screened"), err=True)
    if traveller.document_number and not indexes.documents:
        click.echo(_("warning: no active document list; the document was not screened"), err=True)


@click.command("screen")
@click.option("--name", help="The traveller's name (or an MRZ name field SURNAME<<GIVEN).")
@click.option("--birth-date", help="YYYY-MM-DD, YYYY-MM or YYYY.")
@click.option("--nationality", help="ISO 3166 / ICAO code, e.g. DEU or D.")
@click.option("--sex", type=click.Choice(["M", "F", "X"], case_sensitive=False))
@click.option("--document-number")
@click.option("--issuing-state", help="ICAO code of the document's issuing state.")
@click.option("--document-type", help="P (passport), I/A/C (identity cards), V (visa) …")
@click.option(
    "--batch",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help='JSON lines {"id", "name", "birth_date", "nationality", "document_number", '
    '"issuing_state"}; one JSON line out per line in.',
)
@click.option("--json", "as_json", is_flag=True, help="Print the hits as one JSON line.")
@with_appcontext
def screen(
    name: str | None,
    birth_date: str | None,
    nationality: str | None,
    sex: str | None,
    document_number: str | None,
    issuing_state: str | None,
    document_type: str | None,
    batch: Path | None,
    as_json: bool,
) -> None:
    """Screen a traveller against the active watchlists; exit 3 on a hit, 0 without."""
    single = (name, birth_date, nationality, sex, document_number, issuing_state, document_type)
    if batch is not None:
        if any(value is not None for value in single):
            raise click.UsageError(_("--batch takes no other traveller options"))
        _screen_batch(batch)
        return
    if not name and not document_number:
        raise click.UsageError(_("give --name, --document-number or --batch"))
    if document_number and not issuing_state:
        raise click.UsageError(_("--document-number needs --issuing-state"))
    try:
        born = parse_birth_date(birth_date) if birth_date else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--birth-date") from None
    traveller = Traveller(
        name,
        born,
        nationality,
        sex and sex.upper(),
        document_number,
        issuing_state,
        document_type,
    )
    require_schema()
    indexes = active_indexes()
    _warn_missing(traveller, indexes)
    hits = screen_traveller(traveller, indexes, screening_config(current_app.config))
    if as_json:
        click.echo(json.dumps({"hits": [hit_json(hit) for hit in hits]}, ensure_ascii=False))
    else:
        _print_hits(hits)
    if hits:
        raise click.exceptions.Exit(HIT_EXIT)


def _print_hits(hits: list[Hit]) -> None:
    if not hits:
        click.echo(_("No hit."))
        return
    for hit in hits:
        said = _(
            "HIT %(list)s %(entry)s %(name)s score %(score)s (threshold %(threshold)s)",
            list=hit.list_name,
            entry=hit.entry_id,
            name=repr(hit.matched_name),
            score=format(hit.score, ".2f"),
            threshold=format(hit.threshold, ".2f"),
        )
        # The list's own category and action: data, in the list's words.
        click.echo(said + (f" {hit.category}: {hit.action}" if hit.category or hit.action else ""))
        for reason in hit.reasons:
            click.echo(f"    {reason.feature:<14} {reason.score:.2f}  {reason.detail}")


@dataclass(frozen=True, slots=True)
class BadLine:
    """A batch line that could not be read: where, why, and its id when it had one."""

    number: int
    reason: str
    identifier: Any = None

    def to_json(self) -> dict[str, Any]:
        """Return the error object printed in the line's place."""
        return {"id": self.identifier, "line": self.number, "error": self.reason}


def read_batch(path: Path) -> list[tuple[Any, Traveller] | BadLine]:
    """Read every line of a batch file: a traveller per good line, a BadLine per bad one."""
    travellers: list[tuple[Any, Traveller] | BadLine] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                travellers.append(_batch_line(line))
            except ValueError as exc:
                travellers.append(BadLine(number, str(exc), _id_of(line)))
    return travellers


def _id_of(line: str) -> Any:
    """The id of a bad line, when it is JSON with one (so the caller can match the error)."""
    try:
        record = json.loads(line)
    except ValueError:
        return None
    return record.get("id") if isinstance(record, dict) else None


def _batch_line(line: str) -> tuple[Any, Traveller]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON: {exc.msg} at column {exc.colno}") from None
    if not isinstance(record, dict):
        raise ValueError("expected a JSON object")
    unknown = sorted(set(record) - BATCH_FIELDS)
    if unknown:
        raise ValueError(
            f"unknown {'field' if len(unknown) == 1 else 'fields'} {', '.join(unknown)}"
        )
    if "id" not in record:
        raise ValueError("'id' is required")
    text: dict[str, str | None] = {}
    for key in BATCH_FIELDS - {"id"}:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise ValueError(f"{key}: expected a string, got {json.dumps(value)}")
        text[key] = value.strip() or None if isinstance(value, str) else None
    born = None
    if text["birth_date"]:
        try:
            born = parse_birth_date(text["birth_date"])
        except ValueError as exc:
            raise ValueError(f"birth_date: {exc}") from None
    if text["sex"] and text["sex"].upper() not in {"M", "F", "X"}:
        raise ValueError(f"sex: {text['sex']!r} is not M, F or X")
    traveller = Traveller(
        name=text["name"],
        birth_date=born,
        nationality=text["nationality"],
        sex=text["sex"].upper() if text["sex"] else None,
        document_number=text["document_number"],
        issuing_state=text["issuing_state"],
        document_type=text["document_type"],
    )
    return record["id"], traveller


def _screen_batch(path: Path) -> None:
    travellers = read_batch(path)
    require_schema()
    indexes = active_indexes()
    config = screening_config(current_app.config)
    any_hit = any_bad = False
    for item in travellers:
        if isinstance(item, BadLine):
            # Said in its place and on stderr; the good lines are screened all the same.
            any_bad = True
            click.echo(
                _(
                    "%(path)s line %(number)s: %(reason)s",
                    path=path,
                    number=item.number,
                    reason=item.reason,
                ),
                err=True,
            )
            click.echo(json.dumps(item.to_json(), ensure_ascii=False))
            continue
        identifier, traveller = item
        hits = screen_traveller(traveller, indexes, config)
        any_hit = any_hit or bool(hits)
        line = {"id": identifier, "hits": [hit_json(hit) for hit in hits]}
        click.echo(json.dumps(line, ensure_ascii=False))
    if any_bad:
        raise click.exceptions.Exit(1)
    if any_hit:
        raise click.exceptions.Exit(HIT_EXIT)
