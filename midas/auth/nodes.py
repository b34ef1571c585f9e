"""Requests from other nodes: a post proves it sent a request by its enrolled Ed25519 key.

No password and no session: every request is signed (`bundles.request_signature`), and checked
against the key headquarters enrolled for the post before the body is read. A stranger, a bad
signature or a stale date answers 401; a revoked post 403, so it can neither push nor pull.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import g, request
from sqlalchemy import select

from bundles.errors import BundleError
from bundles.keys import PublicKey
from bundles.request_signature import check_body, check_request
from midas.auth.identity import _document
from midas.domain.actors import AuthenticationRequired
from midas.domain.errors import PermissionDenied
from midas.domain.texts import N_
from midas.persistence.base import utcnow
from midas.persistence.database import database
from midas.persistence.models import SyncPeer

P = ParamSpec("P")
R = TypeVar("R")
_NODE = "midas_node"


def _headers() -> dict[str, str]:
    return dict(request.headers.items())


def _target() -> str:
    query = request.query_string.decode("latin-1")
    return request.path + (f"?{query}" if query else "")


def signed_node() -> str:
    """Return the enrolled post that signed this request (once per request); raise 401 or 403."""
    known: str | None = g.get(_NODE)
    if known is not None:
        return known
    with database().sessions() as session:
        revoked: set[str] = set()

        def key_of(code: str) -> PublicKey:
            # The key of a revoked post too: its signature is checked before it is told it was
            # revoked, so no one learns which posts were by asking unsigned.
            peer = session.scalar(select(SyncPeer).where(SyncPeer.code == code))
            if peer is None or peer.role != "post":
                raise AuthenticationRequired(f"node {code} is not enrolled here as a post")
            if peer.revoked_at is not None:
                revoked.add(code)
            return PublicKey.from_pem(peer.public_key.encode())

        try:
            node = check_request(_headers(), request.method, _target(), key_of, utcnow())
        except BundleError as error:
            raise AuthenticationRequired(f"sign the request with the post's key: {error}") from None
    if node in revoked:
        raise PermissionDenied(
            N_("post %(code)s was revoked: it can neither push nor pull"), params={"code": node}
        )
    g.setdefault(_NODE, node)
    return node


def signed_body(headers: Mapping[str, str] | None = None) -> bytes:
    """Return the request's body once it is known to be the one signed."""
    body = request.get_data(cache=True)
    try:
        check_body(headers or _headers(), body)
    except BundleError as error:
        raise AuthenticationRequired(str(error)) from None
    return body


def node_signed(view: Callable[P, R]) -> Callable[P, R]:
    """Guard a view for posts: no person or station credentials, a request signed by the key of
    an enrolled, unrevoked post (checked before the view, and before the body is read)."""

    @wraps(view)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        signed_node()
        return view(*args, **kwargs)

    guarded.midas_public = True  # type: ignore[attr-defined]  # no user or station: a node
    guarded.midas_csrf_exempt = True  # type: ignore[attr-defined]  # no cookie to abuse
    _document(guarded, {"security": [{"node": []}]})
    return guarded
