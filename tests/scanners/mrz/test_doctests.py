import doctest

import pytest

from scanners.mrz import checkdigit, fields, wording


@pytest.mark.parametrize("module", [checkdigit, fields, wording])
def test_docstring_examples_hold(module):
    failures, tried = doctest.testmod(module)
    assert tried > 0
    assert failures == 0
