"""What every administration change checks: the admin role, and country, nationality and
time zone codes."""

from __future__ import annotations

import re
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import statecodes
from midas.domain.actors import Actor
from midas.domain.errors import InvalidInput, PermissionDenied
from midas.domain.texts import N_
from midas.persistence.models import Role

POST_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{1,15}")


DEFAULT_NATIONALITY = "*"


def require_admin(actor: Actor) -> None:
    """Refuse anyone but a person with the admin role."""
    if actor.role is not Role.ADMIN or actor.kind != "user":
        raise PermissionDenied(N_("only an administrator may do this"))


def check_country(code: str, field: str = "country") -> str:
    """Return the code of the state a post lies in, in upper case, or raise naming the field."""
    upper = code.strip().upper()
    if not statecodes.is_state(upper):
        raise InvalidInput(
            N_("%(code)s is not a country code (three letters, e.g. AUT, or RKS for Kosovo)"),
            params={"code": repr(code)},
            field=field,
        )
    return upper


def check_nationality(code: str, field: str = "nationality") -> str:
    """Return a nationality code a travel document may carry, in upper case, or raise."""
    upper = code.strip().upper()
    if not statecodes.is_known(upper):
        raise InvalidInput(
            N_("%(code)s is not a nationality code of ICAO Doc 9303 (e.g. KEN, RKS or XXA)"),
            params={"code": repr(code)},
            field=field,
        )
    return upper


@cache
def _zone_names() -> frozenset[str]:
    """Return the IANA time zone names installed, listed once per process (listing them walks
    the whole time zone database: 20 ms, which every post created or changed paid)."""
    return frozenset(available_timezones())


def check_timezone(name: str, field: str = "timezone") -> str:
    """Return an IANA time zone name, or raise naming the field."""
    if name not in _zone_names():
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidInput(
                N_("%(name)s is not an IANA time zone"), params={"name": repr(name)}, field=field
            ) from None
    return name
