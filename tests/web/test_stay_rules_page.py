"""The administrator's stay-rules page: list, add, change and remove allowed stays."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import Pages, csrf_of

# The stay-rules form and its errors (tests/midas check the rules on both databases).
pytestmark = pytest.mark.one_backend


def save(pages: Pages, nationality: str, allowed: str, window: str) -> tuple[int, str]:
    """Post the stay-rule form; return the status and the page after any redirect."""
    token = csrf_of(pages.client.get("/admin/stay-rules").get_data(as_text=True))
    response = pages.client.post(
        "/admin/stay-rules",
        data={
            "nationality": nationality,
            "allowed_days": allowed,
            "window_days": window,
            "csrf_token": token,
        },
        follow_redirects=True,
    )
    return response.status_code, response.get_data(as_text=True)


def rows(html: str) -> list[str]:
    """Return the rule table's rows as plain text."""
    if 'id="stay-rules"' not in html:
        return []
    body = html.split('id="stay-rules"', 1)[1].split("</table>", 1)[0]
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in body.split("<tr>")[2:]]


def test_an_admin_adds_a_rule_and_sees_it_listed(pages: Pages) -> None:
    pages.login("admin1")
    status, html = save(pages, "gbr", "90", "180")
    assert status == 200
    assert "Stay rule set — GBR: 90 days in any 180." in html
    assert any(row.startswith("GBR 90 180 days") for row in rows(html))


def test_saving_a_nationality_again_changes_its_rule(pages: Pages) -> None:
    pages.login("admin1")
    save(pages, "KEN", "90", "180")
    _, html = save(pages, "KEN", "30", "60")
    assert [row for row in rows(html) if row.startswith("KEN")] == [
        next(row for row in rows(html) if row.startswith("KEN"))
    ]
    assert any(row.startswith("KEN 30 60 days") for row in rows(html))


def test_the_default_rule_is_listed_first(pages: Pages) -> None:
    pages.login("admin1")
    save(pages, "AUT", "90", "180")
    _, html = save(pages, "*", "60", "180")
    assert rows(html)[0].startswith("Default (*) 60 180 days")


def test_an_unknown_country_is_named_next_to_its_field(pages: Pages) -> None:
    pages.login("admin1")
    status, html = save(pages, "XXQ", "90", "180")
    assert status == 422
    assert 'id="nationality-error"' in html
    assert "XXQ" not in " ".join(rows(html))


def test_a_window_shorter_than_the_stay_is_refused(pages: Pages) -> None:
    pages.login("admin1")
    status, html = save(pages, "KEN", "90", "30")
    assert status == 422
    assert 'id="window_days-error"' in html


def test_a_missing_number_is_asked_for_in_words(pages: Pages) -> None:
    pages.login("admin1")
    status, html = save(pages, "KEN", "", "180")
    assert status == 422
    assert "Give the number of days allowed." in html


def test_an_admin_removes_a_rule(pages: Pages) -> None:
    pages.login("admin1")
    _, html = save(pages, "GBR", "90", "180")
    response = pages.client.post(
        "/admin/stay-rules/GBR/delete", data={"csrf_token": csrf_of(html)}, follow_redirects=True
    )
    html = response.get_data(as_text=True)
    assert "Stay rule for GBR removed" in html
    assert not any(row.startswith("GBR") for row in rows(html))


def test_removing_without_the_csrf_token_changes_nothing(pages: Pages) -> None:
    pages.login("admin1")
    save(pages, "GBR", "90", "180")
    pages.client.post("/admin/stay-rules/GBR/delete", data={})
    html = pages.client.get("/admin/stay-rules").get_data(as_text=True)
    assert any(row.startswith("GBR") for row in rows(html))


def test_an_unknown_country_and_a_short_window_are_both_named_at_once(pages: Pages) -> None:
    pages.login("admin1")
    status, html = save(pages, "XXQ", "90", "30")
    assert status == 422
    assert 'id="nationality-error"' in html
    assert 'id="window_days-error"' in html
    assert "The window must be at least as many days as the days allowed" in html
