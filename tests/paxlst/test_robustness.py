"""Any input either reads or raises a PaxlstError: never another exception, never a hang."""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paxlst.errors import PaxlstError
from paxlst.manifest import read_manifests
from paxlst.write import write_paxlst
from tests.paxlst.builders import TODAY, make_flight, make_traveller

VALID = write_paxlst(
    make_flight(),
    [make_traveller(), make_traveller(role="crew", surname="O'NEIL"), make_traveller()],
    per_message=1,
    line_breaks=True,
)
# Pieces of real segments, so that random text reaches the envelope and the mapping too.
_PIECES = st.sampled_from(
    [
        "UNA:+.? '",
        "UNB+UNOA:4+A+B+1:1+1'",
        "UNH+1+PAXLST:D:02B:UN:IATA+X+01:F'",
        "BGM+745'",
        "TDT+20+ZZ1'",
        "NAD+FL+++A:B'",
        "DTM+329:720230'",
        "CNT+42:1'",
        "UNT+2+1'",
        "UNZ+1+1'",
        "?",
        "'",
        "+",
        ":",
        "\n",
        "²",
        "9" * 30,
        "DOC+P+1'",
        "ATT+2++M'",
        "LOC+91+GBR'",
    ]
)


def _reads_or_refuses(data: bytes | str) -> None:
    with contextlib.suppress(PaxlstError):
        read_manifests(data, TODAY)


@settings(max_examples=300, deadline=1000)
@given(st.binary(max_size=400))
def test_any_bytes_read_or_are_refused(data):
    _reads_or_refuses(data)


@settings(max_examples=300, deadline=1000)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_any_run_of_segment_pieces_reads_or_is_refused(text):
    _reads_or_refuses(text)


@settings(max_examples=300, deadline=1000, suppress_health_check=[HealthCheck.too_slow])
@given(
    cut=st.integers(0, len(VALID)),
    length=st.integers(0, 20),
    insert=st.text(max_size=5),
)
def test_any_damage_to_a_valid_interchange_reads_or_is_refused(cut, length, insert):
    _reads_or_refuses(VALID[:cut] + insert + VALID[cut + length :])
    _reads_or_refuses(VALID[:cut].encode("latin-1"))


def test_the_undamaged_interchange_reads():
    assert [len(m.travellers) for m in read_manifests(VALID, TODAY)] == [2, 1]
