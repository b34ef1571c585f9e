"""The steps of Passive Authentication in words any page language can show.

The `chip` library names each step and its outcome with stable codes and says why in English
(with serials, dates and algorithms). English pages keep its sentence; other languages show the
step's name and outcome from the templates here. The step this service adds itself (whether the
signer's state is the document's) has its own templates with the states as parameters.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from midas.domain.texts import N_, Text

STEP_LABELS: Mapping[str, str] = {
    "sod_structure": N_("security object"),
    "hash_algorithm": N_("hash algorithm"),
    "signed_attributes": N_("signed attributes"),
    "signature": N_("signature"),
    "signer_chain": N_("signer's chain"),
    "signer_validity": N_("signer's validity"),
    "dsc_validity": N_("document signer's validity"),
    "dsc_revocation": N_("document signer's revocation"),
    "csca_chain": N_("country signing CA"),
    "csca_validity": N_("country signing CA's validity"),
    "signer_state": N_("signer's state"),
    "structure": N_("structure"),
}
_DATA_GROUP_HASH = re.compile(r"dg(\d+)_hash")
OUTCOMES: Mapping[str, str] = {
    "passed": N_("%(step)s: passed"),
    "failed": N_("%(step)s: failed"),
    "not_verifiable": N_("%(step)s: cannot be verified"),
    "skipped": N_("%(step)s: not checked"),
}
# The signer's-state step (midas.domain.chip_checks): each outcome's sentence.
SIGNER_STATE_UNKNOWN = N_("the signer's country cannot be compared with %(state)s")
SIGNER_STATE_SAME = N_("signed by a CSCA of %(state)s")
SIGNER_STATE_OTHER = N_("the document names %(state)s but was signed by a CSCA of %(signer)s")


def step_label(name: str) -> Text:
    """Return a step's name as words (a data group's hash: "DG2 hash")."""
    label = STEP_LABELS.get(name)
    if label is not None:
        return Text(label)
    group = _DATA_GROUP_HASH.fullmatch(name)
    if group is not None:
        return Text(N_("DG%(number)s hash"), {"number": group.group(1)})
    return Text(name.replace("_", " "), translatable=False)


def step_text(step: Any) -> Text:
    """Return one step (the library's or its JSON form) as "name: why" in English, and as its
    name and outcome in other languages; the signer's-state step says why in every language."""
    found = step if isinstance(step, Mapping) else step.to_dict()
    name, status, detail = str(found["name"]), str(found["status"]), str(found["detail"])
    english = f"{name.replace('_', ' ')}: {detail}"
    if name == "signer_state":
        said = _signer_state(detail)
        if said is not None:
            return Text(N_("%(step)s: %(detail)s"), {"step": step_label(name), "detail": said},
                        english=english)  # fmt: skip
    template = OUTCOMES.get(status, OUTCOMES["skipped"])
    return Text(template, {"step": step_label(name)}, english=english)


def _pattern(template: str) -> re.Pattern[str]:
    """Return a pattern reading a template's sentence back into its parameters."""
    escaped = re.escape(template).replace(r"%\(", "%(").replace(r"\)s", ")s")
    return re.compile(re.sub(r"%\((\w+)\)s", r"(?P<\1>\\S+)", escaped))


_SIGNER_STATE = tuple(
    (_pattern(template), template)
    for template in (SIGNER_STATE_UNKNOWN, SIGNER_STATE_SAME, SIGNER_STATE_OTHER)
)


def _signer_state(detail: str) -> Text | None:
    """Return the signer's-state detail kept in a reading as its template and states."""
    for pattern, template in _SIGNER_STATE:
        found = pattern.fullmatch(detail)
        if found is not None:
            return Text(template, found.groupdict())
    return None
