"""Settings: defaults, then instance/config.py, then the environment, then overrides.

This is the only module that reads the environment.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from limits import parse_many
from zxcvbn import zxcvbn

from watchlists.config import ScreeningConfig

DEFAULT_SECRET_KEY = "dev-only-not-secret"
# A production key must take at least 10^30 guesses (about 100 bits) by zxcvbn's estimate,
# which sees through repeats, sequences, keyboard runs and words that a length check passes.
KEY_GUESSES_LOG10 = 30
# zxcvbn refuses longer input; the first 72 characters of a key are enough to judge it.
KEY_JUDGED_LENGTH = 72

DEFAULTS: dict[str, Any] = {
    # Signs session cookies and CSRF tokens; must be set from MIDAS_SECRET_KEY in production.
    "SECRET_KEY": DEFAULT_SECRET_KEY,
    # Key of the pseudonyms that audit events keep instead of a traveller's name or document
    # number (midas.domain.pseudonyms). Empty: derived from SECRET_KEY. Set it to keep the
    # pseudonyms (and finding old events by name) stable when SECRET_KEY is rotated.
    "AUDIT_PSEUDONYM_KEY": "",
    # SQLAlchemy URL; None means SQLite in the instance folder.
    "DATABASE_URL": None,
    # "development" allows the default secret; "production" refuses it.
    "ENV": "development",
    # Days before expiry from which a document is flagged as expiring soon.
    "MRZ_EXPIRY_HORIZON_DAYS": 90,
    # Days ahead from which a trust-store CRL whose next update is due is warned of (pki list,
    # the trust-store page): a stale CRL can no longer say a document signer was revoked.
    "PKI_CRL_WARNING_DAYS": 14,
    # What this server is (midas.domain.nodes): standalone (one server), a post that sends its
    # records to headquarters, or headquarters (hq). `midas node init` writes both below into
    # instance/node.json; the environment or instance/config.py may set them too.
    "NODE_ROLE": "standalone",
    # A post's code, as headquarters knows the post (the posts table's code).
    "NODE_CODE": "",
    # This node's private key (made by `midas node init`); empty: node.key in the instance folder.
    "NODE_KEY_FILE": "",
    # A post's way to headquarters for `midas sync` (push then pull): headquarters' base URL,
    # e.g. https://hq.example.gov; empty: this post syncs by USB stick only.
    "HQ_URL": "",
    # How long a post waits for headquarters to answer one sync request before calling the
    # link down (a slow satellite link takes long; a dead one should not hang the command).
    "SYNC_TIMEOUT_SECONDS": 120,
    # The largest bundle headquarters takes from a post over HTTP (a month offline at a busy
    # post is about 30 bundles of 5,000 crossings, each some 15 MB).
    "SYNC_MAX_BUNDLE_MB": 256,
    # A post's station page and health say "offline since ..." once headquarters has not been
    # heard from for this long.
    "SYNC_OFFLINE_AFTER_MINUTES": 30,
    # Headquarters warns that a post falls behind when it has not been heard from, or has left
    # headquarters' bundles unacknowledged, for this long.
    "SYNC_BEHIND_HOURS": 24,
    # Keep the chip's face image (DG2) with the crossing. Off: the face is shown at the desk and
    # not stored, as the data-minimisation rule of the issue asks unless a retention policy says
    # otherwise.
    "CHIP_FACE_RETENTION": False,
    # Hours after a flight's arrival from which `midas retention` deletes its manifest's
    # travellers (advance passenger information), but for those with a hit or a referral.
    "PAXLST_RETENTION_HOURS": 72,
    # Every text of the pages through a pseudo-translation (bracketed, accented, 40% longer):
    # for development and the browser tests, to show words that skip translation and layouts
    # that break with longer text. Never on in production.
    "PSEUDO_LOCALE": False,
    # Score in [0, 1] from which a listed person is reported as a hit (watchlists ScreeningConfig).
    # The threshold the screening benchmarks measured (docs/benchmarks.md): one default.
    "SCREENING_THRESHOLD": ScreeningConfig().threshold,
    # Minutes a login session lasts (a shift and a little more); then the person logs in again.
    "SESSION_LIFETIME_MINUTES": 720,
    # Send the session cookie over HTTPS only: "auto" means yes in production, no elsewhere.
    "SESSION_COOKIE_SECURE": "auto",
    # JavaScript cannot read the session cookie; other sites' forms and frames do not send it.
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "midas_session",
    # CSRF tokens last as long as the session (a station page stays open for a whole shift).
    "WTF_CSRF_TIME_LIMIT": None,
    # Passwords one client address may try, over every route that checks one (logins and
    # password changes together; flask-limiter syntax), against password guessing.
    "LOGIN_RATE_LIMIT": "10 per minute",
    # Where rate-limit counters live: memory:// per process; redis://... to share across workers.
    "RATELIMIT_STORAGE_URI": "memory://",
    # Failed logins in a row for one username from one address before that address waits
    # before its next try for that name (2 s, then doubling) ...
    "LOGIN_THROTTLE_ATTEMPTS": 5,
    # ... up to this many minutes. No account is ever locked: others' failures keep no one out.
    "LOGIN_THROTTLE_MAX_MINUTES": 15,
    # Shortest password accepted when one is set.
    "PASSWORD_MIN_LENGTH": 12,
    # argon2id parameters (RFC 9106 second recommendation); hashes made with others are
    # upgraded at the next successful login.
    "PASSWORD_HASH_TIME_COST": 3,
    "PASSWORD_HASH_MEMORY_KIB": 65536,
    "PASSWORD_HASH_PARALLELISM": 4,
    # Allowed stay when no stay_rules row matches: STAY_ALLOWED_DAYS in any STAY_WINDOW_DAYS.
    "STAY_ALLOWED_DAYS": 90,
    "STAY_WINDOW_DAYS": 180,
    # A traveller whose allowed stay ends within this many days is listed as about to overstay.
    "OVERSTAY_WARNING_DAYS": 7,
    # How far back an overstay that has ended (the traveller left) is still listed.
    "OVERSTAY_LOOKBACK_DAYS": 365,
    # Crossings' personal data is anonymised this many years after the exit (EU EES: 3) ...
    "RETENTION_YEARS": 3,
    # ... or after this many years for travellers who overstayed (EU EES: 5).
    "RETENTION_OVERSTAY_YEARS": 5,
    # Travellers handled per retention transaction: bounds lock time and memory.
    "RETENTION_BATCH_SIZE": 500,
    # Reverse proxies in front of the service whose X-Forwarded-For/-Proto/-Host are trusted
    # (0: none). The client address feeds the login rate limit and the audit log's "from where",
    # so trust exactly as many hops as the deployment has: a larger number lets clients forge it.
    "TRUSTED_PROXIES": 0,
    # Folder where desk scanners drop document images, one subfolder per station (named by the
    # station's id); the station page picks new images up from it. Empty: no watched folder.
    "SCAN_INBOX": "",
    # Hours an image that could not be read (failed/), or was read but never recorded, is kept
    # in a desk's folder before `midas retention` deletes it; a recorded image follows its
    # crossing's retention instead.
    "SCAN_UNRECORDED_HOURS": 24,
    # Largest request body in MiB for every endpoint but the uploads below (JSON, forms).
    "MAX_REQUEST_MB": 2,
    # Largest watchlist file an administrator may upload on the page, in MiB.
    "MAX_LIST_UPLOAD_MB": 1024,
    # Messages one carrier gateway may post to /api/v1/manifests (flask-limiter syntax): a
    # gateway retrying in a loop cannot keep the server parsing and screening manifests.
    "PAXLST_GATEWAY_RATE_LIMIT": "60 per minute",
    # Largest PAXLST message a gateway may post, in MiB (10,000 travellers take about 3).
    "PAXLST_MAX_MB": 16,
    # Folder a carriers' gateway drops PAXLST files into, read by `midas paxlst watch`: each
    # file is stored and screened, then moved to done/ or (with a .error.txt report beside
    # it) refused/ under it. Names starting with "." or ending .tmp/.part are files still
    # being written and are left alone. Empty: no watched folder.
    "PAXLST_INBOX": "",
    # Files `midas paxlst watch` takes in one pass: bounds a pass's time and memory; the rest
    # wait for the next pass, oldest first.
    "PAXLST_INBOX_BATCH": 50,
    # Minutes after a flight's arrival by which its travellers have passed the desk: after
    # them, one never recorded at the post is a no-show (the after-the-flight report).
    "PAXLST_NO_SHOW_GRACE_MINUTES": 180,
    # A carrier's first message for a flight counts as late when it comes less than this many
    # minutes before the scheduled arrival (or after the departure, where its time is known).
    "PAXLST_LATE_MINUTES": 30,
    # The recording path runs its hottest statements straight on the driver; off runs them
    # through SQLAlchemy (to debug, or to check an upgrade), slower by ~0.1 ms each.
    "DIRECT_STATEMENTS": True,
}

ENV_KEYS: dict[str, str] = {
    "MIDAS_SECRET_KEY": "SECRET_KEY",
    "MIDAS_AUDIT_PSEUDONYM_KEY": "AUDIT_PSEUDONYM_KEY",
    "DATABASE_URL": "DATABASE_URL",
    "MIDAS_ENV": "ENV",
    "MIDAS_MRZ_EXPIRY_HORIZON_DAYS": "MRZ_EXPIRY_HORIZON_DAYS",
    "MIDAS_SCREENING_THRESHOLD": "SCREENING_THRESHOLD",
    "MIDAS_PKI_CRL_WARNING_DAYS": "PKI_CRL_WARNING_DAYS",
    "MIDAS_NODE_ROLE": "NODE_ROLE",
    "MIDAS_NODE_CODE": "NODE_CODE",
    "MIDAS_NODE_KEY_FILE": "NODE_KEY_FILE",
    "MIDAS_HQ_URL": "HQ_URL",
    "MIDAS_SYNC_TIMEOUT_SECONDS": "SYNC_TIMEOUT_SECONDS",
    "MIDAS_SYNC_MAX_BUNDLE_MB": "SYNC_MAX_BUNDLE_MB",
    "MIDAS_SYNC_OFFLINE_AFTER_MINUTES": "SYNC_OFFLINE_AFTER_MINUTES",
    "MIDAS_SYNC_BEHIND_HOURS": "SYNC_BEHIND_HOURS",
    "MIDAS_CHIP_FACE_RETENTION": "CHIP_FACE_RETENTION",
    "MIDAS_PAXLST_RETENTION_HOURS": "PAXLST_RETENTION_HOURS",
    "MIDAS_PSEUDO_LOCALE": "PSEUDO_LOCALE",
    "MIDAS_SESSION_LIFETIME_MINUTES": "SESSION_LIFETIME_MINUTES",
    "MIDAS_SESSION_COOKIE_SECURE": "SESSION_COOKIE_SECURE",
    "MIDAS_LOGIN_RATE_LIMIT": "LOGIN_RATE_LIMIT",
    "MIDAS_RATELIMIT_STORAGE_URI": "RATELIMIT_STORAGE_URI",
    "MIDAS_LOGIN_THROTTLE_ATTEMPTS": "LOGIN_THROTTLE_ATTEMPTS",
    "MIDAS_LOGIN_THROTTLE_MAX_MINUTES": "LOGIN_THROTTLE_MAX_MINUTES",
    "MIDAS_PASSWORD_MIN_LENGTH": "PASSWORD_MIN_LENGTH",
    "MIDAS_STAY_ALLOWED_DAYS": "STAY_ALLOWED_DAYS",
    "MIDAS_STAY_WINDOW_DAYS": "STAY_WINDOW_DAYS",
    "MIDAS_OVERSTAY_WARNING_DAYS": "OVERSTAY_WARNING_DAYS",
    "MIDAS_OVERSTAY_LOOKBACK_DAYS": "OVERSTAY_LOOKBACK_DAYS",
    "MIDAS_RETENTION_YEARS": "RETENTION_YEARS",
    "MIDAS_RETENTION_OVERSTAY_YEARS": "RETENTION_OVERSTAY_YEARS",
    "MIDAS_RETENTION_BATCH_SIZE": "RETENTION_BATCH_SIZE",
    "MIDAS_TRUSTED_PROXIES": "TRUSTED_PROXIES",
    "MIDAS_SCAN_INBOX": "SCAN_INBOX",
    "MIDAS_SCAN_UNRECORDED_HOURS": "SCAN_UNRECORDED_HOURS",
    "MIDAS_MAX_REQUEST_MB": "MAX_REQUEST_MB",
    "MIDAS_MAX_LIST_UPLOAD_MB": "MAX_LIST_UPLOAD_MB",
    "MIDAS_PAXLST_GATEWAY_RATE_LIMIT": "PAXLST_GATEWAY_RATE_LIMIT",
    "MIDAS_PAXLST_MAX_MB": "PAXLST_MAX_MB",
    "MIDAS_PAXLST_INBOX": "PAXLST_INBOX",
    "MIDAS_PAXLST_INBOX_BATCH": "PAXLST_INBOX_BATCH",
    "MIDAS_PAXLST_NO_SHOW_GRACE_MINUTES": "PAXLST_NO_SHOW_GRACE_MINUTES",
    "MIDAS_PAXLST_LATE_MINUTES": "PAXLST_LATE_MINUTES",
    "MIDAS_DIRECT_STATEMENTS": "DIRECT_STATEMENTS",
}


# Settings that were replaced: a deployment still setting one is told at start, not ignored.
RETIRED_ENV_KEYS: dict[str, str] = {
    "MIDAS_LOGIN_LOCKOUT_ATTEMPTS": "MIDAS_LOGIN_THROTTLE_ATTEMPTS",
    "MIDAS_LOGIN_LOCKOUT_MINUTES": "MIDAS_LOGIN_THROTTLE_MAX_MINUTES",
}


class ConfigError(ValueError):
    """A setting is missing or invalid; the message names the key."""

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(f"{key}: {reason}")
        self.key = key
        self.reason = reason


def _coerce(key: str, value: Any, default: Any) -> Any:
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        if str(value).lower() in {"1", "true", "yes", "on"}:
            return True
        if str(value).lower() in {"0", "false", "no", "off"}:
            return False
        raise ConfigError(key, f"expected a boolean, got {value!r}")
    if isinstance(default, int):
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ConfigError(key, f"expected an integer, got {value!r}") from None
    if isinstance(default, float):
        try:
            return float(value)
        except (TypeError, ValueError):
            raise ConfigError(key, f"expected a number, got {value!r}") from None
    return value


# Names the instance folder (settings, node key, SQLite file): one machine can run several
# nodes, each with its own folder, as the network demo does. Unset: the package's `instance`.
INSTANCE_ENV_KEY = "MIDAS_INSTANCE_PATH"


def instance_folder(environ: Mapping[str, str] | None = None) -> str | None:
    """Return the instance folder MIDAS_INSTANCE_PATH names (made absolute), or None."""
    env = os.environ if environ is None else environ
    named = env.get(INSTANCE_ENV_KEY, "").strip()
    return str(Path(named).resolve()) if named else None


# Where `midas node init` records what this server is (role and code), in the instance folder.
NODE_FILE = "node.json"


def load_settings(
    instance_path: Path,
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Merge defaults, instance/config.py, environment and overrides, then validate."""
    settings = dict(DEFAULTS)
    instance_file = instance_path / "config.py"
    if instance_file.exists():
        namespace: dict[str, Any] = {}
        exec(compile(instance_file.read_text(), str(instance_file), "exec"), namespace)
        settings.update({k: v for k, v in namespace.items() if k.isupper()})
    node_file = instance_path / NODE_FILE
    if node_file.exists():
        try:
            node = json.loads(node_file.read_text())
        except ValueError as error:
            raise ConfigError("NODE_ROLE", f"{node_file} is not JSON: {error}") from None
        settings.update({"NODE_ROLE": node.get("role"), "NODE_CODE": node.get("code", "")})
    env = os.environ if environ is None else environ
    for old, new in RETIRED_ENV_KEYS.items():
        if old in env:
            raise ConfigError(old, f"accounts are no longer locked: set {new} instead")
    for env_key, key in ENV_KEYS.items():
        if env_key in env:
            settings[key] = env[env_key]
    settings.update(overrides or {})
    for key, default in DEFAULTS.items():
        if default is not None:
            settings[key] = _coerce(key, settings[key], default)
    if settings["SESSION_COOKIE_SECURE"] == "auto":
        settings["SESSION_COOKIE_SECURE"] = settings["ENV"] == "production"
    else:
        settings["SESSION_COOKIE_SECURE"] = _coerce(
            "SESSION_COOKIE_SECURE", settings["SESSION_COOKIE_SECURE"], False
        )
    if settings["DATABASE_URL"] is None:
        settings["DATABASE_URL"] = f"sqlite:///{instance_path / 'midas.sqlite3'}"
    validate(settings)
    return settings


def validate(settings: Mapping[str, Any]) -> None:
    """Fail at start on settings that would make the service unsafe or broken."""
    if settings["ENV"] not in {"development", "production", "testing"}:
        raise ConfigError("ENV", "must be development, production or testing")
    if settings["ENV"] == "production" and settings["SECRET_KEY"] == DEFAULT_SECRET_KEY:
        raise ConfigError(
            "SECRET_KEY", "set MIDAS_SECRET_KEY: the default secret is refused in production"
        )
    if settings["ENV"] == "production":
        _check_key("SECRET_KEY", str(settings["SECRET_KEY"]))
        own_key = str(settings.get("AUDIT_PSEUDONYM_KEY") or "")
        if own_key:
            _check_key("AUDIT_PSEUDONYM_KEY", own_key)
    if settings["MRZ_EXPIRY_HORIZON_DAYS"] < 0:
        raise ConfigError("MRZ_EXPIRY_HORIZON_DAYS", "must not be negative")
    if settings["NODE_ROLE"] not in ("standalone", "post", "hq"):
        raise ConfigError("NODE_ROLE", "must be standalone, post or hq")
    if settings["NODE_ROLE"] == "post" and not settings["NODE_CODE"]:
        raise ConfigError("NODE_CODE", "a post node needs its post's code")
    url = str(settings["HQ_URL"])
    if url and not url.startswith(("https://", "http://")):
        raise ConfigError("HQ_URL", f"must be an http(s) address, got {url!r}")
    for key in ("SYNC_TIMEOUT_SECONDS", "SYNC_OFFLINE_AFTER_MINUTES", "SYNC_BEHIND_HOURS"):
        if settings[key] < 1:
            raise ConfigError(key, "must be at least 1")
    if not 1 <= settings["SYNC_MAX_BUNDLE_MB"] <= 512:
        raise ConfigError("SYNC_MAX_BUNDLE_MB", "must be between 1 and 512 (a bundle's limit)")
    if settings["PAXLST_RETENTION_HOURS"] < 0:
        raise ConfigError("PAXLST_RETENTION_HOURS", "must not be negative")
    if settings["PKI_CRL_WARNING_DAYS"] < 0:
        raise ConfigError("PKI_CRL_WARNING_DAYS", "must not be negative")
    if not 0.0 < settings["SCREENING_THRESHOLD"] <= 1.0:
        raise ConfigError("SCREENING_THRESHOLD", "must be above 0 and at most 1")
    validate_security(settings)
    for key in (
        "STAY_ALLOWED_DAYS",
        "STAY_WINDOW_DAYS",
        "RETENTION_YEARS",
        "RETENTION_BATCH_SIZE",
        "SCAN_UNRECORDED_HOURS",
    ):
        if settings[key] < 1:
            raise ConfigError(key, "must be at least 1")
    for key in (
        "OVERSTAY_WARNING_DAYS",
        "OVERSTAY_LOOKBACK_DAYS",
        "PAXLST_NO_SHOW_GRACE_MINUTES",
        "PAXLST_LATE_MINUTES",
    ):
        if settings[key] < 0:
            raise ConfigError(key, "must not be negative")
    if settings["RETENTION_OVERSTAY_YEARS"] < settings["RETENTION_YEARS"]:
        raise ConfigError("RETENTION_OVERSTAY_YEARS", "must not be shorter than RETENTION_YEARS")
    for key in ("MAX_REQUEST_MB", "MAX_LIST_UPLOAD_MB", "PAXLST_MAX_MB", "PAXLST_INBOX_BATCH"):
        if settings[key] < 1:
            raise ConfigError(key, "must be at least 1")
    if not 0 <= settings["TRUSTED_PROXIES"] <= 5:
        raise ConfigError("TRUSTED_PROXIES", "must be between 0 and 5 (the number of proxy hops)")
    for key in ("SCAN_INBOX", "PAXLST_INBOX"):
        inbox = str(settings[key])
        if inbox and not Path(inbox).is_absolute():
            raise ConfigError(key, f"must be an absolute folder path, got {inbox!r}")
    try:
        parse_many(settings["PAXLST_GATEWAY_RATE_LIMIT"])
    except ValueError:
        raise ConfigError(
            "PAXLST_GATEWAY_RATE_LIMIT",
            f"not a rate limit: {settings['PAXLST_GATEWAY_RATE_LIMIT']!r}",
        ) from None


def _check_key(key: str, value: str) -> None:
    """Refuse a production key that is short or easy to guess, naming the setting."""
    if len(value) < 32:
        raise ConfigError(key, "must be at least 32 characters in production")
    if zxcvbn(value[:KEY_JUDGED_LENGTH])["guesses_log10"] < KEY_GUESSES_LOG10:
        raise ConfigError(
            key,
            "is too easy to guess (repeated letters, sequences or words): generate one with "
            "python -c 'import secrets; print(secrets.token_urlsafe(32))'",
        )


def validate_security(settings: Mapping[str, Any]) -> None:
    """Fail at start on login, cookie and password settings that would weaken the service."""
    for key in (
        "SESSION_LIFETIME_MINUTES",
        "LOGIN_THROTTLE_ATTEMPTS",
        "LOGIN_THROTTLE_MAX_MINUTES",
        "PASSWORD_HASH_TIME_COST",
        "PASSWORD_HASH_PARALLELISM",
    ):
        if settings[key] < 1:
            raise ConfigError(key, "must be at least 1")
    if settings["PASSWORD_MIN_LENGTH"] < 12:
        raise ConfigError("PASSWORD_MIN_LENGTH", "must be at least 12")
    if settings["PASSWORD_HASH_MEMORY_KIB"] < 8 * settings["PASSWORD_HASH_PARALLELISM"]:
        raise ConfigError(
            "PASSWORD_HASH_MEMORY_KIB", "must be at least 8 per degree of parallelism"
        )
    if settings["SESSION_COOKIE_SAMESITE"] not in {"Lax", "Strict"}:
        raise ConfigError("SESSION_COOKIE_SAMESITE", "must be Lax or Strict")
    if settings["ENV"] == "production" and not settings["SESSION_COOKIE_SECURE"]:
        raise ConfigError("SESSION_COOKIE_SECURE", "session cookies must be Secure in production")
    if settings["ENV"] == "production" and settings["PSEUDO_LOCALE"]:
        raise ConfigError("PSEUDO_LOCALE", "is for development and tests, never production")
    try:
        parse_many(settings["LOGIN_RATE_LIMIT"])
    except ValueError:
        raise ConfigError(
            "LOGIN_RATE_LIMIT", f"not a rate limit: {settings['LOGIN_RATE_LIMIT']!r}"
        ) from None
