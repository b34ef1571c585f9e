"""Headquarters and two posts over a link that drops, duplicates and partitions: nothing recorded
at a post is lost or duplicated at headquarters, and every node converges once the link heals.

A Hypothesis state machine: posts record crossings, headquarters loads list versions, links go
down and come back, posts sync through a faulty link; at every step headquarters holds no
crossing twice and none a post did not record, and at the end, the links healed and each post
synced, headquarters holds every crossing once and each post headquarters' lists. All three
nodes run on SQLite files (three migrated databases per example keep it cheap).
"""

from __future__ import annotations

import contextlib
import itertools
import shutil
import tempfile
from collections import Counter
from pathlib import Path

from flask import Flask
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from sqlalchemy import select

from midas.domain.sync_link import DirectTransport, LinkDown, sync_once
from midas.persistence.database import database
from midas.persistence.models import Crossing, Direction
from tests.midas.crossing_builders import mrz
from tests.midas.sync_builders import enrol_post, headquarters, node_app
from tests.midas.test_sync import cross
from tests.midas.test_sync_headquarters import held, load
from tests.midas.test_sync_link import FAULTS, FaultyLink

CODES = ("NBO", "NMG")
NAMES = ["Ivan Petrov", "Chen Wei", "Olga Ivanova"]
_documents = itertools.count()


def test_posts_and_headquarters_converge_whatever_the_link_does(sqlite_template: Path) -> None:
    class Network(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.folder = Path(tempfile.mkdtemp())
            self.apps: list[Flask] = []
            self.hq = headquarters(self.app("hq", "hq"), self.folder)
            self.posts = {
                code: enrol_post(self.hq, self.app(code, "post"), code, self.folder)
                for code in CODES
            }
            self.recorded: dict[str, set[str]] = {code: set() for code in CODES}
            self.links = {
                code: FaultyLink(DirectTransport(self.hq.sessions(), self.hq.node, code))
                for code in CODES
            }
            self.lists = False

        def app(self, code: str, role: str) -> Flask:
            made = node_app(sqlite_template, self.folder, code, role)
            self.apps.append(made)
            return made

        @rule(code=st.sampled_from(CODES), exit=st.booleans())
        def record(self, code: str, exit: bool) -> None:
            post = self.posts[code]
            lines = mrz("BANDA", "JOY", f"C{next(_documents):07d}", nationality="MWI")
            cross(post, Direction.EXIT if exit else Direction.ENTRY, 2, lines)
            with post.sessions()() as session:
                self.recorded[code] = set(session.scalars(select(Crossing.client_id)))

        @rule(people=st.dictionaries(st.sampled_from(["p1", "p2", "p3"]), st.sampled_from(NAMES),
                                     min_size=1))  # fmt: skip
        def load_list(self, people: dict[str, str]) -> None:
            load(self.hq, self.folder, people)
            self.lists = True

        @rule(code=st.sampled_from(CODES), down=st.booleans())
        def partition(self, code: str, down: bool) -> None:
            self.links[code].partitioned = down

        @rule(code=st.sampled_from(CODES), script=st.lists(st.sampled_from(FAULTS), max_size=4))
        def sync(self, code: str, script: list[str]) -> None:
            wire = self.links[code]
            wire.script = list(script)
            # A run the link cuts short: the next goes on from what was acknowledged.
            with contextlib.suppress(LinkDown):
                sync_once(self.posts[code].sessions(), self.posts[code].node, wire)

        def at_headquarters(self) -> Counter[str]:
            with self.hq.sessions()() as session:
                return Counter(session.scalars(select(Crossing.client_id)))

        @invariant()
        def headquarters_holds_each_crossing_once_and_none_invented(self) -> None:
            held_ids = self.at_headquarters()
            assert all(count == 1 for count in held_ids.values())
            assert set(held_ids) <= set().union(*self.recorded.values())

        def teardown(self) -> None:
            try:
                for code, wire in self.links.items():
                    wire.partitioned, wire.script = False, []
                    sync_once(self.posts[code].sessions(), self.posts[code].node, wire)
                assert set(self.at_headquarters()) == set().union(*self.recorded.values())
                if self.lists:
                    for post in self.posts.values():
                        assert held(post) == held(self.hq)
            finally:
                for made in self.apps:
                    database(made).dispose()
                shutil.rmtree(self.folder, ignore_errors=True)

    Network.TestCase.settings = settings(
        max_examples=8,
        stateful_step_count=12,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    Network.TestCase().runTest()
