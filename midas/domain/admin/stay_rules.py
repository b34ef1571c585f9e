"""Stay rules: how long travellers of a nationality may stay, set by administrators."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from midas.domain.actors import Actor
from midas.domain.admin.checks import DEFAULT_NATIONALITY, check_nationality, require_admin
from midas.domain.audit import record_audit
from midas.domain.errors import InvalidInput, NotFound, Problems
from midas.domain.texts import N_
from midas.persistence.database import begin_writing
from midas.persistence.models import StayRule


def list_stay_rules(session: Session) -> list[StayRule]:
    """Return every stay rule, the default ('*') first."""
    rules = list(session.scalars(select(StayRule).order_by(StayRule.nationality)))
    return sorted(rules, key=lambda rule: rule.nationality != DEFAULT_NATIONALITY)


def _nationality(code: str) -> str:
    if code.strip() == DEFAULT_NATIONALITY:
        return DEFAULT_NATIONALITY
    return check_nationality(code)


def _stay_days(allowed_days: int, window_days: int) -> None:
    if allowed_days < 1:
        raise InvalidInput(N_("the days allowed must be at least 1"), field="allowed_days")
    if window_days < allowed_days:
        raise InvalidInput(
            N_("the window must be at least as many days as the days allowed"), field="window_days"
        )


def set_stay_rule(
    session: Session, actor: Actor | str, nationality: str, *, allowed_days: int, window_days: int
) -> StayRule:
    """Create or replace the allowed stay of a nationality ('*' is the default rule)."""
    begin_writing(session)
    if isinstance(actor, Actor):
        require_admin(actor)
    problems = Problems()
    code = problems.check(lambda: _nationality(nationality), "")
    problems.check(lambda: _stay_days(allowed_days, window_days), None)
    problems.raise_any()
    rule = session.get(StayRule, code)
    if rule is None:
        rule = StayRule(nationality=code, allowed_days=allowed_days, window_days=window_days)
        session.add(rule)
    else:
        rule.allowed_days = allowed_days
        rule.window_days = window_days
    record_audit(
        session,
        actor,
        "stay_rule.set",
        "stay_rule",
        code,
        detail={"allowed_days": allowed_days, "window_days": window_days},
    )
    return rule


def delete_stay_rule(session: Session, actor: Actor, nationality: str) -> None:
    """Remove a nationality's stay rule; the default rule applies to it again."""
    begin_writing(session)
    require_admin(actor)
    code = _nationality(nationality)
    rule = session.get(StayRule, code)
    if rule is None:
        raise NotFound(N_("no stay rule for %(code)s"), params={"code": code}, field="nationality")
    session.delete(rule)
    record_audit(session, actor, "stay_rule.delete", "stay_rule", code)
