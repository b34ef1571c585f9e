"""Every model module, imported so `Base.metadata` holds the whole schema for Alembic."""

from midas.persistence.models.lists import (
    EntryChange,
    EntryDelta,
    RejectedRecord,
    Watchlist,
    WatchlistEntry,
    WatchlistVersion,
)

__all__ = [
    "EntryChange",
    "EntryDelta",
    "RejectedRecord",
    "Watchlist",
    "WatchlistEntry",
    "WatchlistVersion",
]
