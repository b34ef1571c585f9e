"""Refusal-of-entry reason codes, as data.

The codes and texts are those of the standard form for refusal of entry at the border, Schengen
Borders Code (Regulation (EU) 2016/399) Annex V Part B: the letter an officer writes beside the
cancelled entry stamp. Code J (no valid travel authorisation) was added to the form by the ETIAS
Regulation (EU) 2018/1240. A post outside the Schengen area uses the same letters: they are the
best-known common vocabulary and they keep the refusal statistics comparable.
"""

from __future__ import annotations

from dataclasses import dataclass

from midas.domain.errors import InvalidInput
from midas.domain.texts import N_


@dataclass(frozen=True, slots=True)
class RefusalReason:
    """One reason for refusing entry: its letter on the form and the form's text (in English;
    a page shows it with `translated`)."""

    code: str
    text: str


REFUSAL_REASONS: tuple[RefusalReason, ...] = (
    RefusalReason("A", N_("has no valid travel document(s)")),
    RefusalReason("B", N_("has a false, counterfeit or forged travel document")),
    RefusalReason("C", N_("has no valid visa or residence permit")),
    RefusalReason("D", N_("has a false, counterfeit or forged visa or residence permit")),
    RefusalReason(
        "E", N_("has no appropriate documentation justifying the purpose and conditions of stay")
    ),
    RefusalReason(
        "F",
        N_(
            "has already stayed for 90 days during a 180-day period on the territory of the "
            "Member States of the European Union"
        ),
    ),
    RefusalReason(
        "G",
        N_(
            "does not have sufficient means of subsistence in relation to the period and form of "
            "stay, or the means to return to the country of origin or transit"
        ),
    ),
    RefusalReason(
        "H",
        N_(
            "is a person for whom an alert has been issued for the purposes of refusing entry "
            "(in the SIS or in the national register)"
        ),
    ),
    RefusalReason(
        "I",
        N_(
            "is considered to be a threat to public policy, internal security, public health or "
            "the international relations of one or more Member States of the European Union"
        ),
    ),
    RefusalReason("J", N_("has no valid travel authorisation")),
)

_BY_CODE = {reason.code: reason for reason in REFUSAL_REASONS}


def refusal_reason(code: str, *, field: str = "refusal_reason") -> RefusalReason:
    """Return the reason with this letter (any case); raise InvalidInput naming the field."""
    found = _BY_CODE.get(code.strip().upper())
    if found is None:
        known = ", ".join(_BY_CODE)
        raise InvalidInput(
            N_("%(code)s is not a refusal reason code (%(known)s)"),
            params={"code": repr(code), "known": known},
            field=field,
        )
    return found
