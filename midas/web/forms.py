"""The pages' forms (flask-wtf: CSRF token in each), with messages in plain words."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
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
from midas.languages import error_text
from midas.web import labels
from watchlists.format_names import PUBLIC_NAMES
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

    def __init__(self, message: str | LazyString, *, big: bool = False) -> None:
        self.message = message
        self.big = big

    def __call__(self, form: Form, field: Field) -> None:
        values = field.data if isinstance(field.data, list) else [field.data]
        for value in values:
            if value not in (None, "") and not is_id(str(value), big=self.big):
                raise ValidationError(self.message)


def options(pairs: Iterable[tuple[str, str | LazyString]]) -> list[SelectChoice]:
    """Return (value, label) pairs as the choices wtforms wants."""
    return [SelectChoice(value, label) for value, label in pairs]


DIRECTIONS = [("entry", _l("Entry (arrival)")), ("exit", _l("Exit (departure)"))]
DECISIONS = [
    ("admitted", _l("Admit")),
    ("refused", _l("Refuse entry/exit")),
    ("referred", _l("Refer to secondary inspection")),
]
PURPOSES = [("", _l("Not asked")), *labels.choices_of("purpose")]
TRANSPORTS = [
    ("", _l("Not recorded")),
    *labels.choices_of("transport", sorted(TRANSPORT_MODES)),
]
# A refusal reason's code (Annex 9's letters, kept as on the form) and its words.
REASONS = [
    ("", _l("Choose a reason")),
    *[
        (r.code, _l("%(code)s — %(reason)s", code=r.code, reason=_l(r.text)))
        for r in REFUSAL_REASONS
    ],
]


# The share of a list's entries one load may remove without the administrator's say-so.
MAX_REMOVED_SHARE = f"{DEFAULT_MAX_REMOVED_RATIO:.0%}"


class LoginForm(FlaskForm):
    """A person's username and password."""

    username = StringField(
        _l("Username"), validators=[DataRequired(_l("Enter your username.")), Length(max=80)]
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("Enter your password.")), Length(max=1024)]
    )


class ScanForm(FlaskForm):
    """The MRZ lines as a scanner types them (or pasted), and the direction of travel."""

    mrz = TextAreaField(
        _l("Machine-readable zone"),
        validators=[DataRequired(_l("Scan the document or paste its MRZ lines."))],
    )
    direction = SelectField(_l("Direction"), choices=options(DIRECTIONS), default="entry")
    # The files a document reader exported from the chip (EF.SOD, DG1, DG2...), if any.
    chip = MultipleFileField(_l("Chip files (EF.SOD and data groups, optional)"))


class DecisionForm(FlaskForm):
    """The officer's decision on the traveller just scanned."""

    client_id = HiddenField()
    mrz = HiddenField()
    # A typed-in document (JSON of the manual form) when there is no MRZ.
    manual = HiddenField()
    # Its own id: the scan form above it on the station page has a "direction" too.
    direction = SelectField(_l("Direction"), choices=options(DIRECTIONS), id="decision_direction")
    decision = RadioField(
        _l("Decision"),
        choices=options(DECISIONS),
        validators=[InputRequired(_l("Choose a decision."))],
    )
    refusal_reason = SelectField(_l("Reason for refusal"), choices=options(REASONS), default="")
    transport_mode = SelectField(_l("Transport"), choices=options(TRANSPORTS), default="")
    transport_ref = StringField(
        _l("Flight, vehicle or vessel"), validators=[Optional(), Length(max=32)]
    )
    purpose = SelectField(_l("Purpose of travel"), choices=options(PURPOSES), default="")
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])
    minor_accompanied = RadioField(
        _l("The minor travels"),
        choices=options([("yes", _l("Accompanied")), ("no", _l("Unaccompanied"))]),
        validators=[Optional()],
    )
    accompanying_crossing_id = SelectField(
        _l("Accompanied by"),
        choices=[],
        validate_choice=False,
        validators=[RowIds(_l("Choose the accompanying traveller from the list."), big=True)],
    )
    override_reason = StringField(
        _l("Reason to admit despite the warnings above"), validators=[Optional(), Length(max=500)]
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
        _l("Verdict"),
        choices=options(
            [
                ("confirm", _l("Confirm: it is the listed person or document")),
                ("dismiss", _l("Dismiss: not a match")),
            ]
        ),
        validators=[InputRequired(_l("Choose confirm or dismiss."))],
    )
    reason = StringField(_l("Reason"), validators=[DataRequired(_l("Say why.")), Length(max=1000)])
    override_reason = StringField(
        _l("Override (the traveller was admitted)"), validators=[Optional(), Length(max=500)]
    )


class UserForm(FlaskForm):
    """A new user."""

    username = StringField(_l("Username"), validators=[DataRequired(_l("Choose a username."))])
    full_name = StringField(
        _l("Full name"), validators=[DataRequired(_l("Enter the person's name."))]
    )
    role = SelectField(
        _l("Role"),
        choices=options(
            [
                ("officer", _l("Officer")),
                ("supervisor", _l("Supervisor")),
                ("admin", _l("Administrator")),
            ]
        ),
    )
    password = PasswordField(
        _l("Initial password"), validators=[DataRequired(_l("Set a password."))]
    )
    post_id = SelectField(
        _l("Post (officers)"),
        choices=[],
        validate_choice=False,
        validators=[RowIds(_l("Choose the post from the list."))],
    )
    supervised_post_ids = SelectMultipleField(
        _l("Posts supervised"),
        choices=[],
        validate_choice=False,
        validators=[RowIds(_l("Choose the supervised posts from the list."))],
    )
    all_posts = BooleanField(_l("Supervises every post"))


class PostForm(FlaskForm):
    """A new border post."""

    code = StringField(_l("Code"), validators=[DataRequired(_l("Give the post a code."))])
    name = StringField(_l("Name"), validators=[DataRequired(_l("Give the post a name."))])
    kind = SelectField(
        _l("Kind"), choices=options([("air", _l("Air")), ("land", _l("Land")), ("sea", _l("Sea"))])
    )
    country = StringField(
        _l("Country (three letters, e.g. AUT; RKS for Kosovo)"),
        validators=[DataRequired(_l("Give the country code."))],
    )
    timezone = StringField(
        _l("Time zone"), validators=[DataRequired(_l("Give the time zone, e.g. Africa/Nairobi."))]
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
        _l("Post"),
        choices=[],
        validate_choice=False,
        validators=[RowIds(_l("Choose the post from the list."))],
    )
    name = StringField(_l("Station name"), validators=[DataRequired(_l("Name the station."))])


class StationEditForm(StationForm):
    """A station's name, post and the keyboard layout of its computer."""

    keyboard_layout = SelectField(
        _l("Keyboard layout of the station's computer"),
        choices=options(labels.choices_of("keyboard_layout", KEYBOARD_LAYOUTS)),
        default="us",
    )


class ConfirmForm(FlaskForm):
    """A button that changes something (deactivate, rotate); only the CSRF token."""


class WatchlistForm(FlaskForm):
    """A watchlist file to load as a new version of a list."""

    name = StringField(
        _l("List name"),
        validators=[DataRequired(_l("Name the list, e.g. national-stolen-documents."))],
    )
    kind = SelectField(
        _l("Kind"), choices=options([("person", _l("Persons")), ("document", _l("Documents"))])
    )
    # The command line's and the API's names: one vocabulary (the old ofac_csv … still post).
    format = SelectField(
        _l("Format"),
        choices=options(labels.choices_of("list_format", PUBLIC_NAMES)),
        validate_choice=False,
    )
    file = MultipleFileField(
        _l("Files"),
        validators=[FileRequired(_l("Choose the list file (or its files, or an archive)."))],
    )
    allow_removals = BooleanField(
        _l(
            "Load even if it removes more than %(share)s of the active entries (a real "
            "delisting, not a download cut short); this is logged",
            share=MAX_REMOVED_SHARE,
        )
    )


class ListSettingsForm(FlaskForm):
    """A list's decision settings: what a hit does, and the possible-match floor."""

    alert_policy = SelectField(
        _l("When a traveller hits this list"),
        choices=options(
            [
                ("block", _l("Block: only a supervisor may admit, with a reason")),
                ("refer", _l("Refer: secondary inspection preselected; admitting needs a reason")),
                ("inform", _l("Inform: show the hit; the officer decides")),
            ]
        ),
    )
    possible_match_floor = StringField(
        _l("Possible matches from a name score of (empty: none)"),
        validators=[Optional(), Length(max=8)],
    )


class MergeForm(FlaskForm):
    """A supervisor merges another traveller (the same person, filed twice) into this one."""

    other = IntegerField(
        _l("Traveller number to merge into this one"),
        validators=[
            InputRequired(_l("Give the number of the traveller to merge.")),
            NumberRange(1, INT32_MAX, _l("No traveller has that number.")),
        ],
    )
    reason = StringField(
        _l("Why they are one person"), validators=[InputRequired(), Length(max=500)]
    )


class SplitForm(FlaskForm):
    """A supervisor files chosen crossings of this traveller under a new traveller."""

    reason = StringField(
        _l("Why the ticked crossings are another person"),
        validators=[InputRequired(), Length(max=500)],
    )


class PasswordChangeForm(FlaskForm):
    """A person changes their own password."""

    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password.")), Length(max=1024)],
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Choose a new password.")), Length(max=1024)],
    )
    repeat_password = PasswordField(
        _l("New password again"),
        validators=[DataRequired(_l("Type the new password again.")), Length(max=1024)],
    )


class PasswordResetForm(FlaskForm):
    """An administrator sets a new password for someone."""

    password = PasswordField(
        _l("New password"), validators=[DataRequired(_l("Set a password.")), Length(max=1024)]
    )


class StayRuleForm(FlaskForm):
    """The allowed stay of a nationality: so many days in any window of so many days."""

    nationality = StringField(
        _l("Nationality code as in the passport, or * for the default"),
        validators=[DataRequired(_l("Give the nationality, e.g. KEN, or * for the default."))],
    )
    allowed_days = IntegerField(
        _l("Days allowed"),
        validators=[
            InputRequired(_l("Give the number of days allowed.")),
            NumberRange(1, 3650, _l("Between 1 and 3650 days.")),
        ],
    )
    window_days = IntegerField(
        _l("In any window of (days)"),
        validators=[
            InputRequired(_l("Give the window in days.")),
            NumberRange(1, 3650, _l("Between 1 and 3650 days.")),
        ],
    )


DOCUMENT_TYPES = [
    ("P", _l("Passport (P)")),
    ("I", _l("Identity card (I)")),
    ("A", _l("Other travel document (A)")),
    ("C", _l("Crew or other (C)")),
    ("V", _l("Visa (V)")),
]
SEXES = [
    ("", _l("Not stated")),
    ("F", _l("Female")),
    ("M", _l("Male")),
    ("X", _l("Unspecified (X)")),
]


class ManualDocumentForm(FlaskForm):
    """A document typed in by the officer when its MRZ is damaged or absent."""

    document_type = SelectField(_l("Document type"), choices=options(DOCUMENT_TYPES), default="P")
    document_number = StringField(
        _l("Document number"),
        validators=[DataRequired(_l("Type the document number.")), Length(max=40)],
    )
    issuing_state = StringField(
        _l("Issuing state (alpha-3)"),
        validators=[DataRequired(_l("Type the issuing state, e.g. KEN.")), Length(max=3)],
    )
    surname = StringField(
        _l("Surname"), validators=[DataRequired(_l("Type the surname.")), Length(max=200)]
    )
    given_names = StringField(_l("Given names"), validators=[Optional(), Length(max=200)])
    nationality = StringField(
        _l("Nationality (alpha-3)"),
        validators=[DataRequired(_l("Type the nationality, e.g. KEN.")), Length(max=3)],
    )
    birth_date = StringField(
        _l("Date of birth (YYYY-MM-DD)"), validators=[DataRequired(_l("Type the date of birth."))]
    )
    sex = SelectField(_l("Sex"), choices=options(SEXES), default="")
    expiry_date = StringField(_l("Expiry date (YYYY-MM-DD)"), validators=[Optional()])
    direction = SelectField(_l("Direction"), choices=options(DIRECTIONS), default="entry")


# Formats a desk scanner saves; PDF for scanners that only make PDFs.
IMAGE_TYPES = ["jpg", "jpeg", "png", "tif", "tiff", "pdf"]


class ImageScanForm(FlaskForm):
    """An image of the document's data page, chosen or dropped on the page."""

    image = FileField(
        _l("Image of the data page"),
        validators=[
            FileRequired(_l("Choose an image of the data page.")),
            FileAllowed(IMAGE_TYPES, _l("Choose a JPEG, PNG, TIFF or PDF file.")),
        ],
    )
    direction = SelectField(_l("Direction"), choices=options(DIRECTIONS), default="entry")


class DeskForm(FlaskForm):
    """The station (desk) the officer works at, whose scanner folder the page watches."""

    station_id = SelectField(_l("Your desk"), choices=[], validate_choice=False)


class CorrectionForm(DecisionForm):
    """A correction: the decision again, and why (the reading stays as recorded)."""

    reason = TextAreaField(
        _l("Why is it corrected?"),
        validators=[DataRequired(_l("Say why the crossing is corrected.")), Length(max=2000)],
    )


def show_error(form: FlaskForm, error: DomainError) -> None:
    """Show a domain error beside each visible field it names, every wrong value at once; above
    the form what names no visible field of it (a hidden id, a crossing, nothing)."""
    for problem in error.problems if isinstance(error, InvalidInput) else (error,):
        target = getattr(form, problem.field or "", None)
        message = error_text(problem)
        if isinstance(target, Field) and not isinstance(target, HiddenField):
            target.errors = [*list(target.errors or []), message]
        else:
            form.form_errors.append(message)


FORMAT_LABELS = {
    "masterlist": _l("CSCA master list (CMS-signed)"),
    "ldif": _l("ICAO PKD download (LDIF)"),
    "pem": _l("PEM or DER certificates and CRLs"),
}


class TrustLoadForm(FlaskForm):
    """Files to load as a new version of a trust source."""

    name = StringField(
        _l("Trust source"), validators=[DataRequired(_l("Name the source.")), Length(max=120)]
    )
    format = SelectField(
        _l("Format"), choices=options((f, FORMAT_LABELS[f]) for f in TRUST_FORMATS)
    )
    files = MultipleFileField(
        _l("Files"), validators=[FileRequired(_l("Choose the files to load."))]
    )
    accept_unverified = StringField(
        _l("Load a master list whose signer does not verify, because"),
        validators=[Optional(), Length(max=500)],
    )
