"""Flask's JSON provider: a body it cannot hold is invalid JSON (400), never a server error.

The C decoder recurses once per level: `[[[[...]]]]` within the request size limit exhausts the
stack, and the RecursionError it raises is no ValueError, so Flask answers it with a 500. A
number of more than 4300 digits makes `int()` raise a plain ValueError (CPython's guard against
quadratic conversion), which the views' parser (webargs) does not expect either.
"""

from __future__ import annotations

import json
from typing import Any

from flask.json.provider import DefaultJSONProvider


class JSONProvider(DefaultJSONProvider):
    """Flask's provider; `loads` says JSONDecodeError for every body it cannot hold."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Parse JSON text; a body too deep or with too long a number is a JSONDecodeError."""
        try:
            return super().loads(s, **kwargs)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise
        except RecursionError:
            reason = "nested too deeply"
        except ValueError:
            reason = "a number has too many digits"
        text = s.decode("utf-8", "replace") if isinstance(s, bytes) else s
        raise json.JSONDecodeError(reason, text, 0)
