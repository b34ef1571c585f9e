"""The post's HTTP transport to headquarters: signed requests to /api/v1/sync (requests)."""

from __future__ import annotations

import requests

from bundles.keys import NodeKey
from bundles.request_signature import sign_request
from midas.domain.sync_link import LinkDown
from midas.persistence.base import utcnow

SYNC_PATH = "/api/v1/sync"
# Answers that say the request was refused, not that the link failed: their message is shown.
REFUSED = frozenset({401, 403, 404, 409, 413, 422})


class HttpTransport:
    """Reach headquarters at `base_url` as post `code`, signing each request with its key."""

    def __init__(
        self,
        base_url: str,
        code: str,
        key: NodeKey,
        timeout: float,
        http: requests.Session | None = None,
    ) -> None:
        self.base_url, self.code, self.key, self.timeout = base_url.rstrip("/"), code, key, timeout
        self.http = http or requests.Session()

    def _send(self, method: str, target: str, body: bytes = b"") -> requests.Response:
        headers = sign_request(self.key, self.code, method, target, body, utcnow())
        if body:
            headers["Content-Type"] = "application/octet-stream"
        try:
            response = self.http.request(
                method, self.base_url + target, data=body or None, headers=headers,
                timeout=self.timeout,
            )  # fmt: skip
        except requests.RequestException as error:
            raise LinkDown(f"headquarters cannot be reached: {error}") from None
        if response.status_code in REFUSED:
            raise LinkDown(f"headquarters refused the request: {_message(response)}")
        if response.status_code >= 300:
            raise LinkDown(f"headquarters answered {response.status_code}: {_message(response)}")
        return response

    def push(self, bundle: bytes) -> bytes:
        """Send a bundle; return headquarters' acknowledgement."""
        return self._send("POST", f"{SYNC_PATH}/bundles", bundle).content

    def pull(self, after: int) -> bytes | None:
        """Return headquarters' next bundle after `after`, or None."""
        response = self._send("GET", f"{SYNC_PATH}/bundles?after={after}")
        return None if response.status_code == 204 else response.content

    def acknowledge(self, ack: bytes) -> None:
        """Give headquarters this post's acknowledgement."""
        self._send("POST", f"{SYNC_PATH}/acks", ack)


def _message(response: requests.Response) -> str:
    """Return what headquarters said was wrong (the API's error body), or the status."""
    try:
        error = response.json().get("error") or {}
    except ValueError:
        error = {}
    return str(error.get("message") or response.reason or response.status_code)
