"""Search the movement log: by name (fuzzy), document (number, issuing state), nationality, post,
time, direction, decision.

Fuzzy names work in two steps. Blocking: each stored traveller has keys for the ICAO-folded
spelling and the Metaphone code of every name token (`travellers.search_keys`); a traveller is a
candidate when all but one of the query's tokens share a key with them. Scoring: each query
token is compared with the candidate's tokens by `watchlists.distance.compare_tokens` (spelling,
variants, typos, sounds-alike) and the mean of the best agreements must reach NAME_THRESHOLD.

At scale a common token (a frequent given name) has postings for a large share of the
travellers, so each token reads at most MAX_POSTINGS_PER_TOKEN postings, blocking counts the
matched tokens per traveller in the database and returns only the best MAX_CANDIDATES, and
scoring compares each distinct pair of tokens once per search.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, func, literal, select, union_all
from sqlalchemy.orm import Session, selectinload

from midas.domain.actors import Actor
from midas.domain.audit import record_audit
from midas.domain.errors import InvalidInput, PermissionDenied
from midas.domain.keys import is_id
from midas.domain.pseudonyms import Pseudonyms
from midas.domain.texts import N_
from midas.domain.travellers import search_keys
from midas.persistence.database import begin_writing
from midas.persistence.models import (
    Crossing,
    Decision,
    Direction,
    Post,
    TravelDocument,
    Traveller,
    TravellerNameKey,
)
from watchlists.config import TokenScores
from watchlists.distance import compare_tokens
from watchlists.normalize import is_particle, normalize_document_number, normalize_state, tokenize

# Mean token agreement from which a stored name matches the searched one.
NAME_THRESHOLD = 0.8
# At most this many key postings are read per name search, and this many travellers scored.
MAX_POSTINGS = 200_000
MAX_CANDIDATES = 5_000
# A query token reads at most this many postings: a very common token (a frequent given name)
# would otherwise cost time in proportion to the log while adding only arbitrary candidates.
MAX_POSTINGS_PER_TOKEN = 20_000
MAX_PER_PAGE = 200
_SCORES = TokenScores()


@dataclass(frozen=True, slots=True)
class CrossingQuery:
    """Filters of a movement-log search; None means any. `to` is exclusive."""

    name: str | None = None
    document_number: str | None = None
    issuing_state: str | None = None  # of the document; with document_number, one document
    nationality: str | None = None
    post: str | None = None
    from_: datetime | None = None
    to: datetime | None = None
    direction: Direction | None = None
    decision: Decision | None = None
    page: int = 1
    per_page: int = 50


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of crossings, newest first, with the name score of each matched traveller."""

    crossings: list[Crossing]
    total: int
    page: int
    per_page: int
    name_scores: dict[int, float] = field(default_factory=dict)
    corrected_by: dict[int, int] = field(default_factory=dict)


def _name_tokens(name: str) -> list[str]:
    return [t for t in tokenize(name) if not is_particle(t) and len(t) >= 2]


def name_score(
    query_tokens: list[str],
    stored_tokens: Iterable[str],
    agreements: dict[tuple[str, str], float] | None = None,
) -> float:
    """Return the mean over the query's tokens of each one's best agreement with a stored token.

    `agreements` memoises token comparisons across the names of one search.
    """
    stored = list(stored_tokens)
    if not query_tokens or not stored:
        return 0.0
    known = {} if agreements is None else agreements
    total = 0.0
    for token in query_tokens:
        best = 0.0
        for other in stored:
            score = known.get((token, other))
            if score is None:
                score = known[(token, other)] = compare_tokens(token, other, _SCORES).score
            best = max(best, score)
        total += best
    return total / len(query_tokens)


def match_names(session: Session, name: str) -> dict[int, float]:
    """Return the travellers whose name matches `name` (fuzzily), with their scores."""
    tokens = _name_tokens(name)
    if not tokens:
        raise InvalidInput(N_("the name has no letters to search by"), field="name")
    scores: dict[int, float] = {}
    agreements: dict[tuple[str, str], float] = {}
    by_name: dict[tuple[str | None, str | None], float] = {}
    for tid, surname, given in session.execute(_candidates(tokens)):
        score = by_name.get((surname, given))
        if score is None:
            stored = tokenize(f"{surname or ''} {given or ''}")
            score = by_name[(surname, given)] = name_score(tokens, stored, agreements)
        if score >= NAME_THRESHOLD:
            scores[tid] = round(score, 4)
    return scores


def _candidates(tokens: list[str]) -> Select[int, str | None, str | None]:
    """Select the travellers sharing a key with all but one query token, and their names."""
    per_token = [
        select(TravellerNameKey.traveller_id, literal(i).label("token"))
        .where(TravellerNameKey.key.in_(sorted(search_keys(token))))
        .limit(MAX_POSTINGS_PER_TOKEN)
        .subquery()
        for i, token in enumerate(tokens)
    ]
    postings = union_all(*(select(part.c.traveller_id, part.c.token) for part in per_token))
    read = postings.limit(MAX_POSTINGS).subquery()
    matched = func.count(read.c.token.distinct())
    best = (
        select(read.c.traveller_id)
        .group_by(read.c.traveller_id)
        .having(matched >= max(1, len(tokens) - 1))
        .order_by(matched.desc(), read.c.traveller_id)
        .limit(MAX_CANDIDATES)
        .subquery()
    )
    return select(Traveller.id, Traveller.surname, Traveller.given_names).join(
        best, best.c.traveller_id == Traveller.id
    )


def _post_id(session: Session, actor: Actor, post: str) -> int:
    found = session.scalar(select(Post.id).where(Post.code == post))
    if found is None and is_id(post):
        found = session.scalar(select(Post.id).where(Post.id == int(post)))
    if found is None:
        raise InvalidInput(N_("no post %(post)s"), params={"post": repr(post)}, field="post")
    if not actor.may_see_post(found):
        raise PermissionDenied(
            N_("post %(post)s is not among your posts"), params={"post": repr(post)}
        )
    return found


def _filtered(
    session: Session, actor: Actor, query: CrossingQuery, traveller_ids: list[int] | None
) -> Select[Crossing]:
    statement = select(Crossing)
    if actor.post_ids is not None:
        statement = statement.where(Crossing.post_id.in_(sorted(actor.post_ids)))
    if query.post:
        statement = statement.where(Crossing.post_id == _post_id(session, actor, query.post))
    if traveller_ids is not None:
        statement = statement.where(Crossing.traveller_id.in_(traveller_ids))
    if query.document_number or query.issuing_state:
        documents = select(TravelDocument.id)
        if query.document_number:
            number = normalize_document_number(query.document_number)
            if not number:
                raise InvalidInput(N_("the document number is empty"), field="document_number")
            documents = documents.where(TravelDocument.number == number)
        if query.issuing_state:
            state = normalize_state(query.issuing_state)
            if not state:
                raise InvalidInput(
                    N_(
                        "%(code)s is no known country code (ISO 3166-1 alpha-3 or Doc 9303, e.g. "
                        "KEN, UNO)"
                    ),
                    params={"code": repr(query.issuing_state.strip())},
                    field="issuing_state",
                )
            documents = documents.where(TravelDocument.issuing_state == state)
        statement = statement.where(Crossing.document_id.in_(documents))
    if query.nationality:
        nationality = normalize_state(query.nationality)
        statement = statement.where(Crossing.traveller_nationality == nationality)
    for name, moment in (("from", query.from_), ("to", query.to)):
        if moment is not None and moment.tzinfo is None:
            raise InvalidInput(N_("give the time with its UTC offset"), field=name)
    if query.from_ is not None:
        statement = statement.where(Crossing.occurred_at >= query.from_)
    if query.to is not None:
        statement = statement.where(Crossing.occurred_at < query.to)
    if query.from_ and query.to and query.to <= query.from_:
        raise InvalidInput(N_("'to' must be after 'from'"), field="to")
    if query.direction is not None:
        statement = statement.where(Crossing.direction == query.direction)
    if query.decision is not None:
        statement = statement.where(Crossing.decision == query.decision)
    return statement


def corrections_of(session: Session, crossing_ids: Iterable[int]) -> dict[int, int]:
    """Return, for each crossing that has been corrected, the id of the row correcting it."""
    ids = sorted(set(crossing_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(Crossing.corrects_id, Crossing.id).where(Crossing.corrects_id.in_(ids))
    )
    return {corrected: correction for corrected, correction in rows if corrected is not None}


def search_crossings(
    session: Session, actor: Actor, query: CrossingQuery, *, pseudonyms: Pseudonyms
) -> SearchPage:
    """Return a page of the crossings matching every filter that this actor may see; audited,
    with the name and document number searched for as `pseudonyms`."""
    if actor.kind != "user":
        raise PermissionDenied(N_("stations do not search the movement log"))
    if query.page < 1:
        raise InvalidInput(N_("pages start at 1"), field="page")
    if not 1 <= query.per_page <= MAX_PER_PAGE:
        raise InvalidInput(
            N_("a page holds 1 to %(limit)s results"),
            params={"limit": MAX_PER_PAGE},
            field="per_page",
        )
    begin_writing(session)  # the audit event
    scores: dict[int, float] = {}
    traveller_ids: list[int] | None = None
    if query.name:
        scores = match_names(session, query.name)
        traveller_ids = sorted(scores)
    statement = _filtered(session, actor, query, traveller_ids)
    total = 0
    crossings: list[Crossing] = []
    if traveller_ids != []:
        total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
        crossings = list(
            session.scalars(
                statement.options(
                    selectinload(Crossing.post),
                    selectinload(Crossing.traveller),
                    selectinload(Crossing.document),
                    selectinload(Crossing.hits),
                )
                .order_by(Crossing.occurred_at.desc(), Crossing.id.desc())
                .offset((query.page - 1) * query.per_page)
                .limit(query.per_page)
            )
        )
    record_audit(
        session,
        actor,
        "crossing.search",
        "crossing",
        detail={
            "filters": _filters(query, pseudonyms),
            "total": total,
            "crossings": [c.id for c in crossings],
        },
    )
    return SearchPage(
        crossings,
        total,
        query.page,
        query.per_page,
        {c.traveller_id: scores[c.traveller_id] for c in crossings if c.traveller_id in scores},
        corrections_of(session, (c.id for c in crossings)),
    )


def _filters(query: CrossingQuery, pseudonyms: Pseudonyms) -> dict[str, str | int]:
    values = {
        "name": None if query.name is None else pseudonyms.name(query.name),
        "document_number": (
            None
            if query.document_number is None
            else pseudonyms.document_number(query.document_number)
        ),
        "issuing_state": query.issuing_state,
        "nationality": query.nationality,
        "post": query.post,
        "from": query.from_.isoformat() if query.from_ else None,
        "to": query.to.isoformat() if query.to else None,
        "direction": query.direction.value if query.direction else None,
        "decision": query.decision.value if query.decision else None,
        "page": query.page,
    }
    return {key: value for key, value in values.items() if value is not None}
