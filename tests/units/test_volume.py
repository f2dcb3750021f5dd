"""Metered and normal gas volume: apart unless told, read through pint in any spelling."""

import pytest

from esgledger.errors import InvalidInput
from esgledger.units import compatible, product_multiplier, read_as, volume_basis


@pytest.mark.parametrize(
    "printed", ["10^4 m3", "10,000 cubic meters", "万m3", "万立方米", "10k m3", "m³", "L"]
)
def test_metered_spellings_read_as_normal(printed: str) -> None:
    assert volume_basis(printed) == "metered"
    normal = read_as(printed, "normal")
    assert str(normal.units) == "normal_cubic_meter"
    assert normal.magnitude == pytest.approx(read_as(printed, "metered").to("m**3").magnitude)


@pytest.mark.parametrize("printed", ["10^4 Nm3", "万标准立方米", "Nm3", "10,000 Nm3"])
def test_normal_spellings_read_as_metered(printed: str) -> None:
    assert volume_basis(printed) == "normal"
    normal = read_as(printed, "normal").to("Nm3").magnitude
    assert read_as(printed, "metered").to("m**3").magnitude == pytest.approx(normal)


def test_the_bases_stay_apart_unless_read() -> None:
    assert not compatible("10^4 m3", "Nm3")
    with pytest.raises(InvalidInput, match="cannot be converted"):
        product_multiplier("10^4 m3", ("GJ/(10^4 Nm3)",), "GJ")
    assert product_multiplier("10^4 m3", ("GJ/(10^4 Nm3)",), "GJ", "normal") == 1.0
    assert product_multiplier("10^4 Nm3", ("kgce/m3",), "tce", "metered") == pytest.approx(10.0)


def test_only_gas_volumes_are_read_on_a_basis() -> None:
    assert volume_basis("t") is None and volume_basis("no such unit") is None
    with pytest.raises(InvalidInput, match="not a gas volume"):
        read_as("t", "normal")
