"""Advance passenger information: UN/EDIFACT PAXLST flight manifests (D02B, D05B), read and written.

A plain library: it imports neither `midas`, Flask, SQLAlchemy, `scanners`, `watchlists` nor
`chip`. The service screens the travellers it reads against the lists.
"""
