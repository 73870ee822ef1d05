from hypothesis import given
from hypothesis import strategies as st

from core.segments import GSM7_BASIC, GSM7_EXTENSION, Encoding, count_segments

gsm_basic_text = st.text(alphabet=sorted(GSM7_BASIC), max_size=800)
gsm_text = st.text(alphabet=sorted(GSM7_BASIC | GSM7_EXTENSION), max_size=800)


def test_empty_text_takes_no_sms() -> None:
    assert count_segments("").segments == 0


def test_160_latin_fit_one_sms_161_take_two() -> None:
    assert count_segments("a" * 160).segments == 1
    assert count_segments("a" * 161).segments == 2
    assert count_segments("a" * 306).segments == 2
    assert count_segments("a" * 307).segments == 3


def test_70_cyrillic_fit_one_sms_71_take_two() -> None:
    assert count_segments("ж" * 70).segments == 1
    assert count_segments("ж" * 71).segments == 2
    assert count_segments("ж" * 134).segments == 2
    assert count_segments("ж" * 135).segments == 3


def test_one_yo_switches_latin_text_to_ucs2_and_is_reported() -> None:
    latin = count_segments("a" * 100)
    mixed = count_segments("a" * 99 + "ё")
    assert latin.encoding is Encoding.GSM7 and latin.segments == 1
    assert mixed.encoding is Encoding.UCS2 and mixed.segments == 2
    assert mixed.ucs2_chars == ("ё",)


def test_extension_characters_count_two() -> None:
    assert count_segments("{" * 80).units == 160
    assert count_segments("{" * 80).segments == 1
    assert count_segments("€" * 81).segments == 2


def test_escape_pair_is_not_split_across_parts() -> None:
    # 152 plain characters leave one septet in the first part: the '{' moves to the next.
    result = count_segments("a" * 152 + "{" + "a" * 152)
    assert result.units == 306
    assert result.segments == 3


def test_emoji_take_two_ucs2_units() -> None:
    assert count_segments("😀" * 35).units == 70
    assert count_segments("😀" * 35).segments == 1
    assert count_segments("😀" * 36).segments == 2


def test_ucs2_chars_listed_once_in_order() -> None:
    assert count_segments("Привет, мир").ucs2_chars == ("П", "р", "и", "в", "е", "т", "м")


@given(gsm_basic_text)
def test_plain_gsm_text_counts_one_unit_per_character(text: str) -> None:
    result = count_segments(text)
    assert result.encoding is Encoding.GSM7
    assert result.units == len(text)
    expected = 0 if not text else 1 if len(text) <= 160 else -(-len(text) // 153)
    assert result.segments == expected


@given(gsm_text)
def test_gsm_parts_hold_their_units(text: str) -> None:
    result = count_segments(text)
    assert result.units == len(text) + sum(c in GSM7_EXTENSION for c in text)
    assert result.units <= result.segments * result.per_segment
    if result.segments > 1:
        assert result.units > 160


@given(st.text(min_size=1, max_size=600))
def test_any_text_gets_enough_parts(text: str) -> None:
    result = count_segments(text)
    assert result.segments >= 1
    assert result.units <= result.segments * result.per_segment
    assert (result.encoding is Encoding.UCS2) == bool(result.ucs2_chars)
    for char in result.ucs2_chars:
        assert char not in GSM7_BASIC and char not in GSM7_EXTENSION


@given(st.text(max_size=300), st.text(max_size=300))
def test_more_text_never_takes_fewer_parts(head: str, tail: str) -> None:
    assert count_segments(head + tail).segments >= count_segments(head).segments
