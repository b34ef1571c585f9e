"""A list changes: its new version swapped in, then every flight still to land screened again.

Advance passenger information is screened when a manifest arrives; a list loaded after that
(a new sanctions designation, a document reported stolen) must reach the flights not yet landed
before their passengers reach the desk. Every face that changes a list (the command line, the
admin page and the API, through `midas.list_jobs`) goes through these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from midas.domain.actors import Actor
from midas.domain.flights import Rescreened, rescreen_upcoming, upcoming_flights
from midas.domain.lists import apply_watchlist_delta, load_watchlist
from midas.domain.screening import built_screener
from midas.persistence.database import Host, database
from watchlists.models import ListKind
from watchlists.versions import LoadReport


@dataclass(frozen=True, slots=True)
class ListChange:
    """A load's report, and what screening the flights still to land again found (None: the
    load changed nothing, or no flight is still to land)."""

    report: LoadReport
    rescreened: Rescreened | None


def rescreen_flights(host: Host, actor: Actor | str, *, now_utc: datetime) -> Rescreened | None:
    """Screen the flights still to land again against the lists active now (audited); None
    when there is none, so no index is built for nothing. Builds indexes it lacks: for the
    command line and the load threads, never a request."""
    sessions = database(host).sessions
    with sessions() as session:
        if not upcoming_flights(session, now_utc=now_utc):
            return None
    screener = built_screener(host)
    indexes = screener.indexes()
    with sessions.begin() as session:
        return rescreen_upcoming(session, actor, indexes, screener.config, now_utc=now_utc)


def load_list(
    host: Host,
    actor: Actor | str,
    name: str,
    kind: ListKind,
    fmt: str,
    path: Path,
    loaded_by: str,
    **options: Any,
) -> ListChange:
    """Load a list file as a new version (`lists.load_watchlist`), then screen the flights
    still to land again if it was swapped in."""
    report = load_watchlist(database(host).sessions, name, kind, fmt, path, loaded_by, **options)
    return _after(host, actor, report)


def apply_list_delta(
    host: Host, actor: Actor | str, name: str, path: Path, loaded_by: str, **options: Any
) -> ListChange:
    """Apply a delta as a new version (`lists.apply_watchlist_delta`), then screen the flights
    still to land again if it was swapped in."""
    report = apply_watchlist_delta(database(host).sessions, name, path, loaded_by, **options)
    return _after(host, actor, report)


def _after(host: Host, actor: Actor | str, report: LoadReport) -> ListChange:
    if not report.ok:
        return ListChange(report, None)
    return ListChange(report, rescreen_flights(host, actor, now_utc=datetime.now(UTC)))
