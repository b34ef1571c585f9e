"""Why a screening hit matched, in words any page language can show.

The `watchlists` library names each feature in English ("birth date") and gives a detail that
is mostly data (the spellings compared); its feature names are mapped here to templates, and the
details this service writes itself (a chip's DG1, a repaired number) get their own templates.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from midas.domain.texts import N_, Text, percent

FEATURE_LABELS: Mapping[str, str] = {
    "name": N_("name"),
    "surname": N_("surname"),
    "given names": N_("given names"),
    "birth date": N_("birth date"),
    "nationality": N_("nationality"),
    "sex": N_("sex"),
    "script": N_("script"),
    "possible match": N_("possible match"),
    "issuing state": N_("issuing state"),
    "document number": N_("document number"),
    "document type": N_("document type"),
    "chip": N_("chip"),
}

CHIP_DETAIL = N_("found with the data in the chip's DG1, which differs from the page")
PRINTED_DETAIL = N_("as printed %(printed)s; the reader repaired it to %(repaired)s")
_PRINTED = re.compile(r"as printed (?P<printed>\S*); the reader repaired it to (?P<repaired>\S*)")


def printed_detail(printed: str, repaired: str | None) -> str:
    """Return the English detail of a hit found with the number as printed, not as repaired."""
    return PRINTED_DETAIL % {"printed": printed, "repaired": repaired}


def detail_text(detail: str) -> Text | str:
    """Return a reason's detail: this service's own sentences as templates, else data as is
    (the spellings, codes and dates the library compared)."""
    if detail == CHIP_DETAIL:
        return Text(CHIP_DETAIL)
    found = _PRINTED.fullmatch(detail)
    if found is not None:
        return Text(PRINTED_DETAIL, found.groupdict())
    return detail


def reason_text(reason: Any) -> Text:
    """Return one reason of a hit (`watchlists.models.Reason` or its JSON form) as a line:
    its feature, its score as a percentage and its detail."""
    found = reason if isinstance(reason, Mapping) else {
        "feature": reason.feature, "score": reason.score, "detail": reason.detail
    }  # fmt: skip
    feature = str(found.get("feature") or "")
    label = FEATURE_LABELS.get(feature)
    return Text(
        N_("%(feature)s: %(score)s — %(detail)s"),
        {
            "feature": Text(label) if label is not None else feature,
            "score": percent(float(found.get("score") or 0)),
            "detail": detail_text(str(found.get("detail") or "")),
        },
    )
