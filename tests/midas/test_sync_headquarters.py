"""Headquarters to posts: lists, users, stations, stay rules and the trust store reach a post,
signed and chained, and the post ends with what headquarters holds or keeps what it had.

The post runs on the test's backend (SQLite and PostgreSQL) with its headquarters on SQLite
(`outpost`); one test turns it round (`hq`, `posts`). Bundles travel as bytes.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select, update

from bundles.codec import read_bundle, write_bundle
from bundles.model import Bundle, Record
from midas.auth.passwords import Passwords
from midas.cli import main
from midas.domain.actors import user_actor
from midas.domain.admin.stations import (
    create_station,
    deactivate_station,
    rotate_station_token,
)
from midas.domain.admin.stay_rules import set_stay_rule
from midas.domain.errors import InvalidInput
from midas.domain.lists import load_watchlist
from midas.domain.nodes import Node, init_node
from midas.domain.sync_lists import entries_digest
from midas.domain.trust_store import TrustLoad, store_trust_version
from midas.domain.user_sessions import start_session
from midas.persistence.models import (
    AlertPolicy,
    EntryChange,
    EntryDelta,
    IncomingLedger,
    Post,
    Role,
    StayRule,
    TrustItem,
    TrustSource,
    User,
    UserSession,
    Watchlist,
    WatchlistEntry,
    WatchlistVersion,
)
from tests.midas.auth_builders import as_station
from tests.midas.chip_builders import pki
from tests.midas.crossing_builders import load_lists, make_user, write_csv
from tests.midas.sync_builders import Site, acknowledge, count, export, take
from watchlists.models import ListKind
from watchlists.versions import VersionState

HEADER = ["entry_id", "name", "aliases", "birth_date", "nationalities", "sex"]
PEOPLE = {
    "p1": "Mohamed Al Rashid",
    "p2": "Ivan Petrov",
    "p3": "Chen Wei",
    "p4": "Maria Gonzalez",
    "p5": "Ahmed Hassan",
}
_files = itertools.count()


def load(site: Site, folder: Path, people: dict[str, str], name: str = "alerts") -> None:
    """Load a person list at headquarters as a new version."""
    rows = [HEADER] + [[key, who, "", "1970-01-01", "IRQ", "M"] for key, who in people.items()]
    path = write_csv(folder / f"{name}-{next(_files)}.csv", rows)
    report = load_watchlist(
        site.sessions(), name, ListKind.PERSON, "csv", path, "tester", allow_removals=True
    )
    assert report.ok, report.failure


def held(site: Site, name: str = "alerts") -> tuple[int, dict[str, str]]:
    """Return a list's active version number and its entries (id: fingerprint)."""
    with site.sessions()() as session:
        watchlist = session.scalar(select(Watchlist).where(Watchlist.name == name))
        assert watchlist is not None and watchlist.active_version is not None
        version = watchlist.active_version
        rows = session.execute(
            select(WatchlistEntry.entry_id, WatchlistEntry.fingerprint).where(
                WatchlistEntry.version_id == version.id
            )
        )
        return version.number, {entry_id: fingerprint for entry_id, fingerprint in rows}


def sync_down(center: Site, post: Site) -> list[Bundle]:
    """Carry headquarters' bundles to the post and the acknowledgements back; return them."""
    bundles = export(center, "NBO")
    for data in bundles:
        assert acknowledge(center, take(post, data).ack) >= 1
    return [read_bundle(data, center.node.key().public) for data in bundles]


def records(bundle: Bundle, kind: str) -> list[Record]:
    return [r for r in bundle.records if r.kind == kind]


def resigned(center: Site, bundle: Bundle, changed: list[Record]) -> bytes:
    """Return the bundle with other records, signed by headquarters' key in its place."""
    return write_bundle(
        center.node.key(), sender=bundle.sender, receiver=bundle.receiver,
        sequence=bundle.sequence, previous=bundle.previous, created_at=bundle.created_at,
        records=changed,
    )  # fmt: skip


def test_a_list_reaches_a_post_whole_then_as_a_delta(outpost, tmp_path) -> None:
    center, post = outpost
    load(center, tmp_path, PEOPLE)
    with center.sessions().begin() as session:
        session.execute(update(Watchlist).values(alert_policy=AlertPolicy.INFORM))
    (first,) = sync_down(center, post)
    assert records(first, "list.version")[0].data["base"] is None
    assert held(post) == held(center)
    with post.sessions()() as session:
        assert session.scalar(select(Watchlist.alert_policy)) is AlertPolicy.INFORM

    changed = {**PEOPLE, "p2": "Ivan Petrovich", "p6": "Olga Ivanova"}
    del changed["p3"]
    load(center, tmp_path, changed)
    (second,) = sync_down(center, post)
    (header,) = records(second, "list.version")
    assert header.data["base"] == 1
    sent = [e["entry_id"] for r in records(second, "list.entries") for e in r.data["entries"]]
    assert sorted(sent) == ["p2", "p6"]  # what changed, not the whole list
    assert [r.data["entry_ids"] for r in records(second, "list.removed")] == [["p3"]]
    assert held(post) == held(center) and held(post)[0] == 2
    with post.sessions()() as session:
        statuses = session.scalars(select(WatchlistVersion.status).order_by("number")).all()
        assert statuses == [VersionState.SUPERSEDED, VersionState.ACTIVE]
        latest = select(Watchlist.active_version_id).scalar_subquery()
        rows = session.execute(
            select(EntryDelta.change, EntryDelta.entry_id).where(EntryDelta.version_id == latest)
        )
        deltas = [(change, entry_id) for change, entry_id in rows]
        assert sorted(deltas) == [
            (EntryChange.ADDED, "p6"), (EntryChange.CHANGED, "p2"), (EntryChange.REMOVED, "p3")
        ]  # fmt: skip
    assert export(center, "NBO") == []  # acknowledged, and nothing changed since


def test_a_post_gets_the_whole_list_when_the_version_it_holds_was_pruned(outpost, tmp_path):
    center, post = outpost
    load(center, tmp_path, PEOPLE)
    sync_down(center, post)
    load(center, tmp_path, {**PEOPLE, "p6": "Olga Ivanova"})
    load(center, tmp_path, {**PEOPLE, "p7": "Chen Wei"})
    with center.sessions().begin() as session:
        first = select(WatchlistVersion.id).where(WatchlistVersion.number == 1).scalar_subquery()
        session.execute(delete(WatchlistEntry).where(WatchlistEntry.version_id == first))
    (bundle,) = sync_down(center, post)
    (header,) = records(bundle, "list.version")
    assert header.data["base"] is None and header.data["number"] == 3
    assert held(post) == held(center)


PEOPLE_SPACE = st.dictionaries(
    st.sampled_from([f"p{i}" for i in range(8)]),
    st.sampled_from(["Ivan Petrov", "Ivan Petrovich", "Chen Wei", "Olga Ivanova"]),
    min_size=1,
)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(versions=st.lists(st.tuples(PEOPLE_SPACE, st.booleans()), min_size=1, max_size=3))
def test_a_post_ends_with_headquarters_entries_whatever_versions_it_skipped(
    outpost, tmp_path, versions
) -> None:
    # Each example goes on from the last one's lists: versions build on what the post holds,
    # or on a version some loads back when headquarters sent nothing in between.
    center, post = outpost
    for people, send in versions:
        load(center, tmp_path, people)
        if send:
            sync_down(center, post)
            assert held(post) == held(center)
    sync_down(center, post)
    assert held(post) == held(center)


def test_a_bundle_that_would_leave_a_post_with_other_entries_changes_nothing(
    outpost, tmp_path
) -> None:
    center, post = outpost
    load(center, tmp_path, PEOPLE)
    sync_down(center, post)
    before = held(post)
    load(center, tmp_path, {**PEOPLE, "p6": "Olga Ivanova"})
    with center.sessions().begin() as session:
        set_stay_rule(session, "cli:test", "NGA", allowed_days=30, window_days=180)
    (data,) = export(center, "NBO")
    bundle = read_bundle(data, center.node.key().public)

    def with_header(**changes: object) -> bytes:
        return resigned(center, bundle, [
            replace(r, data=r.data | changes) if r.kind == "list.version" else r
            for r in bundle.records
        ])  # fmt: skip

    with pytest.raises(InvalidInput, match="its entries differ from headquarters'"):
        take(post, with_header(entries_digest="0" * 64))
    with pytest.raises(InvalidInput, match="would hold 6 entries, not the 9"):
        take(post, with_header(entry_count=9))
    with pytest.raises(InvalidInput, match="builds on version 7, and this post holds version 1"):
        take(post, with_header(base=7))
    # Nothing of either bundle stayed: the list, the stay rules and the chain are as they were.
    assert held(post) == before
    assert count(post, StayRule) == 0 and count(post, WatchlistVersion) == 1
    with post.sessions()() as session:
        assert session.scalar(select(IncomingLedger.sequence)) == 1
    assert take(post, data).stored == len(bundle.records)
    assert held(post) == held(center)


def test_a_post_refuses_a_gap_a_replay_a_change_and_a_stranger(outpost, tmp_path) -> None:
    center, post = outpost
    load(center, tmp_path, PEOPLE)
    assert len(export(center, "NBO")) == 1
    load(center, tmp_path, {**PEOPLE, "p6": "Olga Ivanova"})
    first, second = export(center, "NBO")  # the first is not acknowledged: both go
    with pytest.raises(InvalidInput, match="expected bundle 1, got 2"):
        take(post, second)
    with pytest.raises(InvalidInput, match="signature"):
        take(post, first.replace(b"Ivan Petrov", b"Ivan Petrof"))
    assert not take(post, first).replayed
    assert take(post, first).replayed
    stranger = Node("hq", "hq", tmp_path / "stranger.key")
    init_node(stranger.key_path)
    forged = write_bundle(
        stranger.key(), sender="hq", receiver="NBO", sequence=2,
        previous=read_bundle(first, center.node.key().public).digest,
        created_at=datetime.now(UTC), records=[],
    )  # fmt: skip
    with pytest.raises(InvalidInput, match="not signed by hq's key"):
        take(post, forged)
    from_a_post = write_bundle(
        post.node.key(), sender="NBO", receiver="NBO", sequence=1, previous="",
        created_at=datetime.now(UTC), records=[],
    )  # fmt: skip
    with pytest.raises(InvalidInput, match="node NBO is not enrolled here"):
        take(post, from_a_post)
    assert take(post, second).stored > 0
    assert held(post) == held(center)


def test_each_side_takes_only_its_own_kinds_of_record(outpost, tmp_path) -> None:
    center, post = outpost
    load(center, tmp_path, PEOPLE)
    (data,) = export(center, "NBO")
    bundle = read_bundle(data, center.node.key().public)
    crossing = Record("crossing", Record.new_id(), datetime.now(UTC), {"post": "NBO"})
    with pytest.raises(InvalidInput, match="'crossing' is not known here"):
        take(post, resigned(center, bundle, [*bundle.records, crossing]))
    lists_from_a_post = write_bundle(
        post.node.key(), sender="NBO", receiver="hq", sequence=1, previous="",
        created_at=datetime.now(UTC), records=list(bundle.records),
    )  # fmt: skip
    with pytest.raises(InvalidInput, match=r"'list\.settings' is not known here"):
        take(center, lists_from_a_post)
    assert count(post, Watchlist) == 0


def test_users_stations_and_stay_rules_follow_headquarters(outpost) -> None:
    center, post = outpost
    passwords = Passwords.from_settings(center.app.config)
    secret = "correct horse battery staple 42"
    with center.sessions().begin() as session:
        nbo, nmg = (session.scalar(select(Post).where(Post.code == c)) for c in ("NBO", "NMG"))
        make_user(session, "amina", Role.OFFICER, nbo).password_hash = passwords.hash(secret)
        make_user(session, "nmg-only", Role.OFFICER, nmg)
        make_user(session, "national", Role.SUPERVISOR, None, all_posts=True)
        issued = create_station(session, "cli:test", post_id=nbo.id, name="Desk 1")
        set_stay_rule(session, "cli:test", "NGA", allowed_days=90, window_days=180)
        station_id, old_token = issued.station.id, issued.token
    assert all(secret.encode() not in data for data in export(center, "NBO"))
    sync_down(center, post)
    with post.sessions()() as session:
        users = {u.username: u for u in session.scalars(select(User))}
        assert {"amina", "national", "chief"} <= users.keys() and "nmg-only" not in users
        amina = users["amina"]
        assert amina.role is Role.OFFICER and amina.post is not None and amina.post.code == "NBO"
        assert passwords.verify(amina.password_hash, secret)
        # Headquarters' users are the post's: one it does not name no longer logs in here.
        assert not users["officer-nbo"].active
        assert [(r.nationality, r.allowed_days) for r in session.scalars(select(StayRule))] == [
            ("NGA", 90)
        ]
        session_secret = start_session(
            session, amina, now=datetime.now(UTC), lifetime=timedelta(hours=1)
        )
        session.commit()
    assert session_secret
    assert as_station(post.app, old_token).get("/api/v1/auth/me").status_code == 200

    with center.sessions().begin() as session:
        chief = user_actor(session.scalar(select(User).where(User.username == "chief")))
        new_token = rotate_station_token(session, chief, station_id).token
        session.execute(update(User).where(User.username == "amina").values(active=False))
        set_stay_rule(session, "cli:test", "NGA", allowed_days=30, window_days=180)
    sync_down(center, post)
    assert as_station(post.app, old_token).get("/api/v1/auth/me").status_code == 401
    assert as_station(post.app, new_token).get("/api/v1/auth/me").status_code == 200
    with center.sessions().begin() as session:
        deactivate_station(session, chief, station_id)
    sync_down(center, post)
    assert as_station(post.app, new_token).get("/api/v1/auth/me").status_code == 401
    with post.sessions()() as session:
        amina = session.scalar(select(User).where(User.username == "amina"))
        assert amina is not None and not amina.active
        assert session.scalar(select(UserSession).where(UserSession.user_id == amina.id)) is None
        assert session.scalar(select(StayRule.allowed_days)) == 30


def test_every_supervisor_and_administrator_of_the_post_reaches_it_with_their_language(
    outpost,
) -> None:
    """Whoever may work at the post travels: a supervisor based elsewhere who supervises it, an
    administrator with a home post. People and posts keep their chosen language."""
    center, post = outpost
    with center.sessions().begin() as session:
        nbo, nmg = (session.scalar(select(Post).where(Post.code == c)) for c in ("NBO", "NMG"))
        nbo.locale = "fr"
        supervisor = make_user(session, "sup", Role.SUPERVISOR, nmg)
        supervisor.supervised = [nbo, nmg]
        supervisor.locale = "ar"
        make_user(session, "boss", Role.ADMIN, nmg)
        make_user(session, "elsewhere", Role.SUPERVISOR, nmg).supervised = [nmg]
    sync_down(center, post)
    with post.sessions()() as session:
        users = {u.username: u for u in session.scalars(select(User))}
        assert users["sup"].active and users["boss"].active and "elsewhere" not in users
        assert users["sup"].locale == "ar"
        assert session.scalar(select(Post.locale).where(Post.code == "NBO")) == "fr"


def test_a_users_snapshot_that_leaves_no_administrator_is_not_applied(outpost) -> None:
    center, post = outpost

    def active_people() -> list[str]:
        with post.sessions()() as session:
            return sorted(session.scalars(select(User.username).where(User.active.is_(True))))

    with post.sessions().begin() as session:
        nbo = session.scalar(select(Post).where(Post.code == "NBO"))
        make_user(session, "local-admin", Role.ADMIN, nbo)
    before = active_people()
    with center.sessions().begin() as session:
        session.execute(update(User).where(User.role == Role.ADMIN).values(active=False))
    with pytest.raises(InvalidInput, match="without an administrator"):
        for data in export(center, "NBO"):
            take(post, data)
    assert active_people() == before


def test_the_trust_store_reaches_a_post(outpost) -> None:
    center, post = outpost
    load_of = TrustLoad((pki().csca.certificate,), (pki().dsc.certificate,), (), ({"file": "x"},))
    with center.sessions().begin() as session:
        store_trust_version(session, "cli:test", "icao-pkd", "pem", load_of)
    sync_down(center, post)
    for site in (center, post):
        with site.sessions()() as session:
            active = select(TrustSource.active_version_id).where(TrustSource.name == "icao-pkd")
            digests = session.scalars(
                select(TrustItem.sha256).where(TrustItem.version_id == active.scalar_subquery())
            ).all()
            assert len(digests) == 2
    assert export(center, "NBO") == []


def test_the_cli_carries_headquarters_bundles_both_ways(outpost, tmp_path) -> None:
    center, post = outpost
    load(center, tmp_path, PEOPLE)
    stick = tmp_path / "stick"
    written = center.app.test_cli_runner().invoke(main, ["sync", "export", str(stick)])
    assert written.exit_code == 0 and "1 bundle(s) written" in written.output, written.output
    taken = post.app.test_cli_runner().invoke(main, ["sync", "import", str(stick)])
    assert taken.exit_code == 0, (taken.output, taken.stderr)
    assert "bundle 1 from hq" in taken.output
    (ack,) = stick.glob("ack-*.ack")
    back = center.app.test_cli_runner().invoke(main, ["sync", "import", str(ack)])
    assert back.exit_code == 0 and "1 bundle(s) acknowledged" in back.output
    assert held(post) == held(center)


def test_a_list_at_headquarters_on_either_backend_reaches_every_post(hq, posts, tmp_path) -> None:
    load(hq, tmp_path, PEOPLE)
    load(hq, tmp_path, {**PEOPLE, "p1": "Mohammed Al Rashid"})
    load_lists(hq.app, tmp_path)  # a person list "alerts" and a document list "sltd"
    for code, site in posts.items():
        for data in export(hq, code):
            take(site, data)
        assert held(site) == held(hq) and held(site, "sltd") == held(hq, "sltd")
        with site.sessions()() as session:
            version_id = session.scalar(select(Watchlist.active_version_id))
            digest = entries_digest(session, version_id)
        with hq.sessions()() as session:
            assert digest == entries_digest(
                session, session.scalar(select(Watchlist.active_version_id))
            )
