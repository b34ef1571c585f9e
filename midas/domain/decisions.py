"""Decide what a reading allows: the concerns an officer must see and what admitting needs.

One pure function, `assess`, holds every rule; recording, corrections, the station page and the
API all call it, so none of them can disagree about what is safe:
- a document that is expired or not valid, or a reading with uncertain characters, gets no
  preselected decision; admitting takes an explicit choice and a reason;
- a hit on a list whose policy is *block* lets only a supervisor admit, with a reason; *refer*
  preselects secondary inspection and admitting needs a reason; *inform* only informs;
- a possible match (the name matches, the birth date differs) refers, whatever its list's policy;
- a hit confirmed on an earlier crossing, and a document on record with another identity, need
  a reason to admit;
- an entry after an entry with no exit between them is shown, and asks for nothing;
- a chip that fails Passive Authentication, or whose DG1 differs from the printed MRZ, refers
  and admitting needs a reason; a chip that cannot be verified is shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum

from midas.domain.errors import Conflict, PermissionDenied
from midas.domain.mrz_problems import field_labels
from midas.domain.texts import N_, Text
from midas.persistence.models import AlertPolicy, Decision
from midas.persistence.models.lists import default_policy
from watchlists.models import Hit, ListKind


class Needs(IntEnum):
    """What admitting the traveller takes, from least to most."""

    NOTHING = 0
    REASON = 1
    SUPERVISOR = 2


@dataclass(frozen=True, slots=True)
class Concern:
    """One thing the officer must see before deciding, and what it asks of an admission."""

    code: str
    text: Text
    needs: Needs = Needs.NOTHING
    # True when the reading itself is in doubt: no decision is then preselected.
    doubts_document: bool = False

    @property
    def message(self) -> str:
        """Return the concern in English (the API's and the logs' words)."""
        return self.text.render()


@dataclass(frozen=True, slots=True)
class ReadingFacts:
    """What the reading says about the document itself."""

    source: str  # "mrz" or "manual"
    valid: bool
    expired: bool
    # Characters the reader was unsure of: repairs made, or the image was hard to read.
    uncertain: bool = False
    # Passive Authentication of the chip read with the document (None: no chip was read), the
    # step it failed at, and the MRZ fields where the chip's DG1 differs from the printed page.
    chip: str | None = None
    chip_failed_step: str | None = None
    chip_differences: tuple[str, ...] = ()
    # Chip files were read but hold no readable DG1: nothing ties the chip to this document.
    chip_without_dg1: bool = False
    # A supervisor referred the traveller to secondary inspection before their flight landed
    # (advance passenger information, midas.domain.flights).
    referred_before_arrival: bool = False


@dataclass(frozen=True, slots=True)
class Listed:
    """A hit as the rules see it: which list, what kind, which entry, and whether only possible."""

    list_name: str
    kind: ListKind
    entry_id: str
    matched_name: str
    possible: bool = False

    @classmethod
    def of(cls, hit: Hit) -> Listed:
        """Return a screening hit as the rules see it."""
        return cls(hit.list_name, hit.kind, hit.entry_id, hit.matched_name, hit.possible)


@dataclass(frozen=True, slots=True)
class Assessment:
    """The concerns about one reading, what admitting needs, and the decision to preselect."""

    concerns: tuple[Concern, ...]

    @property
    def needs(self) -> Needs:
        """Return the most any concern asks of an admission."""
        return max((c.needs for c in self.concerns), default=Needs.NOTHING)

    @property
    def suggested(self) -> Decision | None:
        """Return the decision to preselect, or None when the officer must choose."""
        if any(c.doubts_document for c in self.concerns):
            return None
        return Decision.ADMITTED if self.needs is Needs.NOTHING else Decision.REFERRED

    def codes(self) -> list[str]:
        """Return the concerns' codes, in order."""
        return [c.code for c in self.concerns]


def reading_concerns(facts: ReadingFacts) -> list[Concern]:
    """Return what is wrong with the document as read."""
    found = []
    if facts.expired:
        found.append(
            Concern("document_expired", Text(N_("The document has expired.")), Needs.REASON, True)
        )
    if facts.source == "mrz" and not facts.valid:
        found.append(
            Concern(
                "document_not_valid",
                Text(N_("The document is not valid: a check digit or a field of the MRZ fails.")),
                Needs.REASON,
                True,
            )
        )
    if facts.uncertain:
        found.append(
            Concern(
                "reading_uncertain",
                Text(
                    N_(
                        "Some characters were uncertain: compare the name, number and dates "
                        "with the document."
                    )
                ),
                Needs.REASON,
                True,
            )
        )
    found.extend(chip_concerns(facts))
    if facts.referred_before_arrival:
        found.append(
            Concern(
                "referred_before_arrival",
                Text(
                    N_(
                        "A supervisor referred this traveller to secondary inspection before their "
                        "flight landed"
                    )
                ),
                Needs.REASON,
            )
        )
    return found


def chip_concerns(facts: ReadingFacts) -> list[Concern]:
    """Return what the chip says against the document: a failed Passive Authentication or a DG1
    that differs from the printed MRZ refers (admitting needs a reason); a chip that cannot be
    verified (no CSCA for the issuer, no EF.SOD) is shown and asks for nothing."""
    found = []
    if facts.chip == "failed":
        if facts.chip_failed_step:
            text = Text(
                N_(
                    "The chip failed Passive Authentication at step %(step)s: its data may have "
                    "been altered; refer to secondary inspection"
                ),
                {"step": facts.chip_failed_step},
            )
        else:
            text = Text(
                N_(
                    "The chip failed Passive Authentication: its data may have been altered; "
                    "refer to secondary inspection"
                )
            )
        found.append(Concern("chip_failed", text, Needs.REASON))
    elif facts.chip == "not_verifiable":
        found.append(
            Concern(
                "chip_not_verifiable",
                Text(
                    N_(
                        "The chip's signature could not be verified (no signing certificate of the "
                        "issuing state in the trust store, or no security object)."
                    )
                ),
            )
        )
    if facts.chip_without_dg1 and facts.chip != "failed":
        found.append(
            Concern(
                "chip_without_dg1",
                Text(
                    N_(
                        "The chip's files hold no readable DG1: nothing ties the chip to this "
                        "document; "
                        "read the chip again"
                    )
                ),
                Needs.REASON,
            )
        )
    if facts.chip_differences:
        found.append(
            Concern(
                "chip_mrz_mismatch",
                Text(
                    N_(
                        "The chip's MRZ differs from the printed one in %(fields)s: compare the "
                        "holder with the document"
                    ),
                    {"fields": field_labels(facts.chip_differences)},
                ),
                Needs.REASON,
            )
        )
    return found


def hit_concern(hit: Listed, policy: AlertPolicy) -> Concern:
    """Return what a fresh hit asks of the decision under its list's policy."""
    document = hit.kind is ListKind.DOCUMENT
    what = "document" if document else "person"
    label = {"list": hit.list_name, "entry": hit.entry_id, "name": hit.matched_name}
    if hit.possible:
        return Concern(
            "possible_match",
            Text(
                N_(
                    "Possible match on %(list)s entry %(entry)s (%(name)s): the name matches, "
                    "the birth date differs"
                ),
                label,
            ),
            Needs.REASON,
        )
    if policy is AlertPolicy.BLOCK:
        return Concern(
            f"{what}_hit_block",
            Text(
                N_(
                    "The document is on %(list)s entry %(entry)s (%(name)s); the list blocks "
                    "admission"
                )
                if document
                else N_(
                    "The person is on %(list)s entry %(entry)s (%(name)s); the list blocks "
                    "admission"
                ),
                label,
            ),
            Needs.SUPERVISOR,
        )
    if policy is AlertPolicy.REFER:
        return Concern(
            f"{what}_hit_refer",
            Text(
                N_(
                    "The document is on %(list)s entry %(entry)s (%(name)s): refer to secondary "
                    "inspection"
                )
                if document
                else N_(
                    "The person is on %(list)s entry %(entry)s (%(name)s): refer to secondary "
                    "inspection"
                ),
                label,
            ),
            Needs.REASON,
        )
    return Concern(
        f"{what}_hit_inform",
        Text(
            N_("For information: the document is on %(list)s entry %(entry)s (%(name)s).")
            if document
            else N_("For information: the person is on %(list)s entry %(entry)s (%(name)s)."),
            label,
        ),
    )


def assess(
    reading: ReadingFacts,
    hits: Iterable[Listed],
    policies: Mapping[str, AlertPolicy],
    *,
    confirmed: Iterable[Text] = (),
    other_identity: bool = False,
    entry_without_exit: bool = False,
) -> Assessment:
    """Return every concern about a reading and its screening; pure, no session.

    `policies`: each list's alert policy by name (a list missing there takes its kind's default).
    `confirmed`: a sentence per hit confirmed on an earlier crossing of this traveller or document.
    """
    concerns = reading_concerns(reading)
    for hit in hits:
        policy = policies.get(hit.list_name) or default_policy(hit.kind)
        concerns.append(hit_concern(hit, policy))
    concerns.extend(
        Concern(
            "confirmed_hit",
            Text(N_("%(hit)s was confirmed on an earlier crossing"), {"hit": sentence}),
            Needs.REASON,
        )
        for sentence in confirmed
    )
    if other_identity:
        concerns.append(
            Concern(
                "document_other_identity",
                Text(
                    N_(
                        "Document seen with another identity: this document is on record for "
                        "another "
                        "person; compare the holder with the document"
                    )
                ),
                Needs.REASON,
            )
        )
    if entry_without_exit:
        concerns.append(
            Concern(
                "entry_without_exit",
                Text(N_("The last crossing on record is an entry with no exit since.")),
            )
        )
    return Assessment(tuple(concerns))


def check_decision(
    assessment: Assessment, decision: Decision, override_reason: str | None, *, supervisor: bool
) -> str | None:
    """Refuse an admission the concerns do not allow; return the override reason to keep."""
    reason = (override_reason or "").strip() or None
    if decision is not Decision.ADMITTED:
        return reason
    needs = assessment.needs
    if needs is Needs.SUPERVISOR and not supervisor:
        blocking = next(c for c in assessment.concerns if c.needs is Needs.SUPERVISOR)
        raise PermissionDenied(
            N_(
                "%(concern)s: only a supervisor may admit, giving a reason; refer the traveller "
                "to secondary inspection"
            ),
            params={"concern": blocking.text},
            field="decision",
        )
    if needs is not Needs.NOTHING and reason is None:
        said = tuple(c.text for c in assessment.concerns if c.needs)
        raise Conflict(
            N_("%(concerns)s: say why you admit the traveller"),
            params={"concerns": said},
            field="override_reason",
        )
    return reason
