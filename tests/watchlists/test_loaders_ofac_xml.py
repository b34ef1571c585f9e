"""The OFAC SDN XML loader on a hand-written fixture shaped like the real sdn.xml."""

from __future__ import annotations

from datetime import date

import pytest

from watchlists.errors import FormatError
from watchlists.loaders import ofac_xml
from watchlists.loaders.records import Skipped
from watchlists.models import BirthDate, IdentityDocument, NameQuality, PersonEntry, Rejected


@pytest.fixture
def records(fixtures_dir):
    return list(ofac_xml.iter_records(fixtures_dir / "ofac_xml_handmade.xml"))


def test_publish_date_is_read_from_publsh_information(fixtures_dir):
    assert ofac_xml.read_published(fixtures_dir / "ofac_xml_handmade.xml") == date(2024, 5, 3)


def test_individuals_load_and_other_types_are_skipped(records):
    assert [type(r) for r in records] == [Skipped, PersonEntry, PersonEntry, PersonEntry, Skipped]
    assert [r.what for r in records if isinstance(r, Skipped)] == ["entity", "vessel"]
    assert records[0].location == "sdnEntry #1 (uid 36)"


def test_names_keep_the_csv_spelling_and_aka_categories(records):
    zawahiri = records[1]

    assert [(n.full, n.quality) for n in zawahiri.names] == [
        ("AL ZAWAHIRI, Dr. Ayman", NameQuality.PRIMARY),
        ("AL-ZAWAHIRI, Ayman", NameQuality.STRONG),
        ("ABU MOHAMMED", NameQuality.WEAK),
    ]
    assert zawahiri.birth_dates == (BirthDate(1951, 1951, 6, 19),)
    assert zawahiri.nationalities == ("EGY",)
    assert zawahiri.documents == (
        IdentityDocument("1084010", "EGY", "Passport"),
        IdentityDocument("19820215", None, "Passport"),
    )
    assert zawahiri.remarks == "Operational and Military Leader of JIHAD GROUP."


def test_ids_give_documents_and_sex_but_not_crypto_addresses(records):
    li = records[2]

    assert li.sex == "M"
    assert li.documents == (IdentityDocument("210302198701102136", "CHN", "Identification Number"),)
    assert li.nationalities == ("CHN",)
    assert li.programs == ("DPRK3", "CYBER2")


def test_circa_and_ranges_and_gender_in_remarks(records):
    person = records[3]

    assert person.birth_dates == (BirthDate(1950, 1952), BirthDate(1955, 1957))
    assert person.sex == "F"
    assert person.nationalities == ("PRK",)


def test_a_bad_date_of_birth_rejects_the_entry(write_file):
    path = write_file(
        "sdn.xml",
        '<sdnList xmlns="http://tempuri.org/sdnList.xsd"><sdnEntry><uid>5</uid>'
        "<lastName>X</lastName><sdnType>Individual</sdnType><dateOfBirthList><dateOfBirthItem>"
        "<uid>6</uid><dateOfBirth>sometime</dateOfBirth></dateOfBirthItem></dateOfBirthList>"
        "</sdnEntry></sdnList>",
    )

    assert list(ofac_xml.iter_records(path)) == [
        Rejected("sdnEntry #1 (uid 5)", "dateOfBirth: 'sometime' is not an OFAC date")
    ]


def test_truncated_file_aborts_with_line_and_column(fixtures_dir, write_file):
    text = (fixtures_dir / "ofac_xml_handmade.xml").read_text(encoding="utf-8")
    path = write_file("sdn.xml", text[: len(text) // 2])

    with pytest.raises(FormatError) as caught:
        list(ofac_xml.iter_records(path))

    assert caught.value.location is not None
    assert caught.value.location.startswith("line ")
