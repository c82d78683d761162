"""Date lines of articles and forum post times."""

import pytest

from threadlib.dates import parse_date_line, parse_post_time


@pytest.mark.parametrize("line, expected", [
    ("8 JULY 2021", "2021-07-08"),
    ("July 8, 2021", "2021-07-08"),
    ("8 Jul 2021", "2021-07-08"),
    ("2021-07-08", "2021-07-08"),
    ("Jul. 8, 2021", "2021-07-08"),
    ("Sept 30, 2022", "2022-09-30"),
    ("8th July 2021", "2021-07-08"),
    ("Thursday, July 8, 2021", "2021-07-08"),
    ("July 8, 2021 4:05 PM ET", "2021-07-08"),
    ("Published: July 8, 2021", "2021-07-08"),
    ("31 FEBRUARY 2021", None),              # no such day
    ("July 2021", None),                     # a month alone is not a date line
    ("On July 8, 2021 the troops left.", None),
    ("2,500 troops", None),
    ("", None),
], ids=lambda v: repr(v))
def test_parse_date_line(line, expected):
    assert parse_date_line(line) == expected


@pytest.mark.parametrize("text, expected", [
    ("Tue Mar 13, 2018 4:05 pm", "2018-03-13T16:05:00"),
    ("Tue Mar 13, 2018 12:05 am", "2018-03-13T00:05:00"),
    ("↑Tue Mar 13, 2018 4:05 pm", "2018-03-13T16:05:00"),
    ("13 Mar 2018, 16:05", "2018-03-13T16:05:00"),
    ("2018-03-13 16:05:30", "2018-03-13T16:05:30"),
    ("Tue Mar 13, 2018 13:05 pm", None),     # not a 12-hour time
    ("Tue Mar 13, 2018 4:05 pm and more", None),
    ("recently", None),
], ids=lambda v: repr(v))
def test_parse_post_time(text, expected):
    assert parse_post_time(text) == expected
