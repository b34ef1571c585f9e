"""Patronymics: a given name formed from the father's, which lists often leave out."""

from __future__ import annotations

# Endings of East Slavic patronymics as ICAO and the common romanisations spell them: Russian
# -OVICH/-EVICH and -OVNA/-EVNA (and -ICHNA: FOMINICHNA), Ukrainian -OVYCH/-IVNA,
# Belarusian -AVICH/-AUNA/-EUNA. Balkan surnames end -OVIC/-EVIC without the H and are not matched.
_ENDINGS = (
    "OVICH",
    "EVICH",
    "OVITCH",
    "EVITCH",
    "OVYCH",
    "EVYCH",
    "AVICH",
    "OVNA",
    "EVNA",
    "IVNA",
    "AUNA",
    "EUNA",
    "ICHNA",
)
# Turkic patronymics are the father's name with a word for son or daughter (ALIYEV, Heydar Ali
# OGLY): the word stands as a token of its own. ILYICH and ILICH are ILYA's, too short a stem.
_WORDS = frozenset(
    {
        "OGLY",
        "OGLU",
        "OGHLU",
        "OGLI",
        "KYZY",
        "KIZI",
        "QIZI",
        "GYZY",
        "ULY",
        "ULI",
        "ILYICH",
        "ILICH",
    }
)

# Shortest stem before an ending: BOVNA is no patronymic.
_MIN_STEM = 3


def is_patronymic(token: str) -> bool:
    """Tell whether a normalised name token is written as a patronymic."""
    if token in _WORDS:
        return True
    return any(
        token.endswith(ending) and len(token) - len(ending) >= _MIN_STEM for ending in _ENDINGS
    )
