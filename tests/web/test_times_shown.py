"""Every time a page shows is in the post's time zone and says which zone it is in."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Flask

from midas.web.times import local_time
from tests.web.builders import STOLEN_NUMBER, form_values, mrz, record
from tests.web.conftest import Pages, csrf_of

CLEAN = mrz("ERIKSSON", "ANNA MARIA", "L898902C3", nationality="SWE")
STOLEN = mrz("MUSTERMANN", "ERIKA", STOLEN_NUMBER, nationality="DEU")
TAGS = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.S)
# A clock time and what follows it: a zone's name ("EAT", "UTC") or offset ("+03").
CLOCK = re.compile(r"(?<![:\d])\d{2}:\d{2}(?::\d{2})?+(?![:\d])(?!\s*(?:[A-Z]{2,5}|[+-]\d{2,4})\b)")


def unlabelled_times(html: str) -> list[str]:
    """Return each clock time in the page's text that no zone follows."""
    text = TAGS.sub(" ", html)
    return [text[max(0, m.start() - 30) : m.end() + 10] for m in CLOCK.finditer(text)]


def test_a_local_time_names_its_zone() -> None:
    moment = datetime(2026, 3, 1, 14, 34, tzinfo=UTC)
    assert local_time(moment, "Africa/Nairobi", "%H:%M") == "17:34 EAT"
    assert local_time(moment) == "2026-03-01 14:34 UTC"


def test_the_desk_shows_post_times_labelled_and_never_mixes_in_utc(
    pages: Pages, web_app: Flask
) -> None:
    when = (datetime.now(UTC) - timedelta(hours=2)).replace(second=0, microsecond=0)
    record(web_app, "officer1", CLEAN, when=when)
    pages.login("officer1")
    token = csrf_of(pages.client.get("/station").get_data(as_text=True))
    preview = pages.client.post(
        "/station/scan", data={"mrz": CLEAN, "direction": "exit", "csrf_token": token}
    ).get_data(as_text=True)
    local = when.astimezone(ZoneInfo("Africa/Nairobi")).strftime("%Y-%m-%d %H:%M")
    assert f"{local} EAT" in preview
    recorded = pages.client.post("/station/record", data=form_values(preview, "decision-form"))
    desk = pages.client.get(recorded.headers["Location"]).get_data(as_text=True)
    assert re.search(r"exit at \d{2}:\d{2} EAT", desk)
    assert "UTC" not in TAGS.sub(" ", desk)
    assert unlabelled_times(preview) == unlabelled_times(desk) == []


def test_supervisor_and_admin_pages_label_every_time(pages: Pages, web_app: Flask) -> None:
    crossing = record(web_app, "officer1", STOLEN, decision="referred")
    pages.login("super1")
    found: dict[str, list[str]] = {}
    hits = pages.client.get("/hits").get_data(as_text=True)
    hit_id = re.search(r'href="/hits/(\d+)"', hits)
    assert hit_id
    for path in ("/log?name=mustermann", "/hits", f"/hits/{hit_id.group(1)}", "/overstays"):
        found[path] = unlabelled_times(pages.client.get(path).get_data(as_text=True))
    page = pages.client.get(f"/crossings/{crossing}/correct").get_data(as_text=True)
    found["correct"] = unlabelled_times(page)
    pages.client.post("/logout", data={"csrf_token": csrf_of(hits)})
    pages.login("admin1")
    for path in ("/admin/users", "/admin/stations", "/admin/watchlists", "/admin/audit"):
        found[path] = unlabelled_times(pages.client.get(path).get_data(as_text=True))
    assert {path: times for path, times in found.items() if times} == {}


def test_a_hit_gives_its_score_and_features_in_one_unit_and_says_how_they_add_up(
    pages: Pages,
) -> None:
    pages.login("officer1")
    token = csrf_of(pages.client.get("/station").get_data(as_text=True))
    page = pages.client.post(
        "/station/scan", data={"mrz": STOLEN, "direction": "entry", "csrf_token": token}
    ).get_data(as_text=True)
    banner = page.split('id="hit-banner"', 1)[1].split("</section>", 1)[0]
    assert "raised by a birth date, nationality or sex that agrees" in banner
    assert not re.search(r":\s*[01]\.\d\d\s", TAGS.sub(" ", banner))  # no bare 0.97 beside 100%
