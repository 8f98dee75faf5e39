"""A name must have letters: a number typed in a hurry into a name field is refused, saying
where it belongs, and nothing is changed."""

from __future__ import annotations

import pytest

from appliance.errors import ValidationError
from appliance.records.patients import clean_demographics


@pytest.mark.parametrize("value", ["30", "12/03/1950", "999", "--"])
def test_a_name_without_letters_is_refused(value: str) -> None:
    with pytest.raises(ValidationError, match="A name has letters") as caught:
        clean_demographics({"family_name": value})
    assert caught.value.field == "family_name"


@pytest.mark.parametrize("value", ["O'Brien", "Smith-Jones", "Åsa", "Henry 8th"])
def test_real_names_pass(value: str) -> None:
    assert clean_demographics({"given_name": value})["given_name"] == value
