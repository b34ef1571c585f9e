"""The pages' forms (flask-wtf: CSRF token in each), with messages in plain words."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired, MultipleFileField
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields import Field
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from midas.domain.admin import KEYBOARD_LAYOUTS
from midas.domain.crossing_rules import TRANSPORT_MODES
from midas.domain.errors import DomainError, InvalidInput
from midas.domain.keys import INT32_MAX, is_id
from midas.domain.languages import LANGUAGES
from midas.domain.refusals import REFUSAL_REASONS
from midas.domain.trust_store import TRUST_FORMATS
from midas.wording import sentence
from watchlists.format_names import PUBLIC_NAMES, registry_name, title
from watchlists.versions import DEFAULT_MAX_REMOVED_RATIO

if TYPE_CHECKING:
    from wtforms import Form

    class FlaskForm(Form):  # type: ignore[misc]  # wtforms ships no type hints either
        """What the pages use of flask-wtf's FlaskForm (flask-wtf ships no type hints)."""

        def validate_on_submit(self) -> bool:
            """Tell whether the form was posted and is valid, CSRF token included."""
            ...

else:
    from flask_wtf import FlaskForm


class RowIds:
    """A chosen value (or each of several) must be an id that can name a row: the lists those
    fields offer are not enforced (the page fills them), so a forged one is refused here."""

    def __init__(self, message: str, *, big: bool = False) -> None:
        self.message = message
        self.big = big

    def __call__(self, form: Form, field: Field) -> None:
        values = field.data if isinstance(field.data, list) else [field.data]
        for value in values:
            if value not in (None, "") and not is_id(str(value), big=self.big):
                raise ValidationError(self.message)


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
    # The files a document reader exported from the chip (EF.SOD, DG1, DG2...), if any.
    chip = MultipleFileField("Chip files (EF.SOD and data groups, optional)")


class DecisionForm(FlaskForm):
    """The officer's decision on the traveller just scanned."""

    client_id = HiddenField()
    mrz = HiddenField()
    # A typed-in document (JSON of the manual form) when there is no MRZ.
    manual = HiddenField()
    # Its own id: the scan form above it on the station page has a "direction" too.
    direction = SelectField("Direction", choices=options(DIRECTIONS), id="decision_direction")
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
    accompanying_crossing_id = SelectField(
        "Accompanied by",
        choices=[],
        validate_choice=False,
        validators=[RowIds("Choose the accompanying traveller from the list.", big=True)],
    )
    override_reason = StringField(
        "Reason to admit despite the warnings above", validators=[Optional(), Length(max=500)]
    )
    # "1" when the image the MRZ came from was hard to read (admitting then needs a reason).
    uncertain = HiddenField()
    # The desk scanner's image the reading came from, renamed after the crossing once recorded.
    scan_image = HiddenField()
    # The chip files of the scan, base64 in a JSON list: verified again when recording.
    chip = HiddenField()


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
    post_id = SelectField(
        "Post (officers)",
        choices=[],
        validate_choice=False,
        validators=[RowIds("Choose the post from the list.")],
    )
    supervised_post_ids = SelectMultipleField(
        "Posts supervised",
        choices=[],
        validate_choice=False,
        validators=[RowIds("Choose the supervised posts from the list.")],
    )
    all_posts = BooleanField("Supervises every post")


class PostForm(FlaskForm):
    """A new border post."""

    code = StringField("Code", validators=[DataRequired("Give the post a code.")])
    name = StringField("Name", validators=[DataRequired("Give the post a name.")])
    kind = SelectField("Kind", choices=options([("air", "Air"), ("land", "Land"), ("sea", "Sea")]))
    country = StringField(
        "Country (three letters, e.g. AUT; RKS for Kosovo)",
        validators=[DataRequired("Give the country code.")],
    )
    timezone = StringField(
        "Time zone", validators=[DataRequired("Give the time zone, e.g. Africa/Nairobi.")]
    )
    # Each language named in itself: what a person looks for in a list.
    locale = SelectField(
        _l("Default language"),
        choices=[SelectChoice("", _l("Browser's language")), *options(LANGUAGES.items())],
        validate_choice=False,  # the domain checks the code and says what is wrong
    )


class StationForm(FlaskForm):
    """A new station at a post."""

    post_id = SelectField(
        "Post",
        choices=[],
        validate_choice=False,
        validators=[RowIds("Choose the post from the list.")],
    )
    name = StringField("Station name", validators=[DataRequired("Name the station.")])


class StationEditForm(StationForm):
    """A station's name, post and the keyboard layout of its computer."""

    keyboard_layout = SelectField(
        "Keyboard layout of the station's computer",
        choices=options(KEYBOARD_LAYOUTS.items()),
        default="us",
    )


class ConfirmForm(FlaskForm):
    """A button that changes something (deactivate, rotate); only the CSRF token."""


class WatchlistForm(FlaskForm):
    """A watchlist file to load as a new version of a list."""

    name = StringField(
        "List name", validators=[DataRequired("Name the list, e.g. national-stolen-documents.")]
    )
    kind = SelectField("Kind", choices=options([("person", "Persons"), ("document", "Documents")]))
    # The command line's and the API's names: one vocabulary (the old ofac_csv … still post).
    format = SelectField(
        "Format",
        choices=options(
            (name, f"{title(registry_name(name))[:1].upper()}{title(registry_name(name))[1:]}")
            for name in PUBLIC_NAMES
        ),
        validate_choice=False,
    )
    file = MultipleFileField(
        "Files", validators=[FileRequired("Choose the list file (or its files, or an archive).")]
    )
    allow_removals = BooleanField(
        f"Load even if it removes more than {DEFAULT_MAX_REMOVED_RATIO:.0%} of the active "
        "entries (a real delisting, not a download cut short); this is logged"
    )


class ListSettingsForm(FlaskForm):
    """A list's decision settings: what a hit does, and the possible-match floor."""

    alert_policy = SelectField(
        "When a traveller hits this list",
        choices=options(
            [
                ("block", "Block: only a supervisor may admit, with a reason"),
                ("refer", "Refer: secondary inspection preselected; admitting needs a reason"),
                ("inform", "Inform: show the hit; the officer decides"),
            ]
        ),
    )
    possible_match_floor = StringField(
        "Possible matches from a name score of (empty: none)",
        validators=[Optional(), Length(max=8)],
    )


class MergeForm(FlaskForm):
    """A supervisor merges another traveller (the same person, filed twice) into this one."""

    other = IntegerField(
        "Traveller number to merge into this one",
        validators=[
            InputRequired("Give the number of the traveller to merge."),
            NumberRange(1, INT32_MAX, "No traveller has that number."),
        ],
    )
    reason = StringField("Why they are one person", validators=[InputRequired(), Length(max=500)])


class SplitForm(FlaskForm):
    """A supervisor files chosen crossings of this traveller under a new traveller."""

    reason = StringField(
        "Why the ticked crossings are another person", validators=[InputRequired(), Length(max=500)]
    )


class PasswordChangeForm(FlaskForm):
    """A person changes their own password."""

    current_password = PasswordField(
        "Current password",
        validators=[DataRequired("Enter your current password."), Length(max=1024)],
    )
    new_password = PasswordField(
        "New password", validators=[DataRequired("Choose a new password."), Length(max=1024)]
    )
    repeat_password = PasswordField(
        "New password again",
        validators=[DataRequired("Type the new password again."), Length(max=1024)],
    )


class PasswordResetForm(FlaskForm):
    """An administrator sets a new password for someone."""

    password = PasswordField(
        "New password", validators=[DataRequired("Set a password."), Length(max=1024)]
    )


class StayRuleForm(FlaskForm):
    """The allowed stay of a nationality: so many days in any window of so many days."""

    nationality = StringField(
        "Nationality code as in the passport, or * for the default",
        validators=[DataRequired("Give the nationality, e.g. KEN, or * for the default.")],
    )
    allowed_days = IntegerField(
        "Days allowed",
        validators=[
            InputRequired("Give the number of days allowed."),
            NumberRange(1, 3650, "Between 1 and 3650 days."),
        ],
    )
    window_days = IntegerField(
        "In any window of (days)",
        validators=[
            InputRequired("Give the window in days."),
            NumberRange(1, 3650, "Between 1 and 3650 days."),
        ],
    )


DOCUMENT_TYPES = [
    ("P", "Passport (P)"),
    ("I", "Identity card (I)"),
    ("A", "Other travel document (A)"),
    ("C", "Crew or other (C)"),
    ("V", "Visa (V)"),
]
SEXES = [("", "Not stated"), ("F", "Female"), ("M", "Male"), ("X", "Unspecified (X)")]


class ManualDocumentForm(FlaskForm):
    """A document typed in by the officer when its MRZ is damaged or absent."""

    document_type = SelectField("Document type", choices=options(DOCUMENT_TYPES), default="P")
    document_number = StringField(
        "Document number",
        validators=[DataRequired("Type the document number."), Length(max=40)],
    )
    issuing_state = StringField(
        "Issuing state (alpha-3)",
        validators=[DataRequired("Type the issuing state, e.g. KEN."), Length(max=3)],
    )
    surname = StringField(
        "Surname", validators=[DataRequired("Type the surname."), Length(max=200)]
    )
    given_names = StringField("Given names", validators=[Optional(), Length(max=200)])
    nationality = StringField(
        "Nationality (alpha-3)",
        validators=[DataRequired("Type the nationality, e.g. KEN."), Length(max=3)],
    )
    birth_date = StringField(
        "Date of birth (YYYY-MM-DD)", validators=[DataRequired("Type the date of birth.")]
    )
    sex = SelectField("Sex", choices=options(SEXES), default="")
    expiry_date = StringField("Expiry date (YYYY-MM-DD)", validators=[Optional()])
    direction = SelectField("Direction", choices=options(DIRECTIONS), default="entry")


# Formats a desk scanner saves; PDF for scanners that only make PDFs.
IMAGE_TYPES = ["jpg", "jpeg", "png", "tif", "tiff", "pdf"]


class ImageScanForm(FlaskForm):
    """An image of the document's data page, chosen or dropped on the page."""

    image = FileField(
        "Image of the data page",
        validators=[
            FileRequired("Choose an image of the data page."),
            FileAllowed(IMAGE_TYPES, "Choose a JPEG, PNG, TIFF or PDF file."),
        ],
    )
    direction = SelectField("Direction", choices=options(DIRECTIONS), default="entry")


class DeskForm(FlaskForm):
    """The station (desk) the officer works at, whose scanner folder the page watches."""

    station_id = SelectField("Your desk", choices=[], validate_choice=False)


class CorrectionForm(DecisionForm):
    """A correction: the decision again, and why (the reading stays as recorded)."""

    reason = TextAreaField(
        "Why is it corrected?",
        validators=[DataRequired("Say why the crossing is corrected."), Length(max=2000)],
    )


def show_error(form: FlaskForm, error: DomainError) -> None:
    """Show a domain error beside each visible field it names, every wrong value at once; above
    the form what names no visible field of it (a hidden id, a crossing, nothing)."""
    for problem in error.problems if isinstance(error, InvalidInput) else (error,):
        target = getattr(form, problem.field or "", None)
        message = sentence(problem.message)
        if isinstance(target, Field) and not isinstance(target, HiddenField):
            target.errors = [*list(target.errors or []), message]
        else:
            form.form_errors.append(message)


FORMAT_LABELS = {
    "masterlist": "CSCA master list (CMS-signed)",
    "ldif": "ICAO PKD download (LDIF)",
    "pem": "PEM or DER certificates and CRLs",
}


class TrustLoadForm(FlaskForm):
    """Files to load as a new version of a trust source."""

    name = StringField(
        "Trust source", validators=[DataRequired("Name the source."), Length(max=120)]
    )
    format = SelectField("Format", choices=options((f, FORMAT_LABELS[f]) for f in TRUST_FORMATS))
    files = MultipleFileField("Files", validators=[FileRequired("Choose the files to load.")])
    accept_unverified = StringField(
        "Load a master list whose signer does not verify, because",
        validators=[Optional(), Length(max=500)],
    )
