"""Record crossings: read the document, screen it, link the traveller, apply the rules, store.

`record_crossing` is the one function that records a crossing (the API, the demo and the
benchmarks call it); the caller owns the transaction:

    with session.begin():
        outcome = record_crossing(session, actor, submission, screener)

Rules, each enforced here rather than in a view:
- The MRZ is parsed on the server (`scanners.mrz.parse_mrz`); a client's own parse is not read.
- `client_id` makes a submission idempotent: the same body again returns the same crossing; a
  different body under a used client_id is a Conflict.
- The post comes from the actor (the officer's post, or the station's); a station names the
  officer, who must be an active officer posted there.
- A refusal needs a reason code of the SBC Annex V Part B form; other decisions take none.
- ICAO Annex 9 (minors): a traveller under 18 on the crossing date is flagged, and the officer
  must say whether they travel accompanied, naming the companion's crossing at the same post,
  in the same direction, within `COMPANION_WINDOW`: an adult's crossing, not refused, and not
  the minor's own.
- Admitting a traveller whose document or person has a CONFIRMED hit on a list entry that
  matches again now needs an `override_reason`, which is kept and audited.
- A recorded crossing is never edited: a correction is a new row whose `corrects_id` points at
  the row it corrects, and only the latest row of a chain may be corrected.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Table, bindparam, exists, or_, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from midas.domain.actors import Actor
from midas.domain.audit import insert_audited, record_audit
from midas.domain.decisions import Assessment, Listed, ReadingFacts, assess, check_decision
from midas.domain.desks import (
    OfficerAtDesk,
    PostAtDesk,
    attribute_officer,
    attributed_desk,
    checked_station,
    desk_row,
)
from midas.domain.documents import ManualDocument, checked_manual
from midas.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from midas.domain.first_crossings import insert_first_crossing
from midas.domain.pseudonyms import Pseudonyms
from midas.domain.refusals import refusal_reason
from midas.domain.screening import Screener, ScreeningResult, screen_identity, store_hits
from midas.domain.screening_indexes import parse_active_lists
from midas.domain.submissions import SubmittedMeanwhile, client_id_taken, correction_taken
from midas.domain.travellers import (
    Identity,
    Link,
    LinkedBy,
    NewTraveller,
    PlannedLink,
    find_document,
    find_traveller,
    link_or_plan,
    link_traveller,
    planned_link,
    visible_crossings,
)
from midas.persistence.base import utcnow
from midas.persistence.database import adopt, begin_writing
from midas.persistence.direct import RowLike
from midas.persistence.models import (
    AlertPolicy,
    Crossing,
    Decision,
    Direction,
    HitStatus,
    Post,
    Role,
    ScreeningHit,
    Station,
    TravelDocument,
    Traveller,
    User,
    Watchlist,
)
from scanners.mrz.parse import parse_mrz
from watchlists.models import ListKind

# Age under which ICAO Annex 9 (and the EU Practical Handbook, 5.6) treat a traveller as a minor.
MINOR_AGE = 18
# A minor's companion must have crossed at the same post this close in time to the minor.
COMPANION_WINDOW = timedelta(hours=2)
# Station clocks drift: a crossing up to this far in the future is accepted as "now".
CLOCK_SKEW = timedelta(minutes=5)
# Crossings recorded later than this after they happened are refused as probable clock errors.
MAX_BACKDATE = timedelta(days=7)
# Previous crossings shown with a screening result.
PREVIOUS_LIMIT = 20
TRANSPORT_MODES = frozenset({"air", "land", "sea", "rail", "foot"})
# MRZ problems that mean a character may not be what is printed (scanners.mrz.parse).
UNCERTAIN_PROBLEMS = frozenset({"uncertain_character", "ambiguous_repair"})
# Crossings at any post shown at the desk (date, post, direction, decision).
RECENT_LIMIT = 5


@dataclass(frozen=True, slots=True)
class DocumentReading:
    """A reading as the server understands it: identity, validity, and the JSON to keep."""

    identity: Identity
    names_truncated: bool | None
    valid: bool
    expired: bool
    data: dict[str, Any]

    @property
    def printed_number(self) -> str | None:
        """The document number as printed, before the reader's repairs (MRZ readings)."""
        value = self.data.get("printed_document_number")
        return value if isinstance(value, str) else None

    def facts(self, *, uncertain: bool = False) -> ReadingFacts:
        """Return what the decision rules need of this reading (`uncertain`: the reader said so)."""
        return reading_facts(self.data, self.valid, self.expired, uncertain=uncertain)


def reading_facts(
    data: dict[str, Any] | None, valid: bool, expired: bool, *, uncertain: bool = False
) -> ReadingFacts:
    """Return the decision rules' view of a stored or fresh reading."""
    data = data or {}
    repaired = bool(data.get("repairs")) or any(
        problem.get("code") in UNCERTAIN_PROBLEMS for problem in data.get("problems") or ()
    )
    return ReadingFacts(
        source=str(data.get("source", "mrz")),
        valid=valid,
        expired=expired,
        uncertain=uncertain or repaired,
    )


def read_document(
    mrz: Sequence[str] | str | None,
    manual: ManualDocument | None,
    *,
    today: date,
    expiry_horizon_days: int = 90,
) -> DocumentReading:
    """Parse MRZ lines on the server, or take a typed-in document; raise InvalidInput if neither."""
    if (mrz is None) == (manual is None):
        raise InvalidInput("give either the MRZ lines or a typed-in document", field="mrz")
    if manual is not None:
        manual = checked_manual(manual, today)
        identity = Identity.of(**asdict(manual))
        expired = manual.expiry_date is not None and manual.expiry_date < today
        data = {"source": "manual", **json.loads(json.dumps(asdict(manual), default=str))}
        data.update({"valid": False, "expired": expired, "checks": [], "problems": []})
        return DocumentReading(identity, None, False, expired, data)
    result = parse_mrz(mrz or [], today=today, expiry_horizon_days=expiry_horizon_days)
    if result.format is None or not result.document_number or not result.issuing_state:
        problems = "; ".join(p.message for p in result.problems) or "no document number"
        raise InvalidInput(f"the MRZ could not be read: {problems}", field="mrz")
    identity = Identity.of(
        surname=result.surname,
        given_names=result.given_names,
        birth_date=result.birth_date,
        nationality=result.nationality,
        sex=result.sex,
        document_number=result.document_number,
        issuing_state=result.issuing_state,
        document_type=result.document_type,
        expiry_date=result.expiry_date,
    )
    data = {"source": "mrz", **result.to_dict()}
    return DocumentReading(identity, result.names_truncated, result.valid, result.expired, data)


@dataclass(frozen=True, slots=True)
class Submission:
    """An officer's decision on a traveller, as a station or a person submits it."""

    client_id: str
    direction: Direction
    decision: Decision
    mrz: tuple[str, ...] | None = None
    document: ManualDocument | None = None
    occurred_at: datetime | None = None
    officer: str | None = None
    refusal_reason: str | None = None
    transport_mode: str | None = None
    transport_ref: str | None = None
    purpose: str | None = None
    notes: str | None = None
    minor_accompanied: bool | None = None
    accompanying_crossing_id: int | None = None
    override_reason: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # The reader was unsure of some characters (an image hard to read): admitting needs a reason.
    reading_uncertain: bool = False

    def fingerprint(self) -> str:
        """Return the sha256 of the submission as sent, to tell a retry from a reuse.

        The JSON of `asdict(self)`, built without asdict's deep copy of every field (only the
        manual document is a dataclass), so stored fingerprints keep matching.
        """
        data = {name: getattr(self, name) for name in _SUBMISSION_FIELDS}
        if not self.reading_uncertain:
            del data["reading_uncertain"]  # absent from fingerprints stored before it existed
        if self.document is not None:
            data["document"] = asdict(self.document)
        canonical = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


_SUBMISSION_FIELDS = tuple(f.name for f in fields(Submission))


@dataclass(frozen=True, slots=True)
class Written:
    """A crossing as `record_crossing` has just written it: its columns (with its id) and the
    rows it refers to, already in the session. The API answers from these; building the ORM
    crossing (`adopt`) costs as much again as the rest of the answer, so it waits for a reader.
    """

    session: Session
    values: dict[str, Any]
    post: PostAtDesk
    officer: OfficerAtDesk
    # A first-time traveller's link holds values (`PlannedLink`), adopted with the crossing.
    link: Link | PlannedLink
    hits: list[ScreeningHit]

    def adopt(self) -> Crossing:
        """Return the crossing as a clean persistent ORM object, its related rows set."""
        crossing = adopt(self.session, Crossing, self.values)
        link = self.link.adopt(self.session) if isinstance(self.link, PlannedLink) else self.link
        # Related rows are set as objects, so showing the crossing needs no further queries.
        for name, related in (
            ("post", self.post.adopt(self.session)),
            ("officer", self.officer.adopt(self.session)),
            ("traveller", link.traveller),
            ("document", link.document),
            ("hits", self.hits),
        ):
            set_committed_value(crossing, name, related)
        return crossing


class Recorded:
    """A recorded crossing, and whether this call created it (False for a replayed retry).

    A crossing this call wrote is also there as `written`; its ORM object is built when
    `crossing` is first read.
    """

    __slots__ = ("_crossing", "created", "linked_by", "written")

    def __init__(
        self,
        crossing: Crossing | None = None,
        *,
        created: bool,
        linked_by: str | None = None,
        written: Written | None = None,
    ) -> None:
        if (crossing is None) == (written is None):
            raise ValueError("a recorded crossing is either read or written")
        self._crossing = crossing
        self.created = created
        self.linked_by = linked_by
        self.written = written

    @property
    def crossing(self) -> Crossing:
        """The crossing as an ORM object (built from `written` at the first read)."""
        if self._crossing is None:
            assert self.written is not None
            self._crossing = self.written.adopt()
        return self._crossing


def normalize_client_id(value: str) -> str:
    """Return a client id as a canonical UUID string; raise InvalidInput if it is not a UUID."""
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise InvalidInput(f"{value!r} is not a UUID", field="client_id") from None


def check_occurred_at(value: datetime | None, now: datetime) -> datetime:
    """Return the crossing time in UTC (now by default); refuse naive, future or stale times."""
    if value is None:
        return now
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput("give the time with its UTC offset (e.g. Z)", field="occurred_at")
    moment = value.astimezone(UTC)
    if moment > now + CLOCK_SKEW:
        raise InvalidInput("the crossing time is in the future", field="occurred_at")
    if moment < now - MAX_BACKDATE:
        raise InvalidInput(
            f"the crossing time is more than {MAX_BACKDATE.days} days ago", field="occurred_at"
        )
    return moment


def local_date(moment: datetime, post: Post | PostAtDesk) -> date:
    """Return the calendar date at the post at a moment."""
    return moment.astimezone(ZoneInfo(post.timezone)).date()


def age_on(birth: date, day: date) -> int:
    """Return the age in whole years on a day (a 29 February birthday counts on 1 March)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def resolve_post(session: Session, actor: Actor) -> tuple[Post, int | None]:
    """Return the post an actor records at and its station; raise PermissionDenied if none."""
    post, station_id, _ = _desk(session, actor)
    return post, station_id


def _desk(session: Session, actor: Actor) -> tuple[Post, int | None, User | None]:
    """Return the post, the station and the accountable user of an actor, in one query."""
    user: User | None
    if actor.kind == "station":
        # The officer comes along in the same round trip (the crossing names them).
        found = session.execute(
            select(Station, Post, User)
            .join(Post, Post.id == Station.post_id)
            .outerjoin(User, User.id == actor.user_id)
            .where(Station.id == actor.station_id)
        ).one_or_none()
        station, post, user = found if found is not None else (None, None, None)
        if station is None or not station.active:
            raise PermissionDenied("this station is not active")
        station_id: int | None = station.id
    else:
        person = session.execute(
            select(User, Post)
            .outerjoin(Post, Post.id == User.post_id)
            .where(User.id == actor.user_id)
        ).one_or_none()
        user, post = person if person is not None else (None, None)
        if user is None or user.post_id is None or actor.role is not Role.OFFICER:
            raise PermissionDenied("only an officer posted at a post records crossings")
        station_id = None
    if post is None or not post.active or not actor.may_see_post(post.id):
        raise PermissionDenied("this post is not open to this actor")
    return post, station_id, user


def recorder(session: Session, actor: Actor, officer: str | None) -> Actor:
    """Return the actor a crossing is recorded under: a station names its officer."""
    if actor.kind == "station" and officer is None and actor.user_id is not None:
        return actor
    return attribute_officer(session, actor, officer)


def _links(traveller_id: int | None, document_id: int | None) -> list[ColumnElement[bool]]:
    """The conditions that find crossings of a traveller or of a document."""
    links = []
    if traveller_id is not None:
        links.append(Crossing.traveller_id == traveller_id)
    if document_id is not None:
        links.append(Crossing.document_id == document_id)
    return links


def previous_crossings(
    session: Session,
    actor: Actor,
    *,
    traveller_id: int | None,
    document_id: int | None,
    limit: int = PREVIOUS_LIMIT,
) -> list[Crossing]:
    """Return the latest crossings of a traveller or document this actor may see, newest first."""
    links = _links(traveller_id, document_id)
    if not links:
        return []
    query = (
        select(Crossing)
        .where(or_(*links))
        .options(selectinload(Crossing.post), selectinload(Crossing.hits))
        .order_by(Crossing.occurred_at.desc(), Crossing.id.desc())
        .limit(limit)
    )
    if actor.post_ids is not None:
        query = query.where(Crossing.post_id.in_(sorted(actor.post_ids)))
    return list(session.scalars(query))


@dataclass(frozen=True, slots=True)
class RecentCrossing:
    """A crossing of this traveller or document at any post, as the desk shows it."""

    occurred_at: datetime
    post_code: str
    post_name: str
    direction: Direction
    decision: Decision
    # Recorded under another traveller than the one this reading links to (same document).
    other_traveller: bool


def recent_crossings(
    session: Session,
    *,
    traveller_id: int | None,
    document_id: int | None,
    limit: int = RECENT_LIMIT,
) -> list[RecentCrossing]:
    """Return the latest crossings of a traveller or document at ANY post, newest first.

    Only what the desk needs (date, post, direction, decision): an officer must know that the
    traveller crossed elsewhere, while searches and full histories stay scoped to their posts.
    A crossing since corrected is shown as corrected, once.
    """
    links = _links(traveller_id, document_id)
    if not links:
        return []
    newer = aliased(Crossing)
    rows = session.execute(
        select(
            Crossing.occurred_at,
            Post.code,
            Post.name,
            Crossing.direction,
            Crossing.decision,
            Crossing.traveller_id,
        )
        .join(Post, Post.id == Crossing.post_id)
        .where(or_(*links), ~exists().where(newer.corrects_id == Crossing.id))
        .order_by(Crossing.occurred_at.desc(), Crossing.id.desc())
        .limit(limit)
    )
    return [
        RecentCrossing(at, code, name, direction, decision, traveller_id != who)
        for at, code, name, direction, decision, who in rows
    ]


def entry_without_exit(recent: Sequence[RecentCrossing]) -> bool:
    """Tell whether the latest admitted crossing on record is an entry (no exit since)."""
    for crossing in recent:
        if crossing.decision is Decision.ADMITTED and not crossing.other_traveller:
            return crossing.direction is Direction.ENTRY
    return False


@dataclass(frozen=True, slots=True)
class Preview:
    """What a station shows before the decision: the reading, the hits, previous crossings,
    crossings at any post, and the concerns that decide what admitting needs."""

    reading: DocumentReading
    screening: ScreeningResult
    traveller_id: int | None
    previous: list[Crossing]
    minor: bool
    age: int | None
    confirmed: list[ScreeningHit]
    recent: list[RecentCrossing]
    assessment: Assessment
    # The traveller the document is on record with, when the reading names another person.
    holder_id: int | None = None


def preview_reading(
    session: Session,
    actor: Actor,
    reading: DocumentReading,
    screener: Screener,
    *,
    pseudonyms: Pseudonyms,
    now: datetime | None = None,
    direction: Direction | None = None,
    uncertain: bool = False,
) -> Preview:
    """Screen a reading and find previous crossings, recording nothing but the audit event
    (which names the document by the pseudonym of its number)."""
    begin_writing(session)  # the audit event
    post, _ = resolve_post(session, actor)
    moment = now or utcnow()
    screening = screen_identity(
        screener,
        reading.identity,
        names_truncated=reading.names_truncated,
        printed_number=reading.printed_number,
    )
    found = find_traveller(session, reading.identity)
    traveller_id = found.traveller.id if found.traveller is not None else None
    document_id = found.document.id if found.document is not None else None
    previous = previous_crossings(
        session, actor, traveller_id=traveller_id, document_id=document_id
    )
    recent = recent_crossings(session, traveller_id=traveller_id, document_id=document_id)
    age = _age(reading.identity, moment, post)
    confirmed = confirmed_hits(
        session,
        traveller_id=traveller_id,
        document_id=document_id,
        entries={(hit.list_name, hit.entry_id) for hit in screening.hits},
    )
    assessment = assess(
        reading.facts(uncertain=uncertain),
        [Listed.of(hit) for hit in screening.hits],
        screening.policies,
        confirmed=[confirmed_sentence(hit) for hit in confirmed],
        other_identity=found.holder_id is not None,
        entry_without_exit=direction is Direction.ENTRY and entry_without_exit(recent),
    )
    record_audit(
        session,
        actor,
        "reading.screen",
        "traveller",
        traveller_id,
        detail={
            "post_id": post.id,
            **_document_detail(reading.identity, pseudonyms),
            "hits": len(screening.hits),
            "previous": [c.id for c in previous],
            # Crossings at other posts are read too: counted, as the desk shows them.
            "recent_any_post": len(recent),
            "concerns": assessment.codes(),
        },
    )
    return Preview(
        reading,
        screening,
        traveller_id,
        previous,
        age is not None and age < MINOR_AGE,
        age,
        confirmed,
        recent,
        assessment,
        found.holder_id,
    )


def confirmed_sentence(hit: ScreeningHit) -> str:
    """Name a confirmed hit in a sentence."""
    return f"Hit {hit.id} ({hit.list_name} entry {hit.entry_id}, {hit.matched_name})"


def _stored_document_id(session: Session, identity: Identity) -> int | None:
    document = find_document(session, identity)
    return document.id if document is not None else None


def _age(identity: Identity, moment: datetime, post: Post | PostAtDesk) -> int | None:
    if identity.birth_date is None:
        return None
    return age_on(identity.birth_date, local_date(moment, post))


def _document_detail(identity: Identity, pseudonyms: Pseudonyms) -> dict[str, str | None]:
    number = identity.document_number
    return {
        "document_type": identity.document_type,
        "issuing_state": identity.issuing_state,
        "document_number": None if number is None else pseudonyms.document_number(number),
    }


def confirmed_hits(
    session: Session,
    *,
    traveller_id: int | None,
    document_id: int | None,
    entries: set[tuple[str, str]],
) -> list[ScreeningHit]:
    """Return CONFIRMED hits for these entries on crossings of this traveller or document."""
    if not entries:  # most crossings: no hit, nothing to look up (and no clause to build)
        return []
    links = _links(traveller_id, document_id)
    if not links:
        return []
    return list(
        session.scalars(
            select(ScreeningHit)
            .join(Crossing, Crossing.id == ScreeningHit.crossing_id)
            .where(
                or_(*links),
                ScreeningHit.status == HitStatus.CONFIRMED,
                tuple_(ScreeningHit.list_name, ScreeningHit.entry_id).in_(sorted(entries)),
            )
            .order_by(ScreeningHit.id)
        )
    )


# The statements of the recording path are built once (Core, not ORM): SQLAlchemy caches their
# compiled form and psycopg prepares them on the server, so a crossing pays for binding and the
# round trip only, and no unit of work is flushed.
_CROSSINGS = cast(Table, Crossing.__table__)
_BY_CLIENT_ID = select(_CROSSINGS.c.id, _CROSSINGS.c.submission_sha256, _CROSSINGS.c.post_id).where(
    _CROSSINGS.c.client_id == bindparam("client_id")
)


def _replay(session: Session, actor: Actor, client_id: str, fingerprint: str) -> Recorded | None:
    found = session.connection().execute(_BY_CLIENT_ID, {"client_id": client_id}).one_or_none()
    if found is None:
        return None
    return _replayed(session, actor, client_id, fingerprint, found.id, found.submission_sha256,
                     found.post_id)  # fmt: skip


def _replayed(
    session: Session,
    actor: Actor,
    client_id: str,
    fingerprint: str,
    crossing_id: int,
    sha256: str | None,
    post_id: int,
) -> Recorded:
    """Return the crossing a client_id recorded, if this is a retry of the same submission."""
    if sha256 != fingerprint:
        raise Conflict(
            f"client_id {client_id} was used for a different submission (crossing {crossing_id})",
            field="client_id",
        )
    if not actor.may_see_post(post_id):
        raise Conflict(f"client_id {client_id} is already used", field="client_id")
    existing = session.scalars(
        select(Crossing).where(Crossing.id == crossing_id).options(selectinload(Crossing.hits))
    ).one()
    record_audit(session, actor, "crossing.replay", "crossing", existing.id)
    return Recorded(existing, created=False)


@dataclass(frozen=True, slots=True)
class _EarlyReading:
    """A submission's time and document, read before its desk, their errors kept for later.

    The reading's dates are judged on the crossing's UTC date; `reading` reads the document
    again in the rare case the post's date differs.
    """

    submission: Submission
    expiry_horizon_days: int
    at: datetime | None
    time_error: InvalidInput | None
    read_on: date | None
    document: DocumentReading | None
    document_error: InvalidInput | None

    @classmethod
    def of(cls, submission: Submission, now: datetime, expiry_horizon_days: int) -> _EarlyReading:
        at: datetime | None = None
        time_error = document_error = None
        read_on = document = None
        try:
            at = check_occurred_at(submission.occurred_at, now)
        except InvalidInput as error:
            time_error = error
        if at is not None:
            read_on = at.date()
            try:
                document = read_document(
                    submission.mrz,
                    submission.document,
                    today=read_on,
                    expiry_horizon_days=expiry_horizon_days,
                )
            except InvalidInput as error:
                document_error = error
        return cls(
            submission, expiry_horizon_days, at, time_error, read_on, document, document_error
        )

    @property
    def identity(self) -> Identity | None:
        return None if self.document is None else self.document.identity

    def moment(self) -> datetime:
        """The crossing's time in UTC; raise what was wrong with it."""
        if self.time_error is not None:
            raise self.time_error
        assert self.at is not None
        return self.at

    def reading(self, today: date) -> DocumentReading:
        """The reading as of the post's date; raise what was wrong with the document."""
        if self.document_error is not None:
            raise self.document_error
        assert self.document is not None
        if today == self.read_on:
            return self.document
        return read_document(
            self.submission.mrz,
            self.submission.document,
            today=today,
            expiry_horizon_days=self.expiry_horizon_days,
        )


def _check_decision(submission: Submission) -> str | None:
    if submission.decision is Decision.REFUSED:
        if not submission.refusal_reason:
            raise InvalidInput("a refusal needs a reason code", field="refusal_reason")
        return refusal_reason(submission.refusal_reason).code
    if submission.refusal_reason:
        raise InvalidInput(
            f"a reason code belongs to refusals only, not to {submission.decision.value}",
            field="refusal_reason",
        )
    return None


def _check_transport(submission: Submission) -> None:
    if submission.transport_mode is not None and submission.transport_mode not in TRANSPORT_MODES:
        modes = ", ".join(sorted(TRANSPORT_MODES))
        raise InvalidInput(f"transport mode must be one of {modes}", field="transport_mode")


def _check_minor(
    session: Session,
    submission: Submission,
    post: Post | PostAtDesk,
    moment: datetime,
    minor: bool,
) -> tuple[bool | None, Crossing | None]:
    """Return (accompanied, the companion's crossing) for a minor; None, None for an adult."""
    if not minor:
        return None, None
    if submission.minor_accompanied is None:
        raise InvalidInput(
            "the traveller is a minor: say whether they travel accompanied",
            field="minor_accompanied",
        )
    if not submission.minor_accompanied:
        if submission.accompanying_crossing_id is not None:
            raise InvalidInput(
                "an unaccompanied minor has no companion crossing",
                field="accompanying_crossing_id",
            )
        return False, None
    if submission.accompanying_crossing_id is None:
        raise InvalidInput(
            "name the crossing of the person accompanying the minor",
            field="accompanying_crossing_id",
        )
    companion = session.get(Crossing, submission.accompanying_crossing_id)
    if (
        companion is None
        or companion.post_id != post.id
        or companion.direction is not submission.direction
        or abs(companion.occurred_at - moment) > COMPANION_WINDOW
    ):
        hours = COMPANION_WINDOW.total_seconds() / 3600
        raise InvalidInput(
            f"crossing {submission.accompanying_crossing_id} is not a {submission.direction.value}"
            f" at this post within {hours:g} hours of the minor's",
            field="accompanying_crossing_id",
        )
    if companion.is_minor:
        raise InvalidInput(
            f"crossing {companion.id} is a minor's: the accompanying person must be an adult",
            field="accompanying_crossing_id",
        )
    if companion.decision is Decision.REFUSED:
        raise InvalidInput(
            f"crossing {companion.id} was refused: that person does not accompany the minor",
            field="accompanying_crossing_id",
        )
    return True, companion


def _check_companion_is_another(companion: Crossing | None, traveller_id: int | None) -> None:
    """Refuse a minor's own crossing as the crossing of the person accompanying them."""
    if companion is not None and companion.traveller_id == traveller_id:
        raise InvalidInput(
            f"crossing {companion.id} is the minor's own, not their companion's",
            field="accompanying_crossing_id",
        )


def record_crossing(
    session: Session,
    actor: Actor,
    submission: Submission,
    screener: Screener,
    *,
    now: datetime | None = None,
    expiry_horizon_days: int = 90,
) -> Recorded:
    """Record a crossing with its screening hits, or return the one this client_id recorded."""
    client_id = normalize_client_id(submission.client_id)
    fingerprint = submission.fingerprint()
    begin_writing(session)
    # The document is read first, so that its traveller is looked up with the desk; what is
    # wrong with it is said only after what is wrong with the desk, as before.
    early = _EarlyReading.of(submission, now or utcnow(), expiry_horizon_days)
    row, found = desk_row(session, actor, submission.officer, client_id, early.identity)
    actor = checked_station(session, actor, row)
    if row is None:
        replayed = _replay(session, actor, client_id, fingerprint)
    elif row.replay_id is not None:
        replayed = _replayed(session, actor, client_id, fingerprint, row.replay_id,
                             row.replay_submission_sha256, row.replay_post_id)  # fmt: skip
    else:
        replayed = None
    if replayed is not None:
        return replayed
    desk = attributed_desk(session, actor, submission.officer, row)
    acting, post, officer = desk.acting, desk.post, desk.officer
    moment = early.moment()
    reason_code = _check_decision(submission)
    _check_transport(submission)
    reading = early.reading(local_date(moment, post))
    age = _age(reading.identity, moment, post)
    minor = age is not None and age < MINOR_AGE
    accompanied, companion = _check_minor(session, submission, post, moment, minor)
    screening = screen_identity(
        screener,
        reading.identity,
        names_truncated=reading.names_truncated,
        active=None if row is None else parse_active_lists(row.active_lists),
        printed_number=reading.printed_number,
    )
    if acting.user_id is None or officer is None:
        raise InvalidInput("name the officer who decided", field="officer")
    values: dict[str, Any] = {
        "client_id": client_id,
        "submission_sha256": fingerprint,
        "post_id": post.id,
        "station_id": desk.station_id,
        "officer_id": officer.id,
        "traveller_id": None,  # set with the link
        "document_id": None,
        "direction": submission.direction,
        "occurred_at": moment,
        "recorded_at": utcnow(),
        "transport_mode": submission.transport_mode,
        "transport_ref": _short(submission.transport_ref, 32, "transport_ref"),
        "purpose": _short(submission.purpose, 32, "purpose"),
        "decision": submission.decision,
        "refusal_reason": reason_code,
        "notes": submission.notes,
        "reading": reading.data,
        "document_valid": reading.valid,
        "document_expired": reading.expired,
        "traveller_sex": reading.identity.sex,
        "traveller_age": age,
        "traveller_nationality": reading.identity.nationality,
        "is_minor": minor,
        "minor_accompanied": accompanied,
        "accompanying_crossing_id": None if companion is None else companion.id,
        "corrects_id": None,
        "correction_reason": None,
        "override_reason": None,  # set once the confirmed hits are known
        "document_holder_id": None,  # set with the link
        "anonymised_at": None,
    }
    facts = reading.facts(uncertain=submission.reading_uncertain)
    try:
        link, crossing_id = _link_and_insert(
            session, acting, submission, reading, facts, found, companion, screening, values
        )
    except IntegrityError as error:
        if client_id_taken(error):
            raise SubmittedMeanwhile(client_id) from error
        raise
    # The hits are shown as stored (they are all the crossing has), without reading them back.
    hits = _in_order(store_hits(session, crossing_id, screening.hits))
    written = Written(session, values | {"id": crossing_id}, post, officer, link, hits)
    return Recorded(created=True, linked_by=link.linked_by.value, written=written)


def _decided(
    facts: ReadingFacts,
    listed: Sequence[Listed],
    policies: Mapping[str, AlertPolicy],
    submission: Submission,
    acting: Actor,
    confirmed: Sequence[ScreeningHit],
    other_identity: bool,
) -> tuple[Assessment, str | None]:
    """Apply the decision rules (midas.domain.decisions), for recording and corrections alike;
    return them and the override reason to keep."""
    assessment = assess(
        facts,
        listed,
        policies,
        confirmed=[confirmed_sentence(hit) for hit in confirmed],
        other_identity=other_identity,
    )
    reason = check_decision(
        assessment,
        submission.decision,
        submission.override_reason,
        supervisor=acting.role is Role.SUPERVISOR,
    )
    return assessment, reason


def _link_and_insert(
    session: Session,
    acting: Actor,
    submission: Submission,
    reading: DocumentReading,
    facts: ReadingFacts,
    found: Sequence[RowLike] | None,
    companion: Crossing | None,
    screening: ScreeningResult,
    values: dict[str, Any],
) -> tuple[Link | PlannedLink, int]:
    """Link the reading to its traveller (`found`: the rows of its lookup, if read with the
    desk), apply the decision rules and insert the crossing with its audit event; return the
    link and the crossing's id. Sets the traveller, document and override in `values`."""
    identity = reading.identity
    listed = [Listed.of(hit) for hit in screening.hits]
    link = link_or_plan(session, identity, found)
    if isinstance(link, NewTraveller):
        # A first-time traveller has no confirmed hit, and no crossing to be their own companion.
        assessment, values["override_reason"] = _decided(
            facts, listed, screening.policies, submission, acting, (), False
        )
        detail = _audit_detail_of(values, LinkedBy.NEW.value, screening, (), assessment)
        first = insert_first_crossing(session, link, values, acting, detail)
        if first is not None:
            values.update(traveller_id=first.traveller_id, document_id=first.document_id)
            return planned_link(link, first.traveller_id, first.document_id), first.crossing_id
        link = link_traveller(session, identity)  # its document was stored meanwhile
    _check_companion_is_another(companion, link.traveller.id)
    confirmed = confirmed_hits(
        session,
        traveller_id=link.traveller.id,
        document_id=link.document.id,
        entries={(hit.list_name, hit.entry_id) for hit in screening.hits},
    )
    assessment, values["override_reason"] = _decided(
        facts, listed, screening.policies, submission, acting, confirmed, link.holder_id is not None
    )
    values.update(
        traveller_id=link.traveller.id,
        document_id=link.document.id,
        document_holder_id=link.holder_id,
    )
    detail = _audit_detail_of(values, link.linked_by.value, screening, confirmed, assessment)
    crossing_id = insert_audited(
        session, _CROSSINGS, values, acting, "crossing.record", "crossing", detail=detail
    )
    return link, crossing_id


def _attach_hits(crossing: Crossing, stored: Sequence[ScreeningHit]) -> None:
    """Show a new crossing's hits as stored (they are all it has) without reading them back."""
    set_committed_value(crossing, "hits", _in_order(stored))


def _in_order(stored: Sequence[ScreeningHit]) -> list[ScreeningHit]:
    """A new crossing's hits as stored, in the order a crossing lists them."""
    return sorted(stored, key=lambda hit: hit.id)


def _short(value: str | None, limit: int, name: str) -> str | None:
    if value is not None and len(value) > limit:
        raise InvalidInput(f"at most {limit} characters", field=name)
    return value or None


def _audit_detail(
    actor: Actor,
    crossing: Crossing,
    linked_by: str,
    screening: ScreeningResult,
    confirmed: Sequence[ScreeningHit],
    assessment: Assessment,
) -> dict[str, Any]:
    values = {
        "post_id": crossing.post_id,
        "traveller_id": crossing.traveller_id,
        "decision": crossing.decision,
        "override_reason": crossing.override_reason,
        "corrects_id": crossing.corrects_id,
        "document_holder_id": crossing.document_holder_id,
    }
    return _audit_detail_of(values, linked_by, screening, confirmed, assessment)


def _audit_detail_of(
    crossing: dict[str, Any],
    linked_by: str,
    screening: ScreeningResult,
    confirmed: Sequence[ScreeningHit],
    assessment: Assessment,
) -> dict[str, Any]:
    """Return the audit detail of a crossing, from its column values."""
    detail: dict[str, Any] = {
        "post_id": crossing["post_id"],
        "traveller_id": crossing["traveller_id"],
        "decision": crossing["decision"].value,
        "linked_by": linked_by,
        "hits": len(screening.hits),
        "lists": screening.versions,
    }
    if assessment.concerns:
        detail["concerns"] = assessment.codes()
    if (
        crossing["override_reason"]
        and crossing["decision"] is Decision.ADMITTED
        and (confirmed or assessment.needs)
    ):
        detail["override"] = {
            "reason": crossing["override_reason"],
            "confirmed_hits": [hit.id for hit in confirmed],
            "concerns": assessment.codes(),
        }
    if crossing.get("document_holder_id") is not None:
        detail["document_holder_id"] = crossing["document_holder_id"]
    if crossing["corrects_id"] is not None:
        detail["corrects_id"] = crossing["corrects_id"]
    return detail


def get_crossing(session: Session, actor: Actor, crossing_id: int) -> Crossing:
    """Return a crossing this actor may see (NotFound otherwise); audited as a read."""
    begin_writing(session)  # the audit event
    crossing = session.scalars(
        select(Crossing)
        .where(Crossing.id == crossing_id)
        .options(
            selectinload(Crossing.hits),
            selectinload(Crossing.post),
            selectinload(Crossing.traveller),
            selectinload(Crossing.document),
            selectinload(Crossing.officer),
        )
    ).one_or_none()
    if crossing is None or not visible_crossings(actor, [crossing]):
        raise NotFound(f"no crossing {crossing_id}", field="crossing_id")
    record_audit(session, actor, "crossing.read", "crossing", crossing.id)
    return crossing


def latest_in_chain(session: Session, crossing_id: int) -> Crossing:
    """Return the newest correction of a crossing (the crossing itself when uncorrected)."""
    current = session.get(Crossing, crossing_id)
    if current is None:
        raise NotFound(f"no crossing {crossing_id}", field="crossing_id")
    while True:
        newer = session.scalars(
            select(Crossing).where(Crossing.corrects_id == current.id).order_by(Crossing.id)
        ).first()
        if newer is None:
            return current
        current = newer


def chain_ids(session: Session, crossing: Crossing) -> list[int]:
    """Return the ids of a crossing and every row it corrects, back to the original."""
    ids = [crossing.id]
    current: Crossing | None = crossing
    while current is not None and current.corrects_id is not None:
        ids.append(current.corrects_id)
        current = session.get(Crossing, current.corrects_id)
    return ids


def correct_crossing(
    session: Session,
    actor: Actor,
    crossing_id: int,
    submission: Submission,
    reason: str,
    screener: Screener,
    *,
    now: datetime | None = None,
    expiry_horizon_days: int = 90,
    reassign_to: int | None = None,
) -> Recorded:
    """Record a correction of a crossing as a new row pointing at it; the original stays as is.

    Without new MRZ lines the correction keeps the original reading, traveller and hits (they
    stay on the original row); with them the document is read and screened again.
    `reassign_to`: a supervisor files the crossing under this traveller instead (a document
    carried by someone else than the identity linked).
    """
    if not reason or not reason.strip():
        raise InvalidInput("say why the crossing is corrected", field="reason")
    client_id = normalize_client_id(submission.client_id)
    fingerprint = hashlib.sha256(
        f"{submission.fingerprint()}|{crossing_id}|{reason}".encode()
    ).hexdigest()
    begin_writing(session)
    replayed = _replay(session, actor, client_id, fingerprint)
    if replayed is not None:
        return replayed
    original = session.get(Crossing, crossing_id)
    if original is None or not actor.may_see_post(original.post_id):
        raise NotFound(f"no crossing {crossing_id}", field="crossing_id")
    if actor.role is Role.ADMIN:
        raise PermissionDenied("corrections are made by the officer's post or its supervisor")
    newer = session.scalar(select(Crossing.id).where(Crossing.corrects_id == original.id))
    if newer is not None:
        raise Conflict(
            f"crossing {crossing_id} was already corrected by crossing {newer}: correct that one",
            field="crossing_id",
        )
    acting = (
        actor if actor.role is Role.SUPERVISOR else recorder(session, actor, submission.officer)
    )
    if acting.user_id is None:
        raise InvalidInput("name the officer who corrects", field="officer")
    moment = _corrected_time(submission.occurred_at, original.occurred_at, now or utcnow())
    reason_code = _check_decision(submission)
    _check_transport(submission)
    post = session.get(Post, original.post_id)
    assert post is not None  # a foreign key guarantees it
    if submission.mrz is not None or submission.document is not None:
        reading = read_document(
            submission.mrz,
            submission.document,
            today=local_date(moment, post),
            expiry_horizon_days=expiry_horizon_days,
        )
        screening = screen_identity(
            screener,
            reading.identity,
            names_truncated=reading.names_truncated,
            printed_number=reading.printed_number,
        )
        link = link_traveller(session, reading.identity)
        traveller_id, document_id = link.traveller.id, link.document.id
        holder_id = link.holder_id
        linked_by = link.linked_by.value
        data: dict[str, Any] | None = reading.data
        valid, expired = reading.valid, reading.expired
        identity = reading.identity
        entries = {(hit.list_name, hit.entry_id) for hit in screening.hits}
        listed = [Listed.of(hit) for hit in screening.hits]
        policies = screening.policies
    else:
        screening = ScreeningResult([], {})
        traveller_id, document_id = original.traveller_id, original.document_id
        holder_id = original.document_holder_id
        linked_by = "original"
        data, valid, expired = original.reading, original.document_valid, original.document_expired
        identity = None
        chain = chain_ids(session, original)
        # The hits stay on the rows they were found on; those not dismissed still count.
        standing = [
            hit
            for hit in session.scalars(
                select(ScreeningHit).where(ScreeningHit.crossing_id.in_(chain))
            )
            if hit.status is not HitStatus.DISMISSED
        ]
        entries = {(hit.list_name, hit.entry_id) for hit in standing}
        listed = [_listed(hit) for hit in standing]
        policies = list_policies(session, {hit.list_name for hit in standing})
    if reassign_to is not None:
        traveller_id = _reassigned(session, actor, reassign_to, traveller_id)
        linked_by = "corrected"
        holder_id = session.scalars(
            select(TravelDocument.traveller_id).where(TravelDocument.id == document_id)
        ).one()
    if identity is not None:
        age = _age(identity, moment, post)
        sex, nationality = identity.sex, identity.nationality
    else:
        age = original.traveller_age
        sex, nationality = original.traveller_sex, original.traveller_nationality
    minor = age is not None and age < MINOR_AGE
    accompanied, companion = _check_minor(session, submission, post, moment, minor)
    _check_companion_is_another(companion, traveller_id)
    confirmed = confirmed_hits(
        session, traveller_id=traveller_id, document_id=document_id, entries=entries
    )
    assessment, override = _decided(
        reading_facts(data, valid, expired, uncertain=submission.reading_uncertain),
        listed,
        policies,
        submission,
        acting,
        confirmed,
        holder_id is not None and holder_id != traveller_id,
    )
    crossing = Crossing(
        client_id=client_id,
        submission_sha256=fingerprint,
        post_id=original.post_id,
        station_id=original.station_id,
        officer_id=acting.user_id,
        traveller_id=traveller_id,
        document_id=document_id,
        direction=submission.direction,
        occurred_at=moment,
        transport_mode=submission.transport_mode,
        transport_ref=_short(submission.transport_ref, 32, "transport_ref"),
        purpose=_short(submission.purpose, 32, "purpose"),
        decision=submission.decision,
        refusal_reason=reason_code,
        notes=submission.notes,
        reading=data,
        document_valid=valid,
        document_expired=expired,
        traveller_sex=sex,
        traveller_age=age,
        traveller_nationality=nationality,
        is_minor=minor,
        minor_accompanied=accompanied,
        accompanying_crossing_id=None if companion is None else companion.id,
        override_reason=override,
        document_holder_id=holder_id if holder_id != traveller_id else None,
        corrects_id=original.id,
        correction_reason=reason.strip(),
    )
    session.add(crossing)
    try:
        session.flush()
    except IntegrityError as error:
        if client_id_taken(error):
            raise SubmittedMeanwhile(client_id) from error
        if correction_taken(error):
            raise corrected_meanwhile(crossing_id) from error
        raise
    _attach_hits(crossing, store_hits(session, crossing.id, screening.hits))
    detail = _audit_detail(acting, crossing, linked_by, screening, confirmed, assessment)
    detail["reason"] = reason.strip()
    if reassign_to is not None:
        detail["reassigned"] = {"from": original.traveller_id, "to": traveller_id}
    record_audit(session, acting, "crossing.correct", "crossing", crossing.id, detail=detail)
    return Recorded(crossing, created=True, linked_by=linked_by)


def corrected_meanwhile(crossing_id: int) -> Conflict:
    """The error of a correction another request made first (the chain never forks)."""
    return Conflict(
        f"crossing {crossing_id} was corrected meanwhile by another request: correct the newer row",
        field="crossing_id",
    )


def _listed(hit: ScreeningHit) -> Listed:
    kind = ListKind(hit.list_kind)
    return Listed(hit.list_name, kind, hit.entry_id, hit.matched_name, hit.possible)


def list_policies(session: Session, names: set[str]) -> dict[str, AlertPolicy]:
    """Return the alert policy of each named list as it stands now."""
    if not names:
        return {}
    rows = session.execute(
        select(Watchlist.name, Watchlist.alert_policy).where(Watchlist.name.in_(sorted(names)))
    )
    return {name: policy for name, policy in rows}


def _reassigned(session: Session, actor: Actor, traveller_id: int, current: int) -> int:
    """Check that a supervisor may file a crossing under this traveller; return their id."""
    if actor.role is not Role.SUPERVISOR:
        raise PermissionDenied(
            "only a supervisor files a crossing under another traveller", field="traveller_id"
        )
    if traveller_id == current:
        raise InvalidInput(
            f"the crossing is already filed under traveller {current}", field="traveller_id"
        )
    traveller = session.get(Traveller, traveller_id)
    if traveller is None or traveller.anonymised_at is not None:
        raise NotFound(f"no traveller {traveller_id}", field="traveller_id")
    return traveller_id


def _corrected_time(value: datetime | None, original: datetime, now: datetime) -> datetime:
    """Keep the original time unless a new one is given; an old crossing may be corrected late."""
    if value is None:
        return original
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput("give the time with its UTC offset (e.g. Z)", field="occurred_at")
    if value.astimezone(UTC) > now + CLOCK_SKEW:
        raise InvalidInput("the crossing time is in the future", field="occurred_at")
    return value.astimezone(UTC)
