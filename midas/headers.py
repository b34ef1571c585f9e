"""Security headers on every response: what a browser may load, frame, cache and send on.

Pages and CSV exports carry travellers' personal data, so nothing but the static assets may be
stored by a browser or a proxy. The policy allows only this origin's own scripts and styles
(no inline script, style attribute or `javascript:` link; templates use classes and files in
static/), no framing by any site (a same-site page framing the live station page could trick
an officer into clicking), and HTTPS only, remembered by the browser, in production.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",  # data: is the empty favicon of base.html
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "X-Content-Type-Options": "nosniff",
    # Our own pages keep the Referer (flask-wtf's CSRF check wants it over HTTPS); no other
    # site learns a URL, whose query may hold a traveller's name.
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
# A year, the minimum browsers' preload lists accept.
HSTS = "max-age=31536000; includeSubDomains"
# Endpoints whose answers hold nothing personal and may be cached (versioned assets).
CACHEABLE = frozenset({"web.static"})


def add_security_headers(response: Response) -> Response:
    """Add the security headers; forbid storing anything but static assets."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.endpoint not in CACHEABLE:
        response.headers["Cache-Control"] = "no-store"
    if current_app.config["ENV"] == "production":
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def init_app(app: Flask) -> None:
    """Add the security headers to every response the app gives."""
    app.after_request(add_security_headers)
