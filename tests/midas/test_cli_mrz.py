import json

import pytest

from midas import create_app
from midas.cli import main
from tests.scanners.mrz import specimens as s
from tests.scanners.mrz_images import looped_pdf


@pytest.fixture
def run(tmp_path):
    app = create_app({"ENV": "testing", "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"})
    runner = app.test_cli_runner()

    def invoke(*args, stdin=None):
        return runner.invoke(main, ["mrz", *args], input=stdin)

    return invoke


def lines_of(result):
    return [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]


def test_parse_reads_several_mrzs_separated_by_blank_lines(run):
    text = "\n".join(s.TD3) + "\n\n" + "\n".join(s.TD1) + "\n\n\n" + "\n".join(s.MRVB) + "\n"
    result = run("parse", "--today", "2026-11-23", stdin=text)
    assert result.exit_code == 0, result.output
    records = lines_of(result)
    assert [r["format"] for r in records] == ["TD3", "TD1", "MRVB"]
    assert records[0]["birth_date"] == "1974-08-12"
    assert records[0]["sex"] == "F"
    assert all(r["valid"] for r in records)


def test_parse_exits_1_when_any_mrz_is_invalid(run):
    bad = s.TD3[1][:19] + "7" + s.TD3[1][20:]
    result = run("parse", stdin="\n".join(s.TD3) + "\n\n" + s.TD3[0] + "\n" + bad + "\n")
    assert result.exit_code == 1
    records = lines_of(result)
    assert [r["valid"] for r in records] == [True, False]
    failed = [c for c in records[1]["checks"] if not c["passed"]]
    assert failed[0]["name"] == "birth_date" and failed[0]["column"] == 20


def test_parse_reads_files_given_as_arguments(run, tmp_path):
    one, two = tmp_path / "one.txt", tmp_path / "two.txt"
    one.write_text("\n".join(s.TD2) + "\n")
    two.write_text("\n".join(s.MRVA) + "\n")
    result = run("parse", str(one), str(two))
    assert result.exit_code == 0
    assert [r["format"] for r in lines_of(result)] == ["TD2", "MRVA"]


def test_parse_without_input_is_a_usage_error(run):
    result = run("parse", stdin="\n\n")
    assert result.exit_code == 2
    assert "no MRZ" in result.output


def test_parse_with_a_missing_file_is_a_usage_error(run, tmp_path):
    assert run("parse", str(tmp_path / "absent.txt")).exit_code == 2


def test_expiry_horizon_flags_documents_expiring_soon(run):
    result = run("parse", "--today", "2112-03-01", "--expiry-horizon", "60", stdin="\n".join(s.TD3))
    assert lines_of(result)[0]["expires_soon"] is True
    result = run("parse", "--today", "2112-03-01", "--expiry-horizon", "10", stdin="\n".join(s.TD3))
    assert lines_of(result)[0]["expires_soon"] is False


def test_read_without_images_is_a_usage_error(run):
    assert run("read").exit_code == 2


def test_read_reports_an_unreadable_file_in_order_and_exits_1(run, tmp_path):
    junk = tmp_path / "junk.png"
    junk.write_bytes(b"not an image")
    result = run("read", str(junk))
    assert result.exit_code == 1
    record = lines_of(result)[0]
    assert record["source"] == str(junk)
    assert record["valid"] is False


def test_parse_reads_a_long_expired_specimen_as_expired_not_as_next_century(run):
    result = run("parse", "--today", "2026-12-07", stdin="\n".join(s.TD3))
    record = lines_of(result)[0]
    assert (record["expiry_date"], record["expired"]) == ("2012-04-15", True)


def test_parse_prints_the_document_number_as_read_beside_the_repaired_one(run):
    line2 = s.TD3[1][:5] + "O" + s.TD3[1][6:]
    record = lines_of(run("parse", "--today", "2026-11-23", stdin=s.TD3[0] + "\n" + line2))[0]
    assert (record["document_number"], record["printed_document_number"]) == (
        "L898902C3",
        "L8989O2C3",
    )


def test_read_reports_a_pdf_whose_page_tree_loops_without_a_traceback(run, tmp_path):
    looped = tmp_path / "looped.pdf"
    looped.write_bytes(looped_pdf())
    result = run("read", str(looped))
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    record = lines_of(result)[0]
    assert record["valid"] is False
    assert "first page cannot be read" in record["error"]
