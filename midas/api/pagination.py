"""Paged lists in the API: `?page=&per_page=` in, `{items, page, per_page, total}` out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from marshmallow import Schema, fields, validate

from midas.api.ids import page_field

MAX_PER_PAGE = 200


class PageArgs(Schema):
    """Which page of a list to return; subclass it to add a resource's filters."""

    page = page_field()
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PER_PAGE))


class PageSchema(Schema):
    """A page of a list; subclass it with `items = fields.List(fields.Nested(ItemSchema))`."""

    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer(metadata={"description": "how many items match in all"})


@dataclass(frozen=True, slots=True)
class Page:
    """Where a page starts and how long it is."""

    page: int
    per_page: int

    @classmethod
    def from_args(cls, args: dict[str, Any]) -> Page:
        """Take page and per_page out of parsed query arguments."""
        return cls(page=args.pop("page", 1), per_page=args.pop("per_page", 50))

    @property
    def offset(self) -> int:
        """Return how many items come before this page."""
        return (self.page - 1) * self.per_page

    def answer(self, items: Sequence[Any], total: int) -> dict[str, Any]:
        """Return the response body of this page."""
        return {"items": list(items), "page": self.page, "per_page": self.per_page, "total": total}
