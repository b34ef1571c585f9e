"""The one table of issuing state and nationality codes: ISO 3166-1 alpha-3 plus Doc 9303's own.

The MRZ reader asks `is_known`; the list loaders ask `to_code` to turn what a list writes
(a country name, an alpha-2 or alpha-3 code, a Doc 9303 code) into a Doc 9303 code; screening
asks `same_state`, because two codes can name one state (Doc 9303 Part 3 §5 gives Germany `D`
where ISO gives `DEU`; Kosovo documents carry RKS or UNK, lists write 'Kosovo', XK or XKX).
"""

from __future__ import annotations

from functools import lru_cache

import pycountry

#: Codes Doc 9303 Part 3 §5 adds to ISO 3166-1 alpha-3 (organisations, special nationalities).
SPECIAL_CODES: dict[str, str] = {
    "D": "Germany (Doc 9303 one-letter code)",
    "EUE": "European Union",
    "UNO": "United Nations Organization or one of its officials",
    "UNA": "United Nations specialized agency or one of its officials",
    "UNK": "Resident of Kosovo (UN interim administration)",
    "XBA": "African Development Bank",
    "XIM": "African Export-Import Bank",
    "XCC": "Caribbean Community",
    "XCE": "Council of Europe",
    "XCO": "Common Market for Eastern and Southern Africa",
    "XEC": "Economic Community of West African States",
    "XES": "Organisation of Eastern Caribbean States",
    "XMP": "International Committee of the Red Cross",
    "XOM": "Sovereign Military Order of Malta",
    "XPO": "International Criminal Police Organization (INTERPOL)",
    "XDC": "Southern African Development Community",
    "XXA": "Stateless person",
    "XXB": "Refugee (1951 Convention)",
    "XXC": "Refugee (other)",
    "XXX": "Person of unspecified nationality",
    "GBD": "British Overseas Territories Citizen",
    "GBN": "British National (Overseas)",
    "GBO": "British Overseas Citizen",
    "GBP": "British Protected Person",
    "GBS": "British Subject",
    "RKS": "Kosovo (used by some issuers)",
}
#: Doc 9303's fictional issuing state, used only on specimen documents.
SPECIMEN_CODE = "UTO"

_ISO_CODES: frozenset[str] = frozenset(str(c.alpha_3) for c in pycountry.countries)
#: Every code a document may carry: one set lookup, since every MRZ parse asks twice.
CODES: frozenset[str] = frozenset({*_ISO_CODES, *SPECIAL_CODES, SPECIMEN_CODE})
#: Codes of states a place (a border post) can lie in: ISO 3166-1 alpha-3 plus Kosovo, which
#: ISO leaves out and Doc 9303 writes RKS. Organisations and kinds of nationality are no place.
STATES: frozenset[str] = frozenset({*_ISO_CODES, "RKS"})

# Codes for the same state, each mapped to the one code comparisons use. Germany's MRZ code is
# D, its ISO code DEU; Kosovo has no ISO code: its passports carry RKS, UNMIK documents UNK.
_SAME_STATE: dict[str, str] = {"D": "DEU", "UNK": "RKS"}

# What lists write that is neither a code in CODES nor a name pycountry's exact lookup knows.
# XK and XKX are the user-assigned codes the EU and others give Kosovo.
_ALIASES: dict[str, str] = {
    "xk": "RKS",
    "xkx": "RKS",
    "kosovo": "RKS",
    "republic of kosovo": "RKS",
    "burma": "MMR",
    "korea, north": "PRK",
    "north korea": "PRK",
    "korea, south": "KOR",
    "south korea": "KOR",
    "russia": "RUS",
    "turkey": "TUR",
    "palestinian": "PSE",
    "possibly palestinian": "PSE",
    "region: gaza": "PSE",
    "gaza": "PSE",
    "west bank": "PSE",
    "state of palestine": "PSE",
    "palestine": "PSE",
    "congo, democratic republic of the": "COD",
    "democratic republic of the congo": "COD",
    "congo, republic of the": "COG",
    "the gambia": "GMB",
    "gambia, the": "GMB",
    "north macedonia, the republic of": "MKD",
    "iran (islamic republic of)": "IRN",
    "eritrean": "ERI",
    "cote d ivoire": "CIV",
    "cote d'ivoire": "CIV",
    "laos": "LAO",
    "vietnam": "VNM",
    "bahamas, the": "BHS",
    "micronesia, federated states of": "FSM",
    "venezuela (bolivarian republic of)": "VEN",
    "bolivia (plurinational state of)": "BOL",
    "the netherlands": "NLD",
    "macau": "MAC",
    "brunei": "BRN",
    "swaziland": "SWZ",
    "cape verde": "CPV",
    "east timor": "TLS",
    "czechia": "CZE",
    "ivory coast": "CIV",
    "united nations": "UNO",
    "european union": "EUE",
    "stateless": "XXA",
    "stateless person": "XXA",
}


def is_known(code: str) -> bool:
    """Tell whether `code` is an ISO 3166-1 alpha-3 code, a Doc 9303 special, or UTO."""
    return code in CODES


def is_state(code: str) -> bool:
    """Tell whether `code` names a state a place can lie in (DEU, RKS; not D, UNO or XXA)."""
    return code in STATES


def name(code: str) -> str | None:
    """Return the name of an issuing state or nationality code, or None if it is no known code."""
    if code == SPECIMEN_CODE:
        return "Utopia (specimen)"
    if code in SPECIAL_CODES:
        return SPECIAL_CODES[code]
    if code in _ISO_CODES:
        country = pycountry.countries.get(alpha_3=code)
        return None if country is None else str(country.name)
    return None


@lru_cache(maxsize=4096)
def to_code(value: str) -> str | None:
    """Return the Doc 9303 code for a code, alpha-2 code or country name; None when unknown.

    A code in the table comes back as itself (D stays D: use `canonical` to compare).

    >>> to_code("D"), to_code("de"), to_code("Germany"), to_code("XKX"), to_code("Atlantis")
    ('D', 'DEU', 'DEU', 'RKS', None)
    """
    text = " ".join(value.split()).strip(" .")
    if not text:
        return None
    upper = text.upper()
    if upper in CODES:
        return upper
    alias = _ALIASES.get(text.lower())
    if alias is not None:
        return alias
    if len(text) == 2 and text.isalpha():
        country = pycountry.countries.get(alpha_2=upper)
        return None if country is None else str(country.alpha_3)
    try:
        # Exact lookup only (codes, names, official and common names): fuzzy search maps
        # 'Kosovo' to Serbia, which is worse than no code at all.
        found = pycountry.countries.lookup(text)
    except LookupError:
        return None
    return str(found.alpha_3)


def canonical(code: str) -> str:
    """Return the one code comparisons use for the state `code` names (D → DEU, UNK → RKS)."""
    return _SAME_STATE.get(code, code)


def same_state(first: str, second: str) -> bool:
    """Tell whether two codes name the same state (D and DEU do; RKS and UNK do)."""
    return canonical(first) == canonical(second)
