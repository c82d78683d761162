"""threadlib.numbers: values, qualifiers, ranges, and the numbers that are not counts."""

import pytest

from threadlib.numbers import find_numbers, word_value


def counts(text):
    """(text, value, low, high, qualifier) of each count in ``text``."""
    return [(m.text, m.value, m.low, m.high, m.qualifier) for m in find_numbers(text) if m.kind == "count"]


CASES = [
    # digits, separators, suffixes, scales
    ("2,500 troops", [("2,500", 2500, None, None, "exact")]),
    ("170,000 troops", [("170,000", 170000, None, None, "exact")]),
    ("a 2,500-strong force", [("2,500-strong", 2500, None, None, "exact")]),
    ("a 200-man unit", [("200-man", 200, None, None, "exact")]),
    ("1.5 million soldiers", [("1.5 million", 1500000, None, None, "exact")]),
    ("900 US troops", [("900", 900, None, None, "exact")]),
    ("40 soldiers", [("40", 40, None, None, "exact")]),
    # number words
    ("two battalions", [("two", 2, None, None, "exact")]),
    ("twelve advisers", [("twelve", 12, None, None, "exact")]),
    ("forty-five Marines", [("forty-five", 45, None, None, "exact")]),
    ("two thousand five hundred troops", [("two thousand five hundred", 2500, None, None, "exact")]),
    ("a hundred soldiers", [("a hundred", 100, None, None, "exact")]),
    ("a dozen trainers", [("a dozen", 12, None, None, "exact")]),
    ("two dozen countries", [("two dozen", 24, None, None, "exact")]),
    ("half a dozen raids", [("half a dozen", 6, None, None, "exact")]),
    ("a couple of advisers", [("a couple of", 2, None, None, "exact")]),
    ("Ten days later", [("Ten", 10, None, None, "exact")]),
    # vague amounts
    ("hundreds of fighters", [("hundreds", None, None, None, "vague")]),
    ("thousands of troops", [("thousands", None, None, None, "vague")]),
    ("tens of thousands of soldiers", [("tens of thousands", None, None, None, "vague")]),
    ("several thousand troops", [("several thousand", None, None, None, "vague")]),
    ("dozens of militiamen", [("dozens", None, None, None, "vague")]),
    ("a several-thousand-strong presence", [("several-thousand-strong", None, None, None, "vague")]),
    ("Thousands of American advisers", [("Thousands", None, None, None, "vague")]),
    # qualifiers
    ("about 900 troops", [("about 900", 900, None, None, "approx")]),
    ("around 2,500 troops", [("around 2,500", 2500, None, None, "approx")]),
    ("roughly 2,500 U.S. troops", [("roughly 2,500", 2500, None, None, "approx")]),
    ("some 2,500 American troops", [("some 2,500", 2500, None, None, "approx")]),
    ("approximately 900 troops", [("approximately 900", 900, None, None, "approx")]),
    ("an estimated 3,500 detainees", [("an estimated 3,500", 3500, None, None, "approx")]),
    ("nearly 1,000 soldiers", [("nearly 1,000", 1000, None, None, "approx")]),
    ("almost 300 advisers", [("almost 300", 300, None, None, "approx")]),
    ("close to 5,000 fighters", [("close to 5,000", 5000, None, None, "approx")]),
    ("at least 55 soldiers", [("at least 55", 55, None, None, "at_least")]),
    ("no fewer than 40 troops", [("no fewer than 40", 40, None, None, "at_least")]),
    ("more than 140 incidents", [("more than 140", 140, None, None, "more_than")]),
    ("over 3,000 troops", [("over 3,000", 3000, None, None, "more_than")]),
    ("upwards of 10,000 fighters", [("upwards of 10,000", 10000, None, None, "more_than")]),
    ("up to 4,000 troops", [("up to 4,000", 4000, None, None, "at_most")]),
    ("no more than 500 troops", [("no more than 500", 500, None, None, "at_most")]),
    ("at most 20 trainers", [("at most 20", 20, None, None, "at_most")]),
    ("as many as 700 minors", [("as many as 700", 700, None, None, "at_most")]),
    ("fewer than 1,000 troops", [("fewer than 1,000", 1000, None, None, "fewer_than")]),
    ("less than 200 soldiers", [("less than 200", 200, None, None, "fewer_than")]),
    ("under 500 troops", [("under 500", 500, None, None, "fewer_than")]),
    ("about 700 troops and another 200", [("about 700", 700, None, None, "approx"),
                                          ("200", 200, None, None, "exact")]),
    # ranges
    ("between 2,000 and 3,000 troops", [("between 2,000 and 3,000", 2000, 2000, 3000, "range")]),
    ("2,000 to 3,000 troops", [("2,000 to 3,000", 2000, 2000, 3000, "range")]),
    ("2,000-3,000 troops", [("2,000-3,000", 2000, 2000, 3000, "range")]),
    ("1,000 to 1,500 soldiers", [("1,000 to 1,500", 1000, 1000, 1500, "range")]),
    ("two or three brigades", [("two or three", 2, 2, 3, "range")]),
    # never counts: years, dates, money, percentages, clock times, ages, measures, identifiers
    ("in 2007", []),
    ("2,500 in 2021", [("2,500", 2500, None, None, "exact")]),
    ("Since Oct. 17, forces", []),
    ("on January 20 at 6:30 p.m.", []),
    ("17 October 2023", []),
    ("More than $300 million was appropriated", []),
    ("300 million dollars", []),
    ("40% of troops", []),
    ("12 percent of soldiers", []),
    ("a 60-year-old father", []),
    ("a six-month truce", []),
    ("a 20-year presence", []),
    ("the drone strike on Tower 22 in Jordan", []),
    ("call 555-1234 now", []),
    ("on 12/31/2021 after 12:00 a.m.", []),
    ("the 2023 fiscal year", []),
    ("idUSKCN1GR2X1", []),
    ("the fourth day", []),
    ("no one knows", []),
    ("one of the groups", []),
    ("in the 1990s", []),
    ("a 99999999999999 troop army", []),
]


@pytest.mark.parametrize("text, expected", CASES, ids=[case[0] for case in CASES])
def test_counts(text, expected):
    assert counts(text) == expected


@pytest.mark.parametrize("text, kind, value", [
    ("attacked twice", "times", 2),
    ("struck once", "times", 1),
    ("at least 55 times", "times", 55),
    ("three times", "times", 3),
    ("the fourth day of attacks", "ordinal", 4),
    ("the 21st attack", "ordinal", 21),
])
def test_multiplicatives_and_ordinals_have_their_own_kind(text, kind, value):
    (mention,) = [m for m in find_numbers(text) if m.kind != "count"]
    assert (mention.kind, mention.value) == (kind, value)


def test_qualifier_of_a_times_count():
    (mention,) = find_numbers("attacked at least 55 times in Iraq")
    assert (mention.text, mention.qualifier, mention.kind) == ("at least 55", "at_least", "times")


def test_weak_vague_words_are_marked():
    (mention,) = find_numbers("several US personnel")
    assert mention.qualifier == "vague" and mention.weak


def test_strong_suffix_is_marked():
    (mention,) = find_numbers("the approximately 2,500-strong American force")
    assert mention.strong and mention.text == "approximately 2,500-strong" and mention.qualifier == "approx"


def test_offsets_point_at_the_text():
    text = "There are currently about 700 American troops in the region."
    (mention,) = find_numbers(text)
    assert text[mention.start:mention.end] == mention.text == "about 700"
    assert text[mention.number_start:mention.end] == "700"


@pytest.mark.parametrize("words, value", [("forty-five", 45), ("one hundred and fifty", 150),
                                          ("a thousand", 1000), ("two dozen", 24), ("seventeen", 17)])
def test_word_value(words, value):
    assert word_value(words) == value
