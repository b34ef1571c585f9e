"""Write PAXLST interchanges (D02B, D05B) from a flight and travellers: tests, benchmarks, demos.

The layout is the one the WCO/IATA/ICAO implementation guide shows; optional segments the
reader passes over (COM, MEA, GEI, FTX, LOC+178/179) are not written.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime

from paxlst.dates import write_date
from paxlst.models import Flight, Role, Traveller
from paxlst.syntax import DEFAULT_CHARS, ServiceChars

DIRECTORIES = {"D02B": ("D", "02B"), "D05B": ("D", "05B")}
_LISTS: dict[Role, tuple[str, str, str]] = {
    # BGM code, NAD qualifier, CNT qualifier
    "passenger": ("745", "FL", "42"),
    "crew": ("250", "FM", "41"),
}


def write_paxlst(
    flight: Flight,
    travellers: Sequence[Traveller],
    *,
    directory: str = "D02B",
    chars: ServiceChars = DEFAULT_CHARS,
    per_message: int | None = None,
    long_years: bool = False,
    line_breaks: bool = False,
    sender: str = "MIDASDEMO",
    recipient: str = "MIDASAPI",
    prepared: datetime = datetime(2025, 1, 1, 0, 0),
    control_reference: str = "000000001",
    syntax: str = "UNOA",
) -> str:
    """Return one interchange: a passenger list and a crew list for whichever roles occur.

    `per_message` splits a list into parts of at most that many travellers (UNH sequence
    01:C, 02:C, ... n:F, one common access reference and RFF+TN for all). `long_years` writes
    DTM formats 102 and 203 instead of 101 and 201. Raises ValueError for a directory other
    than D02B and D05B, or a value holding a separator when the UNA advises no release.
    """
    if directory not in DIRECTORIES:
        raise ValueError(f"directory {directory!r} is not D02B or D05B")
    if per_message is not None and per_message < 1:
        raise ValueError(f"per_message {per_message} is not a positive number")
    writer = _Writer(chars, long_years)
    stamp = f"{prepared:%y%m%d}:{prepared:%H%M}"
    segments = [
        writer.segment(
            "UNB", [syntax, "4"], [sender], [recipient], stamp.split(":"), [control_reference]
        )
    ]
    count = 0
    roles: list[Role] = [r for r in ("passenger", "crew") if any(t.role == r for t in travellers)]
    for role in roles or ["passenger"]:
        listed = [t for t in travellers if t.role == role]
        size = per_message or max(len(listed), 1)
        chunks = [listed[i : i + size] for i in range(0, len(listed), size)] or [[]]
        for index, chunk in enumerate(chunks, start=1):
            count += 1
            part = (index, index == len(chunks)) if len(chunks) > 1 else None
            segments.extend(writer.message(flight, role, chunk, directory, f"PAX{count:04d}", part))
    segments.append(writer.segment("UNZ", [str(count)], [control_reference]))
    end = "\n" if line_breaks else ""
    # UNA is written even for the default characters, so that no reader has to assume them.
    return chars.una() + end + "".join(s + end for s in segments)


class _Writer:
    """Builds escaped segments with one set of service characters."""

    def __init__(self, chars: ServiceChars, long_years: bool) -> None:
        self.chars = chars
        self.long_years = long_years

    def segment(self, tag: str, *elements: Sequence[str]) -> str:
        """Return one segment, escaping every value and dropping empty trailing parts."""
        chars = self.chars
        parts = [tag]
        for element in elements:
            values = [self._escape(v) for v in element]
            while values and not values[-1]:
                values.pop()
            parts.append(chars.component.join(values))
        while len(parts) > 1 and not parts[-1]:
            parts.pop()
        return chars.element.join(parts) + chars.terminator

    def _escape(self, value: str) -> str:
        chars = self.chars
        if chars.release == " ":
            special = (chars.component, chars.element, chars.terminator)
            if any(c in value for c in special):
                raise ValueError(f"{value!r} holds a separator and the UNA advises no release")
            return value
        return chars.escape(value)

    def _date(self, qualifier: str, value: date | datetime) -> str:
        text, code = write_date(value, self.long_years)
        # The guide writes birth dates and expiries (101) without their format code.
        return self.segment("DTM", [qualifier, text, "" if code == "101" else code])

    def message(
        self,
        flight: Flight,
        role: Role,
        travellers: Sequence[Traveller],
        directory: str,
        reference: str,
        part: tuple[int, bool] | None,
    ) -> Iterator[str]:
        """Yield the segments of one UNH..UNT message."""
        bgm, party, cnt = _LISTS[role]
        version, release = DIRECTORIES[directory]
        access = _access_reference(flight)
        status = [f"{part[0]:02d}", "F" if part[1] else "C"] if part else []
        body = [
            self.segment("BGM", [bgm]),
            *(
                [self.segment("RFF", ["TN", flight.transaction_reference])]
                if flight.transaction_reference
                else []
            ),
            self.segment("NAD", ["MS"], [], [], ["MIDAS DEMO"]),
            self.segment("TDT", ["20"], [flight.designator], [], [], [flight.carrier or ""]),
        ]
        if flight.departure_airport:
            body.append(self.segment("LOC", ["125"], [flight.departure_airport]))
        if flight.departure_time is not None:
            body.append(self._date("189", flight.departure_time))
        if flight.arrival_airport:
            body.append(self.segment("LOC", ["87"], [flight.arrival_airport]))
        if flight.arrival_time is not None:
            body.append(self._date("232", flight.arrival_time))
        for traveller in travellers:
            body.extend(self.traveller(traveller, party))
        body.append(self.segment("CNT", [cnt, str(len(travellers))]))
        unh = self.segment(
            "UNH",
            [reference],
            ["PAXLST", version, release, "UN", "IATA"],
            [access],
            status,
        )
        yield unh
        yield from body
        yield self.segment("UNT", [str(len(body) + 2)], [reference])

    def traveller(self, t: Traveller, party: str) -> Iterator[str]:
        """Yield the segments of one traveller record (group 4 with its DOC group 5)."""
        yield self.segment("NAD", [party], [], [], [t.surname, t.given_names])
        if t.sex:
            yield self.segment("ATT", ["2"], [], [t.sex])
        if t.birth_date is not None:
            yield self._date("329", t.birth_date)
        if t.nationality:
            yield self.segment("NAT", ["2"], [t.nationality])
        if t.booking_reference:
            yield self.segment("RFF", ["AVF", t.booking_reference])
        documents = []
        if t.document_number or t.document_type:
            documents.append(
                (
                    t.document_type or "",
                    t.document_number or "",
                    t.document_expiry,
                    t.document_issuing_state,
                )
            )
        documents.extend((d.type, d.number, d.expiry, d.issuing_state) for d in t.other_documents)
        for kind, number, expiry, state in documents:
            yield self.segment("DOC", [kind, "110", "111"], [number])
            if expiry is not None:
                yield self._date("36", expiry)
            if state:
                yield self.segment("LOC", ["91"], [state])


def _access_reference(flight: Flight) -> str:
    """Return the common access reference the guide suggests: flight/date/time of departure."""
    if flight.common_access_reference:
        return flight.common_access_reference
    when = flight.departure_time
    if isinstance(when, datetime):
        return f"{flight.designator}/{when:%y%m%d}/{when:%H%M}"
    if when is not None:
        return f"{flight.designator}/{when:%y%m%d}"
    return flight.designator
