"""The pages' forms (flask-wtf: CSRF token in each), with messages in plain words."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from midas.domain.crossings import TRANSPORT_MODES
from midas.domain.refusals import REFUSAL_REASONS

if TYPE_CHECKING:
    from wtforms import Form

    class FlaskForm(Form):  # type: ignore[misc]  # wtforms ships no type hints either
        """What the pages use of flask-wtf's FlaskForm (flask-wtf ships no type hints)."""

        def validate_on_submit(self) -> bool:
            """Tell whether the form was posted and is valid, CSRF token included."""
            ...

else:
    from flask_wtf import FlaskForm


def options(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """Return (value, label) pairs as the choices wtforms wants."""
    return [SelectChoice(value, label) for value, label in pairs]


DIRECTIONS = [("entry", "Entry (arrival)"), ("exit", "Exit (departure)")]
DECISIONS = [
    ("admitted", "Admit"),
    ("refused", "Refuse entry/exit"),
    ("referred", "Refer to secondary inspection"),
]
PURPOSES = [
    ("", "Not asked"),
    ("tourism", "Tourism"),
    ("business", "Business"),
    ("family", "Family visit"),
    ("study", "Study"),
    ("work", "Work"),
    ("transit", "Transit"),
    ("return", "Returning resident"),
    ("medical", "Medical"),
    ("other", "Other"),
]
TRANSPORTS = [("", "Not recorded"), *[(mode, mode.title()) for mode in sorted(TRANSPORT_MODES)]]
REASONS = [("", "Choose a reason"), *[(r.code, f"{r.code} — {r.text}") for r in REFUSAL_REASONS]]


class LoginForm(FlaskForm):
    """A person's username and password."""

    username = StringField(
        "Username", validators=[DataRequired("Enter your username."), Length(max=80)]
    )
    password = PasswordField(
        "Password", validators=[DataRequired("Enter your password."), Length(max=1024)]
    )


class ScanForm(FlaskForm):
    """The MRZ lines as a scanner types them (or pasted), and the direction of travel."""

    mrz = TextAreaField(
        "Machine-readable zone",
        validators=[DataRequired("Scan the document or paste its MRZ lines.")],
    )
    direction = SelectField("Direction", choices=options(DIRECTIONS), default="entry")


class DecisionForm(FlaskForm):
    """The officer's decision on the traveller just scanned."""

    client_id = HiddenField()
    mrz = HiddenField()
    direction = SelectField("Direction", choices=options(DIRECTIONS))
    decision = RadioField(
        "Decision", choices=options(DECISIONS), validators=[InputRequired("Choose a decision.")]
    )
    refusal_reason = SelectField("Reason for refusal", choices=options(REASONS), default="")
    transport_mode = SelectField("Transport", choices=options(TRANSPORTS), default="")
    transport_ref = StringField(
        "Flight, vehicle or vessel", validators=[Optional(), Length(max=32)]
    )
    purpose = SelectField("Purpose of travel", choices=options(PURPOSES), default="")
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=2000)])
    minor_accompanied = RadioField(
        "The minor travels",
        choices=options([("yes", "Accompanied"), ("no", "Unaccompanied")]),
        validators=[Optional()],
    )
    accompanying_crossing_id = SelectField("Accompanied by", choices=[], validate_choice=False)
    override_reason = StringField(
        "Reason to admit despite a confirmed hit", validators=[Optional(), Length(max=500)]
    )


class ReviewForm(FlaskForm):
    """A supervisor's verdict on a hit."""

    verdict = RadioField(
        "Verdict",
        choices=options(
            [
                ("confirm", "Confirm: it is the listed person or document"),
                ("dismiss", "Dismiss: not a match"),
            ]
        ),
        validators=[InputRequired("Choose confirm or dismiss.")],
    )
    reason = StringField("Reason", validators=[DataRequired("Say why."), Length(max=1000)])
    override_reason = StringField(
        "Override (the traveller was admitted)", validators=[Optional(), Length(max=500)]
    )


class UserForm(FlaskForm):
    """A new user."""

    username = StringField("Username", validators=[DataRequired("Choose a username.")])
    full_name = StringField("Full name", validators=[DataRequired("Enter the person's name.")])
    role = SelectField(
        "Role",
        choices=options(
            [("officer", "Officer"), ("supervisor", "Supervisor"), ("admin", "Administrator")]
        ),
    )
    password = PasswordField("Initial password", validators=[DataRequired("Set a password.")])
    post_id = SelectField("Post (officers)", choices=[], validate_choice=False)
    supervised_post_ids = SelectMultipleField("Posts supervised", choices=[], validate_choice=False)
    all_posts = BooleanField("Supervises every post")


class PostForm(FlaskForm):
    """A new border post."""

    code = StringField("Code", validators=[DataRequired("Give the post a code.")])
    name = StringField("Name", validators=[DataRequired("Give the post a name.")])
    kind = SelectField("Kind", choices=options([("air", "Air"), ("land", "Land"), ("sea", "Sea")]))
    country = StringField(
        "Country (ISO alpha-3)", validators=[DataRequired("Give the country code.")]
    )
    timezone = StringField(
        "Time zone", validators=[DataRequired("Give the time zone, e.g. Africa/Nairobi.")]
    )


class StationForm(FlaskForm):
    """A new station at a post."""

    post_id = SelectField("Post", choices=[], validate_choice=False)
    name = StringField("Station name", validators=[DataRequired("Name the station.")])


class ConfirmForm(FlaskForm):
    """A button that changes something (deactivate, rotate); only the CSRF token."""


class WatchlistForm(FlaskForm):
    """A watchlist file to load as a new version of a list."""

    name = StringField(
        "List name", validators=[DataRequired("Name the list, e.g. national-stolen-documents.")]
    )
    kind = SelectField("Kind", choices=options([("person", "Persons"), ("document", "Documents")]))
    format = SelectField(
        "Format",
        choices=options(
            [
                ("csv", "Generic CSV"),
                ("ofac_csv", "OFAC SDN (CSV)"),
                ("ofac_xml", "OFAC SDN (XML)"),
                ("un_xml", "UN Security Council (XML)"),
                ("ftm", "FollowTheMoney JSON lines"),
            ]
        ),
    )
    file = FileField("File", validators=[FileRequired("Choose the list file.")])
