from hypothesis import given
from hypothesis import strategies as st

from scanners.mrz.checkdigit import VALUES, compute, verify

MRZ_CHARS = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<", max_size=40)


def test_doc_9303_worked_examples():
    assert compute("L898902C3") == "6"
    assert compute("740812") == "2"
    assert compute("120415") == "9"
    assert compute("520727") == "3"


def test_filler_and_letters_have_their_doc_9303_values():
    assert VALUES["<"] == 0
    assert VALUES["A"] == 10
    assert VALUES["Z"] == 35


def test_filler_check_digit_counts_as_zero():
    assert verify("<<<<<<<<<<<<<<", "<")
    assert verify("<<<<<<<<<<<<<<", "0")


@given(MRZ_CHARS)
def test_check_digit_is_a_single_decimal_digit(text):
    assert compute(text) in "0123456789"


@given(MRZ_CHARS, st.integers(min_value=0, max_value=39), st.sampled_from("0123456789"))
def test_any_change_of_one_digit_to_another_is_detected(text, where, digit):
    text = text.ljust(where + 1, "0")
    changed = text[:where] + digit + text[where + 1 :]
    if text[where].isdigit() and digit != text[where]:
        assert compute(changed) != compute(text)
