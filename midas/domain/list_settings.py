"""A list's decision settings: its alert policy and possible-match floor, set by administrators.

The policy says what a hit on the list does to the officer's decision (midas.domain.decisions);
the floor is the name score from which a listed person whose birth date differs is still shown,
as a possible match. Both take effect at the next screening, with no reload of the list.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from midas.domain.actors import Actor
from midas.domain.audit import record_audit
from midas.domain.errors import InvalidInput, NotFound, PermissionDenied
from midas.domain.texts import N_
from midas.persistence.models import AlertPolicy, Role, Watchlist
from watchlists.config import WANTED_POSSIBLE_MATCH_FLOOR
from watchlists.models import ListKind

# A floor under this would show namesakes as possible matches (see docs/benchmarks.md).
LOWEST_FLOOR = 0.8
# The floor suggested for wanted-person lists: exact and near-exact names only.
WANTED_PERSON_FLOOR = WANTED_POSSIBLE_MATCH_FLOOR
# Marks "leave the floor as it is" apart from None ("no possible matches").
UNCHANGED = -1.0


@dataclass(frozen=True, slots=True)
class ListSettings:
    """What an administrator may change of a list's decision settings (None: unchanged)."""

    alert_policy: AlertPolicy | None = None
    possible_match_floor: float | None = UNCHANGED


def parse_policy(value: str) -> AlertPolicy:
    """Return the alert policy a value names; InvalidInput naming the choices otherwise."""
    try:
        return AlertPolicy(value.strip().lower())
    except ValueError:
        choices = ", ".join(p.value for p in AlertPolicy)
        raise InvalidInput(
            N_("%(value)s is not an alert policy: use one of %(choices)s"),
            params={"value": repr(value), "choices": choices},
            field="alert_policy",
        ) from None


def check_floor(value: float | None) -> float | None:
    """Refuse a possible-match floor outside [LOWEST_FLOOR, 1] (None turns the band off)."""
    if value is None:
        return None
    if not LOWEST_FLOOR <= value <= 1.0:
        raise InvalidInput(
            N_("the possible-match floor must lie between %(limit)s and 1 (or be empty)"),
            params={"limit": LOWEST_FLOOR},
            field="possible_match_floor",
        )
    return round(float(value), 4)


def set_list_settings(
    session: Session, actor: Actor | str, name: str, settings: ListSettings
) -> Watchlist:
    """Change a list's alert policy and/or possible-match floor; audited with before and after."""
    if isinstance(actor, Actor) and actor.role is not Role.ADMIN:
        raise PermissionDenied(N_("only administrators change a list's settings"))
    watchlist = session.query(Watchlist).filter_by(name=name).one_or_none()
    if watchlist is None:
        raise NotFound(N_("no watchlist named %(name)s"), params={"name": repr(name)}, field="name")
    before = _settings_of(watchlist)
    if settings.alert_policy is not None:
        watchlist.alert_policy = settings.alert_policy
    if settings.possible_match_floor != UNCHANGED:
        floor = check_floor(settings.possible_match_floor)
        if floor is not None and watchlist.kind is not ListKind.PERSON:
            raise InvalidInput(
                N_("a possible-match floor applies to person lists only"),
                field="possible_match_floor",
            )
        watchlist.possible_match_floor = floor
    session.flush()
    record_audit(
        session,
        actor,
        "watchlist.settings",
        "watchlist",
        name,
        detail={"before": before, "after": _settings_of(watchlist)},
    )
    return watchlist


def _settings_of(watchlist: Watchlist) -> dict[str, object]:
    return {
        "alert_policy": watchlist.alert_policy.value,
        "possible_match_floor": watchlist.possible_match_floor,
    }
