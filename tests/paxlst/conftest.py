"""Fixtures of the PAXLST tests: the reading day and a sample in the implementation guide's layout.

The sample is written by hand for MIDAS: it follows the segment layout of the single-sector
example in the WCO/IATA/ICAO API Guidelines' PAXLST Message Implementation Guide (UNA, UNB,
UNG, UNH, BGM, RFF+TN, NAD+MS, COM, TDT, LOC/DTM, then per traveller NAD, ATT, DTM, MEA, GEI,
FTX, LOC, COM, NAT, RFF, DOC, DTM, LOC; CNT, UNT, UNE, UNZ), with names, numbers, places and
dates of our own. The guide's own examples are not copied: the guide carries no licence that
allows it, and open-source copies of them (e.g. US-CBP/GTAS test resources) cannot license
what they did not write.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.paxlst.builders import TODAY

GUIDE_LAYOUT_SAMPLE = """\
UNA:+.? '
UNB+UNOA:4+XAAIRLINE+BORDERAPI+251120:0900+000000417'
UNG+PAXLST+XAAIRLINE+BORDERAPI+251120:0900+1+UN+D:05B'
UNH+XA0417+PAXLST:D:05B:UN:IATA+XA417/251121/0830+01:F'
BGM+745'
RFF+TN:XA4172511210830'
NAD+MS+++MERCER:ALBA'
COM+44 20 7946 0000:TE+44 20 7946 0001:FX'
TDT+20+XA417+++XA'
LOC+125+LHR'
DTM+189:2511210830:201'
LOC+87+JFK'
DTM+232:2511211125:201'
NAD+FL+++O?'BRIEN:SIOBHAN:MAIREAD+12 HARBOUR ROW+CORK++T12 X7Y4+IRL'
ATT+2++F'
DTM+329:860214'
MEA+CT++:1'
GEI+4+173'
FTX+BAG+++XA417001:1'
LOC+22+JFK'
LOC+174+IRL'
LOC+178+LHR'
LOC+179+JFK'
LOC+180+:::CORK IRL'
NAT+2+IRL'
RFF+AVF:QK7Z2M'
RFF+ABO:XA417001'
DOC+P:110:111+PX4471902'
DTM+36:290630'
LOC+91+IRL'
NAD+FL+++NAKAMURA:KENJI'
ATT+2++M'
DTM+329:19591103:102'
LOC+178+LHR'
LOC+179+JFK'
NAT+2+JPN'
RFF+AVF:QK7Z2M'
DOC+P:110:111+TZ0081234'
DTM+36:20310402:102'
LOC+91+JPN'
DOC+V:110:111+V55120987'
DTM+36:270101'
LOC+91+USA'
CNT+42:2'
UNT+42+XA0417'
UNE+1+1'
UNZ+1+000000417'
"""


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def guide_sample() -> str:
    return GUIDE_LAYOUT_SAMPLE
