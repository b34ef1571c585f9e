"""`midas screen`: hits with reasons, exit 3 on a hit and 0 without, JSON-lines batches."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner

from midas.cli import main

PEOPLE = [
    ["entry_id", "name", "aliases", "birth_date", "nationalities", "sex"],
    ["p1", "Mohamed Al Rashid", "Abu Rashid", "1975-03-02", "IRQ", "M"],
    ["p2", "Anna Schmidt", "", "1980", "DEU", "F"],
]
DOCUMENTS = [
    ["entry_id", "document_number", "issuing_state", "document_type", "status"],
    ["d1", "C01X00T47", "DEU", "P", "stolen"],
]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


@pytest.fixture
def loaded(runner: FlaskCliRunner, tmp_path: Path) -> FlaskCliRunner:
    for name, kind, rows in (("alerts", "person", PEOPLE), ("sltd", "document", DOCUMENTS)):
        path = write_csv(tmp_path / f"{name}.csv", rows)
        args = ["watchlist", "load", "--name", name, "--kind", kind, "--format", "csv", str(path)]
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
    return runner


def test_a_hit_prints_list_entry_name_score_and_reasons_and_exits_3(
    loaded: FlaskCliRunner,
) -> None:
    result = loaded.invoke(
        main,
        [
            "screen",
            "--name",
            "MUHAMMAD AL RASHID",
            "--birth-date",
            "1975-03-02",
            "--nationality",
            "IRQ",
        ],
    )
    assert result.exit_code == 3, result.output
    first = result.output.splitlines()[0]
    assert first.startswith("HIT alerts p1 'Mohamed Al Rashid' score ")
    assert "birth date" in result.output


def test_no_hit_exits_0(loaded: FlaskCliRunner) -> None:
    result = loaded.invoke(main, ["screen", "--name", "Juan Garcia Lopez"])
    assert (result.exit_code, result.output) == (0, "No hit.\n")


def test_a_contradicting_birth_date_lowers_the_score(loaded: FlaskCliRunner) -> None:
    def score(*extra: str) -> float:
        result = loaded.invoke(main, ["screen", "--json", "--name", "Anna Schmidt", *extra])
        hits = json.loads(result.output)["hits"]
        return float(hits[0]["score"]) if hits else 0.0

    assert score("--birth-date", "1950-01-01") < score("--birth-date", "1980-06-01")


def test_a_listed_document_hits_on_number_and_state(loaded: FlaskCliRunner) -> None:
    result = loaded.invoke(
        main,
        [
            "screen",
            "--document-number",
            "C01X-00T47",
            "--issuing-state",
            "D",
            "--document-type",
            "P",
        ],
    )
    assert result.exit_code == 3, result.output
    assert result.output.startswith("HIT sltd d1 'C01X00T47' score 1.00")
    other_state = loaded.invoke(
        main, ["screen", "--document-number", "C01X00T47", "--issuing-state", "FRA"]
    )
    assert other_state.exit_code == 0


def test_a_document_number_needs_its_issuing_state(loaded: FlaskCliRunner) -> None:
    result = loaded.invoke(main, ["screen", "--document-number", "C01X00T47"])
    assert result.exit_code == 2
    assert "--issuing-state" in result.output


def test_screening_without_any_active_list_is_an_error(runner: FlaskCliRunner) -> None:
    result = runner.invoke(main, ["screen", "--name", "Anna Schmidt"])
    assert result.exit_code == 1
    assert "no active watchlist" in result.output


def test_a_batch_gives_one_line_per_input_in_order_best_hit_first(
    loaded: FlaskCliRunner, tmp_path: Path
) -> None:
    batch = tmp_path / "travellers.jsonl"
    lines = [
        {"id": "t1", "name": "Juan Garcia Lopez"},
        {"id": 2, "name": "Mohammed Al-Rashid", "birth_date": "1975"},
        {"id": "t3", "document_number": "C01X00T47", "issuing_state": "DEU"},
        {"id": "t4"},
    ]
    batch.write_text("\n".join(json.dumps(line) for line in lines) + "\n\n", encoding="utf-8")
    result = loaded.invoke(main, ["screen", "--batch", str(batch)])
    assert result.exit_code == 3, result.output
    out = [json.loads(line) for line in result.output.splitlines()]
    assert [line["id"] for line in out] == ["t1", 2, "t3", "t4"]
    assert out[0]["hits"] == [] and out[3]["hits"] == []
    hit = out[1]["hits"][0]
    # The API's shape of a hit not stored (midas.domain.screening.hit_json): one hit JSON.
    assert {"list", "list_version", "entry_id", "matched_name", "score", "reasons"} <= set(hit)
    assert (hit["list"], hit["entry_id"]) == ("alerts", "p1")
    assert all(set(reason) == {"feature", "score", "detail"} for reason in hit["reasons"])
    scores = [h["score"] for h in out[1]["hits"]]
    assert scores == sorted(scores, reverse=True)
    assert out[2]["hits"][0]["entry_id"] == "d1"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "line 2: not JSON"),
        ('["a"]', "line 2: expected a JSON object"),
        ('{"name": "X"}', "line 2: 'id' is required"),
        ('{"id": 1, "name": 5}', "line 2: name: expected a string"),
        ('{"id": 1, "birth_date": "02/03/1975"}', "line 2: birth_date:"),
        ('{"id": 1, "nick": "X"}', "line 2: unknown field nick"),
    ],
)
def test_a_bad_batch_line_is_named_in_its_place_and_the_rest_is_screened(
    loaded: FlaskCliRunner, tmp_path: Path, line: str, message: str
) -> None:
    batch = tmp_path / "bad.jsonl"
    good = '{"id": "after", "name": "Mohammed Al-Rashid", "birth_date": "1975"}'
    batch.write_text('{"id": 1, "name": "Anna Schmidt"}\n' + line + "\n" + good + "\n", "utf-8")
    result = loaded.invoke(main, ["screen", "--batch", str(batch)])
    assert result.exit_code == 1
    assert message in result.stderr
    out = [json.loads(text) for text in result.stdout.splitlines()]
    assert [o.get("line") for o in out] == [None, 2, None]
    assert message.removeprefix("line 2: ") in out[1]["error"]
    assert out[0]["id"] == 1 and "hits" in out[0]
    assert out[2]["id"] == "after" and out[2]["hits"]


def test_a_list_loaded_by_one_process_is_screened_by_a_later_one(
    database_url: str, tmp_path: Path
) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "MIDAS_ENV": "testing"}
    script = Path(sys.executable).parent / "midas"
    midas = [str(script)] if script.exists() else [sys.executable, "-m", "flask", "--app", "midas"]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*midas, *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )

    people = write_csv(tmp_path / "alerts.csv", PEOPLE)
    loaded = run(
        "watchlist", "load", "--name", "alerts", "--kind", "person", "--format", "csv", str(people)
    )
    assert loaded.returncode == 0, loaded.stderr
    screened = run("screen", "--name", "ANNA SCHMIDT")
    assert screened.returncode == 3, screened.stderr
    assert "HIT alerts p2" in screened.stdout
