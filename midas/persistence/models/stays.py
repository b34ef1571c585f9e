"""Allowed stays per nationality, from which overstays are computed."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from midas.persistence.base import Base


class StayRule(Base):
    """How long a nationality may stay: `allowed_days` within any `window_days` ('*' = default)."""

    __tablename__ = "stay_rules"

    nationality: Mapped[str] = mapped_column(String(3), primary_key=True)
    allowed_days: Mapped[int] = mapped_column(Integer)
    window_days: Mapped[int] = mapped_column(Integer)
