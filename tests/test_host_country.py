"""The country a thread is about (the host): from its title, never the foreign force when another is named."""

import pytest
from helpers import thread_of

from threadlib.actors import host_country


@pytest.mark.parametrize("title, host", [
    ("IRAQ", "Iraq"),
    ("ISIS war: US back in Iraq (and Syria)", "Iraq"),          # the United States is the foreign force
    ("US troops abroad 2020 - Afghanistan, Germany, Africa", "Afghanistan"),
    ("Iraq: US troops, Iran and the militias", "Iraq"),
    ("Saudi Arabia and the Houthis", "Saudi Arabia"),              # a name of two words
])
def test_host_country_from_the_title(title, host):
    assert host_country(thread_of("Officials said nothing.", title=title)) == host


def test_a_title_naming_only_the_united_states_falls_back_to_the_posts():
    thread = thread_of("U.S. troops in Syria were attacked near Hasaka, in northeastern Syria.", title="US TROOPS")
    assert host_country(thread) == "Syria"
