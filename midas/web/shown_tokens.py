"""A station token on its way from the form that issued it to the page that shows it once.

Creating a station (or rotating or reactivating its token) answers with a redirect, so that
reloading the page shows it again instead of making another station. The token crosses that
redirect in the session cookie, encrypted with a key derived from SECRET_KEY (the cookie is
only signed, and it may sit in the browser's cookie store), and is removed by the page that
shows it.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from flask import session as cookie_session

SESSION_KEY = "issued_station_token"
# Long enough to follow one redirect on a slow link; an older token is dropped unshown (the
# admin rotates it again).
SHOWN_WITHIN_SECONDS = 300


def _fernet() -> Fernet:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"midas station token in session"
    ).derive(secret)
    return Fernet(base64.urlsafe_b64encode(key))


def hold(station_name: str, token: str, action: str) -> None:
    """Keep an issued token, encrypted, for the next page this browser asks for."""
    plain = json.dumps({"name": station_name, "token": token, "action": action}).encode()
    cookie_session[SESSION_KEY] = _fernet().encrypt(plain).decode()


def take() -> dict[str, Any] | None:
    """Remove the held token and return it to show, or None if there is none (or it is stale)."""
    sealed = cookie_session.pop(SESSION_KEY, None)
    if not isinstance(sealed, str):
        return None
    try:
        plain = _fernet().decrypt(sealed.encode(), ttl=SHOWN_WITHIN_SECONDS)
    except InvalidToken:
        return None
    issued: dict[str, Any] = json.loads(plain)
    return issued
