"""Whether a list load may start: the list's name and kind, one load per list at a time, and
loads whose process died (failed, their entries dropped, reported in the audit log).

A version being loaded names its loader, "host:pid:start" (the process's start time from
/proc, so a pid reused by another program is not taken for the loader). A loader on this host
whose process is gone has abandoned its load; one on another host cannot be checked from here
and is trusted to be running.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from midas.domain.audit import record_audit
from midas.domain.errors import Conflict, InvalidInput
from midas.domain.texts import N_
from midas.persistence.base import utcnow
from midas.persistence.database import begin_writing
from midas.persistence.models import Watchlist, WatchlistEntry, WatchlistVersion
from watchlists.models import ListKind
from watchlists.versions import VersionState

ABANDONED = "abandoned: the process loading it stopped before it finished; load the file again"


def process_stamp(pid: int) -> str | None:
    """Return when a process started (Linux /proc), so a reused pid is not taken for the job's."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # Field 22 (starttime) counts from the end of the command name, which may hold spaces.
    return stat.rsplit(")", 1)[1].split()[19]


def this_loader() -> str:
    """Return this process as a version's loader: host, pid and start time."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{process_stamp(pid) or ''}"


def loader_alive(loader: str | None) -> bool:
    """Tell whether the process named by a version's loader may still be loading it."""
    if loader is None:
        return False  # written before loaders were recorded: no process of that release runs
    host, _, process = loader.partition(":")
    pid_text, _, stamp = process.partition(":")
    if host != socket.gethostname():
        return True
    if not pid_text.isdigit():
        return False
    if Path("/proc").is_dir():
        return bool(stamp) and process_stamp(int(pid_text)) == stamp
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True, slots=True)
class AbandonedLoad:
    """A version whose loader stopped, as it was failed: list, number, loader, who started it."""

    list_name: str
    number: int
    loader: str | None
    loaded_by: str


def fail_abandoned_loads(
    sessions: sessionmaker[Session], name: str | None = None
) -> list[AbandonedLoad]:
    """Fail every version (of list `name`, or of all lists) whose loader has stopped: drop its
    entries, keep its rejected records, audit it; return what was failed."""
    found: list[AbandonedLoad] = []
    with sessions.begin() as session:
        begin_writing(session)
        query = (
            select(WatchlistVersion, Watchlist.name)
            .join(Watchlist, Watchlist.id == WatchlistVersion.watchlist_id)
            .where(WatchlistVersion.status == VersionState.LOADING)
            .order_by(Watchlist.name, WatchlistVersion.number)
            .with_for_update(of=WatchlistVersion)
        )
        if name is not None:
            query = query.where(Watchlist.name == name)
        for version, list_name in session.execute(query).all():
            if loader_alive(version.loader):
                continue
            session.execute(delete(WatchlistEntry).where(WatchlistEntry.version_id == version.id))
            version.status = VersionState.FAILED
            version.failure_reason = ABANDONED
            version.finished_at = utcnow()
            version.entry_count = 0
            abandoned = AbandonedLoad(list_name, version.number, version.loader, version.loaded_by)
            record_audit(
                session,
                "system",
                "watchlist.load",
                "watchlist",
                list_name,
                outcome="failed",
                detail={
                    "version": version.number,
                    "failure": ABANDONED,
                    "loader": version.loader,
                    "started_by": version.loaded_by,
                },
            )
            found.append(abandoned)
    return found


def admit_load(sessions: sessionmaker[Session], name: str, kind: ListKind) -> None:
    """Fail the list's abandoned loads, then refuse a load that cannot start (see below)."""
    fail_abandoned_loads(sessions, name)
    with sessions.begin() as session:
        check_load_allowed(session, name, kind)


def check_load_allowed(session: Session, name: str, kind: ListKind) -> None:
    """Refuse a load that cannot start: a bad new list name, the wrong kind, a load running."""
    watchlist = session.scalars(select(Watchlist).where(Watchlist.name == name)).one_or_none()
    if watchlist is None:
        check_new_list_name(name)
        return
    if watchlist.kind is not kind:
        raise InvalidInput(
            N_("%(name)s is a person list, not a document list")
            if watchlist.kind is ListKind.PERSON
            else N_("%(name)s is a document list, not a person list"),
            params={"name": name},
            field="kind",
        )
    running = session.scalars(
        select(WatchlistVersion).where(
            WatchlistVersion.watchlist_id == watchlist.id,
            WatchlistVersion.status == VersionState.LOADING,
        )
    ).first()
    if running is not None and loader_alive(running.loader):
        raise Conflict(
            N_(
                "a load of %(name)s (version %(number)s, started by %(loaded_by)s at "
                "%(loaded_at)s UTC) is still running; wait for it to finish, then load again"
            ),
            params={
                "name": name,
                "number": running.number,
                "loaded_by": running.loaded_by,
                "loaded_at": format(running.loaded_at, "%Y-%m-%d %H:%M"),
            },
            field="name",
        )


# A new list's name: lower-case letters and digits, with dots, hyphens or underscores inside.
NAME_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-_")
NAME_LENGTH = 120


def check_new_list_name(name: str) -> None:
    """Refuse a new list's name unless it is 1 to 120 lower-case letters, digits, '.', '-' or
    '_', starting and ending with a letter or digit (names appear in URLs, files and logs)."""
    rule = (
        "use 1 to 120 lower-case letters, digits, dots, hyphens or underscores, starting and "
        "ending with a letter or digit, e.g. national-wanted"
    )
    if not name:
        raise InvalidInput(
            N_("Give the list a name: %(rule)s."), params={"rule": rule}, field="name"
        )
    bad = {ch for ch in name if ch not in NAME_CHARACTERS}
    if bad or len(name) > NAME_LENGTH or not (name[0].isalnum() and name[-1].isalnum()):
        raise InvalidInput(
            N_("The list name %(name)s cannot be used%(unwanted)s: %(rule)s."),
            params={"name": repr(name), "unwanted": _unwanted(bad), "rule": rule},
            field="name",
        )


def _unwanted(characters: set[str]) -> str:
    """Say which characters of a name are not allowed, in words."""
    kinds = []
    if any(ch.isupper() for ch in characters):
        kinds.append("capital letters")
    if " " in characters:
        kinds.append("spaces")
    if any(not ch.isprintable() for ch in characters):
        kinds.append("control characters")
    others = sorted(ch for ch in characters if ch.isprintable() and ch != " " and not ch.isupper())
    kinds.extend(repr(ch) for ch in others)
    return f" ({', '.join(kinds)} not allowed)" if kinds else ""
