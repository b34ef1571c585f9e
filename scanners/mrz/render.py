"""Write MRZ lines from field values, computing every check digit (for tests, demos, fixtures)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from scanners.mrz.checkdigit import compute
from scanners.mrz.formats import Format, detect


@dataclass(frozen=True, slots=True)
class MRZFields:
    """The values one MRZ carries, as a person would type them."""

    document_code: str
    issuing_state: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    birth_date: date
    expiry_date: date
    sex: str | None
    optional_data: str = ""
    optional_data_2: str = ""


def _pad(text: str, width: int) -> str:
    return text.replace(" ", "<").ljust(width, "<")[:width]


def _yymmdd(day: date) -> str:
    return day.strftime("%y%m%d")


def name_field(surname: str, given_names: str, width: int) -> str:
    """Return the name field: surname, `<<`, given names, cut to the width."""
    text = surname.replace(" ", "<") + ("<<" + given_names.replace(" ", "<") if given_names else "")
    return _pad(text, width)


def render(format_name: str, fields: MRZFields) -> list[str]:
    """Return the MRZ lines for `fields` in the named format."""
    fmt = _format(format_name, fields.document_code)
    code = _pad(fields.document_code, 2)
    state = _pad(fields.issuing_state, 3)
    nat = _pad(fields.nationality, 3)
    dob, exp = _yymmdd(fields.birth_date), _yymmdd(fields.expiry_date)
    sex = fields.sex or "<"
    number = fields.document_number
    if fmt.name == "TD1":
        if len(number) > 9:
            head, tail = number[:9], number[9:]
            # Doc 9303 Part 5 §4.2.2: the overflow, its check digit, then a filler, then other data
            overflow = tail + compute(number) + "<" + fields.optional_data
            line1 = code + state + head + "<" + _pad(overflow, 15)
        else:
            line1 = code + state + _pad(number, 9) + compute(_pad(number, 9))
            line1 += _pad(fields.optional_data, 15)
        line2 = (
            dob + compute(dob) + sex + exp + compute(exp) + nat + _pad(fields.optional_data_2, 11)
        )
        composite = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
        return [
            line1,
            line2 + compute(composite),
            name_field(fields.surname, fields.given_names, 30),
        ]
    line1 = code + state + name_field(fields.surname, fields.given_names, fmt.line_length - 5)
    padded = _pad(number, 9)
    line2 = padded + compute(padded) + nat + dob + compute(dob) + sex + exp + compute(exp)
    if fmt.name == "TD3":
        personal = _pad(fields.optional_data, 14)
        line2 += personal + compute(personal)
    elif fmt.name == "TD2":
        line2 += _pad(fields.optional_data, 7)
    else:
        line2 += _pad(fields.optional_data, fmt.line_length - 28)
    if fmt.name in ("TD2", "TD3"):
        line2 += compute(line2[0:10] + line2[13:20] + line2[21:])
    return [line1, line2]


def _format(name: str, code: str) -> Format:
    shapes = {"TD1": (3, 30), "TD2": (2, 36), "TD3": (2, 44), "MRVA": (2, 44), "MRVB": (2, 36)}
    count, length = shapes[name]
    first = "V" if name.startswith("MRV") else ("P" if name == "TD3" else code[:1] or "I")
    fmt = detect(count, length, first)
    assert fmt is not None and fmt.name == name, name
    return fmt
