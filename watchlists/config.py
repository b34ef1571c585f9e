"""Screening configuration: thresholds and feature weights as data, each with what it is for."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class TokenScores:
    """Scores given to a pair of name tokens by the way they agree."""

    # Same letters after transliteration.
    exact: float = 1.0
    # Same after folding ICAO alternatives (MUELLER/MULLER, HUSSEIN/HUSEIN).
    folded: float = 0.97
    # Spellings of one name in variants.VARIANT_GROUPS (MOHAMED/MUHAMMAD, YUSUF/YOUSEF).
    variant: float = 0.95
    # Two romanisations of one Arabic, Persian or Pashto name (TAREK/TARIQ, HUSAYN/HOSSEIN).
    transliteration: float = 0.93
    # A given name and its hypocorism (TED/THEODORE, SASHA/ALEKSANDR).
    hypocorism: float = 0.9
    # One side glues a prefix the other writes apart or leaves out (ALZAWAHIRI/ZAWAHIRI).
    glued: float = 0.93
    # A query token that is a prefix of a list token: the MRZ name field was cut at 39/30/31.
    prefix: float = 0.92
    # One token against two written together (RAMIMAKHLOUF, MAKHLOUF RAMI), times their similarity.
    merged: float = 0.93
    # An initial against a name it could stand for (V against VLADIMIROVICH), either way round.
    initial: float = 0.9
    # Floor for tokens with the same Metaphone code (typing or OCR error that sounds the same).
    phonetic: float = 0.85
    # Shortest token for which a phonetic agreement counts at all.
    phonetic_min_length: int = 4
    # Metaphone drops vowels (KAZEMI/QASIM): sounding alike counts only with this much in common.
    phonetic_min_edit: float = 0.65
    # Pairs whose longer token is shorter than this must agree exactly, by spelling or by variant.
    fuzzy_min_length: int = 4
    # Pairs scoring below this are treated as not matching each other.
    minimum: float = 0.72


@dataclass(frozen=True, slots=True)
class EvidenceWeight:
    """How far one supporting feature moves a name score: up when it agrees, down when it does not.

    A feature scores in [0, 1] with 0.5 neutral; the adjustment is `support * (s - 0.5) / 0.5`
    above neutral and `contradict * (s - 0.5) / 0.5` below it.
    """

    support: float
    contradict: float

    def adjustment(self, score: float) -> float:
        """Return the amount to add to the name score for a feature that scored `score`."""
        weight = self.support if score >= 0.5 else self.contradict
        return weight * (score - 0.5) / 0.5


@dataclass(frozen=True, slots=True)
class BirthDateScores:
    """Scores of a traveller's birth date against a listed one (0.5 is neutral)."""

    # Same day, month and year.
    exact: float = 1.0
    # Day and month swapped (US versus European order in the source).
    swapped: float = 0.9
    # The year falls in a listed year or range and the list gives no day.
    year_in_range: float = 0.85
    # Same year but a different day or month.
    same_year: float = 0.3
    # The year differs by one (typing error, or an approximate listing).
    near_year: float = 0.25
    # Anything further apart.
    different: float = 0.0


# The possible_match_floor recommended for wanted-person lists: exact names, MRZ and reordered
# forms, one typing error or a variant spelling reach it; a missing middle name or two errors do
# not (docs/benchmarks.md, "Possible matches"; 0.92 before the name rules of issue 17 raised
# what such names score). Sanctions lists keep the floor off.
WANTED_POSSIBLE_MATCH_FLOOR = 0.94


@dataclass(frozen=True, slots=True)
class ScreeningConfig:
    """Everything that decides whether a traveller hits a listed person; the algorithm as data."""

    # A hit is reported when the final score reaches this.
    threshold: float = 0.87
    # Token agreement scores (see TokenScores).
    tokens: TokenScores = field(default_factory=TokenScores)
    # Cost of a traveller's token with no partner in the listed name, relative to its weight.
    unmatched_query_penalty: float = 0.4
    # ... when every token of the listed name is matched and they weigh at least
    # `covered_name_weight` together (two uncommon names): a document's fuller name.
    unmatched_extra_query_penalty: float = 0.2
    covered_name_weight: float = 2.0
    # Cost of a listed given name with no partner in the traveller's name (missing middle names).
    unmatched_list_penalty: float = 0.15
    # Cost of a listed surname token with no partner: documents rarely leave out a surname.
    unmatched_list_surname_penalty: float = 0.4
    # ... unless another token of the same surname is matched: Hispanic and Portuguese double
    # surnames are often written with one of them (MADURO for MADURO MOROS), which then costs
    # what a missing middle name costs.
    unmatched_second_surname_penalty: float = 0.22
    # A short form of a name is its first given name and a surname, all of it matched, weighing
    # at least this (DANIEL MORA for MORA RICARDO, Daniel Alberto): the rest of the listed name
    # it leaves out then costs one missing middle name (`unmatched_list_penalty`), however many
    # tokens it has. A listed short form of the traveller's name leaves out their patronymic at
    # that cost too (MENYAILO, Sergei for MENYAILO, Sergei Ivanovich).
    short_form_weight: float = 1.4
    # ... and a listed short form of the traveller's name weighing at least this may leave out
    # their middle names (GILBOA, Joseph for GILBOA, Joseph Papzian), each then costing one
    # missing middle name: more than `short_form_weight`, as a common given name and a surname
    # (HAMDAN, Ahmed) have many namesakes with a middle name more (docs/benchmarks.md). None
    # charges them as any other extra token.
    middle_name_weight: float | None = 1.8
    # Cost of a listed first given name with no partner: travel documents carry the first given
    # name; it is middle names that go missing (DIAZ, ROSA ISABEL is not simply ISABEL DIAZ).
    unmatched_first_given_penalty: float = 0.4
    # When the traveller's name may have been cut to fit the MRZ, listed given names that find no
    # partner may be the part cut off: their cost is multiplied by this.
    cut_name_discount: float = 0.3
    # Weight of an initial (a one-letter token): it says little about who someone is.
    initial_weight: float = 0.3
    # Weight of a particle (AL, BIN, VAN …); other tokens weigh between min and 1 by rarity.
    particle_weight: float = 0.15
    # Weights of frequent, common and very common name tokens (watchlists/common_names.py, fixed
    # reference data: never the list's own counts, so a score depends on the two names alone);
    # any other token weighs 1.
    common_token_weights: tuple[float, float, float] = (0.8, 0.6, 0.4)
    # A name needs this much matched token weight to be scored at all (not one common token).
    min_matched_weight: float = 0.9
    # A traveller's token that is itself a name people bear (common_names.is_known_name: GORAN
    # and ZORAN, not ANMA and ANNA) is more likely a namesake than a typo of the listed token it
    # resembles: a typo or sound-alike agreement then counts `known_name_typo_factor` of its
    # score, unless the birthday agrees. A factor of 1 turns this off.
    known_name_typo_factor: float = 0.8
    # A traveller whose full birth date agrees with a listed one (exact, or day and month swapped:
    # a birth-date score of at least `supported_birth_score`) hits with a name score of at least
    # `supported_name_threshold`: two typing errors in a name of short tokens (ANG AUG for AUNG
    # AUNG) bring it under `threshold`, and an innocent sharing both name and birthday is rare.
    supported_birth_score: float = 0.9
    supported_name_threshold: float = 0.72
    # A name that scores at least this on its own, but whose final score falls under the
    # threshold because a birth date, nationality or sex on the list contradicts the traveller's,
    # is still returned as a possible match (Hit.possible) with the contradiction spelled out: a
    # wanted person travelling on a false identity carries the listed name and another birth date.
    # None drops such names, as a sanctions list should (its false-alert rate was tuned so).
    possible_match_floor: float | None = None
    # Birth date, nationality and sex: how much agreement adds and disagreement takes away.
    birth_date: EvidenceWeight = field(default_factory=lambda: EvidenceWeight(0.08, 0.25))
    birth_date_scores: BirthDateScores = field(default_factory=BirthDateScores)
    # Nationality: agreement says little (many share one), disagreement less than a birth date.
    nationality: EvidenceWeight = field(default_factory=lambda: EvidenceWeight(0.02, 0.05))
    # Sex: agreement is expected and adds nothing much; disagreement is strong evidence.
    sex: EvidenceWeight = field(default_factory=lambda: EvidenceWeight(0.01, 0.2))
    # Blocking: postings of rarest tokens are gathered until this many names are in hand.
    gather_budget: int = 4000
    # Blocking: when every token is common, only agreements this good bring in candidates.
    gather_min_score: float = 0.8
    # Blocking: at most this many best-gathered names get a vectorised bound of their score, which
    # drops those that cannot reach the threshold before any is aligned one by one.
    bound_candidates: int = 5000
    # Blocking: at most this many gathered names that pass the bound are scored in full.
    max_candidates: int = 50
    # A name scored on its blocking agreements alone gets its other tokens compared only when it
    # is within this margin of the threshold (a token with two typos can lift it that far).
    rescue_margin: float = 0.2
    # At most this many hits are returned, best first.
    max_hits: int = 10
