"""The access log keeps the names of query parameters, never their values (travellers' names)."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import parse_qsl, urlencode

from gunicorn.config import Config
from hypothesis import given
from hypothesis import strategies as st

from midas.access_log import AccessLogger, redact_query, redact_url

PAIRS = st.lists(
    st.tuples(st.text(min_size=1, max_size=10), st.text(max_size=20)), min_size=1, max_size=5
)


@given(PAIRS)
def test_a_redacted_query_keeps_every_name_and_no_value(pairs: list[tuple[str, str]]) -> None:
    redacted = parse_qsl(redact_query(urlencode(pairs)), keep_blank_values=True)
    assert redacted == [(name, "-") for name, _ in parse_qsl(urlencode(pairs), True)]


def test_urls_are_redacted_only_in_their_query() -> None:
    assert redact_url("/log?name=ERIKSSON+ANNA&page=2") == "/log?name=-&page=-"
    assert redact_url("https://midas.example/log?document_number=X1#top") == (
        "https://midas.example/log?document_number=-#top"
    )
    assert redact_url("/api/v1/health") == "/api/v1/health"
    assert redact_query("") == ""


def _line(method: str, uri: str, referer: str) -> str:
    """Format gunicorn's default access line (and the query atoms) for one request."""
    path, _, query = uri.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "RAW_URI": uri,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.7",
        "HTTP_REFERER": referer,
        "HTTP_USER_AGENT": "station",
    }
    config = Config()
    logger = AccessLogger(config)
    response = SimpleNamespace(status="200 OK", sent=512, headers=[("Content-Type", "text/html")])
    request = SimpleNamespace(headers=[("REFERER", referer)])
    atoms = logger.atoms(response, request, environ, timedelta(milliseconds=12))
    format_ = config.access_log_format + " %({query_string}e)s %({raw_uri}e)s %({referer}i)s"
    return str(format_ % logger.atoms_wrapper_class(atoms))


def test_the_access_log_line_shows_the_filters_used_but_not_the_name_searched() -> None:
    line = _line(
        "GET", "/log?name=ERIKSSON&birth_date=1974-08-12", "http://midas/log?name=ERIKSSON"
    )
    assert '"GET /log?name=-&birth_date=- HTTP/1.1" 200 512' in line
    assert "10.0.0.7" in line and "station" in line
    assert "ERIKSSON" not in line and "1974" not in line


def test_a_request_without_a_query_is_logged_as_gunicorn_logs_it() -> None:
    line = _line("POST", "/api/v1/crossings", "http://midas/station")
    assert '"POST /api/v1/crossings HTTP/1.1" 200 512 "http://midas/station"' in line
