"""The OFAC legacy SDN CSV loader on the real 2021 and 2024 publications and on broken files."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from watchlists.loaders import ofac_csv
from watchlists.loaders.ofac_remarks import parse_dob, read_remarks
from watchlists.loaders.records import Skipped
from watchlists.models import BirthDate, IdentityDocument, NameQuality, PersonEntry, Rejected


def sdn_rows(path: Path) -> list[list[str]]:
    """Read an OFAC CSV with the csv module alone: the oracle the loader is checked against."""
    with path.open(newline="", encoding="utf-8") as handle:
        return [row for row in csv.reader(handle) if len(row) > 1]


def persons(path: Path) -> dict[str, PersonEntry]:
    return {r.entry_id: r for r in ofac_csv.iter_records(path) if isinstance(r, PersonEntry)}


@pytest.mark.shared_data
def test_2024_sdn_yields_every_individual_and_skips_every_other_type(data_dir):
    path = data_dir / "ofac_sdn" / "2024-05-03" / "sdn.csv"
    rows = sdn_rows(path)
    expected = Counter("individual" if r[2] == "individual" else r[2].strip() for r in rows)

    records = list(ofac_csv.iter_records(path))

    loaded = [r for r in records if isinstance(r, PersonEntry)]
    skipped = Counter(r.what for r in records if isinstance(r, Skipped))
    assert len(rows) == 14_965
    assert len(loaded) == expected["individual"] == 6_854
    assert skipped == {
        "entity": expected["-0-"],
        "vessel": expected["vessel"],
        "aircraft": expected["aircraft"],
    }
    assert not [r for r in records if isinstance(r, Rejected)]
    assert {p.entry_id for p in loaded} == {r[0] for r in rows if r[2] == "individual"}


@pytest.mark.shared_data
def test_a_known_2024_individual_is_read_from_name_and_remarks(data_dir):
    entries = persons(data_dir / "ofac_sdn" / "2024-05-03" / "sdn.csv")

    zawahiri = entries["2676"]

    assert zawahiri.names[0].full == "AL ZAWAHIRI, Dr. Ayman"
    assert (zawahiri.names[0].family, zawahiri.names[0].given) == ("AL ZAWAHIRI", "Dr. Ayman")
    assert zawahiri.birth_dates == (BirthDate(1951, 1951, 6, 19),)
    assert zawahiri.documents == (
        IdentityDocument("1084010", "EGY", "Passport"),
        IdentityDocument("19820215", None, "Passport"),
    )
    assert zawahiri.programs == ("SDGT",)
    assert entries["7782"].birth_dates == (BirthDate(1950, 1952),)  # DOB circa 1951
    assert entries["15496"].birth_dates == (BirthDate(1929, 1930),)  # DOB 1929 to 1930
    assert entries["12057"].programs[:3] == ("SDGT", "NPWMD", "IRGC")


@pytest.mark.shared_data
def test_every_dob_and_nationality_clause_of_2024_is_understood(data_dir):
    rows = sdn_rows(data_dir / "ofac_sdn" / "2024-05-03" / "sdn.csv")
    entries = persons(data_dir / "ofac_sdn" / "2024-05-03" / "sdn.csv")
    individuals = [r for r in rows if r[2] == "individual"]

    with_dob = {r[0] for r in individuals if "DOB " in r[11]}
    with_nationality = {r[0] for r in individuals if "nationality " in r[11] or "citizen " in r[11]}

    assert {e for e in with_dob if entries[e].birth_dates} == with_dob
    assert {e for e in with_nationality if entries[e].nationalities} == with_nationality


@pytest.mark.shared_data
def test_2021_triple_joins_aliases_and_remark_overflow(data_dir):
    folder = data_dir / "ofac_sdn" / "watchman-bench-2021"
    rows = sdn_rows(folder / "sdn.csv")
    individuals = {r[0]: r[1] for r in rows if r[2] == "individual"}
    alias_names: dict[str, set[str]] = {}
    for row in sdn_rows(folder / "alt.csv"):
        if row[0] in individuals and row[3] != individuals[row[0]]:
            alias_names.setdefault(row[0], set()).add(row[3])

    records = list(ofac_csv.iter_records(folder))

    entries = {r.entry_id: r for r in records if isinstance(r, PersonEntry)}
    assert len(rows) == 8_976
    assert len(entries) == len(individuals) == 4_620
    strong = {
        entry_id: {n.full for n in entry.names if n.quality is NameQuality.STRONG}
        for entry_id, entry in entries.items()
    }
    assert {k: v for k, v in strong.items() if v} == alias_names
    assert not [r for r in records if isinstance(r, Skipped) and r.what.startswith("alias")]
    li = entries["28264"]  # remarks continue in sdn_comments.csv mid-word
    assert "; Phone Number 8613314257947;" in (li.remarks or "")
    assert IdentityDocument("210302198701102136", "CHN", "Identification Number") in li.documents
    assert li.sex == "M"
    assert li.birth_dates == (BirthDate(1987, 1987, 1, 10),)


@pytest.mark.shared_data
def test_2024_sdn_beside_2025_alt_keeps_orphan_aliases_out(data_dir, tmp_path):
    (tmp_path / "sdn.csv").symlink_to(data_dir / "ofac_sdn" / "2024-05-03" / "sdn.csv")
    (tmp_path / "alt.csv").symlink_to(data_dir / "ofac_sdn" / "watchman-2025-12" / "alt.csv")
    individuals = {r[0]: r[1] for r in sdn_rows(tmp_path / "sdn.csv") if r[2] == "individual"}
    all_ents = {r[0] for r in sdn_rows(tmp_path / "sdn.csv")}
    alt_rows = sdn_rows(tmp_path / "alt.csv")
    joined = [r for r in alt_rows if r[0] in individuals]

    records = list(ofac_csv.iter_records(tmp_path))

    entries = [r for r in records if isinstance(r, PersonEntry)]
    with_alias = [e for e in entries if any(n.quality is NameQuality.STRONG for n in e.names)]
    orphans = [r for r in records if isinstance(r, Skipped) and r.what.startswith("alias")]
    assert (len({r[0] for r in joined}), len(joined)) == (3_295, 8_177)  # as SOURCES.md says
    # an alias spelled exactly like the primary name adds nothing and is dropped
    assert len(with_alias) == len({r[0] for r in joined if r[3] != individuals[r[0]]})
    assert len(orphans) == sum(1 for r in alt_rows if r[0] not in all_ents)
    assert orphans[0].location.startswith("alt.csv line ")


def test_bad_rows_are_rejected_with_their_line(write_file):
    path = write_file(
        "sdn.csv",
        '10,"ONE, Person","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
        '11,"TWO, Person","individual"\r\n'
        'x12,"THREE, Person","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
        '13,-0- ,"individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
        "\x1a",
    )

    records = list(ofac_csv.iter_records(path))

    assert isinstance(records[0], PersonEntry)
    assert records[0].remarks is None
    assert records[1:] == [
        Rejected("sdn.csv line 2", "row: expected 12 fields, got 3"),
        Rejected("sdn.csv line 3", "ent_num: 'x12' is not a number"),
        Rejected("sdn.csv line 4", "SDN_Name: is empty"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01 Jan 1960", BirthDate(1960, 1960, 1, 1)),
        ("Sep 1938", BirthDate(1938, 1938, 9)),
        ("1962", BirthDate(1962, 1962)),
        ("circa 1951", BirthDate(1950, 1952)),
        ("circa 1960-1962", BirthDate(1960, 1962)),
        ("1960 to 1962", BirthDate(1960, 1962)),
        ("01 Jan 1960 to 31 Dec 1962", BirthDate(1960, 1962)),
        ("05 May 1970 to 05 May 1970", BirthDate(1970, 1970, 5, 5)),
        ("31 Feb 1960", None),
        ("unknown", None),
    ],
)
def test_dob_forms(text, expected):
    assert parse_dob(text) == expected


def test_remarks_give_dates_countries_sex_documents_and_weak_aliases():
    facts = read_remarks(
        "DOB 1960; alt. DOB 1962; POB Tehran, Iran; nationality Iran; citizen Korea, North; "
        "Gender Female; Passport A123 (Iran) expires 09 May 2017; National ID No. 0030 (Iran); "
        "Tax ID No. 7731 (Russia); a.k.a. 'ABU ZUBAIDA'."
    )

    assert facts.birth_dates == (BirthDate(1960, 1960), BirthDate(1962, 1962))
    assert facts.nationalities == ("IRN", "PRK")
    assert facts.sex == "F"
    assert facts.documents == (
        IdentityDocument("A123", "IRN", "Passport"),
        IdentityDocument("0030", "IRN", "National ID No."),
    )
    assert facts.weak_aliases == ("ABU ZUBAIDA",)


@pytest.mark.shared_data
def test_a_real_sdn_file_cut_off_mid_download_is_refused(data_dir, tmp_path):
    from watchlists.errors import FormatError

    whole = (data_dir / "ofac_sdn" / "2024-05-03" / "sdn.csv").read_bytes()
    # Cut at 70% of the file, then back to the nearest quote: the cut falls in a quoted field.
    cut = whole[: whole.rindex(b'"', 0, int(len(whole) * 0.7)) + 5]
    (tmp_path / "sdn.csv").write_bytes(cut)
    with pytest.raises(FormatError):
        list(ofac_csv.iter_records(tmp_path / "sdn.csv"))
