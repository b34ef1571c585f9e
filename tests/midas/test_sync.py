"""Posts and headquarters: a post's records reach headquarters once each, whatever the link does.

Headquarters runs on the test's backend (SQLite and PostgreSQL); each post on its own SQLite
database, as a small post would. Bundles travel as bytes: the same path as a USB stick.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bundles.codec import read_bundle, write_bundle
from midas.cli import main
from midas.domain import sync_records
from midas.domain.actors import user_actor
from midas.domain.crossings import record_crossing
from midas.domain.errors import Conflict, InvalidInput
from midas.domain.nodes import Node, init_node, revoke_peer
from midas.domain.overstay import OverstayPolicy, StayLimit, StayStatus, list_overstays
from midas.domain.sync_exchange import next_bundles
from midas.persistence.models import (
    Crossing,
    Decision,
    Direction,
    OutgoingBundle,
    Post,
    ScreeningHit,
    Traveller,
    User,
)
from tests.midas.crossing_builders import (
    NOW,
    load_lists,
    mrz,
    screener_for,
    submission,
)
from tests.midas.sync_builders import Site, acknowledge, count, export, take

TRAVELLER = mrz("OKONKWO", "ADA", "A1234567", nationality="NGA", birth_date=date(1990, 1, 2))


def cross(
    site: Site, direction: Direction, days_ago: int, lines=TRAVELLER, **decided: object
) -> None:
    """Record a crossing at a post's desk as it happened, `days_ago` before NOW."""
    moment = NOW - timedelta(days=days_ago)
    with site.sessions()() as session:
        actor = user_actor(session.get(User, site.officer.id))
        session.commit()  # the lookup's transaction: recording opens its own
        with session.begin():
            record_crossing(
                session,
                actor,
                submission(mrz=lines, direction=direction, occurred_at=moment, **decided),
                screener_for(site.app),
                now=moment + timedelta(minutes=1),
            )


def test_crossings_at_two_posts_meet_at_headquarters_once_each(hq, posts) -> None:
    nbo, nmg = posts["NBO"], posts["NMG"]
    cross(nbo, Direction.ENTRY, 150)
    cross(nbo, Direction.ENTRY, 120, mrz("BANDA", "JOY", "B7654321", nationality="MWI"))
    cross(nmg, Direction.EXIT, 100)
    for site in (nbo, nmg):
        (bundle,) = export(site)
        taken = take(hq, bundle)
        assert (taken.sequence, taken.replayed) == (1, False) and taken.stored > 0
        assert acknowledge(site, taken.ack) == 1
        assert export(site) == []  # acknowledged: nothing waits
    assert count(hq, Crossing) == 3
    with hq.sessions()() as session:
        # One traveller for the entry at NBO and the exit at NMG: linked as a desk links.
        travellers = session.scalars(
            select(Crossing.traveller_id).join(Post).where(Post.code.in_(["NBO", "NMG"]))
        ).all()
        assert len(set(travellers)) == 2
        okonkwo = session.scalar(select(Traveller).where(Traveller.surname == "OKONKWO"))
        posts_seen = session.scalars(
            select(Post.code).join(Crossing).where(Crossing.traveller_id == okonkwo.id)
        ).all()
        assert sorted(posts_seen) == ["NBO", "NMG"]
        # The officers are known by name and post, and cannot log in at headquarters.
        officer = session.scalar(select(User).where(User.username == "officer-nbo@NBO"))
        assert officer is not None and not officer.active
        assert session.scalar(select(User).where(User.username == "officer-nbo")) is None
        # The national picture: the entry at one post and the exit at another make no overstay
        # for OKONKWO (30 days in, the limit 90); BANDA entered 120 days ago and never left.
        chief = session.scalar(select(User).where(User.username == "chief"))
        policy = OverstayPolicy(StayLimit(90, 180), warning_days=7, lookback_days=365)
        found = list_overstays(session, user_actor(chief), policy, today=NOW.date())
        assert [(o.surname, o.assessment.status) for o in found] == [
            ("BANDA", StayStatus.OVERSTAYING)
        ]


def test_a_bundle_sent_twice_or_out_of_order_changes_nothing(hq, posts) -> None:
    nbo = posts["NBO"]
    cross(nbo, Direction.ENTRY, 10)
    (first,) = export(nbo)
    cross(nbo, Direction.EXIT, 5)
    _, second = export(nbo)  # the first is not acknowledged yet: both are sent
    with pytest.raises(InvalidInput, match="expected bundle 1, got 2"):
        take(hq, second)
    assert take(hq, first).stored > 0 and count(hq, Crossing) == 1
    again = take(hq, first)
    assert again.replayed and again.stored == 0
    assert take(hq, second).stored > 0
    assert count(hq, Crossing) == 2
    # A stale acknowledgement marks what it says and no more.
    assert acknowledge(nbo, again.ack) == 1
    assert len(export(nbo)) == 1


def test_a_changed_bundle_a_stranger_and_a_revoked_post_are_refused(hq, posts, tmp_path) -> None:
    nbo = posts["NBO"]
    cross(nbo, Direction.ENTRY, 10)
    (bundle,) = export(nbo)
    with pytest.raises(InvalidInput, match="signature"):
        take(hq, bundle.replace(b"OKONKWO", b"OKONKWA"))
    stranger = Node("post", "NBO", tmp_path / "stranger.key")
    init_node(stranger.key_path)
    forged = write_bundle(
        stranger.key(), sender="NBO", receiver="hq", sequence=1, previous="",
        created_at=NOW, records=[],
    )  # fmt: skip
    with pytest.raises(InvalidInput, match="not signed by NBO's key"):
        take(hq, forged)
    with hq.sessions().begin() as session:
        revoke_peer(session, "cli:test", "NBO")
    with pytest.raises(InvalidInput, match="node NBO was revoked"):
        take(hq, bundle)
    assert count(hq, Crossing) == 0


def test_hits_travel_with_their_crossing(hq, posts, tmp_path) -> None:
    nbo = posts["NBO"]
    load_lists(nbo.app, tmp_path)  # lists Mohamed Al Rashid, and the stolen C01X00T47
    stolen = mrz("MEIER", "KARL", "C01X00T47", nationality="DEU", birth_date=date(1970, 1, 1))
    cross(nbo, Direction.ENTRY, 3, stolen, decision=Decision.REFERRED)
    (bundle,) = export(nbo)
    assert take(hq, bundle).stored > 0
    with hq.sessions()() as session:
        (hit,) = session.scalars(select(ScreeningHit)).all()
        # Headquarters holds no version of the post's list: the hit says which list it was.
        assert (hit.list_name, hit.entry_id, hit.list_version_id) == ("sltd", "d1", None)


def test_the_cli_carries_bundles_and_acknowledgements_on_a_stick(hq, posts, tmp_path) -> None:
    nbo = posts["NBO"]
    cross(nbo, Direction.ENTRY, 10)
    stick = tmp_path / "stick"
    post_cli = nbo.app.test_cli_runner()
    hq.app.config.update(NODE_ROLE="hq", NODE_KEY_FILE=str(hq.node.key_path))
    nbo.app.config.update(NODE_KEY_FILE=str(nbo.node.key_path))
    hq_cli = hq.app.test_cli_runner()
    exported = post_cli.invoke(main, ["sync", "export", str(stick)])
    assert exported.exit_code == 0 and "1 bundle(s) written" in exported.output
    imported = hq_cli.invoke(main, ["sync", "import", str(stick)])
    assert imported.exit_code == 0, (imported.output, imported.stderr)
    assert "bundle 1 from NBO: 3 new record(s)" in imported.output  # a crossing, two audits
    acks = sorted(stick.glob("ack-*.ack"))
    assert len(acks) == 1
    taken = post_cli.invoke(main, ["sync", "import", str(acks[0])])
    assert taken.exit_code == 0 and "1 bundle(s) acknowledged" in taken.output
    status = post_cli.invoke(main, ["sync", "status"])
    assert '"waiting_bundles": 0' in status.output


def test_a_post_speaks_for_itself_only(hq, posts) -> None:
    nbo = posts["NBO"]
    cross(nbo, Direction.ENTRY, 10)
    (bundle,) = export(nbo)
    genuine = read_bundle(bundle, nbo.node.key().public)
    claimed = [replace(r, data=r.data | {"post": "NMG"}) for r in genuine.records]
    forged = write_bundle(
        nbo.node.key(), sender="NBO", receiver="hq", sequence=1, previous="",
        created_at=NOW, records=claimed,
    )  # fmt: skip
    with pytest.raises(InvalidInput, match="a post sends its own crossings only"):
        take(hq, forged)
    assert count(hq, Crossing) == 0


def test_a_crossing_committed_after_a_later_one_was_bundled_is_still_sent(hq, posts) -> None:
    # On PostgreSQL an id is drawn before the transaction commits: crossing 1 may commit after
    # crossing 2 was bundled. What goes is what no bundle carries, whatever the ids.
    nbo = posts["NBO"]
    cross(nbo, Direction.ENTRY, 10)
    cross(nbo, Direction.ENTRY, 9, mrz("BANDA", "JOY", "B7654321", nationality="MWI"))
    with nbo.sessions().begin() as session:
        first, second = session.scalars(select(Crossing).order_by(Crossing.id)).all()
        second.sync_bundle = 99  # as if bundled while the first was still being written
    (bundle,) = export(nbo)
    records = read_bundle(bundle, nbo.node.key().public).records
    assert [r.id for r in records if r.kind == "crossing"] == [first.client_id]


def test_headquarters_bundles_for_an_enrolled_post_it_names(hq, posts) -> None:
    with hq.sessions().begin() as session, pytest.raises(InvalidInput, match="name the post"):
        next_bundles(session, hq.node)
    with hq.sessions().begin() as session, pytest.raises(Conflict, match="not enrolled"):
        next_bundles(session, hq.node, "KSM")


def test_two_bundlers_for_one_receiver_at_once_make_one_chain(hq, posts) -> None:
    # An export and an online sync of the same post at the same moment: the second waits for
    # the first and finds its bundle, instead of making another with the same number.
    start = threading.Barrier(2)
    made: list[list[bytes]] = []

    def bundle() -> None:
        start.wait()
        made.append(export(hq, "NBO"))

    threads = [threading.Thread(target=bundle) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 2 and made[0] == made[1] and len(made[0]) == 1
    assert count(hq, OutgoingBundle) == 1


def test_a_bundle_finds_each_officer_once_however_many_crossings(hq, posts, monkeypatch) -> None:
    nbo = posts["NBO"]
    for number in range(3):
        cross(nbo, Direction.ENTRY, 5 - number, mrz("BANDA", "JOY", f"B765432{number}"))
    found: list[str] = []
    real = sync_records.sync_user

    def counted(session, username, post, *args):
        found.append(username)
        return real(session, username, post, *args)

    monkeypatch.setattr(sync_records, "sync_user", counted)
    (bundle,) = export(nbo)
    take(hq, bundle)
    assert found == ["officer-nbo"] and count(hq, Crossing) == 3
