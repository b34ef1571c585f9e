"""Flask's JSON provider, refusing a body nested too deeply to parse as invalid JSON (400).

The C decoder recurses once per level: `[[[[...]]]]` within the request size limit exhausts the
stack, and the RecursionError it raises is no ValueError, so Flask answers it with a 500.
"""

from __future__ import annotations

import json
from typing import Any

from flask.json.provider import DefaultJSONProvider


class JSONProvider(DefaultJSONProvider):
    """Flask's provider; `loads` turns running out of nesting depth into a JSONDecodeError."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Parse JSON text; a body nested too deeply is a JSONDecodeError like any bad body."""
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            text = s.decode("utf-8", "replace") if isinstance(s, bytes) else s
            raise json.JSONDecodeError("nested too deeply", text, 0) from None
