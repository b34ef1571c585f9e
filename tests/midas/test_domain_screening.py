"""Screening a reading: person and document against every active list, hits with version ids."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from midas.domain.screening import screen_identity, store_hits
from midas.domain.travellers import Identity
from midas.persistence.models import Decision
from tests.midas.crossing_builders import PEOPLE, load_lists, make_world, record, screener_for, tx


def identity(**overrides) -> Identity:
    values = dict(
        surname="AL RASHID",
        given_names="MOHAMED",
        birth_date=date(1975, 3, 2),
        nationality="IRQ",
        sex="M",
        document_number="C01X00T47",
        issuing_state="D",
        document_type="P",
    )
    values.update(overrides)
    return Identity.of(**values)


def test_person_and_document_are_screened_against_every_active_list(app, tmp_path):
    load_lists(app, tmp_path)
    result = screen_identity(screener_for(app), identity())
    assert {hit.list_name for hit in result.hits} == {"alerts", "sltd"}
    assert result.versions == {"alerts": 1, "sltd": 1}


def test_a_clean_traveller_has_no_hit(app, tmp_path):
    load_lists(app, tmp_path)
    clean = identity(surname="ERIKSSON", given_names="ANNA", document_number="L1")
    assert screen_identity(screener_for(app), clean).hits == []


def test_hits_are_stored_with_the_version_they_came_from(app, session, tmp_path: Path):
    load_lists(app, tmp_path)
    load_lists(
        app, tmp_path, people=[*PEOPLE, ["p2", "Anna Maria Eriksson", "", "1974-08-12", "SWE", "F"]]
    )
    world = make_world(session)
    crossing = record(
        session, world.officer, screener_for(app), decision=Decision.REFERRED
    ).crossing
    stored = {hit.list_name: hit for hit in crossing.hits}
    assert stored["alerts"].list_version_id != 1  # version 2 of alerts, not the superseded one
    assert stored["alerts"].entry_id == "p2"


def test_a_hit_from_an_unknown_version_is_refused(app, session, tmp_path):
    load_lists(app, tmp_path)
    world = make_world(session)
    crossing_id = record(session, world.officer, screener_for(app)).crossing.id
    hit = screen_identity(screener_for(app), identity()).hits[0]
    from dataclasses import replace

    with pytest.raises(LookupError), tx(session):
        store_hits(session, crossing_id, [replace(hit, list_version=99)])
