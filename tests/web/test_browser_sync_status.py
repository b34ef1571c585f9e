"""The link as people see it: an officer at a post offline, an administrator at headquarters."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from bundles.keys import NodeKey
from midas.persistence.base import utcnow
from midas.persistence.database import database
from midas.persistence.models import SyncPeer
from tests.web.conftest import LiveServer
from tests.web.test_browser import log_in

pytestmark = pytest.mark.browser


def enrol(server: LiveServer, code: str, role: str, **moments: Any) -> None:
    """Enrol a node with a throw-away key, as last heard from at the given moments."""
    key = NodeKey.generate().public.pem().decode()
    with database(server.app).sessions.begin() as session:
        session.add(SyncPeer(code=code, role=role, public_key=key, **moments))


def test_an_officer_at_a_post_offline_sees_how_old_the_lists_are(
    live_server: LiveServer, context: Any
) -> None:
    live_server.app.config.update(NODE_ROLE="post", NODE_CODE=live_server.seeded.post_code)
    now = utcnow()
    enrol(
        live_server, "hq", "hq", enrolled_at=now - timedelta(days=9),
        last_contact_at=now - timedelta(hours=3), current_as_of=now - timedelta(hours=5),
    )  # fmt: skip
    officer = log_in(context, live_server, "officer1")
    status = officer.locator("#link-status")
    expect(status).to_contain_text("Lists as of")
    expect(status).to_contain_text("offline since")
    expect(status).to_contain_text("crossings are kept here and sent when the link returns")


def test_an_administrator_at_headquarters_sees_a_post_falling_behind(
    live_server: LiveServer, context: Any
) -> None:
    live_server.app.config.update(NODE_ROLE="hq")
    enrol(live_server, live_server.seeded.post_code, "post",
          enrolled_at=utcnow() - timedelta(hours=30))  # fmt: skip
    admin = log_in(context, live_server, "admin1")
    admin.get_by_role("link", name="Posts' sync").click()
    row = admin.locator("#post-sync tbody tr").filter(has_text=live_server.seeded.post_code)
    expect(row).to_contain_text("Falling behind")
    expect(row).to_contain_text("not heard from since enrolment")
