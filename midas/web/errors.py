"""Error pages for browsers; API clients get JSON from midas.api.errors, which calls us."""

from __future__ import annotations

from typing import Any

from flask import render_template

# What a person should read for each status, in plain words; the detail follows it.
TITLES = {
    400: "The request could not be understood",
    401: "Please log in",
    403: "This page is not open to you",
    404: "Not found",
    409: "That cannot be done now",
    413: "The file is too large",
    422: "Please check what you entered",
    429: "Too many attempts",
    500: "Something went wrong on our side",
    503: "The service is briefly unavailable",
}
HINTS = {
    "csrf": "The form expired or was sent from elsewhere. Reload the page and try again.",
    "rate_limited": "Wait a minute before trying again.",
    "internal": "The error has been logged. Try again, and tell your supervisor if it persists.",
    "unavailable": "Wait half a minute and reload the page; what you entered was not saved.",
}


# Messages in our words where the framework's are not a person's.
MESSAGES = {
    413: "A document image may be up to 20 MB: scan at a lower resolution, or save it as JPEG.",
}


def render_error(status: int, code: str, message: str, field: str | None) -> Any:
    """Render the error page of a status with the error's message."""
    title = TITLES.get(status, "Something went wrong")
    message = MESSAGES.get(status, message)
    hint = HINTS.get(code)
    body = render_template(
        "error.html", status=status, title=title, message=message, hint=hint, field=field
    )
    return body, status
