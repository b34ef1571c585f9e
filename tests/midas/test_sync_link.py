"""Online sync: a post pushes then pulls over a link that may drop, duplicate or partition, with
requests signed by its key; nothing is lost or taken twice, and a revoked post is shut out.

`hq`/`posts`: headquarters on the test's backend, posts on SQLite; `outpost`: the post on the
test's backend. The fake link calls headquarters' side in process; one test runs real HTTP.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from importlib import import_module
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.serving import make_server

from bundles.request_signature import sign_request
from midas.cli import main
from midas.domain.errors import Conflict
from midas.domain.nodes import revoke_peer
from midas.domain.sync_link import DirectTransport, LinkDown, sync_once
from midas.persistence.base import utcnow
from midas.persistence.models import Crossing, Direction, OutgoingBundle
from tests.midas.crossing_builders import mrz
from tests.midas.sync_builders import Site, export
from tests.midas.test_sync import cross
from tests.midas.test_sync_headquarters import PEOPLE, held, load

FAULTS = ("ok", "drop_request", "drop_answer", "duplicate")


class FaultyLink:
    """The link to headquarters, failing each call as its script says (then working)."""

    def __init__(self, far: DirectTransport, script: list[str] | None = None) -> None:
        self.far, self.script, self.partitioned = far, list(script or ()), False

    def _call(self, send, *args):
        fault = "partition" if self.partitioned else (self.script.pop(0) if self.script else "ok")
        if fault in ("partition", "drop_request"):
            raise LinkDown("the link dropped the request")
        answer = send(*args)
        if fault == "duplicate":
            answer = send(*args)
        if fault == "drop_answer":
            raise LinkDown("the link dropped the answer")
        return answer

    def push(self, bundle: bytes) -> bytes:
        return self._call(self.far.push, bundle)

    def pull(self, after: int) -> bytes | None:
        return self._call(self.far.pull, after)

    def acknowledge(self, ack: bytes) -> None:
        self._call(self.far.acknowledge, ack)


def link(center: Site, post: Site, script: list[str] | None = None) -> FaultyLink:
    return FaultyLink(DirectTransport(center.sessions(), center.node, post.node.code), script)


def client_ids(site: Site) -> list[str]:
    with site.sessions()() as session:
        return sorted(session.scalars(select(Crossing.client_id)))


def unacknowledged(site: Site) -> int:
    with site.sessions()() as session:
        return session.scalar(
            select(func.count()).where(OutgoingBundle.acknowledged_at.is_(None))
        )  # fmt: skip


def sync_until_done(post: Site, wire: FaultyLink, tries: int = 20) -> None:
    """Run `midas sync` until a run gets through, as the service's timer would."""
    for _ in range(tries):
        try:
            sync_once(post.sessions(), post.node, wire)
            return
        except LinkDown:
            continue
    raise AssertionError("the link never healed")


def test_a_partitioned_post_records_and_catches_up_when_the_link_heals(outpost, tmp_path):
    center, post = outpost
    load(center, tmp_path, PEOPLE)
    wire = link(center, post)
    wire.partitioned = True
    cross(post, Direction.ENTRY, 3)
    cross(post, Direction.EXIT, 1)
    with pytest.raises(LinkDown):
        sync_once(post.sessions(), post.node, wire)
    assert client_ids(center) == []
    wire.partitioned = False
    run = sync_once(post.sessions(), post.node, wire)
    assert (run.pushed, run.acknowledged, run.pulled) == (1, 1, 1)
    assert client_ids(center) == client_ids(post) and len(client_ids(post)) == 2
    assert held(post) == held(center)
    assert unacknowledged(post) == 0 and unacknowledged(center) == 0


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(script=st.lists(st.sampled_from(FAULTS), max_size=8), crossings=st.integers(0, 2))
def test_whatever_the_link_does_each_crossing_reaches_headquarters_once(
    outpost, tmp_path, script, crossings
):
    center, post = outpost
    for number in range(crossings):
        cross(post, Direction.ENTRY, 5, mrz("BANDA", "JOY", f"B{len(script)}{number}X{crossings}"))
    load(center, tmp_path, PEOPLE if len(script) % 2 else {"p9": "Olga Ivanova"})
    sync_until_done(post, link(center, post, script))
    assert client_ids(center) == client_ids(post)
    assert held(post) == held(center)
    assert unacknowledged(post) == 0 and unacknowledged(center) == 0


def test_only_a_post_syncs(hq, posts):
    with pytest.raises(Conflict, match="only a post"):
        sync_once(hq.sessions(), hq.node, link(hq, posts["NBO"]))


# -- the endpoints ------------------------------------------------------------------------------


def signed(site: Site, method: str, target: str, body: bytes = b"", **changes) -> dict[str, str]:
    now = utcnow() + changes.pop("skew", timedelta())
    return sign_request(site.node.key(), site.node.code, method, target, body, now) | changes


def test_headquarters_takes_and_gives_bundles_to_a_post_that_signs(hq, posts):
    nbo, nmg = posts["NBO"], posts["NMG"]
    cross(nbo, Direction.ENTRY, 3)
    (bundle,) = export(nbo)
    web = hq.app.test_client()
    target = "/api/v1/sync/bundles"
    pushed = web.post(target, data=bundle, headers=signed(nbo, "POST", target, bundle))
    assert pushed.status_code == 200 and pushed.mimetype == "application/x-midas-ack"
    assert client_ids(hq) == client_ids(nbo)

    refused = {
        "no signature": {},
        "another body": signed(nbo, "POST", target, b"other"),
        "another path": signed(nbo, "POST", "/api/v1/sync/acks", bundle),
        "stale": signed(nbo, "POST", target, bundle, skew=timedelta(minutes=-6)),
        "another post's key": signed(nmg, "POST", target, bundle) | {"X-Midas-Node": "NBO"},
    }
    for why, headers in refused.items():
        answer = web.post(target, data=bundle, headers=headers)
        assert answer.status_code == 401, (why, answer.get_json())
    # A post pushing another post's bundle: signed, and still refused.
    theirs = web.post(target, data=bundle, headers=signed(nmg, "POST", target, bundle))
    assert (
        theirs.status_code == 422
        and "NMG sent a bundle of NBO" in theirs.get_json()["error"]["message"]
    )

    pull = "/api/v1/sync/bundles?after=0"
    pulled = web.get(pull, headers=signed(nbo, "GET", pull))
    assert pulled.status_code == 200 and b'"format":"midas-bundle/1"' in pulled.data
    pull_later = "/api/v1/sync/bundles?after=1"
    assert web.get(pull_later, headers=signed(nbo, "GET", pull_later)).status_code == 204


def test_a_revoked_post_can_neither_push_nor_pull(hq, posts):
    nbo = posts["NBO"]
    cross(nbo, Direction.ENTRY, 3)
    (bundle,) = export(nbo)
    with hq.sessions().begin() as session:
        revoke_peer(session, "cli:test", "NBO")
    web = hq.app.test_client()
    push, pull = "/api/v1/sync/bundles", "/api/v1/sync/bundles?after=0"
    pushed = web.post(push, data=bundle, headers=signed(nbo, "POST", push, bundle))
    assert pushed.status_code == 403 and "revoked" in pushed.get_json()["error"]["message"]
    assert web.get(pull, headers=signed(nbo, "GET", pull)).status_code == 403
    assert client_ids(hq) == []
    # Signed by another key in the revoked post's name: 401, as for a stranger, so nobody learns
    # which posts were revoked without the post's key.
    forged = signed(posts["NMG"], "POST", push, bundle) | {"X-Midas-Node": "NBO"}
    answer = web.post(push, data=bundle, headers=forged)
    assert answer.status_code == 401 and "revoked" not in answer.get_json()["error"]["message"]


def test_only_a_signed_post_may_send_a_large_bundle(hq, posts):
    nbo = posts["NBO"]
    big = b"x" * (3 * 1024 * 1024)  # above MAX_REQUEST_MB, within SYNC_MAX_BUNDLE_MB
    web = hq.app.test_client()
    target = "/api/v1/sync/bundles"
    assert web.post(target, data=big).status_code == 413
    signed_big = web.post(target, data=big, headers=signed(nbo, "POST", target, big))
    assert signed_big.status_code == 422  # read, and refused as no bundle


# -- over HTTP ----------------------------------------------------------------------------------


@pytest.fixture
def served_hq(outpost) -> Iterator[tuple[Site, Site, str]]:
    """Headquarters served over HTTP on loopback, in a thread."""
    center, post = outpost
    server = make_server("127.0.0.1", 0, center.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield center, post, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


def test_midas_sync_pushes_then_pulls_over_http(served_hq, tmp_path):
    center, post, url = served_hq
    load(center, tmp_path, PEOPLE)
    cross(post, Direction.ENTRY, 3)
    post.app.config.update(HQ_URL=url, SYNC_TIMEOUT_SECONDS=30)
    result = post.app.test_cli_runner().invoke(main, ["sync"])
    assert result.exit_code == 0, (result.output, result.stderr)
    assert "pushed 1 bundle(s), 1 acknowledged; pulled 1 bundle(s)" in result.output
    assert client_ids(center) == client_ids(post)
    assert held(post) == held(center)
    # The next run sends the post's audit events of taking headquarters' bundle; then nothing.
    again = post.app.test_cli_runner().invoke(main, ["sync"])
    assert "pushed 1 bundle(s), 1 acknowledged; pulled 0 bundle(s)" in again.output, again.output
    idle = post.app.test_cli_runner().invoke(main, ["sync"])
    assert "pushed 0 bundle(s), 0 acknowledged; pulled 0 bundle(s)" in idle.output

    with center.sessions().begin() as session:
        revoke_peer(session, "cli:test", "NBO")
    refused = post.app.test_cli_runner().invoke(main, ["sync"])
    assert refused.exit_code == 1 and "revoked" in refused.stderr


def test_midas_sync_says_when_headquarters_cannot_be_reached(outpost):
    _, post = outpost
    post.app.config.update(HQ_URL="http://127.0.0.1:9", SYNC_TIMEOUT_SECONDS=5)
    cross(post, Direction.ENTRY, 3)
    result = post.app.test_cli_runner().invoke(main, ["sync"])
    assert result.exit_code == 1 and "headquarters cannot be reached" in result.stderr
    assert unacknowledged(post) == 1  # kept for the next run


def test_midas_sync_every_keeps_syncing_through_a_link_that_comes_and_goes(
    served_hq, tmp_path, monkeypatch
):
    center, post, url = served_hq
    cross(post, Direction.ENTRY, 3)
    slept: list[float] = []
    post.app.config.update(HQ_URL="http://127.0.0.1:9", SYNC_TIMEOUT_SECONDS=5)

    def wait(seconds: float) -> None:
        slept.append(seconds)
        post.app.config.update(HQ_URL=url)  # the link comes back while the post waits

    # The module, not the command group midas.cli exports under the same name.
    monkeypatch.setattr(import_module("midas.cli.sync"), "time", SimpleNamespace(sleep=wait))
    result = post.app.test_cli_runner().invoke(main, ["sync", "--every", "5", "--runs", "2"])
    assert result.exit_code == 0, (result.output, result.stderr)
    assert "headquarters cannot be reached" in result.stderr  # the first run, said and retried
    assert "pushed 1 bundle(s), 1 acknowledged" in result.output
    assert slept == [300] and client_ids(center) == client_ids(post)


def test_midas_sync_every_goes_on_through_a_database_error(served_hq, monkeypatch):
    """A locked database one run is said (its kind only) and the next run syncs."""
    from sqlalchemy.exc import OperationalError

    center, post, url = served_hq
    cross(post, Direction.ENTRY, 3)
    post.app.config.update(HQ_URL=url)
    module = import_module("midas.cli.sync")
    real = module.sync_once
    calls: list[int] = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("UPDATE ... 'SECRET TRAVELLER'", {}, Exception("locked"))
        return real(*args, **kwargs)

    monkeypatch.setattr(module, "sync_once", flaky)
    monkeypatch.setattr(module, "time", SimpleNamespace(sleep=lambda seconds: None))
    result = post.app.test_cli_runner().invoke(main, ["sync", "--every", "5", "--runs", "2"])
    assert result.exit_code == 0, (result.output, result.stderr)
    assert "OperationalError" in result.stderr and "SECRET TRAVELLER" not in result.stderr
    assert client_ids(center) == client_ids(post)
