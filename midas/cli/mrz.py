"""`midas mrz parse` and `midas mrz read`: JSON lines out, exit 0 only when every input is valid."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any, TextIO

import click
from flask import current_app
from flask.cli import with_appcontext

from midas.cli.language import _
from scanners.mrz.parse import parse_mrz


def split_blocks(stream: TextIO) -> Iterator[list[str]]:
    """Yield the MRZs of a text stream: groups of lines separated by blank lines."""
    block: list[str] = []
    for line in stream:
        if line.strip():
            block.append(line.rstrip("\r\n"))
        elif block:
            yield block
            block = []
    if block:
        yield block


def _emit(record: dict[str, Any]) -> None:
    click.echo(json.dumps(record, ensure_ascii=False))


def _horizon(value: int | None) -> int:
    return int(current_app.config["MRZ_EXPIRY_HORIZON_DAYS"]) if value is None else value


@click.group()
def mrz() -> None:
    """Read machine-readable zones (ICAO Doc 9303) from text or images."""


_today = click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Date to judge expiry and two-digit years against (default: today).",
)
_horizon_opt = click.option(
    "--expiry-horizon",
    type=click.IntRange(min=0),
    default=None,
    help="Days ahead within which a document counts as expiring soon (default: from config).",
)


@mrz.command("parse")
@click.argument("files", nargs=-1, type=click.File("r", encoding="utf-8"))
@_today
@_horizon_opt
@with_appcontext
def parse_command(files: tuple[TextIO, ...], today: Any, expiry_horizon: int | None) -> None:
    """Parse MRZ text from FILES or stdin (MRZs separated by blank lines); print JSON lines."""
    day: date | None = today.date() if today else None
    horizon = _horizon(expiry_horizon)
    all_valid, count = True, 0
    for stream in files or (sys.stdin,):
        for block in split_blocks(stream):
            result = parse_mrz(block, today=day, expiry_horizon_days=horizon)
            _emit(result.to_dict())
            all_valid &= result.valid
            count += 1
    if count == 0:
        raise click.UsageError(_("no MRZ on the input: give MRZ lines on stdin or as files"))
    sys.exit(0 if all_valid else 1)


@mrz.command("read")
@click.argument("images", nargs=-1, required=True, type=click.Path(dir_okay=False))
@_today
@_horizon_opt
@with_appcontext
def read_command(images: tuple[str, ...], today: Any, expiry_horizon: int | None) -> None:
    """Read the MRZ of each IMAGE (JPEG, PNG, TIFF, PDF); print a JSON line per image, in order."""
    from scanners.errors import DependencyMissing, SourceError
    from scanners.image import read_image

    day: date | None = today.date() if today else None
    horizon = _horizon(expiry_horizon)
    all_valid = True
    for path in images:
        try:
            reading = read_image(path, today=day)
        except DependencyMissing as exc:
            raise click.ClickException(str(exc)) from exc
        except SourceError as exc:
            _emit({"source": path, "valid": False, "seconds": 0.0, "error": exc.reason})
            all_valid = False
            continue
        result = reading.result
        if result.expiry_date is not None:
            soon = (day or date.today()) + timedelta(days=horizon)
            result = result._replace(expires_soon=not result.expired and result.expiry_date <= soon)
        record = result.to_dict()
        record.update(source=path, seconds=round(reading.seconds, 3), winning_pass=reading.winner)
        _emit(record)
        all_valid &= result.valid
    sys.exit(0 if all_valid else 1)
