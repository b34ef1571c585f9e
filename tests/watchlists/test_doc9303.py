"""Names in the MRZ as Doc 9303 Part 3's Arabic table writes them, read back against the lists."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from watchlists.config import ScreeningConfig
from watchlists.doc9303 import agrees, compounds, listed_key, looks_transliterated, query_keys
from watchlists.index import PersonIndex
from watchlists.models import EntryName, PersonEntry
from watchlists.screening import PersonQuery, screen_person

# Doc 9303 Part 3 §6, Table C (Arabic letters; teh marbuta is XAH ending a word, XTA elsewhere),
# written out here from the standard so that the tests do not read the module's own table.
TABLE_C = {
    "ء": "XE", "آ": "XAA", "أ": "XAE", "إ": "I", "ئ": "XI", "ا": "A", "ب": "B", "ت": "T",
    "ث": "XTH", "ج": "J", "ح": "XH", "خ": "XKH", "د": "D", "ذ": "XDH", "ر": "R", "ز": "Z",
    "س": "S", "ش": "XSH", "ص": "XSS", "ض": "XDZ", "ط": "XTT", "ظ": "XZZ", "ع": "E", "غ": "G",
    "ف": "F", "ق": "Q", "ك": "K", "ل": "L", "م": "M", "ن": "N", "ه": "H", "و": "W", "ى": "XAY",
    "ي": "Y", "چ": "XC", "ک": "XKK", "گ": "XGG", "ی": "XYA", "پ": "P",
}  # fmt: skip


def mrz(arabic: str) -> list[str]:
    """Write a name in Arabic script with Table C, one token per word."""
    words = []
    for word in arabic.split():
        out = [
            ("XAH" if i == len(word) - 1 else "XTA") if ch == "ة" else TABLE_C[ch]
            for i, ch in enumerate(word)
        ]
        words.append("".join(out))
    return words


# Names as Arabic script writes them, with romanisations lists use for them.
NAMES = {
    "محمد": ("MUHAMMAD", "MOHAMMED", "MOHAMED", "MOHAMMAD"),
    "أحمد": ("AHMED", "AHMAD"),
    "احمد": ("AHMED", "AHMAD"),
    "محمود": ("MAHMOUD", "MAHMUD"),
    "حسن": ("HASAN", "HASSAN"),
    "حسين": ("HUSSEIN", "HUSAYN", "HOSSEIN"),
    "خالد": ("KHALID", "KHALED"),
    "عمر": ("OMAR", "UMAR"),
    "علي": ("ALI",),
    "سعيد": ("SAID", "SAYED"),
    "سعد": ("SAAD", "SAD"),
    "طارق": ("TARIQ", "TAREK"),
    "يوسف": ("YOUSSEF", "YUSUF", "YOUSEF"),
    "إبراهيم": ("IBRAHIM", "EBRAHIM"),
    "مصطفى": ("MUSTAFA", "MOSTAFA"),
    "حمزة": ("HAMZA", "HAMZAH"),
    "فاطمة": ("FATIMA", "FATEMA"),
    "شريف": ("SHARIF", "CHERIF"),
    "قاسم": ("QASIM", "KASSEM", "QASEM"),
    "جمال": ("JAMAL", "DJAMEL", "GAMAL"),
    "رمضان": ("RAMADAN", "RAMADHAN"),
    "غسان": ("GHASSAN",),
    "عثمان": ("OTHMAN", "UTHMAN"),
    "بكر": ("BAKR",),
    "عبدالله": ("ABDULLAH", "ABDALLAH", "ABDELLAH"),
    "عبدالرحمن": ("ABDULRAHMAN", "ABDERRAHMANE", "ABDALRAHMAN"),
    "عبدالعزيز": ("ABDULAZIZ", "ABDELAZIZ"),
    "نصرالله": ("NASRALLAH", "NASRULLAH"),
    "صلاحالدين": ("SALAHUDDIN", "SALAHEDDINE"),
    "ابوبكر": ("ABUBAKR", "ABOUBAKR"),
    "الرازي": ("RAZI", "ALRAZI"),
    "الحسيني": ("HUSSEINI", "ALHUSSEINI"),
}
PAIRS = [(arabic, roman) for arabic, romans in NAMES.items() for roman in romans]
# Different names with like consonants: the vowels Doc 9303 writes tell them apart.
DIFFERENT = [
    ("حسن", "HUSSEIN"),
    ("محمود", "MUHAMMAD"),
    ("سعيد", "SAAD"),
    ("سعد", "SAID"),
    ("حمد", "HAMDI"),
    ("عمر", "UMAYR"),
    ("علي", "ALIA"),
    ("محمد", "AHMED"),
    ("حسين", "HASSANI"),
    ("عبدالله", "ABDUL"),
]


@pytest.mark.parametrize(("arabic", "roman"), PAIRS)
def test_a_name_in_doc9303_letters_agrees_with_its_romanisations(arabic: str, roman: str) -> None:
    (written,) = mrz(arabic)
    assert agrees(written, roman)
    assert listed_key(roman) in query_keys(written)


@pytest.mark.parametrize(("arabic", "roman"), DIFFERENT)
def test_a_name_in_doc9303_letters_differs_from_other_names(arabic: str, roman: str) -> None:
    (written,) = mrz(arabic)
    assert not agrees(written, roman)


@pytest.mark.parametrize(
    ("written", "joined"),
    [
        (["EBD", "ALLH"], ("EBDALLH",)),
        (["EBD", "ALRXHMN", "XHSN"], ("EBDALRXHMN", "XHSN")),
        (["EBD", "AL", "RXHMN"], ("EBDALRXHMN",)),
        (["NSR", "ALLH"], ("NSRALLH",)),
        (["XSSLAXH", "ALDYN"], ("XSSLAXHALDYN",)),
        (["ABW", "BKR", "MXHMD"], ("ABWBKR", "MXHMD")),
        (["MXHMD", "BN", "ELY"], ("MXHMD", "BN", "ELY")),
    ],
)
def test_compounds_written_apart_are_joined(written: list[str], joined: tuple[str, ...]) -> None:
    assert compounds(written) == joined


def test_compounds_written_apart_agree_with_the_compound_listed_whole() -> None:
    assert agrees(*compounds(mrz("عبد الله")), "ABDULLAH")
    assert agrees(*compounds(mrz("عبد الرحمن")), "ABDURRAHMAN")
    assert agrees(*compounds(mrz("نصر الله")), "NASRALLAH")


@pytest.mark.parametrize(
    "arabic",
    [
        "محمد بن علي",
        "عبد الله أحمد",
        "خالد الحسيني",
        "فاطمة حسن",
        "مصطفى شريف",
        "بلال بن مروان",
        "عمر يوسف",
        "سيف الله جان",
    ],
)
def test_names_in_doc9303_letters_look_so(arabic: str) -> None:
    assert looks_transliterated(mrz(arabic))


@pytest.mark.parametrize(
    "tokens",
    [
        ["MAXIM", "PETRENKO"],
        ["XAVIER", "DUPONT"],
        ["ALEXANDER", "MAX"],
        ["MOHAMMED", "ALI"],
        ["ABDULLAH", "AHMED"],
        ["NGUYEN", "VAN", "AN"],
        ["XI", "JINPING"],
        ["AHMED", "BEN", "ALI"],
        ["LEE", "SHEN"],
        [],
    ],
)
def test_names_written_otherwise_do_not_look_so(tokens: list[str]) -> None:
    assert not looks_transliterated(tokens)


@given(st.lists(st.sampled_from(sorted(TABLE_C)), min_size=1, max_size=8))
def test_any_word_in_arabic_letters_is_read_without_error(letters: list[str]) -> None:
    (written,) = mrz("".join(letters))
    for key in query_keys(written):
        assert key.startswith("D:")
    assert isinstance(agrees(written, "MUHAMMAD"), bool)


CONFIG = ScreeningConfig()
INDEX = PersonIndex.build(
    "test",
    1,
    [
        PersonEntry("abdullah", (EntryName("AHMED, Abdullah", given="Abdullah", family="AHMED"),)),
        PersonEntry("razi", (EntryName("Muhammad Hasan AL-RAZI"),)),
        PersonEntry("husayn", (EntryName("Hussein Mahmoud"),)),
    ],
)


@pytest.mark.parametrize(
    ("surname", "given", "entry_id"),
    [
        ("أحمد", "عبد الله", "abdullah"),
        ("الرازي", "محمد حسن", "razi"),
        ("محمود", "حسين", "husayn"),
    ],
)
def test_a_traveller_whose_mrz_uses_table_c_is_screened_against_romanised_names(
    surname: str, given: str, entry_id: str
) -> None:
    query = PersonQuery(surname=" ".join(mrz(surname)), given_names=" ".join(mrz(given)))
    hits = screen_person(query, INDEX, CONFIG)
    assert [hit.entry_id for hit in hits] == [entry_id]
    assert "(transliteration)" in hits[0].reasons[0].detail


def test_a_different_name_in_table_c_letters_is_not_a_hit() -> None:
    query = PersonQuery(name=" ".join(mrz("حسن محمد")))  # HASAN MUHAMMAD, not HUSSEIN MAHMOUD
    assert [hit.entry_id for hit in screen_person(query, INDEX, CONFIG)] == []


def test_the_doc9303_reading_wins_over_a_typo_reading() -> None:
    index = PersonIndex.build("test", 1, [PersonEntry("zahid", (EntryName("ABDUL RAHMAN ZAHED"),))])
    hits = screen_person(PersonQuery(name=" ".join(mrz("عبدالرحمن زاهد"))), index, CONFIG)
    assert [hit.entry_id for hit in hits] == ["zahid"]
    assert "ZAHD~ZAHED (transliteration)" in hits[0].reasons[0].detail
