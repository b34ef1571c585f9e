"""What else headquarters decides for a post: stay rules, posts, users and roles, the post's
stations, and the PKI trust store.

Each is sent as a whole snapshot when it changed (its digest differs from the one last sent),
and a post makes its own match it: users and stations headquarters no longer names are
deactivated (never deleted: crossings name them), and a user whose password, role or standing
changed is logged out everywhere. Users travel with their password hashes only. A trust source
arrives as its active version's certificates and CRLs and is stored as a new version there.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from cryptography import x509
from sqlalchemy import delete, func, or_, select, true
from sqlalchemy.orm import Session, selectinload

from bundles.model import Record
from midas.domain.audit import record_audit
from midas.domain.errors import Conflict, InvalidInput
from midas.domain.languages import LANGUAGES
from midas.domain.sync_published import Update, digest
from midas.domain.sync_records import NO_LOGIN
from midas.domain.texts import N_
from midas.domain.trust_store import TrustLoad, store_trust_version
from midas.domain.user_sessions import end_sessions
from midas.persistence.base import utcnow
from midas.persistence.models import (
    Post,
    PostKind,
    Role,
    Station,
    StayRule,
    TrustItem,
    TrustItemKind,
    TrustSource,
    TrustVersion,
    User,
    supervised_posts,
)

STAY_RULES = "stay_rules"
USERS = "users"
USER = "user"
STATIONS = "stations"
TRUST_VERSION = "trust.version"
TRUST_ITEMS = "trust.items"
KINDS = frozenset({STAY_RULES, USERS, USER, STATIONS, TRUST_VERSION, TRUST_ITEMS})
# Certificates and CRLs per record, bounded by count and by size.
TRUST_ITEMS_PER_RECORD = 200
TRUST_RECORD_BYTES = 1024 * 1024


def _record(kind: str, data: dict[str, Any]) -> Record:
    return Record(kind, Record.new_id(), utcnow(), data)


def _snapshot(subject: str, records: list[Record], sent: Mapping[str, str]) -> list[Update]:
    mark = digest([[r.kind, r.data] for r in records])
    return [] if sent.get(subject) == mark else [Update(subject, mark, records)]


# -- at headquarters ----------------------------------------------------------------------------


def reference_updates(session: Session, receiver: str, sent: Mapping[str, str]) -> list[Update]:
    """Return the stay rules, users, stations and trust sources that changed since the post
    `receiver` was last sent them."""
    post = session.scalar(select(Post).where(Post.code == receiver))
    if post is None:
        raise Conflict(
            N_("headquarters has no post %(receiver)s: create the post, then send again"),
            params={"receiver": receiver},
            field="receiver",
        )
    return [
        *_snapshot(STAY_RULES, [_stay_rules(session)], sent),
        *_snapshot(USERS, _users(session, post), sent),
        *_snapshot(STATIONS, [_stations(session, post)], sent),
        *_trust_updates(session, sent),
    ]


def _stay_rules(session: Session) -> Record:
    rules = session.scalars(select(StayRule).order_by(StayRule.nationality))
    return _record(
        STAY_RULES,
        {
            "rules": [
                {
                    "nationality": r.nationality,
                    "allowed_days": r.allowed_days,
                    "window_days": r.window_days,
                }
                for r in rules
            ]
        },
    )


def _users(session: Session, post: Post) -> list[Record]:
    """Return every post (users name them) and the users who may work at this post: its
    officers, every administrator, and the supervisors of every post, of this one, or based
    here. The post deactivates whom headquarters does not name, so an administrator or a
    supervisor of the post must never be left out."""
    posts = session.scalars(select(Post).order_by(Post.code)).all()
    supervises_here = (
        select(supervised_posts.c.user_id)
        .where(supervised_posts.c.post_id == post.id)
        .scalar_subquery()
    )
    users = session.scalars(
        select(User)
        .options(selectinload(User.supervised), selectinload(User.post))
        .where(
            User.password_hash != NO_LOGIN,
            or_(
                User.post_id == post.id,
                User.role == Role.ADMIN,
                (User.role == Role.SUPERVISOR)
                & (
                    User.all_posts.is_(True) | User.post_id.is_(None) | User.id.in_(supervises_here)
                ),
            ),
        )
        .order_by(User.username)
    ).all()
    header = _record(
        USERS,
        {
            "count": len(users),
            "posts": [
                {
                    "code": p.code,
                    "name": p.name,
                    "kind": p.kind.value,
                    "country": p.country,
                    "timezone": p.timezone,
                    "active": p.active,
                    "locale": p.locale,
                }
                for p in posts
            ],
        },
    )
    return [header, *(_record(USER, _user(user)) for user in users)]


def _user(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role.value,
        "password_hash": user.password_hash,
        "post": None if user.post is None else user.post.code,
        "all_posts": user.all_posts,
        "active": user.active,
        "must_change_password": user.must_change_password,
        "password_changed_at": user.password_changed_at.isoformat(),
        "supervised": sorted(p.code for p in user.supervised),
        "locale": user.locale,
    }


def _stations(session: Session, post: Post) -> Record:
    stations = session.scalars(
        select(Station).where(Station.post_id == post.id).order_by(Station.name)
    )
    return _record(
        STATIONS,
        {
            "post": post.code,
            "stations": [
                {
                    "name": s.name,
                    "token_sha256": s.token_sha256,
                    "token_hint": s.token_hint,
                    "active": s.active,
                    "keyboard_layout": s.keyboard_layout,
                }
                for s in stations
            ],
        },
    )


def _trust_updates(session: Session, sent: Mapping[str, str]) -> list[Update]:
    updates = []
    rows = session.execute(
        select(TrustSource.name, TrustVersion)
        .join(TrustVersion, TrustVersion.id == TrustSource.active_version_id)
        .order_by(TrustSource.name)
    )
    for name, version in rows:
        subject, mark = f"trust:{name}", str(version.number)
        if sent.get(subject) == mark:
            continue
        items = session.execute(
            select(TrustItem.kind, TrustItem.der)
            .where(TrustItem.version_id == version.id)
            .order_by(TrustItem.id)
        )
        records = [
            _record(
                TRUST_VERSION,
                {
                    "source": name,
                    "number": version.number,
                    "source_format": version.source_format,
                    "provenance": version.provenance,
                    "items": version.csca_count + version.dsc_count + version.crl_count,
                },
            )
        ]
        batch: list[dict[str, str]] = []
        size = 0
        for kind, der in items:
            encoded = base64.b64encode(der).decode("ascii")
            if batch and (
                len(batch) >= TRUST_ITEMS_PER_RECORD or size + len(encoded) > TRUST_RECORD_BYTES
            ):
                records.append(_record(TRUST_ITEMS, {"source": name, "items": batch}))
                batch, size = [], 0
            batch.append({"kind": kind.value, "der": encoded})
            size += len(encoded)
        if batch:
            records.append(_record(TRUST_ITEMS, {"source": name, "items": batch}))
        updates.append(Update(subject, mark, records))
    return updates


# -- at a post ----------------------------------------------------------------------------------


def apply_reference_records(
    session: Session, actor: str, post_code: str, records: Sequence[Record]
) -> list[str]:
    """Apply headquarters' snapshots in order, in the caller's transaction; return what was
    applied. Raise InvalidInput at the first record that does not add up."""
    applied: list[str] = []
    index = 0
    while index < len(records):
        record = records[index]
        if record.kind == STAY_RULES:
            applied.append(_apply_stay_rules(session, actor, record.data))
        elif record.kind == USERS:
            count = record.data.get("count")
            if not isinstance(count, int) or count < 0:
                raise InvalidInput(N_("the users' snapshot does not say how many"), field="bundle")
            users = records[index + 1 : index + 1 + count]
            if len(users) != count or any(u.kind != USER for u in users):
                raise InvalidInput(
                    N_("the users' snapshot names %(count)s users and brings %(count2)s"),
                    params={"count": count, "count2": len(users)},
                    field="bundle",
                )
            applied.append(_apply_users(session, actor, record.data, users))
            index += count
        elif record.kind == STATIONS:
            applied.append(_apply_stations(session, actor, post_code, record.data))
        elif record.kind == TRUST_VERSION:
            items = []
            while index + 1 < len(records) and records[index + 1].kind == TRUST_ITEMS:
                index += 1
                items.append(records[index])
            applied.append(_apply_trust(session, actor, record.data, items))
        else:
            raise InvalidInput(
                N_("a record of kind %(kind)s stands outside its snapshot"),
                params={"kind": repr(record.kind)},
                field="bundle",
            )
        index += 1
    return applied


def _count(value: object, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise InvalidInput(
            N_("%(what)s is not a number of days"), params={"what": what}, field="bundle"
        )
    return value


def _apply_stay_rules(session: Session, actor: str, data: Mapping[str, Any]) -> str:
    rules = data.get("rules")
    if not isinstance(rules, list):
        raise InvalidInput(N_("the stay rules are not a list"), field="bundle")
    rows = [
        StayRule(
            nationality=str(rule.get("nationality"))[:3],
            allowed_days=_count(rule.get("allowed_days"), "a stay rule's allowed stay"),
            window_days=_count(rule.get("window_days"), "a stay rule's window"),
        )
        for rule in rules
    ]
    session.execute(delete(StayRule))
    session.add_all(rows)
    session.flush()
    record_audit(session, actor, "stay_rules.sync", "stay_rule", None, detail={"rules": len(rows)})
    return f"{len(rows)} stay rule(s)"


def _apply_posts(session: Session, posts: object) -> dict[str, Post]:
    if not isinstance(posts, list):
        raise InvalidInput(N_("the posts are not a list"), field="bundle")
    known = {p.code: p for p in session.scalars(select(Post))}
    for item in posts:
        code = str(item.get("code") or "")
        if not code:
            raise InvalidInput(N_("a post has no code"), field="bundle")
        post = known.get(code)
        if post is None:
            post = Post(code=code)
            session.add(post)
            known[code] = post
        try:
            post.kind = PostKind(item.get("kind"))
        except ValueError:
            raise InvalidInput(
                N_("post %(code)s: kind %(kind)s"),
                params={"code": code, "kind": repr(item.get("kind"))},
                field="bundle",
            ) from None
        post.name = str(item.get("name") or code)[:200]
        post.country = str(item.get("country") or "")[:3]
        post.timezone = str(item.get("timezone") or "UTC")[:64]
        post.active = bool(item.get("active", True))
        post.locale = _language(item.get("locale"))
    session.flush()
    return known


def _apply_users(
    session: Session, actor: str, data: Mapping[str, Any], records: Sequence[Record]
) -> str:
    posts = _apply_posts(session, data.get("posts"))
    named: set[str] = set()
    for record in records:
        named.add(_apply_user(session, record.data, posts))
    gone = session.scalars(
        select(User).where(User.active.is_(True), User.username.not_in(named) if named else true())
    ).all()
    for user in gone:
        user.active = False
        end_sessions(session, user.id)
    session.flush()
    admins = session.scalar(
        select(func.count()).select_from(User).where(User.active.is_(True), User.role == Role.ADMIN)
    )
    if not admins:
        # The bundle's transaction is rolled back: the post keeps the people it had.
        raise InvalidInput(
            N_("headquarters' users would leave this post without an administrator; not applied"),
            field="bundle",
        )
    record_audit(
        session,
        actor,
        "users.sync",
        "user",
        None,
        detail={"users": len(named), "deactivated": sorted(u.username for u in gone)},
    )
    return f"{len(named)} user(s), {len(gone)} deactivated"


def _language(code: object) -> str | None:
    """Return a shipped language code as headquarters sent it; anything else as none chosen."""
    return code if isinstance(code, str) and code in LANGUAGES else None


def _apply_user(session: Session, data: Mapping[str, Any], posts: Mapping[str, Post]) -> str:
    username = data.get("username")
    if not isinstance(username, str) or not username or len(username) > 80:
        raise InvalidInput(N_("a user has no username"), field="bundle")
    try:
        role = Role(str(data.get("role")))
    except ValueError:
        raise InvalidInput(
            N_("user %(username)s: role %(role)s"),
            params={"username": username, "role": repr(data.get("role"))},
            field="bundle",
        ) from None
    password_hash = data.get("password_hash")
    if not isinstance(password_hash, str) or not password_hash:
        raise InvalidInput(
            N_("user %(username)s: no password hash"), params={"username": username}, field="bundle"
        )

    def post(code: object) -> Post:
        if code not in posts:
            raise InvalidInput(
                N_("user %(username)s: post %(code)s is not known"),
                params={"username": username, "code": repr(code)},
                field="bundle",
            )
        return posts[str(code)]

    home = None if data.get("post") is None else post(data["post"])
    supervised = [post(code) for code in data.get("supervised") or ()]
    active = bool(data.get("active"))
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(username=username)
        session.add(user)
    elif (user.password_hash, user.role, user.active) != (password_hash, role, active):
        end_sessions(session, user.id)  # a changed password or role opens no old session
    user.full_name = str(data.get("full_name") or username)[:200]
    user.role = role
    user.password_hash = password_hash
    user.post = home
    user.all_posts = bool(data.get("all_posts"))
    user.active = active
    user.must_change_password = bool(data.get("must_change_password"))
    user.supervised = supervised
    user.locale = _language(data.get("locale"))
    changed = data.get("password_changed_at")
    if isinstance(changed, str):
        user.password_changed_at = datetime.fromisoformat(changed)
    return username


def _apply_stations(session: Session, actor: str, post_code: str, data: Mapping[str, Any]) -> str:
    if data.get("post") != post_code:
        raise InvalidInput(
            N_("headquarters sent the stations of %(post)s to post %(post_code)s"),
            params={"post": repr(data.get("post")), "post_code": post_code},
            field="bundle",
        )
    post = session.scalar(select(Post).where(Post.code == post_code))
    stations = data.get("stations")
    if post is None or not isinstance(stations, list):
        raise InvalidInput(
            N_("post %(post_code)s or its stations are not known"),
            params={"post_code": post_code},
            field="bundle",
        )
    here = {
        s.name.lower(): s
        for s in session.scalars(select(Station).where(Station.post_id == post.id))
    }
    named = set()
    revoked = 0
    for item in stations:
        name = str(item.get("name") or "")
        token = str(item.get("token_sha256") or "")
        if not name or len(token) != 64:
            raise InvalidInput(
                N_("station %(name)s has no token digest"),
                params={"name": repr(name)},
                field="bundle",
            )
        named.add(name.lower())
        station = here.get(name.lower())
        if station is None:
            station = Station(post_id=post.id, name=name)
            session.add(station)
        elif station.token_sha256 != token or (station.active and not item.get("active")):
            revoked += 1
        station.name = name
        station.token_sha256 = token
        station.token_hint = str(item.get("token_hint") or "")[:12]
        station.active = bool(item.get("active"))
        station.keyboard_layout = str(item.get("keyboard_layout") or "us")[:16]
    for key, station in here.items():
        if key not in named and station.active:
            station.active = False
            revoked += 1
    session.flush()
    record_audit(
        session,
        actor,
        "stations.sync",
        "station",
        None,
        detail={"stations": len(named), "revoked": revoked},
    )
    return f"{len(named)} station(s), {revoked} token(s) revoked"


def _apply_trust(
    session: Session, actor: str, data: Mapping[str, Any], records: Sequence[Record]
) -> str:
    name = str(data.get("source") or "")
    cscas: list[x509.Certificate] = []
    dscs: list[x509.Certificate] = []
    crls: list[x509.CertificateRevocationList] = []
    for record in records:
        if record.data.get("source") != name:
            raise InvalidInput(
                N_("trust source %(name)s: items of another source"),
                params={"name": name},
                field="bundle",
            )
        for item in record.data.get("items") or ():
            try:
                der = base64.b64decode(str(item.get("der")), validate=True)
                kind = TrustItemKind(item.get("kind"))
                if kind is TrustItemKind.CRL:
                    crls.append(x509.load_der_x509_crl(der))
                else:
                    certificate = x509.load_der_x509_certificate(der)
                    (cscas if kind is TrustItemKind.CSCA else dscs).append(certificate)
            except (ValueError, binascii.Error):
                raise InvalidInput(
                    N_("trust source %(name)s: an item is not a certificate or CRL"),
                    params={"name": name},
                    field="bundle",
                ) from None
    held = len(cscas) + len(dscs) + len(crls)
    if held != data.get("items"):
        raise InvalidInput(
            N_("trust source %(name)s: %(held)s items came, headquarters holds %(items)s"),
            params={"name": name, "held": held, "items": data.get("items")},
            field="bundle",
        )
    provenance = data.get("provenance")
    load = TrustLoad(
        tuple(cscas),
        tuple(dscs),
        tuple(crls),
        tuple(provenance) if isinstance(provenance, list) else (),
    )
    version = store_trust_version(session, actor, name, str(data.get("source_format")), load)
    session.flush()
    count = session.scalar(select(func.count()).where(TrustItem.version_id == version.id))
    return f"trust source {name} ({count} item(s))"
