"""Rate limits (flask-limiter): password checks per client address.

Only the views that check a password are limited (`login_limited`), and all of them share one
count per address: LOGIN_RATE_LIMIT is how many passwords an address may try in all, whichever
route it uses. A carrier gateway's message submissions are counted per gateway
(`gateway_limited`). Every other request, a
station's recording above all, is let through by a request filter as soon as its view is known,
instead of flask-limiter resolving for each one the limits it does not have.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from midas.auth.identity import bearer_token
from midas.domain.credentials import token_sha256

F = TypeVar("F", bound=Callable[..., Any])
LIMITED_MARK = "midas_rate_limited"
# The one count every password-checking view adds to.
PASSWORD_SCOPE = "passwords"

limiter = Limiter(key_func=get_remote_address)


def login_rate_limit() -> str:
    """Return the login rate limit from the settings, e.g. "10 per minute"."""
    limit: str = current_app.config["LOGIN_RATE_LIMIT"]
    return limit


def login_limited(view: F) -> F:
    """Count a view's POSTs in the shared password limit (LOGIN_RATE_LIMIT per client address):
    for every view that checks a password. The only way views are limited, so the filter below
    knows them."""
    limited = limiter.shared_limit(login_rate_limit, scope=PASSWORD_SCOPE, methods=["POST"])(view)
    setattr(limited, LIMITED_MARK, True)
    return cast(F, limited)


def gateway_rate_limit() -> str:
    """Return the limit of messages one gateway may post, e.g. "60 per minute"."""
    limit: str = current_app.config["PAXLST_GATEWAY_RATE_LIMIT"]
    return limit


def _gateway_key() -> str:
    # Per gateway (its token's hash), whichever address it posts from; else per address.
    token = bearer_token()
    return "gateway:" + token_sha256(token) if token is not None else get_remote_address()


def gateway_limited(view: F) -> F:
    """Count a view's POSTs per gateway (PAXLST_GATEWAY_RATE_LIMIT): a gateway in a retry loop
    cannot keep the server parsing and screening manifests."""
    limited = limiter.limit(gateway_rate_limit, key_func=_gateway_key, methods=["POST"])(view)
    setattr(limited, LIMITED_MARK, True)
    return cast(F, limited)


@limiter.request_filter
def _unlimited() -> bool:
    """Exempt a request whose view is not `login_limited`."""
    view = current_app.view_functions.get(request.endpoint or "")
    return view is not None and not getattr(view, LIMITED_MARK, False)
