"""Given-name hypocorism groups built from the `nicknames` package's curated table.

The table (Carlton Northern's "nickname and diminutive names lookup", Apache-2.0, shipped as the
PyPI package `nicknames`) lists `name,has_nickname,nickname` rows. Each full name becomes one
group: itself and its nicknames. Groups overlap (TED is EDWARD's and THEODORE's), and nothing is
merged transitively, so EDWARD and THEODORE stay different names, and a nickname's row that
lists full names (BILL: ROBERT, WILLIAM) does not make those full names one.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache

from nicknames import name_triplets

from watchlists.normalize import fold
from watchlists.variants import PARTICLES, TITLES

# AL, BEN, DEL, DI, EL, MAC, VAN … are nicknames in the table and particles in listed names;
# as a particle they would tie AL-QAIDA's AL to ALBERT.
_NOT_GIVEN_NAMES = PARTICLES | TITLES


@cache
def hypocorism_groups() -> dict[str, frozenset[int]]:
    """Return a map from each folded name of the table to the ids of the groups it belongs to."""
    members: dict[str, set[str]] = defaultdict(set)
    for triplet in name_triplets():
        if triplet.relationship != "has_nickname":
            continue
        full = triplet.name1.strip().upper()
        members[full].update((full, triplet.name2.strip().upper()))
    groups: dict[str, set[int]] = defaultdict(set)
    for group_id, head in enumerate(sorted(members)):
        for name in members[head] - _full_names_listed(head, members):
            if name.isascii() and name.isalpha() and name not in _NOT_GIVEN_NAMES:
                groups[fold(name)].add(group_id)
    return {name: frozenset(ids) for name, ids in groups.items()}


def _full_names_listed(head: str, members: dict[str, set[str]]) -> set[str]:
    """Return the longer full names that `head`'s row lists, which stay out of its group.

    The table also lists a nickname's full names under the nickname (BILL: ROBERT, WILLIAM;
    CHICK: CAROLINE, CHARLOTTE), and such a group would make those full names one. A longer
    name with a group of its own stays out when it lists the head too (the pair meets in its
    group) or when the head lists two or more of them.
    """
    longer = {n for n in members[head] if n != head and n in members and len(n) > len(head)}
    if len(longer) >= 2:
        return longer
    return {n for n in longer if head in members[n]}
