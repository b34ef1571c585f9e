"""Where the link stands: a post says how current its lists are and since when it is offline;
headquarters sees each post's last contact, lists, backlog, and which posts fall behind."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select, update

from midas.auth.passwords import Passwords
from midas.cli import main
from midas.domain.sync_link import DirectTransport, sync_once
from midas.domain.sync_standing import post_link, posts_standing
from midas.persistence.base import utcnow
from midas.persistence.models import OutgoingBundle, Post, Role, SyncPeer
from tests.midas.auth_builders import PASSWORD, log_in
from tests.midas.crossing_builders import make_user
from tests.midas.sync_builders import Site, export
from tests.midas.test_sync_headquarters import PEOPLE, load

HOUR = timedelta(hours=1)


def sync(center: Site, post: Site) -> None:
    far = DirectTransport(center.sessions(), center.node, post.node.code)
    sync_once(post.sessions(), post.node, far)


def link(post: Site):
    with post.sessions()() as session:
        return post_link(session, utcnow(), timedelta(minutes=30))


def standing(center: Site):
    with center.sessions()() as session:
        (found,) = posts_standing(session, "cli:test", utcnow(), timedelta(hours=24))
        return found


def age(site: Site, code: str, **moments: object) -> None:
    with site.sessions().begin() as session:
        session.execute(update(SyncPeer).where(SyncPeer.code == code).values(**moments))


def person(site: Site, username: str, role: Role) -> None:
    """Add someone who can log in at this node."""
    hashed = Passwords.from_settings(site.app.config).hash(PASSWORD)
    with site.sessions().begin() as session:
        post = session.scalar(select(Post).where(Post.code == "NBO"))
        user = make_user(session, username, role, post, all_posts=role is Role.SUPERVISOR)
        user.password_hash = hashed


def test_a_post_says_how_current_its_lists_are_and_since_when_it_is_offline(outpost, tmp_path):
    center, post = outpost
    fresh = link(post)
    assert fresh is not None and (fresh.lists_as_of, fresh.offline_since) == (None, None)
    load(center, tmp_path, PEOPLE)
    before = utcnow()
    sync(center, post)
    synced = link(post)
    assert synced.lists_as_of >= before and synced.last_contact >= before
    assert synced.offline_since is None

    heard = utcnow() - 2 * HOUR
    age(post, "hq", last_contact_at=heard)
    assert link(post).offline_since == heard
    person(post, "watcher", Role.SUPERVISOR)
    health = log_in(post.app, "watcher").get("/api/v1/health").get_json()
    assert health["sync"]["offline_since"] is not None
    assert any(w.startswith("offline since") for w in health["warnings"])
    page = post.app.test_client()
    assert "sync" not in page.get("/api/v1/health").get_json()  # anyone: the status alone


def test_headquarters_sees_each_posts_contact_lists_backlog_and_who_falls_behind(outpost, tmp_path):
    center, post = outpost
    load(center, tmp_path, PEOPLE)
    assert len(export(center, "NBO")) == 1  # made for the post, not taken yet
    waiting = standing(center)
    assert (waiting.waiting_bundles, waiting.lists_sent, waiting.behind) == (
        1,
        {"alerts": 1},
        False,
    )
    assert waiting.last_contact is None

    # A day and more later, still nothing from the post.
    long_ago = utcnow() - 30 * HOUR
    age(center, "NBO", enrolled_at=long_ago)
    with center.sessions().begin() as session:
        session.execute(update(OutgoingBundle).values(created_at=long_ago))
    behind = standing(center)
    assert behind.silent and behind.untaken and behind.behind
    status = center.app.test_cli_runner().invoke(main, ["sync", "status"])
    (shown,) = [p for p in json.loads(status.output) if p["peer"] == "NBO"]
    assert shown["falling_behind"] and shown["not_heard_from"] and shown["untaken_since"]

    sync(center, post)
    caught_up = standing(center)
    assert caught_up.waiting_bundles == 0 and caught_up.last_contact is not None
    assert not caught_up.behind and caught_up.received_sequence == 1


def test_the_posts_sync_page_is_for_administrators_at_headquarters(outpost, tmp_path):
    center, _ = outpost
    person(center, "boss", Role.ADMIN)
    person(center, "desk", Role.OFFICER)
    age(center, "NBO", enrolled_at=utcnow() - 30 * HOUR)
    admin = log_in(center.app, "boss")
    page = admin.client.get("/admin/sync")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-post="NBO"' in html and "Falling behind" in html
    assert log_in(center.app, "desk").client.get("/admin/sync").status_code == 403


def test_a_posts_sync_page_says_what_waits_and_how_current_its_lists_are(outpost, tmp_path):
    center, post = outpost
    load(center, tmp_path, PEOPLE)
    sync(center, post)
    person(post, "keeper", Role.ADMIN)
    page = log_in(post.app, "keeper").client.get("/admin/sync").get_data(as_text=True)
    assert 'id="post-link"' in page and "Lists as of" in page
    assert "never received" not in page and "offline since" not in page
