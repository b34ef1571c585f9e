"""Flask's signed-cookie session, opened only when the request brings a session cookie.

Most requests by volume are a station's, authenticated by a bearer token and without a cookie:
for them Flask would still build a signing serializer to open an empty session, and work out
every cookie attribute to save it. This interface skips both; a request with a cookie, and any
session that is written to, are handled exactly as Flask handles them.
"""

from __future__ import annotations

from flask import Flask, Request, Response
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin


class CookieSessionInterface(SecureCookieSessionInterface):
    """`SecureCookieSessionInterface` without the work an absent, untouched session needs."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if not session and not session.modified:
            # What Flask does for an empty session that nothing wrote to: no cookie is set.
            if session.accessed:
                response.vary.add("Cookie")
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    app.session_interface = CookieSessionInterface()
