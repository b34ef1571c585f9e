"""ePassport chip data (ICAO Doc 9303 Parts 10-12): the LDS files and Passive Authentication.

A plain library: it imports neither `midas`, Flask, SQLAlchemy, `scanners` nor `watchlists`.
The service composes it with the MRZ engine (DG1 holds an MRZ, read by `scanners`).
"""
