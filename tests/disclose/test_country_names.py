"""#16: the report prints a country as its name in the edition's language (ISO 3166 names in
English, pycountry's Chinese catalogue in Chinese); a code without a name is refused, never
printed as a code or in the other language."""

from __future__ import annotations

import pytest

from esgledger.disclose.country_names import country_name
from esgledger.errors import InvalidInput


def test_english_names_are_the_iso_3166_names() -> None:
    assert country_name("VN", "en") == "Viet Nam"
    assert country_name("de", "en") == "Germany"


def test_chinese_names_come_from_the_chinese_catalogue() -> None:
    assert country_name("VN", "zh") == "越南"
    assert country_name("CN", "zh") == "中国"
    assert country_name("DE", "zh") == "德国"


@pytest.mark.parametrize("code", ["XX", "", "CHN", "1A"])
def test_a_code_without_a_name_is_refused(code: str) -> None:
    with pytest.raises(InvalidInput, match="country"):
        country_name(code, "zh")


def test_a_language_without_names_is_refused() -> None:
    with pytest.raises(InvalidInput, match="no country names in 'fr'"):
        country_name("DE", "fr")
