"""Every model module, imported so `Base.metadata` holds the whole schema for Alembic."""

from midas.persistence.models.audit import AuditEvent
from midas.persistence.models.crossings import (
    Crossing,
    Decision,
    Direction,
    HitStatus,
    ScreeningHit,
)
from midas.persistence.models.flights import CarrierGateway, Flight, ManifestTraveller
from midas.persistence.models.lists import (
    AlertPolicy,
    EntryChange,
    EntryDelta,
    RejectedRecord,
    Watchlist,
    WatchlistEntry,
    WatchlistVersion,
)
from midas.persistence.models.posts import Post, PostKind, Station
from midas.persistence.models.stays import StayRule
from midas.persistence.models.sync import (
    IncomingLedger,
    OutgoingBundle,
    PublishedState,
    SentAuditEvent,
    SyncPeer,
)
from midas.persistence.models.travellers import TravelDocument, Traveller, TravellerNameKey
from midas.persistence.models.trust import TrustItem, TrustItemKind, TrustSource, TrustVersion
from midas.persistence.models.users import (
    LoginFailures,
    Role,
    User,
    UserSession,
    supervised_posts,
)

__all__ = [
    "AlertPolicy",
    "AuditEvent",
    "CarrierGateway",
    "Crossing",
    "Decision",
    "Direction",
    "EntryChange",
    "EntryDelta",
    "Flight",
    "HitStatus",
    "IncomingLedger",
    "LoginFailures",
    "ManifestTraveller",
    "OutgoingBundle",
    "Post",
    "PostKind",
    "PublishedState",
    "RejectedRecord",
    "Role",
    "ScreeningHit",
    "SentAuditEvent",
    "Station",
    "StayRule",
    "SyncPeer",
    "TravelDocument",
    "Traveller",
    "TravellerNameKey",
    "TrustItem",
    "TrustItemKind",
    "TrustSource",
    "TrustVersion",
    "User",
    "UserSession",
    "Watchlist",
    "WatchlistEntry",
    "WatchlistVersion",
    "supervised_posts",
]
