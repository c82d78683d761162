"""threadlib.dates: date expressions in sentences, resolved against the article's date."""

import pytest

from threadlib.dates import find_dates, resolve_date

CASES = [
    # expression, published, expected
    ("Since Oct. 17", "2024-01-19", "2023-10-17"),
    ("since mid-October", "2024-01-22", "2023-10"),
    ("last October", "2024-01-25", "2023-10"),
    ("this year", "2024-01-19", "2024"),
    ("this year", "2021-11-19", "2021"),
    ("last year", "2024-01-19", "2023"),
    ("next year", "2024-01-19", "2025"),
    ("in 2007", "2024-01-19", "2007"),
    ("on Jan. 30", "2024-02-12", "2024-01-30"),
    ("Five days later, on Feb. 2", "2024-02-12", "2024-02-02"),
    ("at the beginning of January", "2024-01-25", "2024-01"),
    ("by the end of the year", "2021-07-24", "2021-12-31"),
    ("by the end of 2021", "2021-07-26", "2021-12-31"),
    ("the December 31 deadline", "2021-11-19", "2021-12-31"),
    ("by May 1", "2024-02-12", "2024-05-01"),
    ("on Friday", "2024-01-06", "2024-01-05"),           # a Saturday article
    ("said Monday", "2021-07-26", "2021-07-26"),         # a Monday article: that day
    ("last Monday", "2021-07-26", "2021-07-19"),
    ("next Monday", "2021-07-24", "2021-07-26"),
    ("in an interview Tuesday", "2024-01-19", "2024-01-16"),
    ("a Wednesday statement", "2024-01-25", "2024-01-24"),
    ("last week", "2021-07-26", "2021-07"),             # 19-25 July
    ("last week", "2024-02-05", "2024"),                # 29 Jan - 4 Feb spans two months
    ("this week", "2024-01-25", "2024-01"),
    ("last month", "2021-11-19", "2021-10"),
    ("last month", "2024-01-19", "2023-12"),
    ("this month", "2024-01-19", "2024-01"),
    ("yesterday", "2024-01-19", "2024-01-18"),
    ("three days ago", "2024-01-19", "2024-01-16"),
    ("two years ago", "2021-07-24", "2019"),
    ("in January 2020", "2024-01-19", "2020-01"),
    ("in June 2014", "2021-07-26", "2014-06"),
    ("in March 2019", "2021-07-26", "2019-03"),
    ("July 8, 2021", None, "2021-07-08"),
    ("on 12/31/2021", "2021-11-19", "2021-12-31"),
    ("8 July 2021", None, "2021-07-08"),
    ("2021-07-08", None, "2021-07-08"),
    ("in August", "2024-01-19", "2023-08"),
    ("in October", "2021-07-26", "2020-10"),            # plain month: the last one before the article
    ("next March", "2021-07-26", "2022-03"),
    ("over the summer", "2021-11-19", "2021"),
    ("last summer", "2021-11-19", "2020"),
    ("the fall of 2022", None, "2022"),
    ("since 2020", None, "2020"),
    ("early 2020", None, "2020"),
    ("the year's end", "2021-11-19", "2021-12-31"),
]


@pytest.mark.parametrize("expression, published, expected", CASES, ids=[f"{c[0]}@{c[1]}" for c in CASES])
def test_resolve_date(expression, published, expected):
    assert resolve_date(expression, published) == expected


@pytest.mark.parametrize("expression", [
    "Oct. 17", "last year", "on Friday", "this week", "yesterday", "in August", "by the end of the year",
])
def test_without_an_article_date_a_relative_date_is_not_resolved(expression):
    """A missing part is never filled with today's date."""
    assert resolve_date(expression, None) is None


@pytest.mark.parametrize("text", [
    "U.S. troops may leave by then",      # 'may' the verb
    "May be the last chance",
    "2,500 troops were sent",             # a count, not a year
    "struck three sites",
    "the 2,500 American forces",
    "to",
    "of 629",
])
def test_no_false_dates(text):
    assert find_dates(text, "2024-01-19") == []


def test_that_year_needs_its_context():
    assert resolve_date("returned later that year", "2024-01-19") is None
    assert resolve_date("returned later that year", "2024-01-19", context_year="2014") == "2014"


def test_spans_and_prepositions():
    text = "Since Oct. 17, U.S. and coalition forces have been attacked at least 55 times in Iraq."
    (mention,) = find_dates(text, "2024-01-19")
    assert (mention.text, mention.preposition, text[mention.start:mention.end]) == ("Oct. 17", "since", "Oct. 17")


def test_a_date_with_its_year_is_one_mention():
    mentions = find_dates("On Jan. 30, 2024, the group said", "2024-02-12")
    assert [(m.text, m.value) for m in mentions] == [("Jan. 30, 2024", "2024-01-30")]
