"""Troop counts and attack claims on conflicts other than the sample's: whose forces, who attacked
whom, where, when, and the counts that only the context completes. One behaviour per table; the
sentences are from the development threads (Iraq and Syria 2014-16, Iraq 2019, Afghanistan and
Africa 2020), the sample, and news on other conflicts."""

import pytest
from helpers import thread_of, thread_of_posts

import threadlib
from threadlib.actors import host_country
from threadlib.output import frame_records


def _troops(body, **kwargs):
    return list(frame_records(threadlib.troops(thread_of(body, **kwargs))))


def _attacks(body, **kwargs):
    return list(frame_records(threadlib.attacks(thread_of(body, **kwargs))))


FOREIGN_FORCES = [
    # (body, thread title, expected [(value, actor, location)]): any state's forces abroad (spec v1.2)
    ("About 600 Russian troops are in Syria, at the Hmeimim air base.", "SYRIA", [(600, "other", "Syria")]),
    ("France still has about 5,100 French troops in Mali and the wider Sahel.", "MALI",
     [(5100, "coalition", "Mali")]),
    ("Turkey has deployed about 3,000 troops to northern Iraq.", "IRAQ", [(3000, "other", "Iraq")]),
    ("Moscow sent 2,000 soldiers to Syria in 2015.", "SYRIA", [(2000, "other", "Syria")]),
    ("More than 600 Russian troops are in place at the Latakia air base in Syria.", "US TROOPS IN SYRIA",
     [(600, "other", "Syria")]),
]


@pytest.mark.parametrize("body, title, expected", FOREIGN_FORCES)
def test_a_foreign_force_of_any_state_has_its_class_and_the_country_it_is_in(body, title, expected):
    assert [(r["value"], r["actor"], r["location"]) for r in _troops(body, title=title)] == expected


TITLE_NAMES_THE_FORCE = [
    # (thread title, host): the host is where the forces are, never the foreign force itself
    ("US TROOPS IN SYRIA", "Syria"),
    ("TURKEY IN IRAQ", "Iraq"),
    ("Turkey's incursion into Syria", "Syria"),
    ("RUSSIAN FORCES LEAVE SYRIA", "Syria"),
    ("FRENCH TROOPS IN MALI", "Mali"),
    ("Re: IRAQ", "Iraq"),
]


@pytest.mark.parametrize("title, host", TITLE_NAMES_THE_FORCE)
def test_the_host_is_the_country_the_title_places_forces_in(title, host):
    assert host_country(thread_of("It rained.", title=title)) == host


def test_us_troops_in_a_thread_titled_for_them_are_not_the_host():
    rows = _troops("There are about 900 U.S. troops in Syria.", title="US TROOPS IN SYRIA")
    assert [(r["actor"], r["location"]) for r in rows] == [("US", "Syria")]


OWNERS = [
    # (body, expected actors): from the noun phrase, else the parse, else the words around
    ("The Taliban's 60,000 fighters control half the country.", ["insurgent"]),
    ("About 13,000 U.S. and NATO troops remain.", ["US"]),  # the first named
    ("About 25,000 NATO — including thousands of American — soldiers stayed.", ["coalition", "US"]),
    ("Obama sent 50 special operators to Syria as trainers.", ["US"]),                 # subject of "send"
    ("Before the US sent over its 50 special operators last fall, it tried training rebels.", ["US"]),  # "its"
    ("Pakistan has deployed about 8,000 soldiers along the border.", ["other"]),
    ("Iran-backed militias with 10,000 fighters hold the border.", ["militia"]),
]


@pytest.mark.parametrize("body, actors", OWNERS)
def test_whose_personnel(body, actors):
    assert [r["actor"] for r in _troops(body, title="AFGHANISTAN")][:len(actors)] == actors


def test_the_parse_is_asked_only_where_the_words_name_no_owner():
    word_only = _troops("Turkey has deployed about 3,000 troops to northern Iraq.", title="IRAQ")
    parsed = list(frame_records(threadlib.troops(
        thread_of("Turkey has deployed about 3,000 troops to northern Iraq.", title="IRAQ"), parse=False)))
    assert word_only[0]["actor"] == "other" and parsed[0]["actor"] == "other"  # "Turkey" before, in the clause
    rows = list(frame_records(threadlib.troops(thread_of(
        "Before the US sent over its 50 special operators last fall, Syria was quiet.", title="SYRIA"), parse=False)))
    assert rows[0]["actor"] == "US"  # without the parse, the clause's cue still names the owner


COUNTS = [
    # (body, expected [(text, value, qualifier)]): counts the context completes
    ("In the next week, roughly 500 more US troops will be deployed to Iraq. Most will go to Baghdad. "
     "Another 150 will assess the skills of Iraqi soldiers, and the final 125 will help run the drones.",
     [("roughly 500 more US troops", 500, "approx"), ("Another 150", 150, "exact"), ("the final 125", 125, "exact")]),
    ("President Bush ordered the departure of 30,000 troops from Germany in 2004, while President Obama "
     "ordered the withdrawal of thousands more.",
     [("30,000 troops", 30000, "exact"), ("thousands more", None, "vague")]),
    ("This increase in Syria from 50 to 300 Special Operations Forces is seen as low-risk.",
     [("from 50", 50, "exact"), ("300 Special Operations Forces", 300, "exact")]),  # a change: two counts
    ("Roughly 500 more US troops will be deployed to Iraq, bringing the total number added this summer "
     "to more than 1,500.", [("Roughly 500 more US troops", 500, "approx"),
                             ("the total number added this summer to more than 1,500", 1500, "more_than")]),
    ("The Pentagon will reduce U.S. troops in Afghanistan to 4,500 by November.", [("4,500", 4500, "exact")]),
    ("The more than 25,000 NATO — including thousands of American — soldiers in Afghanistan stayed.",
     [("more than 25,000 NATO — including thousands of American — soldiers", 25000, "more_than"),
      ("thousands of American — soldiers", None, "vague")]),
    ("The result: “four or five” fighters on the battlefield, Gen. Lloyd Austin said.",
     [("four or five” fighters", 4, "range")]),
    ("A few hundred soldiers and 5,000-plus militiamen guard the dam.",
     [("A few hundred soldiers", None, "vague"), ("5,000-plus militiamen", 5000, "at_least")]),
    ("Turkey sent 2,000 more troops to Syria in May. The 3,000 sent there since March have not left.",
     [("2,000 more troops", 2000, "exact"), ("The 3,000", 3000, "exact")]),
    ("U.S. forces in Afghanistan number about 13,000.", [("about 13,000", 13000, "approx")]),
    ("Troop numbers fell to 2,500 after the drawdown, and the budget grew to $5 billion.",
     [("Troop numbers fell to 2,500", 2500, "exact")]),
    ("He added that the number of troops \"could grow\" beyond 200.",
     [("the number of troops \"could grow\" beyond 200", 200, "more_than")]),
]


@pytest.mark.parametrize("body, expected", COUNTS)
def test_counts_that_the_context_completes(body, expected):
    assert [(r["text"], r["value"], r["qualifier"]) for r in _troops(body, title="IRAQ")] == expected


NOT_TROOPS = [
    "The White House has been led by six national security advisers over his tenure.",  # officials
    "The government cut taxes to 20 percent.",
    "They will bring the troops home to 4 bases.",
    "Another 150 miles of road were paved.",  # no personnel counted before
    "The number of attacks rose to 50.",
    "The troop level was 2,500 miles away.",
    "They cut U.S. troops to 2,500 Americans.",
    "Troops were sent in May. The 50 used in the test were broken.",
]


@pytest.mark.parametrize("body", NOT_TROOPS)
def test_no_troop_count(body):
    assert _troops(body) == []


LOCATIONS = [
    # (body, expected locations): the words next to the count first; a region is no country
    ("The IRGC may retaliate against the roughly 5,000 US troops in Iraq and around 2,000 in Syria.",
     ["Iraq", "Syria"]),
    ("A leaked proposal for a 120,000-troop deployment in the region and the withdrawal of diplomats from "
     "Iraq alarmed Baghdad.", [None]),
    ("There are about 700 American troops in the region, operating mostly from a base in Hasaka.", ["Syria"]),
    ("Congress blocked the plan to withdraw troops from Afghanistan and the plan to remove 10,000 troops "
     "stationed in Germany.", ["Germany"]),
]


@pytest.mark.parametrize("body, expected", LOCATIONS)
def test_where_the_personnel_are(body, expected):
    assert [r["location"] for r in _troops(body, title="IRAQ")] == expected


AS_OF = [
    # (body, published, expected as_of)
    ("The move was smaller than leaked reports this week that up to 10,000 new U.S. troops could be deployed.",
     "2019-05-24", ["2019-05-24"]),  # a plan with no date of its own: published
    ("Roughly 500 more US troops will be deployed to Iraq in the next week.", "2014-09-11", ["2014-09"]),
    ("The U.S. will cut its force to 2,500 troops by Jan. 15.", "2020-11-17", ["2021-01-15"]),
    ("During the Cold War, there were about 270,000 U.S. soldiers in Germany.", "2020-07-13", [None]),
    ("Troop levels will stay at 2,500 until May.", "2023-10-20", ["2024-05"]),  # "until May" in October: next May
    ("Last fall, Mr. Obama sent 50 special operators to Syria. The 50 special operators, who have worked on "
     "their message, are still there.", "2016-04-25", ["2015", "2016-04-25"]),
]


@pytest.mark.parametrize("body, published, expected", AS_OF)
def test_when_the_count_holds(body, published, expected):
    assert [r["as_of"] for r in _troops(body, title="SYRIA", published=published)] == expected


def test_a_comment_is_dated_by_its_post_time_only_when_asked():
    text = ("IRAQ\n\nreader\nMember\nPosts: 10\nJoined: Mon Jan 04, 2016 9:12 am\n\nRe: IRAQ\n\n"
            "Post by reader » Thu Sep 18, 2014 12:09 pm\n\nNow there are more than 1,500 US troops in Iraq.\n")
    thread = threadlib.load_thread(text)
    assert [r["as_of"] for r in frame_records(threadlib.troops(thread))] == [None]  # spec: no published
    assert [r["as_of"] for r in frame_records(threadlib.troops(thread, post_time=True))] == ["2014-09-18"]


ATTACK_COUNTS = [
    # (body, expected [(text, count, unit)]): rounds, streaks, passive counts and nouns with modifiers
    ("That was followed by a second round of airstrikes, carried out by four U.S. fighter jets.",
     [("second round of airstrikes", 2, "strikes")]),
    ("The mission comes after several days of airstrikes on the IS militants.",
     [("several days of airstrikes", None, "days")]),
    ("The visit came amid a two-day whirlwind of strikes that were claimed by Israel.",
     [("two-day whirlwind of strikes", 2, "days")]),
    ("Three bases hosting U.S. forces in Iraq have been attacked in the past week.",
     [("Three bases hosting U.S. forces in Iraq have been attacked", 3, "attacks")]),
    ("It was the third attack this month on the base.", [("third attack", 3, "attacks")]),
    ("The U.S. carried out “495 precision airstrikes” in the city.", [("495 precision airstrikes", 495, "strikes")]),
    ("Russia conducted its first airstrikes in Syria.", []),                    # "first" counts nothing
    ("The jets targeted eight ISIS positions in one raid.", []),                # one raid, eight targets
]


@pytest.mark.parametrize("body, expected", ATTACK_COUNTS)
def test_attack_counts(body, expected):
    assert [(r["text"], r["count"], r["unit"]) for r in _attacks(body, title="IRAQ")] == expected


ATTACK_PARTIES = [
    # (body, title, expected (attacker, target, location))
    ("Despite more than 200 Israeli airstrikes against Iranian targets in Syria in recent years, a balance held.",
     "IRAQ", ("other", "other", "Syria")),
    ("Kerry said the U.S.-led coalition had conducted 3,000 airstrikes against ISIS.", "IRAQ",
     ("US", "insurgent", None)),
    ("Kerry said the coalition had conducted 3,000 airstrikes against ISIS in Syria.", "IRAQ",
     ("coalition", "insurgent", "Syria")),
    ("\"Tehran is behind nearly 100 attacks on Saudi Arabia,\" Pompeo said.", "IRAQ", ("other", "other", "Saudi Arabia")),
    ("AFRICOM has hit Somalia over 220 times since '07.", "SOMALIA", ("US", None, "Somalia")),  # where, not whom
    ("The strikes came amid a two-day wave of strikes that were claimed by Israel and aimed at Iranian "
     "forces in Syria.", "IRAQ", ("other", "other", "Syria")),
    ("Turkish jets have carried out more than 50 airstrikes on Kurdish militants in northern Iraq this year.",
     "IRAQ", ("other", "insurgent", "Iraq")),
]


@pytest.mark.parametrize("body, title, expected", ATTACK_PARTIES)
def test_who_attacked_whom_and_where(body, title, expected):
    rows = _attacks(body, title=title)
    assert (rows[-1]["attacker"], rows[-1]["target"], rows[-1]["location"]) == expected


WINDOWS = [
    # (body, published, expected (window_start, window_end))
    ("The United States has conducted no fewer than 776 airstrikes in Libya from 2011 to the present.",
     "2020-05-22", ("2011", "2020-05-22")),
    ("Between August and December 2016, the U.S. carried out 495 precision airstrikes in the city.",
     "2020-05-22", ("2016-08", "2016-12")),
    ("AFRICOM has hit Somalia over 220 times since '07.", "2020-05-22", ("2007", "2020-05-22")),
    ("Since U.S. Africa Command became fully operational in 2008, American troops have conducted more than "
     "1,500 air attacks.", "2020-05-22", ("2008", "2020-05-22")),
    ("Three bases hosting U.S. forces in Iraq have been attacked in the past week.", "2019-06-22",
     ("2019-06", "2019-06-22")),  # a week inside one month: the month
    ("Besides four strikes in Iraq this summer, Israel struck Beirut.", "2019-08-30", ("2019", "2019-08-30")),
]


@pytest.mark.parametrize("body, published, expected", WINDOWS)
def test_counted_windows(body, published, expected):
    row = _attacks(body, title="IRAQ", published=published)[0]
    assert (row["window_start"], row["window_end"]) == expected


def test_parties_without_the_parse_fall_back_to_the_words_around():
    thread = thread_of_posts([("2015-09-30", "Kerry said the coalition had conducted 3,000 airstrikes against ISIS.")],
                             title="IRAQ")
    rows = list(frame_records(threadlib.attacks(thread, parse=False)))
    assert (rows[0]["attacker"], rows[0]["target"]) == ("coalition", "insurgent")
