"""Issue #11 finding 7: units as Chinese and English ESG reports print them."""

import pytest

from esgledger.errors import InvalidInput
from esgledger.units import multiplier, parse


@pytest.mark.parametrize(
    ("printed", "target", "factor"),
    [
        # English report tables
        ("Ton", "t", 1.0),
        ("Tons", "kg", 1000.0),
        ("Ton of standard coal", "tce", 1.0),
        ("Tons of standard coal equivalent", "tce", 1.0),
        ("tonnes of coal equivalent (tce)", "kgce", 1000.0),
        ("t CO2", "tCO2e", 1.0),
        ("tonnes CO2e", "tCO2e", 1.0),
        ("tCO2-eq", "tCO2e", 1.0),
        ("Tons of CO2 equivalent", "tCO2e", 1.0),
        ("tCO₂e", "tCO2e", 1.0),
        ("Ton per million revenue (RMB)", "t/RMB", 1e-6),
        ("tCO2e per million revenue (RMB)", "tCO2e/RMB", 1e-6),
        ("tce/10,000 RMB", "tce/RMB", 1e-4),
        ("tce/10^4 RMB", "tce/RMB", 1e-4),
        ("10^4 t", "t", 1e4),
        ("10^4 kWh", "kWh", 1e4),
        ("MWh", "kWh", 1e3),
        ("GJ", "MJ", 1e3),
        ("tce", "kgce", 1e3),
        ("kgce", "tce", 1e-3),
        ("tCO2e", "kgCO2e", 1e3),
        ("person", "person", 1.0),
        ("persons", "person", 1.0),
        ("person-time", "person_times", 1.0),
        ("10k m3", "m3", 1e4),
        ("10,000 cubic meters", "m3", 1e4),
        ("10,000 m³", "m3", 1e4),
        ("10^4 Nm3", "Nm3", 1e4),
        ("RMB 10,000", "RMB", 1e4),
        # Chinese report tables
        ("吨", "t", 1.0),
        ("千克", "kg", 1.0),
        ("公斤", "kg", 1.0),
        ("万吨", "t", 1e4),
        ("吨标准煤", "tce", 1.0),
        ("吨标煤", "tce", 1.0),
        ("万吨标准煤", "tce", 1e4),
        ("千克标准煤", "kgce", 1.0),
        ("吨二氧化碳当量", "tCO2e", 1.0),
        ("吨二氧化碳", "tCO2e", 1.0),
        ("万吨二氧化碳当量", "tCO2e", 1e4),
        ("千瓦时", "kWh", 1.0),
        ("万千瓦时", "kWh", 1e4),
        ("万kWh", "kWh", 1e4),
        ("兆瓦时", "MWh", 1.0),
        ("吉焦", "GJ", 1.0),
        ("万m3", "m3", 1e4),
        ("万立方米", "m3", 1e4),
        ("立方米", "m3", 1.0),
        ("万标准立方米", "Nm3", 1e4),
        ("元", "RMB", 1.0),
        ("万元", "RMB", 1e4),
        ("百万元", "RMB", 1e6),
        ("亿元", "RMB", 1e8),
        ("人", "person", 1.0),
        ("人次", "person_times", 1.0),
        ("小时", "hour", 1.0),
        ("升", "L", 1.0),
        # intensities
        ("t/万元", "t/RMB", 1e-4),
        ("吨/万元", "t/RMB", 1e-4),
        ("吨标准煤/万元", "tce/RMB", 1e-4),
        ("吨二氧化碳当量/百万元", "tCO2e/RMB", 1e-6),
        ("tce/万元", "tce/RMB", 1e-4),
        ("千瓦时/人", "kWh/person", 1.0),
    ],
)
def test_units_as_printed_convert(printed: str, target: str, factor: float) -> None:
    assert multiplier(printed, target) == pytest.approx(factor, rel=1e-12)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("人", "人次"),  # a headcount is not a count of participations
        ("吨标准煤", "吨"),  # coal equivalent is not a mass
        ("吨二氧化碳当量", "吨"),
        ("万标准立方米", "万立方米"),  # normal and metered volume stay apart in the registry
        ("万元", "USD"),
    ],
)
def test_printed_units_keep_their_kind(a: str, b: str) -> None:
    with pytest.raises(InvalidInput, match="different dimensions"):
        multiplier(a, b)


@pytest.mark.parametrize("bad", ["万", "吨吨", "吨万", "标准煤", "万 元 吨"])
def test_unknown_printed_units_refused_in_one_line(bad: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse(bad)
    assert "\n" not in str(err.value) and bad in str(err.value)
