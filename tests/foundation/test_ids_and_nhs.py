from hypothesis import given
from hypothesis import strategies as st

from appliance.ids import new_id, timestamp_ms
from appliance.records import nhs_number


def test_ids_are_unique_and_sort_by_creation() -> None:
    ids = [new_id() for _ in range(5000)]
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids)
    assert timestamp_ms(ids[-1]) >= timestamp_ms(ids[0])


def test_known_valid_and_invalid_nhs_numbers() -> None:
    assert nhs_number.is_valid("943 476 5919")
    assert nhs_number.is_valid("4010232137")
    assert not nhs_number.is_valid("9434765918")  # wrong check digit
    assert not nhs_number.is_valid("123456789")  # nine digits
    assert not nhs_number.is_valid("94347659AB")


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_exactly_one_check_digit_completes_a_number(first_nine: str) -> None:
    valid = [d for d in "0123456789" if nhs_number.is_valid(first_nine + d)]
    expected = nhs_number.check_digit(first_nine)
    assert valid == ([] if expected is None else [str(expected)])
