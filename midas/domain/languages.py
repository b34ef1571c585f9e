"""The languages the pages are written in, and a person's or a post's choice among them."""

from __future__ import annotations

from sqlalchemy.orm import Session

from midas.domain.actors import Actor
from midas.domain.audit import record_audit
from midas.domain.errors import InvalidInput
from midas.domain.texts import N_
from midas.persistence.models import Post, User

# The languages shipped (catalogs in midas/translations), by code, each named in itself: what a
# person looks for in a list.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "pt": "Português",
    "ar": "العربية",
}
RIGHT_TO_LEFT = frozenset({"ar"})


def checked_locale(code: str | None, field: str = "locale") -> str | None:
    """Return a language code if shipped, None for none chosen; InvalidInput otherwise."""
    if code is None or code == "":
        return None
    if code not in LANGUAGES:
        raise InvalidInput(
            N_("no such language: %(code)s (choose one of %(choices)s)"),
            params={"code": repr(code), "choices": ", ".join(LANGUAGES)},
            field=field,
        )
    return code


def choose_own_language(session: Session, actor: Actor, code: str | None) -> None:
    """Store the language a person chose for their own pages (None: their post's or browser's)."""
    locale = checked_locale(code)
    user = session.get(User, actor.user_id) if actor.user_id is not None else None
    if user is None:
        raise InvalidInput(N_("only a person logged in chooses a language"), field="locale")
    if user.locale != locale:
        user.locale = locale
        record_audit(session, actor, "user.language", "user", user.id, detail={"locale": locale})


def post_locale(post: Post | None) -> str | None:
    """Return the language a post's people see when they chose none."""
    return post.locale if post is not None else None
