"""Every log record, from any logger, is born without the row values of a database error.

The record factory is the one place every record passes through (Flask's log of a 500, our
modules' `logger.exception`, gunicorn's and SQLAlchemy's own), before any handler or
formatter sees it: its message and its traceback text are scrubbed (midas.persistence.
error_text). Installing it is idempotent: every app built in a process shares it.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

from midas.persistence.error_text import scrub

_MARK = "_midas_scrubbing"


def _scrubbed(record: logging.LogRecord) -> logging.LogRecord:
    message = record.getMessage()
    clean = scrub(message)
    if clean != message:
        record.msg, record.args = clean, ()
    if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
        # Formatters print exc_text when it is set, instead of formatting exc_info again.
        text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        record.exc_text = scrub(text)
    return record


def install() -> None:
    """Make every log record of the process scrub database row values (once per process)."""
    current = logging.getLogRecordFactory()
    if getattr(current, _MARK, False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return _scrubbed(current(*args, **kwargs))

    setattr(factory, _MARK, True)
    logging.setLogRecordFactory(factory)
