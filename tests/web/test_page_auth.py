"""Every page needs a login and the right role; login is a CSRF-protected form with plain errors.

The role and redirect tables change nothing, so they share one app per module (`shared_app`),
logged in once per role (`signed_in`); a test that fails a login or logs out has its own.
"""

from __future__ import annotations

import pytest
from flask import Flask
from werkzeug.exceptions import HTTPException

from midas.web.login import FAILED_LOGIN
from tests.web.builders import SEEDED
from tests.web.conftest import Pages, csrf_of

# Role gates, redirects and the login form: the same on either database.
pytestmark = pytest.mark.one_backend

OFFICER_PAGES = ["/station", "/station/manual", "/station/scanner/status"]
# Officer forms that change something: posted with a valid CSRF token by the wrong role.
OFFICER_POSTS = [
    "/station/scan",
    "/station/record",
    "/station/manual",
    "/station/desk",
    "/station/scanner",
    "/station/image",
]
ADMIN_POSTS = [
    "/admin/trust-store",
    "/admin/users",
    "/admin/posts",
    "/admin/stations",
    "/admin/watchlists",
    "/admin/stay-rules",
    "/admin/stay-rules/KEN/delete",
    "/admin/users/1/password",
    "/admin/users/1/deactivate",
    "/admin/posts/1/language",
    "/admin/posts/1/deactivate",
    "/admin/stations/1/rotate",
    "/admin/stations/1/reactivate",
    "/admin/stations/1/edit",
    "/admin/stations/1/deactivate",
]
SUPERVISOR_PAGES = [
    "/dashboard", "/log", "/log.csv", "/hits", "/overstays", "/admin/audit", "/late-entries/new",
    "/arrivals/report",
]  # fmt: skip
# Hits are reviewed, paper records entered late and flights' reports read by supervisors only.
SUPERVISORS_ONLY = ("/hits", "/late-entries/new", "/arrivals/report")
SHARED_PAGES = [path for path in SUPERVISOR_PAGES if path not in SUPERVISORS_ONLY]
ADMIN_PAGES = [
    "/admin/trust-store",
    "/admin/users",
    "/admin/posts",
    "/admin/stations",
    "/admin/watchlists",
    "/admin/stay-rules",
    "/admin/sync",
    "/admin/watchlists/interpol-sltd",
    "/admin/watchlists/interpol-sltd/versions/1",
]
# Open to every role: a person's own account.
ACCOUNT_PAGES = ["/account/password", "/account/language"]
# Officers and supervisors, not admins (tests/web/test_corrections_page.py checks each role).
CORRECTION_PAGES = ["/crossings/1/correct"]
# Officers and supervisors, not admins (tests/web/test_arrivals_page.py checks each role).
ARRIVAL_PAGES = ["/arrivals"]
ALL_PAGES = (
    OFFICER_PAGES + SUPERVISOR_PAGES + ADMIN_PAGES + ACCOUNT_PAGES + CORRECTION_PAGES
    + ARRIVAL_PAGES
)  # fmt: skip


@pytest.mark.parametrize("path", ALL_PAGES)
def test_an_anonymous_visitor_is_sent_to_the_login_page(shared_app: Flask, path: str) -> None:
    response = shared_app.test_client().get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_after_login_the_visitor_lands_where_they_were_heading(shared_app: Flask) -> None:
    pages = Pages(shared_app.test_client(), SEEDED)
    pages.client.get("/log?name=smith")
    token = csrf_of(pages.client.get("/login?next=/log?name%3Dsmith").get_data(as_text=True))
    response = pages.client.post(
        "/login?next=/log?name%3Dsmith",
        data={"username": "super1", "password": pages.seeded.password, "csrf_token": token},
    )
    assert response.headers["Location"] == "/log?name=smith"


def test_login_never_redirects_off_the_site(shared_app: Flask) -> None:
    pages = Pages(shared_app.test_client(), SEEDED)
    token = csrf_of(pages.client.get("/login").get_data(as_text=True))
    response = pages.client.post(
        "/login?next=//evil.example/x",
        data={"username": "officer1", "password": pages.seeded.password, "csrf_token": token},
    )
    assert response.headers["Location"] == "/station"


@pytest.mark.parametrize(
    ("username", "home"),
    [("officer1", "/station"), ("super1", "/dashboard"), ("admin1", "/dashboard")],
)
def test_each_role_lands_on_its_first_page(shared_app: Flask, username: str, home: str) -> None:
    pages = Pages(shared_app.test_client(), SEEDED)
    assert pages.login(username).headers["Location"] == home


@pytest.mark.parametrize("path", SUPERVISOR_PAGES + ADMIN_PAGES)
def test_an_officer_cannot_open_supervisor_or_admin_pages(
    signed_in: dict[str, Pages], path: str
) -> None:
    response = signed_in["officer1"].client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 403
    assert "This page is not open to you" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", OFFICER_PAGES + ADMIN_PAGES)
def test_a_supervisor_cannot_open_station_or_admin_pages(
    signed_in: dict[str, Pages], path: str
) -> None:
    assert signed_in["super1"].client.get(path).status_code == 403


@pytest.mark.parametrize("path", SHARED_PAGES + ADMIN_PAGES)
def test_an_admin_opens_supervisor_and_admin_pages(signed_in: dict[str, Pages], path: str) -> None:
    assert signed_in["admin1"].client.get(path).status_code == 200


@pytest.mark.parametrize("path", SUPERVISOR_PAGES)
def test_a_supervisor_opens_supervisor_pages(signed_in: dict[str, Pages], path: str) -> None:
    assert signed_in["super1"].client.get(path).status_code == 200


@pytest.mark.parametrize("username", ["officer1", "super1", "admin1"])
@pytest.mark.parametrize("path", ACCOUNT_PAGES)
def test_every_role_opens_its_own_account_pages(
    signed_in: dict[str, Pages], username: str, path: str
) -> None:
    assert signed_in[username].client.get(path).status_code == 200


@pytest.mark.parametrize("path", OFFICER_POSTS + ADMIN_POSTS)
def test_an_anonymous_post_is_refused(shared_app: Flask, path: str) -> None:
    # Without a session there is no CSRF token to match: refused before the view runs.
    assert shared_app.test_client().post(path, data={}).status_code == 400


@pytest.mark.parametrize("path", OFFICER_POSTS + ADMIN_POSTS)
def test_a_supervisor_cannot_post_officer_or_admin_forms(
    signed_in: dict[str, Pages], path: str
) -> None:
    supervisor = signed_in["super1"].client
    token = csrf_of(supervisor.get("/log").get_data(as_text=True))
    assert supervisor.post(path, data={"csrf_token": token}).status_code == 403


@pytest.mark.parametrize("path", ADMIN_POSTS)
def test_an_officer_cannot_post_admin_forms(signed_in: dict[str, Pages], path: str) -> None:
    officer = signed_in["officer1"].client
    token = csrf_of(officer.get("/station").get_data(as_text=True))
    assert officer.post(path, data={"csrf_token": token}).status_code == 403


def test_the_navigation_shows_only_what_the_role_may_open(signed_in: dict[str, Pages]) -> None:
    html = signed_in["officer1"].client.get("/station").get_data(as_text=True)
    assert 'href="/station"' in html
    assert 'href="/log"' not in html
    assert 'href="/admin/users"' not in html


def test_a_wrong_password_is_explained_next_to_the_field(pages: Pages) -> None:
    response = pages.login("officer1", "not the password")
    html = response.get_data(as_text=True)
    assert response.status_code == 401
    assert 'id="password-error"' in html
    assert FAILED_LOGIN in html


def test_an_empty_form_names_each_missing_field(pages: Pages) -> None:
    token = csrf_of(pages.client.get("/login").get_data(as_text=True))
    html = pages.client.post("/login", data={"csrf_token": token}).get_data(as_text=True)
    assert "Enter your username." in html
    assert "Enter your password." in html


def test_repeated_failures_slow_this_browser_down_with_the_one_plain_message(
    pages: Pages,
) -> None:
    answers = [pages.login(name, "not the password") for name in ["officer1", "nobody"] * 5]
    waiting = pages.login("officer1")
    for response in [*answers, waiting]:
        assert response.status_code == 401
        assert FAILED_LOGIN in response.get_data(as_text=True)
        assert "locked" not in response.get_data(as_text=True)
    elsewhere = pages.client.application.test_client()
    token = csrf_of(elsewhere.get("/login").get_data(as_text=True))
    response = elsewhere.post(
        "/login",
        data={"username": "officer1", "password": pages.seeded.password, "csrf_token": token},
        environ_base={"REMOTE_ADDR": "10.0.0.7"},
    )
    assert response.status_code == 302  # the owner, at another desk, is not kept out


def test_login_without_the_csrf_token_is_refused(pages: Pages) -> None:
    pages.client.get("/login")
    response = pages.client.post(
        "/login",
        data={"username": "officer1", "password": pages.seeded.password},
        headers={"Accept": "text/html"},
    )
    assert response.status_code == 400
    assert "Reload the page and try again" in response.get_data(as_text=True)


def test_logout_ends_the_session(pages: Pages) -> None:
    pages.login("officer1")
    token = csrf_of(pages.client.get("/station").get_data(as_text=True))
    assert pages.client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert pages.client.get("/station").status_code == 302


def test_pages_are_not_opened_with_a_station_token(shared_app: Flask) -> None:
    response = shared_app.test_client().get(
        "/station", headers={"Authorization": "Bearer mst_unknown", "Accept": "text/html"}
    )
    assert response.status_code == 401


def test_static_files_are_served_from_the_package(shared_app: Flask) -> None:
    client = shared_app.test_client()
    with client.get("/assets/midas.css") as css:
        assert css.status_code == 200
    with client.get("/assets/vendor/chartjs/chart.umd.min.js") as chart:
        assert chart.status_code == 200
        assert b"Chart" in chart.data


# Pages of one record (a traveller, a hit, a load, a crossing): their role tests are with
# their own page tests, which make the record first.
# Merging and splitting travellers: tests/web/test_decision_safety_pages.py.
NEED_A_RECORD = {
    "supervisor.traveller",
    "supervisor.hit",
    "admin.load",
    "corrections.correct",
    "supervisor.merge",
    "supervisor.split",
    "arrivals.flight",
    "arrivals.refer",
}
# Views open without a login: the login flow itself and the static files.
OPEN_ENDPOINTS = {"login.home", "login.login", "login.logout", "web.static", "static"}


def test_every_page_route_is_guarded_by_a_role(shared_app: Flask) -> None:
    unguarded = [
        rule.rule
        for rule in shared_app.url_map.iter_rules()
        if not rule.rule.startswith("/api/")
        and rule.endpoint not in OPEN_ENDPOINTS
        and not hasattr(shared_app.view_functions[rule.endpoint], "midas_page_roles")
    ]
    assert unguarded == []


def test_every_guarded_page_route_is_in_this_files_tables(shared_app: Flask) -> None:
    adapter = shared_app.url_map.bind("localhost")
    listed: set[str] = set()
    for path in ALL_PAGES + OFFICER_POSTS + ADMIN_POSTS:
        for method in ("GET", "POST"):
            try:
                listed.add(adapter.match(path, method=method)[0])
            except HTTPException:
                continue
    guarded = {
        endpoint
        for endpoint, view in shared_app.view_functions.items()
        if hasattr(view, "midas_page_roles")
    }
    assert guarded - listed - NEED_A_RECORD == set()
