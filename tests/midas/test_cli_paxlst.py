"""`midas paxlst screen`: every passenger and crew member of a manifest, screened, one line each."""

from __future__ import annotations

import json
from datetime import date

import pytest

from midas.cli import main
from paxlst.write import write_paxlst
from tests.midas.crossing_builders import load_lists
from tests.paxlst.builders import make_flight, make_traveller

# The command reads the lists as any screening does; the lists' storage is tested on both.
pytestmark = pytest.mark.one_backend


@pytest.fixture
def lists(app, tmp_path):
    load_lists(app, tmp_path)  # Mohamed Al Rashid (IRQ, 1975-03-02); DEU passport C01X00T47


def manifest(tmp_path, *travellers, name="flight.edi"):
    path = tmp_path / name
    path.write_text(write_paxlst(make_flight(), list(travellers)))
    return path


def test_each_traveller_is_a_line_and_a_hit_exits_3(runner, lists, tmp_path):
    listed = make_traveller(surname="AL RASHID", given_names="MOHAMED", birth_date=date(1975, 3, 2),
                            nationality="IRQ", sex="M", document_number="A0000001",
                            document_issuing_state="IRQ")  # fmt: skip
    stolen = make_traveller(surname="MEIER", given_names="KARL", nationality="DEU",
                            document_number="C01X00T47", document_issuing_state="DEU")  # fmt: skip
    crew = make_traveller(role="crew", surname="PILOT", given_names="ANNA")
    result = runner.invoke(
        main, ["paxlst", "screen", str(manifest(tmp_path, listed, stolen, crew))]
    )
    assert result.exit_code == 3, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [(x["surname"], x["role"]) for x in lines] == [
        ("AL RASHID", "passenger"),
        ("MEIER", "passenger"),
        ("PILOT", "crew"),
    ]
    assert lines[0]["flight"] == "ZZ123" and lines[0]["birth_date"] == "1975-03-02"
    assert [hit["entry_id"] for hit in lines[0]["hits"]] == ["p1"]
    assert [hit["entry_id"] for hit in lines[1]["hits"]] == ["d1"]
    assert lines[2]["hits"] == []


def test_no_hit_exits_0(runner, lists, tmp_path):
    result = runner.invoke(main, ["paxlst", "screen", str(manifest(tmp_path, make_traveller()))])
    assert result.exit_code == 0, result.output
    (line,) = result.output.splitlines()
    assert json.loads(line)["hits"] == []


def test_a_refused_message_exits_1_and_the_others_are_screened(runner, lists, tmp_path):
    good = manifest(tmp_path, make_traveller())
    bad = tmp_path / "bad.edi"
    bad.write_text("UNB+UNOA:4+X+Y+260101:0000+1'UNH+1+PAXLST:D:02B:UN:IATA'")
    result = runner.invoke(main, ["paxlst", "screen", str(bad), str(good)])
    assert result.exit_code == 1
    assert "bad.edi: segment" in result.stderr
    assert len([line for line in result.stdout.splitlines() if line.startswith("{")]) == 1


def test_a_bad_record_is_screened_and_reported_with_it(runner, lists, tmp_path):
    text = write_paxlst(make_flight(), [make_traveller(), make_traveller(surname="SECOND")])
    broken = text.replace("DTM+329:720907", "DTM+329:729907", 1)  # month 99
    assert broken != text
    path = tmp_path / "broken.edi"
    path.write_text(broken)
    result = runner.invoke(main, ["paxlst", "screen", str(path)])
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["birth_date"] is None and first["problems"][0]["field"] == "birth_date"
    assert second["problems"] == []


def test_usage_errors_exit_2(runner):
    assert runner.invoke(main, ["paxlst", "screen"]).exit_code == 2
    assert runner.invoke(main, ["paxlst", "screen", "/no/such/file"]).exit_code == 2
