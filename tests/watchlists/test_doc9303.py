"""Names in the MRZ as Doc 9303 Part 3's Arabic table writes them, read back against the lists."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from watchlists.config import ScreeningConfig
from watchlists.doc9303 import (
    agrees,
    compounds,
    listed_key,
    looks_transliterated,
    query_keys,
    write,
)
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


# Short vowels, shadda and sukun: written over letters, never by the MRZ.
HARAKAT = ["\u064e", "\u064f", "\u0650", "\u0651", "\u0652", "\u064b"]


@given(
    st.lists(
        st.lists(st.sampled_from(sorted(set(TABLE_C) - {"ة"})), min_size=1, max_size=7),
        min_size=1,
        max_size=4,
    ),
    st.lists(st.sampled_from(HARAKAT), max_size=6),
)
def test_a_name_in_arabic_script_is_written_as_table_c_writes_it(
    words: list[list[str]], marks: list[str]
) -> None:
    plain = " ".join("".join(word) for word in words)
    marked = " ".join(
        "".join(letter + (marks[i % len(marks)] if marks else "") for i, letter in enumerate(w))
        for w in words
    )
    assert write(plain) == " ".join(mrz(plain))
    assert write(marked) == write(plain)


@pytest.mark.parametrize("text", ["Иван Петров", "王伟", "MUHAMMAD", "محمد 12", ""])
def test_only_arabic_script_is_written(text: str) -> None:
    assert write(text) is None


@pytest.mark.parametrize(
    ("arabic", "other"),
    [("أحمد", "HAMID"), ("أحمد", "HAMAD"), ("عمر", "MAR"), ("علي", "WALI"), ("الأحمد", "HAMAD")],
)
def test_a_word_that_begins_with_alef_or_ayn_is_romanised_with_a_first_vowel(
    arabic: str, other: str
) -> None:
    # AHMAD begins with alef: XAEXHMD has the consonants of HAMID, not its first letter.
    (written,) = mrz(arabic)
    assert not agrees(written, other)


ALGERIAN = PersonIndex.build(
    "test",
    1,
    [
        PersonEntry("djouadi", (EntryName("YAHIA DJOUADI"),)),
        PersonEntry("ubaidi", (EntryName("GHAZI HAMMUD AL-UBAIDI"),)),
        PersonEntry("hamid", (EntryName("HAMID MUSTAFA KARIM"),)),
    ],
)


@pytest.mark.parametrize(
    ("arabic", "entry_id"), [("يحيى جوادي", "djouadi"), ("غازي حمود العبيدي", "ubaidi")]
)
def test_a_name_in_arabic_script_meets_romanisations_no_rule_makes(
    arabic: str, entry_id: str
) -> None:
    # DJOUADI is French, UBAIDI keeps a vowel the romaniser cannot know: the MRZ's consonants
    # meet them, and the hit says how the name was read.
    hits = screen_person(PersonQuery(name=arabic), ALGERIAN, CONFIG)
    assert [hit.entry_id for hit in hits] == [entry_id]
    scripts = [reason.detail for reason in hits[0].reasons if reason.feature == "script"]
    assert scripts == [f"{arabic} ~ {write(arabic)} (Doc 9303)"]


def test_a_name_in_arabic_script_is_no_other_name_with_its_consonants() -> None:
    # أحمد مصطفى كريم is AHMAD, not HAMID: same consonants, but AHMAD begins with alef.
    assert screen_person(PersonQuery(name="أحمد مصطفى كريم"), ALGERIAN, CONFIG) == []
