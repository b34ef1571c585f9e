"""Take the README's screenshots with the browser-test harness: `python -m tests.web.screenshots`.

Seeds a post with a week of crossings through the domain, serves the app on 127.0.0.1 and
photographs the station (a clean reading), the hit banner and the dashboard at 1366x768 into
docs/screenshots/, in English and, as `<page>-<lang>.png`, in each other language the pages
speak (`--languages ar fr` for some only).
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from midas import create_app
from midas.domain.languages import LANGUAGES
from midas.persistence.database import create_database, database
from midas.persistence.schema import upgrade
from tests.web.builders import FAST_SETTINGS, STOLEN_NUMBER, Seeded, mrz, record, seed
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS, VIEWPORT

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SURNAMES = [
    "ODHIAMBO",
    "WANJIRU",
    "MOHAMMED",
    "NGUYEN",
    "SMITH",
    "MULLER",
    "HASSAN",
    "KAMAU",
    "SILVA",
    "OKAFOR",
    "PATEL",
    "IVANOVA",
    "GARCIA",
    "ABEBE",
    "MWANGI",
    "CHEN",
]
GIVEN = ["AMINA", "JOHN", "FATUMA", "DAVID", "GRACE", "ALI", "MARIA", "PETER", "AISHA", "JAMES"]
NATIONS = ["KEN"] * 6 + ["UGA", "TZA", "ETH", "SOM", "GBR", "USA", "IND", "CHN", "DEU", "NGA"]


def week_of_crossings(app: Any, seeded: Seeded, rng: random.Random) -> None:
    """Record about 150 crossings over the last six days, a few refused."""
    now = datetime.now(UTC)
    for n in range(150):
        nationality = rng.choice(NATIONS)
        born = date(rng.randint(1950, 2015), rng.randint(1, 12), rng.randint(1, 28))
        lines = mrz(
            rng.choice(SURNAMES),
            rng.choice(GIVEN),
            f"X{n:07d}",
            nationality=nationality,
            sex=rng.choice("MF"),
            birth_date=born,
        )
        refused = rng.random() < 0.06
        extra: dict[str, Any] = {"refusal_reason": rng.choice("ACEG")} if refused else {}
        if born > date(2008, 6, 1):
            extra["minor_accompanied"] = False
        record(
            app,
            seeded.officer,
            lines,
            direction=rng.choice(["entry", "entry", "exit"]),
            decision="refused" if refused else "admitted",
            when=now - timedelta(days=rng.uniform(0.05, 6.0)),
            **extra,
        )


def main() -> None:
    """Seed, serve and photograph the three pages in each language asked for."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--languages", nargs="*", default=list(LANGUAGES), choices=LANGUAGES)
    languages = parser.parse_args().languages
    assert CHROMIUM.exists(), f"{CHROMIUM} is needed"
    folder = Path(tempfile.mkdtemp(prefix="midas-shots-"))
    url = f"sqlite:///{folder / 'midas.sqlite3'}"
    migrated = create_database(url)
    upgrade(migrated.engine)
    migrated.dispose()
    app = create_app({"ENV": "testing", "DATABASE_URL": url, **FAST_SETTINGS})
    seeded = seed(app, folder)
    rng = random.Random(9303)
    week_of_crossings(app, seeded, rng)
    returning = mrz(
        "ODHIAMBO", "GRACE AKINYI", "AK0461235", nationality="KEN", birth_date=date(1988, 3, 14)
    )
    record(
        app, seeded.officer, returning, direction="exit", when=datetime.now(UTC) - timedelta(days=5)
    )
    stolen = mrz(
        "MUSTERMANN", "ERIKA", STOLEN_NUMBER, nationality="DEU", birth_date=date(1983, 8, 12)
    )
    record(
        app, seeded.officer, stolen, decision="referred", when=datetime.now(UTC) - timedelta(days=2)
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for code in languages:
                suffix = "" if code == "en" else f"-{code}"
                officer = _login(browser, base, seeded.officer, seeded.password, code)
                _scan(officer, returning)
                officer.screenshot(path=str(OUT / f"station{suffix}.png"))
                officer.goto(base + "/station")
                _scan(officer, stolen)
                officer.screenshot(path=str(OUT / f"hit-banner{suffix}.png"))
                supervisor = _login(browser, base, seeded.supervisor, seeded.password, code)
                supervisor.goto(base + "/dashboard")
                supervisor.wait_for_selector("#dashboard[data-ready='1']")
                supervisor.screenshot(path=str(OUT / f"dashboard{suffix}.png"), full_page=True)
            browser.close()
    finally:
        server.shutdown()
        database(app).dispose()
        shutil.rmtree(folder, ignore_errors=True)
    print(f"wrote {', '.join(p.name for p in sorted(OUT.glob('*.png')))} to {OUT}")


def _login(browser: Any, base: str, username: str, password: str, code: str) -> Any:
    page = browser.new_context(viewport=VIEWPORT, locale=code).new_page()
    page.goto(base + "/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill(password)
    page.locator("#password").press("Enter")
    page.wait_for_load_state("networkidle")
    return page


def _scan(page: Any, lines: str) -> None:
    for line in lines.splitlines():
        page.keyboard.type(line)
        page.keyboard.press("Enter")
    page.wait_for_url("**/station/scan")
    page.wait_for_load_state("networkidle")


if __name__ == "__main__":
    main()
