"""The FollowTheMoney JSON-lines loader and its delta reader, on the OpenSanctions samples."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import date

import pytest

from statecodes import SPECIAL_CODES, SPECIMEN_CODE
from watchlists.errors import FormatError
from watchlists.loaders import ftm
from watchlists.loaders.records import Skipped
from watchlists.models import BirthDate, IdentityDocument, NameQuality, PersonEntry, Rejected


def entities(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@pytest.mark.shared_data
@pytest.mark.parametrize("name", ["zala.entities.ftm.json", "eu_fsf_sample.entities.ftm.json"])
def test_target_persons_load_and_other_schemas_are_counted(data_dir, name):
    path = data_dir / "opensanctions_ftm" / name
    source = entities(path)
    targets = [e["id"] for e in source if e["schema"] == "Person" and e.get("target") is not False]
    others = Counter(e["schema"] for e in source if e["schema"] != "Person")

    records = list(ftm.iter_records(path))

    assert [r.entry_id for r in records if isinstance(r, PersonEntry)] == targets
    assert Counter(r.what.split(" (")[0] for r in records if isinstance(r, Skipped)) == others
    assert not [r for r in records if isinstance(r, Rejected)]


@pytest.mark.shared_data
def test_a_person_maps_names_dates_countries_and_documents(data_dir):
    path = data_dir / "opensanctions_ftm" / "zala.entities.ftm.json"
    source = next(e for e in entities(path) if e["id"] == "NK-hUAjuiA3vTKXF6v2X6MYnS")["properties"]

    loaded = [r for r in ftm.iter_records(path) if isinstance(r, PersonEntry)]
    entry = next(r for r in loaded if r.entry_id == "NK-hUAjuiA3vTKXF6v2X6MYnS")

    assert [n.full for n in entry.names if n.quality is NameQuality.PRIMARY] == source["name"]
    assert [n.full for n in entry.names if n.quality is NameQuality.STRONG] == source["alias"]
    assert entry.birth_dates == (BirthDate(1999, 1999, 2, 26),)
    assert entry.nationalities == ("RUS",)
    assert entry.sex == "M"
    assert entry.documents == (IdentityDocument("089132114", kind="passport"),)
    assert entry.category == "sanctions"
    assert entry.programs == tuple(source["programId"])
    cyrillic = next(n for n in entry.names if n.full.startswith("Лаврентий"))
    assert cyrillic.script == "Cyrl"


@pytest.mark.shared_data
def test_deltas_are_read_in_file_order(data_dir):
    folder = data_dir / "opensanctions_ftm" / "deltas"
    expected = [
        (line["op"], line["entity"]["id"])
        for file in sorted(folder.glob("*.json"))
        for line in entities(file)
    ]

    ops = list(ftm.iter_delta(folder))

    assert [(op.op, op.entity_id) for op in ops] == expected
    assert ftm.read_published(folder) == date(2024, 5, 28)
    assert isinstance(ops[1].record, PersonEntry)
    assert ops[0].location == "20240527194702-wnk.entities.delta.json line 1"


def test_bad_lines_are_rejected_and_a_cut_last_line_aborts(write_file):
    person = (
        '{"id": "p1", "schema": "Person", '
        '"properties": {"name": ["Ann Lee"], "birthDate": ["1970-13"]}}'
    )
    path = write_file(
        "e.json",
        '{"id": "p0", "schema": "Person", "properties": {"name": ["Bo Li"]}}\n'
        "{not json\n" + person + "\n" + '{"schema": "Person"}\n' + '["a list"]\n',
    )

    records = list(ftm.iter_records(path))

    assert isinstance(records[0], PersonEntry)
    assert [(r.location, r.reason.split(":")[0]) for r in records[1:]] == [
        ("line 2", "json"),
        ("line 3", "birthDate"),
        ("line 4", "id"),
        ("line 5", "json"),
    ]
    cut = write_file("cut.json", '{"id": "p0", "schema": "Person", "properties": {"name": ["Bo')
    with pytest.raises(FormatError, match="truncated") as caught:
        list(ftm.iter_records(cut))
    assert caught.value.location == "line 1"


def test_persons_without_name_property_fall_back_to_name_parts(write_file):
    path = write_file(
        "e.json",
        '{"id": "p0", "schema": "Person", '
        '"properties": {"firstName": ["Ann"], "lastName": ["Lee"]}}\n'
        '{"id": "p1", "schema": "Person", "properties": {}}\n',
    )

    first, second = ftm.iter_records(path)

    assert isinstance(first, PersonEntry)
    assert (first.names[0].full, first.names[0].given, first.names[0].family) == (
        "Ann Lee",
        "Ann",
        "Lee",
    )
    assert second == Rejected("line 2", "name: the Person has no name")


def person(entity_id, **properties):
    properties.setdefault("name", [f"Person {entity_id}"])
    return json.dumps({"id": entity_id, "schema": "Person", "properties": properties})


def document(entity_id, schema="Passport", **properties):
    return json.dumps({"id": entity_id, "schema": schema, "properties": properties})


def persons(path):
    return {r.entry_id: r for r in ftm.iter_records(path) if isinstance(r, PersonEntry)}


@pytest.mark.parametrize("order", ["document first", "holder first"])
def test_passports_and_identity_cards_join_their_holder_with_their_state(write_file, order):
    lines = [
        document("pp", number=["AB 123"], country=["ua"], holder=["p"]),
        document("id", "Identification", number=["777"], country=["xk"], holder=["p"]),
        person("p"),
    ]
    if order == "holder first":
        lines.reverse()
    path = write_file("e.json", "\n".join(lines) + "\n")

    records = list(ftm.iter_records(path))

    (entry,) = [r for r in records if isinstance(r, PersonEntry)]
    assert set(entry.documents) == {
        IdentityDocument("AB 123", "UKR", "passport", entity_id="pp"),
        IdentityDocument("777", "RKS", "id", entity_id="id"),
    }
    assert sorted(r.what for r in records if isinstance(r, Skipped)) == [
        "Identification (on its holder's entry)",
        "Passport (on its holder's entry)",
    ]


@pytest.mark.parametrize("code", sorted({*SPECIAL_CODES, SPECIMEN_CODE}))
def test_a_document_entity_can_carry_every_doc_9303_code(write_file, code):
    path = write_file(
        "e.json",
        person("p")
        + "\n"
        + document("pp", passportNumber=["X1"], country=[code.lower()], holder=["p"])
        + "\n",
    )

    assert persons(path)["p"].documents == (IdentityDocument("X1", code, "passport", "pp"),)


def test_a_person_s_own_numbers_have_no_state_unless_a_document_entity_gives_one(write_file):
    path = write_file(
        "e.json",
        "\n".join(
            [
                person("p", passportNumber=["AB-123", "C9"], idNumber=["55"]),
                document("pp", number=["AB123"], country=["de"], holder=["p"], type=["diplomatic"]),
            ]
        )
        + "\n",
    )

    assert persons(path)["p"].documents == (
        IdentityDocument("C9", None, "passport"),
        IdentityDocument("55", None, "id"),
        IdentityDocument("AB123", "DEU", "diplomatic", "pp"),
    )


def test_document_entities_without_number_holder_or_known_country_are_not_attached(write_file):
    path = write_file(
        "e.json",
        "\n".join(
            [
                person("p"),
                document("a", holder=["p"]),
                document("b", number=["1"]),
                document("c", number=["2"], country=["Atlantis"], holder=["p"]),
            ]
        )
        + "\n",
    )

    records = list(ftm.iter_records(path))

    assert records[0] == replace(records[0], documents=())
    assert records[1:] == [
        Skipped("line 2", "Passport (no number)"),
        Rejected("line 3", "holder: the document names no holder"),
        Rejected("line 4", "country: 'Atlantis' is not a known country or code"),
    ]


@pytest.mark.shared_data
def test_the_opensanctions_passport_without_number_is_skipped_not_attached(data_dir):
    path = data_dir / "opensanctions_ftm" / "zala.entities.ftm.json"

    records = list(ftm.iter_records(path))

    assert Skipped("line 45", "Passport (no number)") in records
    holder = next(r for r in records if getattr(r, "entry_id", None) == "NK-aU5ybkbRFJucf8YMwsJvDw")
    assert holder.documents == ()


@pytest.mark.parametrize("opening", ["[", '{"a":', '{"id": "p9", "schema": "Passport", "x": ['])
@pytest.mark.parametrize("last", [False, True])
def test_a_line_nested_too_deeply_is_a_rejected_line_not_a_crash(write_file, opening, last):
    deep = opening * 200_000
    person = '{"id": "p1", "schema": "Person", "properties": {"name": ["Ann Lee"]}}\n'
    after = "" if last else "\n" + person.replace("p1", "p2")
    path = write_file("e.json", person + deep + after)

    records = list(ftm.iter_records(path))

    expected = ["p1"] if last else ["p1", "p2"]
    assert [r.entry_id for r in records if isinstance(r, PersonEntry)] == expected
    assert [(r.location, r.reason) for r in records if isinstance(r, Rejected)] == [
        ("line 2", "json: nested too deeply")
    ]


def test_a_number_of_too_many_digits_is_a_rejected_line_not_a_crash(write_file):
    person = '{"id": "p1", "schema": "Person", "properties": {"name": ["Ann Lee"]}}\n'
    huge = '{"id": "p9", "schema": "Passport", "n": ' + "9" * 5000 + "}\n"
    path = write_file("e.json", person + huge + person.replace("p1", "p2"))

    records = list(ftm.iter_records(path))

    assert [r.entry_id for r in records if isinstance(r, PersonEntry)] == ["p1", "p2"]
    assert [(r.location, r.reason) for r in records if isinstance(r, Rejected)] == [
        ("line 2", "json: a number has too many digits")
    ]


def test_a_document_line_that_is_not_utf8_fails_the_load_naming_where(write_file):
    person = b'{"id": "p1", "schema": "Person", "properties": {"name": ["Ann Lee"]}}\n'
    broken = b'{"id": "d1", "schema": "Passport", "properties": {"number": ["\xff\xfe"]}}\n'
    path = write_file("e.json", person + broken)

    with pytest.raises(FormatError, match="not UTF-8"):
        list(ftm.iter_records(path))
