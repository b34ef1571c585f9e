"""The one spelling of list format names that pages, the API and the command line show.

The registry (`watchlists.loaders.FORMATS`) and stored versions keep the underscore names the
loaders declare; people see and type hyphenated names. Either spelling is accepted, since the
underscore one was public on the admin page and the API.
"""

from __future__ import annotations

from watchlists.errors import UnknownFormatError
from watchlists.loaders import FORMATS
from watchlists.loaders.ftm import DELTA_FORMAT

# What each format is, in words, for choice lists and messages.
TITLES: dict[str, str] = {
    "csv": "generic CSV",
    "ofac_csv": "OFAC SDN CSV",
    "ofac_xml": "OFAC SDN XML",
    "un_xml": "UN Security Council XML",
    "ftm": "FollowTheMoney JSON lines",
    DELTA_FORMAT: "FollowTheMoney delta",
}


def public_name(registry_name: str) -> str:
    """Return the spelling people see for a registry format name (ofac_csv -> ofac-csv)."""
    return registry_name.replace("_", "-")


def registry_name(name: str) -> str:
    """Return the registry name of a format spelt either way; raise UnknownFormatError."""
    key = name.strip().lower().replace("-", "_")
    if key not in FORMATS:
        raise UnknownFormatError(name, PUBLIC_NAMES)
    return key


def title(registry: str) -> str:
    """Return what a format is, in words."""
    return TITLES.get(registry, public_name(registry))


# Every loadable format as people spell it, in the registry's order.
PUBLIC_NAMES: tuple[str, ...] = tuple(public_name(name) for name in FORMATS)
# Both spellings, for an API or form field that must keep accepting the old one.
ACCEPTED_NAMES: tuple[str, ...] = PUBLIC_NAMES + tuple(
    name for name in FORMATS if name not in PUBLIC_NAMES
)
