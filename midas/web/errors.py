"""Error pages for browsers; API clients get JSON from midas.api.errors, which calls us."""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import default_exceptions

from midas.wording import sentence

# What a person should read for each status, in plain words; the detail follows it.
TITLES = {
    400: _l("The request could not be understood"),
    401: _l("Please log in"),
    403: _l("This page is not open to you"),
    404: _l("Not found"),
    409: _l("That cannot be done now"),
    413: _l("The file is too large"),
    422: _l("Please check what you entered"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong on our side"),
    503: _l("The service is briefly unavailable"),
}
HINTS = {
    "csrf": _l("The form expired or was sent from elsewhere. Reload the page and try again."),
    "rate_limited": _l("Wait a minute before trying again."),
    "internal": _l(
        "The error has been logged. Try again, and tell your supervisor if it persists."
    ),
    "unavailable": _l("Wait half a minute and reload the page; what you entered was not saved."),
}


# Messages in our words where the framework's are not a person's.
MESSAGES = {
    413: _l("A document image may be up to 20 MB: scan at a lower resolution, or save it as JPEG."),
}
# Our words for werkzeug's own descriptions of a status (English, and no person's words); a
# domain error of the same status keeps its own message.
FRAMEWORK_MESSAGES = {
    400: _l("The page sent something the server could not read: reload it and try again."),
    404: _l("There is no page at this address: check it, or start again from your start page."),
    405: _l("This address cannot be used that way: start again from your start page."),
}


def _message(status: int, message: str) -> str:
    """Return the message a person reads, in the page's language."""
    ours = MESSAGES.get(status)
    framework = default_exceptions.get(status)
    if ours is None and framework is not None and message == framework.description:
        ours = FRAMEWORK_MESSAGES.get(status)
    # The error's message is English (a code's words): translated here, where it is shown.
    return str(ours) if ours is not None else sentence(gettext(message))


def render_error(status: int, code: str, message: str, field: str | None) -> Any:
    """Render the error page of a status with the error's message."""
    title = TITLES.get(status, _l("Something went wrong"))
    shown = _message(status, message)
    hint = HINTS.get(code)
    body = render_template(
        "error.html", status=status, title=title, message=shown, hint=hint, field=field
    )
    return body, status
