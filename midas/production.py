"""What production refuses to start with: demo logins and stations whose secrets are published."""

from __future__ import annotations

from flask import Flask

from midas.auth.passwords import passwords
from midas.domain.demo import public_credentials
from midas.persistence.database import database
from midas.persistence.schema import current_revision


class PublicCredentialsInProduction(RuntimeError):
    """The database holds demo logins or station tokens that anyone can read in the README."""


def refuse_public_credentials(app: Flask) -> None:
    """Raise if the app would serve demo logins or station tokens whose secrets are published."""
    if current_revision(database(app).engine) is None:
        return  # an empty database holds no demo data; `midas init-db` comes first
    with app.app_context(), database(app).sessions() as session:
        found = public_credentials(session, passwords(app))
    if found:
        database(app).dispose()  # the app is not handed out, so nothing else would close it
        raise PublicCredentialsInProduction(
            f"MIDAS refuses to start in production: {found.describe()}. Run `midas retire-demo` "
            "to deactivate them (or set new passwords and rotate the tokens), then start again."
        )
