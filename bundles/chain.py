"""The chain: a receiver accepts a sender's bundles one after the other, none skipped or twice."""

from __future__ import annotations

from bundles.errors import GapInChain, ReplayedBundle, TamperedBundle
from bundles.model import Bundle, Ledger


def accept(ledger: Ledger, bundle: Bundle, receiver: str) -> Ledger:
    """Return the ledger after this bundle; raise when it is not the next one for this receiver.

    A bundle already accepted (or older) is a replay, one past the next is a gap; the next one
    must name the digest of the last accepted as its `previous`, or the chain was forked.
    """
    if bundle.receiver != receiver:
        raise TamperedBundle("receiver", f"addressed to {bundle.receiver}, not {receiver}")
    expected = ledger.sequence + 1
    if bundle.sequence < expected:
        raise ReplayedBundle(bundle.sender, expected, bundle.sequence, "accepted already")
    if bundle.sequence > expected:
        missing = bundle.sequence - expected
        raise GapInChain(
            bundle.sender, expected, bundle.sequence, f"{missing} bundle(s) missing before it"
        )
    if bundle.previous != ledger.digest:
        raise TamperedBundle(
            "previous", "it does not follow the last bundle accepted (a forked chain)"
        )
    return Ledger(bundle.sequence, bundle.digest)
