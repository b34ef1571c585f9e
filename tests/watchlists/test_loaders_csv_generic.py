"""The generic CSV loader: documented columns, one Rejected per bad row, naming line and field."""

from __future__ import annotations

import pytest

from statecodes import SPECIAL_CODES, SPECIMEN_CODE
from watchlists.errors import FormatError, SourceNotFoundError
from watchlists.loaders import csv_generic
from watchlists.models import (
    BirthDate,
    DocumentEntry,
    DocumentStatus,
    IdentityDocument,
    NameQuality,
    PersonEntry,
    Rejected,
)

PERSONS = (
    "entry_id,name,aliases,birth_date,nationalities,sex,document_numbers,category,action\r\n"
    'P1,"DOE, John",Johnny Doe|J. DOE,1970-05-01|1972,USA|gb,M,IRN:A123|X9,wanted,arrest\r\n'
    "P2,Maria Rossi,,1960..1965,,F,,,\r\n"
)


def test_person_rows_map_every_documented_column(write_file):
    path = write_file("persons.csv", PERSONS)

    first, second = csv_generic.iter_records(path)

    assert first == PersonEntry(
        entry_id="P1",
        names=first.names,
        birth_dates=(BirthDate(1970, 1970, 5, 1), BirthDate(1972, 1972)),
        nationalities=("USA", "GBR"),
        sex="M",
        documents=(IdentityDocument("A123", "IRN"), IdentityDocument("X9")),
        category="wanted",
        action="arrest",
    )
    assert [(n.full, n.quality) for n in first.names] == [
        ("DOE, John", NameQuality.PRIMARY),
        ("Johnny Doe", NameQuality.STRONG),
        ("J. DOE", NameQuality.STRONG),
    ]
    assert isinstance(second, PersonEntry)
    assert second.birth_dates == (BirthDate(1960, 1965),)
    assert second.category == "sanctions"
    assert second.action == PersonEntry("x", ()).action


def test_document_rows_map_every_documented_column(write_file):
    path = write_file(
        "docs.csv",
        "document_number,entry_id,issuing_state,status,document_type,reported,source_ref\n"
        "C01X00T47,D1,DEU,stolen,P,2024-02-29,BKA-77\n",
    )

    (entry,) = csv_generic.iter_records(path)

    assert entry == DocumentEntry(
        entry_id="D1",
        number="C01X00T47",
        issuing_state="DEU",
        status=DocumentStatus.STOLEN,
        document_type="P",
        reported=entry.reported,
        source_ref="BKA-77",
    )
    assert str(entry.reported) == "2024-02-29"


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("P3,,,,,,,,", "name: is empty"),
        (",Ann,,,,,,,", "entry_id: is empty"),
        ("P3,Ann,,1970-13-01,,,,,", "birth_date: month must be in 1..12"),
        ("P3,Ann,,1975..1970,,,,,", "birth_date: '1975..1970' ends before it starts"),
        ("P3,Ann,,circa 1970,,,,,", "birth_date: 'circa 1970' is not YYYY, YYYY-MM or YYYY-MM-DD"),
        ("P3,Ann,,,Atlantis,,,,", "nationalities: 'Atlantis' is not a known country"),
        ("P3,Ann,,,,X,,,", "sex: 'X' is not M, F or empty"),
        ("P3,Ann,,,,,IRN:,,", "document_numbers: 'IRN:' has no number"),
        ("P3,Ann,,,", "row: expected 9 fields, got 5"),
    ],
)
def test_a_bad_person_row_is_rejected_with_line_and_field(write_file, row, reason):
    path = write_file("persons.csv", PERSONS + "\r\n" + row + "\r\n")

    records = list(csv_generic.iter_records(path))

    assert [type(r) for r in records] == [PersonEntry, PersonEntry, Rejected]
    assert records[2].location == "line 5"
    assert records[2].reason.startswith(reason)


def test_line_numbers_count_physical_lines_of_quoted_multiline_cells(write_file):
    path = write_file(
        "persons.csv",
        'entry_id,name,aliases\nP1,"Ann\nMarie",\nP2,,\n',
    )

    records = list(csv_generic.iter_records(path))

    assert records[1] == Rejected(location="line 4", reason="name: is empty")


def test_bad_document_status_and_date_are_rejected(write_file):
    path = write_file(
        "docs.csv",
        "entry_id,document_number,issuing_state,status,reported\n"
        "D1,123,FRA,misplaced,\n"
        "D2,123,FRA,lost,29/02/2024\n"
        "D3,123,,lost,\n",
    )

    reasons = [(r.location, r.reason.split(":")[0]) for r in csv_generic.iter_records(path)]

    assert reasons == [("line 2", "status"), ("line 3", "reported"), ("line 4", "issuing_state")]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("entry_id,birth_date", "needs a 'name' or a 'document_number' column"),
        ("entry_id,name,birthdate", "unknown column(s) birthdate"),
        ("name,aliases", "missing column(s) entry_id"),
    ],
)
def test_a_bad_header_aborts_the_file_at_line_1(write_file, header, message):
    path = write_file("bad.csv", header + "\n")

    with pytest.raises(FormatError) as caught:
        list(csv_generic.iter_records(path))

    assert caught.value.location == "line 1"
    assert message in caught.value.reason


def test_non_utf8_bytes_abort_with_a_location(write_file):
    path = write_file("latin1.csv", "entry_id,name\nP1,Ann\nP2,Jos\xe9\n", encoding="latin-1")

    with pytest.raises(FormatError, match="not UTF-8"):
        list(csv_generic.iter_records(path))


def test_an_empty_file_and_a_missing_file_are_errors(write_file, tmp_path):
    with pytest.raises(FormatError, match="header row is required"):
        list(csv_generic.iter_records(write_file("empty.csv", "")))
    with pytest.raises(SourceNotFoundError):
        list(csv_generic.iter_records(tmp_path / "absent.csv"))


@pytest.mark.parametrize("code", sorted({*SPECIAL_CODES, SPECIMEN_CODE}))
def test_every_doc_9303_code_the_reader_accepts_can_be_listed(write_file, code):
    persons = write_file(
        "persons.csv",
        "entry_id,name,nationalities,document_numbers\n"
        f"P1,Ann Lee,{code},{code}:X1|{code.lower()}:X2\n",
    )
    documents = write_file(
        "docs.csv", f"entry_id,document_number,issuing_state,status\nD1,X1,{code},stolen\n"
    )

    (person,) = csv_generic.iter_records(persons)
    (document,) = csv_generic.iter_records(documents)

    assert person.nationalities == (code,)
    assert person.documents == (IdentityDocument("X1", code), IdentityDocument("X2", code))
    assert document.issuing_state == code


@pytest.mark.parametrize(("written", "code"), [("Kosovo", "RKS"), ("XKX", "RKS"), ("xk", "RKS")])
def test_kosovo_as_lists_write_it_becomes_rks(write_file, written, code):
    path = write_file(
        "docs.csv", f"entry_id,document_number,issuing_state,status\nD1,X1,{written},stolen\n"
    )

    (document,) = csv_generic.iter_records(path)

    assert document.issuing_state == code


def test_an_unknown_state_is_rejected_not_kept(write_file):
    path = write_file(
        "docs.csv", "entry_id,document_number,issuing_state,status\nD1,X1,ZZZ,stolen\n"
    )

    (rejected,) = csv_generic.iter_records(path)

    assert rejected == Rejected(
        "line 2", "issuing_state: 'ZZZ' is not a known country, ISO 3166 or Doc 9303 code"
    )


def test_a_file_cut_off_inside_a_quoted_field_is_refused(tmp_path):
    from watchlists.errors import FormatError
    from watchlists.loaders.csv_generic import iter_records

    path = tmp_path / "cut.csv"
    path.write_text(
        'entry_id,name,aliases\np1,"Ivan Petrov","Ivan P."\np2,"Olga Sm', encoding="utf-8"
    )
    with pytest.raises(FormatError) as caught:
        list(iter_records(path, progress=False))
    assert "line 3" in str(caught.value)
