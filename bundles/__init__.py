"""Signed, hash-chained bundles: how a post and headquarters hand each other records.

A plain library (it imports neither `midas`, Flask, SQLAlchemy nor the other libraries). The same
bundle travels online (the body of a sync request) and offline (a file on a USB stick), so the
two paths share one format and one check: the sender's Ed25519 signature over the header and
the records, and a chain from each bundle to the one before, so a receiver refuses a gap, a
replay and a change.
"""
