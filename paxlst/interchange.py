"""The EDIFACT envelope: UNB/UNZ interchange, optional UNG/UNE groups, UNH/UNT messages."""

from __future__ import annotations

import re
from dataclasses import dataclass

from paxlst.errors import EdifactError
from paxlst.syntax import Segment, ServiceChars, is_number, read_segments

#: Character encodings of the UNB syntax identifiers (ISO 9735 Part 1 annex); UNOA and UNOB
#: are subsets of ASCII, and a message may only use what its identifier allows.
ENCODINGS = {
    "UNOA": "ascii",
    "UNOB": "ascii",
    "UNOC": "latin-1",
    "UNOD": "iso8859-2",
    "UNOE": "iso8859-5",
    "UNOF": "iso8859-7",
    "UNOG": "iso8859-3",
    "UNOH": "iso8859-4",
    "UNOI": "iso8859-6",
    "UNOJ": "iso8859-8",
    "UNOK": "iso8859-9",
    "UNOW": "utf-8",
    "UNOY": "utf-8",
}
_SYNTAX = re.compile(rb"UNB.(UNO[A-Z])")


@dataclass(frozen=True, slots=True)
class Message:
    """One UNH..UNT message: its header values and every segment, UNH and UNT included.

    `part` and `last_part` come from UNH's status of the transfer (S010): a PAXLST too long for
    one message is sent in parts 1, 2, ... with `C` on every part but the final `F`.
    """

    reference: str
    type: str
    version: str
    release: str
    agency: str
    association: str
    common_access_reference: str
    part: int | None
    last_part: bool | None
    segments: tuple[Segment, ...]

    @property
    def directory(self) -> str:
        """Return the directory the message follows, e.g. D02B or D05B."""
        return f"{self.version}{self.release}"


@dataclass(frozen=True, slots=True)
class Interchange:
    """One UNB..UNZ interchange: who sent it to whom, how it was written, and its messages."""

    syntax: str
    sender: str
    recipient: str
    prepared: str
    control_reference: str
    service_chars: ServiceChars
    messages: tuple[Message, ...]


# Characters no EDIFACT character repertoire holds. Let through: tab, line feed and carriage
# return (line breaks between segments are a common courtesy) and the information separators
# IS4..IS1 (0x1c-0x1f), syntax level B's default service characters.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1b\x7f-\x9f\ud800-\udfff]")


def decode(data: bytes) -> str:
    """Decode bytes with the encoding the UNB syntax identifier names (ASCII when none)."""
    found = _SYNTAX.search(data[:200])
    syntax = found.group(1).decode("ascii") if found else "UNOA"
    encoding = ENCODINGS.get(syntax, "utf-8")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start].decode(encoding, errors="replace")
        # The segment number is counted on the text before the fault, with the default
        # terminator; a custom UNA terminator is counted too.
        terminator = prefix[8] if prefix.startswith("UNA") and len(prefix) > 8 else "'"
        number = prefix.count(terminator) + (0 if prefix.startswith("UNA") else 1)
        raise EdifactError(
            number, exc.start, f"byte {data[exc.start]:#04x} is not {syntax} ({encoding})"
        ) from None
    control = _CONTROL.search(text)
    if control is not None:
        # A NUL or an escape would otherwise reach the names stored and shown.
        prefix = text[: control.start()]
        terminator = prefix[8] if prefix.startswith("UNA") and len(prefix) > 8 else "'"
        number = prefix.count(terminator) + (0 if prefix.startswith("UNA") else 1)
        raise EdifactError(
            number, control.start(), f"control character {ord(control.group()):#04x} in the text"
        )
    return text


def read_interchange(data: bytes | str) -> Interchange:
    """Read one interchange: UNA advice, UNB/UNZ envelope, UNG/UNE groups, UNH/UNT messages."""
    text = decode(data) if isinstance(data, bytes) else data
    chars, segments = read_segments(text)
    if not segments:
        raise EdifactError(1, len(text), "no segments: an interchange starts with UNB")
    unb = segments[0]
    if unb.tag != "UNB":
        raise EdifactError(unb.number, unb.offset, f"{unb.tag} where the interchange needs UNB")
    control = unb.value(5)
    messages: list[Message] = []
    groups = 0
    group: Segment | None = None
    group_messages = 0
    current: list[Segment] = []
    unz: Segment | None = None
    for segment in segments[1:]:
        if unz is not None:
            raise _error(segment, "segment after UNZ, which ends the interchange")
        if current:
            current.append(segment)
            if segment.tag == "UNT":
                messages.append(_message(current))
                group_messages += 1
                current = []
            elif segment.tag in ("UNH", "UNZ", "UNB", "UNG", "UNE"):
                raise _error(segment, f"{segment.tag} inside message {current[0].value(1)!r}")
            continue
        if segment.tag == "UNH":
            current = [segment]
        elif segment.tag == "UNG" and group is None:
            group, group_messages = segment, 0
            groups += 1
        elif segment.tag == "UNE" and group is not None:
            _check_count(segment, group_messages, "messages in the group")
            _check_reference(segment, group.value(5), "UNG")
            group = None
        elif segment.tag == "UNZ" and group is None:
            unz = segment
        else:
            raise _error(segment, f"{segment.tag} outside a message")
    last = segments[-1]
    end = last.offset + 1
    if current:
        raise EdifactError(
            last.number + 1, end, f"text ends inside message {current[0].value(1)!r} (no UNT)"
        )
    if group is not None:
        raise EdifactError(last.number + 1, end, "text ends inside a group (no UNE)")
    if unz is None:
        raise EdifactError(last.number + 1, end, "text ends before UNZ")
    _check_count(unz, groups or len(messages), "groups" if groups else "messages")
    _check_reference(unz, control, "UNB")
    return Interchange(
        syntax=unb.value(1),
        sender=unb.value(2),
        recipient=unb.value(3),
        prepared=":".join(unb.elements[3]) if len(unb.elements) > 3 else "",
        control_reference=control,
        service_chars=chars,
        messages=tuple(messages),
    )


def _message(segments: list[Segment]) -> Message:
    unh, unt = segments[0], segments[-1]
    _check_count(unt, len(segments), "segments in the message")
    _check_reference(unt, unh.value(1), "UNH")
    part_text = unh.value(4, 0)
    first_last = unh.value(4, 1)
    if part_text and not is_number(part_text):
        raise _error(unh, f"sequence of transfers {part_text!r} is not a number")
    if first_last not in ("", "C", "F"):
        raise _error(unh, f"first and last transfer {first_last!r} is neither C nor F")
    return Message(
        reference=unh.value(1),
        type=unh.value(2, 0),
        version=unh.value(2, 1),
        release=unh.value(2, 2),
        agency=unh.value(2, 3),
        association=unh.value(2, 4),
        common_access_reference=unh.value(3),
        part=int(part_text) if part_text else None,
        last_part=None if not first_last else first_last == "F",
        segments=tuple(segments),
    )


def _error(segment: Segment, reason: str) -> EdifactError:
    return EdifactError(segment.number, segment.offset, reason)


def _check_count(segment: Segment, expected: int, what: str) -> None:
    given = segment.value(1)
    if not (is_number(given) and int(given) == expected):
        raise _error(segment, f"{segment.tag} counts {given!r} {what}; there are {expected}")


def _check_reference(segment: Segment, expected: str, opener: str) -> None:
    given = segment.value(2)
    if given != expected:
        raise _error(
            segment, f"{segment.tag} reference {given!r} differs from {opener}'s {expected!r}"
        )
