"""Short-vowel insertion for scripts that write only consonants and long vowels (abjads)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Vowels:
    """The short vowels to insert: after a word's first consonant, after a long A, in the last
    syllable of a word, and anywhere else."""

    first: str = "A"
    after_a: str = "A"
    final: str = "A"
    other: str = "A"


def insert_vowels(run: list[str], before: str | None, final: bool, vowels: Vowels) -> list[str]:
    """Return a run of consonants with short vowels inserted where the syllables need them.

    `before` is the long vowel before the run (None at the start of a word, "" after a short
    vowel); `final` says whether the run ends the word. A word's first consonant takes a vowel
    when a consonant follows; after a short vowel one consonant may close the syllable; after a
    long vowel none may inside a word; a word ending in two consonants takes a vowel between them
    (HASAN, not HASN), one ending in three between the last two (JAFAR).
    """
    if not run:
        return []
    k = len(run)
    if before is None:
        if k == 1:
            return run[:]
        return [run[0], vowels.first, *insert_vowels(run[1:], "", final, vowels)]
    if before:
        if k == 1:
            return run[:]
        inserted = vowels.after_a if before == "A" else vowels.other
        return [run[0], inserted, *insert_vowels(run[1:], "", final, vowels)]
    if k == 1:
        return run[:]
    if k == 2:
        return [run[0], vowels.final, run[1]] if final else run[:]
    return [run[0], run[1], vowels.other, *insert_vowels(run[2:], "", final, vowels)]
