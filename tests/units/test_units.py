"""Units as reports print them, converted with one multiplier per pair."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from esgledger.errors import InvalidInput
from esgledger.units import compatible, multiplier, parse


@pytest.mark.parametrize(
    ("unit", "target", "factor"),
    [
        ("MWh", "kWh", 1000.0),
        ("10^4 m3", "m3", 10000.0),
        ("10,000 cubic meters", "m3", 10000.0),
        ("t", "kg", 1000.0),
        ("Ton", "kg", 1000.0),
        ("tce", "kgce", 1000.0),
        ("TCE", "tce", 1.0),
        ("tCO2e", "kg CO2e", 1000.0),
        ("t CO2", "tCO2e", 1.0),
        ("RMB million", "RMB", 1e6),
        ("RMB billion", "RMB million", 1000.0),
        ("RMB 1,000", "RMB", 1000.0),
        ("tce per RMB million", "tce/RMB", 1e-6),
        ("TCE per million (RMB)", "tce/RMB", 1e-6),
        ("‰", "%", 0.1),
        ("person-times", "person_times", 1.0),
        ("Person", "person", 1.0),
        ("Hour/person", "hour/person", 1.0),
        ("GJ", "MJ", 1000.0),
        ("L", "m3", 0.001),
        ("10^4 Nm3", "Nm3", 10000.0),
    ],
)
def test_report_spellings_convert(unit: str, target: str, factor: float) -> None:
    assert multiplier(unit, target) == pytest.approx(factor, rel=1e-12)


def test_tonne_is_metric_never_short_ton() -> None:
    assert multiplier("ton", "kg") == 1000.0


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("tce", "GJ"),  # coal equivalent is converted only through per-carrier coefficients
        ("Nm3", "m3"),  # normal and metered volume are never assumed equal
        ("person", "person_times"),
        ("case", "person"),
        ("RMB", "USD"),
        ("kWh", "t"),
    ],
)
def test_different_kinds_do_not_mix(a: str, b: str) -> None:
    assert not compatible(a, b)
    with pytest.raises(InvalidInput, match="different dimensions"):
        multiplier(a, b)


@pytest.mark.parametrize("bad", ["", "   ", "furlongz", "5", "kg/", "drop table"])
def test_unknown_units_refused_with_one_line(bad: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse(bad)
    assert "\n" not in str(err.value)


@given(st.floats(min_value=0, max_value=1e12, allow_nan=False))
def test_round_trip_through_multipliers(x: float) -> None:
    back = x * multiplier("MWh", "kWh") * multiplier("kWh", "MWh")
    assert back == pytest.approx(x, rel=1e-12, abs=1e-300)


def test_an_incompatible_pair_is_answered_from_the_cache_the_second_time() -> None:
    """Checks ask about the same incompatible pairs hundreds of thousands of times; pint
    answers each with an exception, so the answer "no" is remembered like a multiplier."""
    from esgledger.units.registry import _conversion

    assert not compatible("person", "kWh")
    before = _conversion.cache_info()
    assert not compatible("person", "kWh")
    with pytest.raises(InvalidInput, match="different dimensions"):
        multiplier("person", "kWh")
    after = _conversion.cache_info()
    assert after.hits == before.hits + 2
    assert after.misses == before.misses
