"""Errors raised by the paxlst package; a bad traveller record is a result, not an error.

PaxlstError
├── EdifactError    text that is not UN/EDIFACT: separators, release characters, envelope
└── MessageError    a well-formed EDIFACT message that is not a PAXLST the reader understands
"""

from __future__ import annotations


class PaxlstError(Exception):
    """Root of every error the paxlst package raises."""


class EdifactError(PaxlstError):
    """EDIFACT syntax that cannot be read: which segment (1 = the first after UNA), where, why.

    `offset` counts characters from the start of the text (UNA included).
    """

    def __init__(self, segment_number: int, offset: int, reason: str) -> None:
        super().__init__(f"segment {segment_number} (character {offset}): {reason}")
        self.segment_number = segment_number
        self.offset = offset
        self.reason = reason


class MessageError(PaxlstError):
    """A PAXLST message whose segments do not make a manifest: which segment, its tag, why."""

    def __init__(self, segment_number: int, tag: str, reason: str) -> None:
        super().__init__(f"segment {segment_number} ({tag}): {reason}")
        self.segment_number = segment_number
        self.tag = tag
        self.reason = reason
