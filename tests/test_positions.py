"""Stated positions and shifts, as example tables of real sentences: one table per behaviour.

Each row is a sentence (from the sample thread, the development threads or other conflicts), the
thread's title (the host country), and the (actor, stance) records expected. Known misses are
``xfail(strict=True)``, so that a fix shows at once. The sample's exact counts are in
``test_sample_snapshot.py``; here the sample is held to the issue's bar only.
"""

import pandas as pd
import pytest
from conftest import SAMPLE
from helpers import POST, thread_of, thread_of_posts

import threadlib
from threadlib.output import frame_records
from threadlib.score import score


def _positions(body, title="IRAQ", **kwargs):
    frame = threadlib.positions(thread_of(body, title=title, **kwargs))
    return [(r["actor"], r["stance"]) for r in frame_records(frame)]


def _table(rows):
    """Parametrize rows; a row with a fourth item is a known miss (xfail, strict)."""
    return [pytest.param(*row[:3], id=row[0][:50],
                         marks=[pytest.mark.xfail(strict=True, reason=row[3])] if len(row) > 3 else [])
            for row in rows]


# The holder is the subject of the statement verb that governs the frame, however deep.
STATEMENT_VERB_SUBJECT = [
    ("Obama said there will be no buildup of U.S. combat troops in Iraq.", "IRAQ",
     [("Barack Obama", "transition")]),
    ("President Obama has authorized the Pentagon to send up to 450 additional troops to Iraq.", "IRAQ",
     [("Barack Obama", "stay")]),
    ("Taliban spokesman Suhail Shaheen said all foreign forces must leave Afghanistan.", "AFGHANISTAN",
     [("Suhail Shaheen", "withdraw")]),
    ("President Volodymyr Zelensky vowed to expel Russian forces from Ukraine.", "UKRAINE",
     [("Volodymyr Zelensky", "withdraw")]),
    ("Iraq's Parliament demanded the government expel U.S. forces.", "IRAQ", [("Iraqi parliament", "withdraw")]),
    ("Well, Trump started doing favors for the Kremlin, including vowing to remove U.S. troops from Germany.",
     "GERMANY", [("Donald Trump", "withdraw")]),
    ("The strike prompted the Iraqi parliament to pass a resolution demanding that foreign troops leave.", "IRAQ",
     [("Iraqi parliament", "withdraw")]),
    ("President Trump revealed that U.S. troops will remain in Iraq to watch Iran.", "IRAQ",
     [("Donald Trump", "stay")]),
    ("Sheikh Nasrallah said Hezbollah will confront and shoot down Israeli drones that fly over Lebanon.", "LEBANON",
     [("Nasrallah", "threaten")]),
]


@pytest.mark.parametrize("body, title, expected", _table(STATEMENT_VERB_SUBJECT))
def test_the_subject_of_the_statement_verb_holds_the_stance(body, title, expected):
    assert _positions(body, title) == expected


# Negation and opposition on the way to the statement turn the stance (spec v1.2: ruling out ground or
# combat troops is transition; opposing an increase is withdraw; opposing a withdrawal is stay).
NEGATION = [
    ("Later, White House press secretary Jay Carney clarified that the U.S. is not contemplating sending ground "
     "troops to Iraq.", "IRAQ", [("Jay Carney", "transition")]),
    ("\"This is not a combat boots on the ground kind of operation,\" Hagel said.", "IRAQ", [("Hagel", "transition")]),
    ("The U.S. is not returning combat troops to Iraq, President Barack Obama insisted again Wednesday.", "IRAQ",
     [("Barack Obama", "transition")]),
    ("Senator Jane Roe said she opposes sending more troops to Syria.", "SYRIA", [("Jane Roe", "withdraw")]),
    ("President Ashraf Ghani said the United States should not withdraw its troops from Afghanistan.",
     "AFGHANISTAN", [("Ashraf Ghani", "stay")]),
    ("Afghan Foreign Minister Mohammad Haneef Atmar said the government is not calling for a withdrawal of "
     "U.S. forces.", "AFGHANISTAN", []),  # a negated statement states nothing
    ("Iraq Prime Minister Haider al-Abadi told The Associated Press that foreign troops are \"out of the question.\"",
     "IRAQ", [("Haider al-Abadi", "transition")], "an idiom with no frame"),
]


@pytest.mark.parametrize("body, title, expected", _table(NEGATION))
def test_negation_and_opposition_turn_the_stance(body, title, expected):
    assert _positions(body, title) == expected


# A demand limited to combat or ground troops is transition; so is ending a combat mission.
COMBAT_ONLY = [
    ("Defense Secretary Lloyd Austin said the United States would end its combat mission in Afghanistan.",
     "AFGHANISTAN", [("Lloyd Austin", "transition")]),
    ("President Biden said that the U.S. combat mission in Iraq would conclude by the end of 2021.", "IRAQ",
     [("Joe Biden", "transition")]),
    ("Malian junta leader Assimi Goita demanded the withdrawal of French combat troops from Mali.", "MALI",
     [("Assimi Goita", "transition")]),
    ("Malian junta leader Assimi Goita demanded the withdrawal of French troops from Mali.", "MALI",
     [("Assimi Goita", "withdraw")]),
]


@pytest.mark.parametrize("body, title, expected", _table(COMBAT_ONLY))
def test_a_demand_limited_to_combat_troops_is_transition(body, title, expected):
    assert _positions(body, title) == expected


# A statement named by a noun: "a request from X", "X's announcement", "issued a warning".
STATEMENT_NOUNS = [
    ("The New York Times reports that the White House rejected a request from Maliki last month to carry out "
     "airstrikes against the advancing militants.", "IRAQ", [("Nouri al-Maliki", "stay")]),
    ("Lavrov said Russia conducted airstrikes after a request from al-Assad.", "SYRIA", [("al-Assad", "stay")]),
    ("U.S.-led coalition missions were continuing as normal despite an advance warning and request from Russia "
     "to stay out of Syrian airspace.", "SYRIA", [("Russia", "withdraw")],
     "the small parser attaches 'to stay out' to the main verb, not to the request"),
    ("President Obama’s announcement Monday that 250 Special Operations Forces will be headed to Syria suggests "
     "that a start-small approach might work.", "SYRIA", [("Barack Obama", "stay")]),
    ("The extra forces had been requested by U.S. Central Command chief Marine Corps Gen. Kenneth McKenzie.",
     "IRAQ", [("Kenneth McKenzie", "stay")]),
]


@pytest.mark.parametrize("body, title, expected", _table(STATEMENT_NOUNS))
def test_statements_named_by_nouns_and_passives(body, title, expected):
    assert _positions(body, title) == expected


# The speaker of a quote holds what the quote says, also when the quote goes on in the next sentence.
QUOTES = [
    ("“We need troops to help us in the air,” Afghan Defense Minister Bismillah Khan Mohammadi said.",
     "AFGHANISTAN", [("Bismillah Khan Mohammadi", "stay")]),
    ("Iraqi Prime Minister Haider Al-Abadi reacted to Carter's announcement with a statement saying in part, "
     "\"there is no need for foreign ground combat troops\" in Iraq.", "IRAQ", [("Haider Al-Abadi", "transition")]),
    ("“It’s imperative that the U.S. maintain at least a minimum security presence in Iraq,” said David Witty, "
     "a retired colonel.", "IRAQ", [("David Witty", "stay")]),
    ("Carter spoke on Tuesday. \"The raids will be done with the Iraqi government. This force will also be in a "
     "position to conduct unilateral operations into Syria.\"", "SYRIA", [("Carter", "stay")],
     "a deployment told as a capability, with no frame"),
]


@pytest.mark.parametrize("body, title, expected", _table(QUOTES))
def test_the_speaker_of_a_quote_holds_it(body, title, expected):
    assert _positions(body, title) == expected


# Not a stated position: unnamed speakers, conditions and questions, deeds told as events, aims
# that the reporter attributes, and a side's threats against itself.
NOT_STANCES = [
    ("A senior U.S. official said the troops would remain in Afghanistan.", "AFGHANISTAN", []),
    ("Analysts said the Taliban want foreign forces to leave.", "AFGHANISTAN", []),
    ("“How can we think about maintaining a presence that is useful?” asked Jane Doe, a researcher.", "SYRIA", []),
    ("The militias threatened violence if U.S. troops stayed in the country past the deadline.", "IRAQ", []),
    ("In 2011 the United States withdrew the last of its forces from Iraq.", "IRAQ", []),
    ("More U.S. troops are being sent to the region, officials said.", "IRAQ", []),
    ("Regional tensions have been escalating, with this militia's actions mirroring the Houthis' aggression.",
     "IRAQ", []),
    ("The move fits Tehran’s long-held agenda of trying to push U.S. forces out of the region.", "SYRIA", []),
]


@pytest.mark.parametrize("body, title, expected", _table(NOT_STANCES))
def test_what_is_no_stated_position(body, title, expected):
    assert _positions(body, title) == expected


# Attacks: threats, truces and resumptions by the side that attacks; condemnations by the other.
ATTACK_STANCES = [
    ("Iran already threatened their safety if the group was named a terrorist organization.", "IRAQ",
     [("Iran", "threaten")]),
    ("Kataib Hezbollah pledged on Jan. 30 to suspend its attacks on American troops.", "IRAQ",
     [("Kataib Hezbollah", "suspend")]),
    ("The Syrian Resistance Committee said it would resume attacks on U.S. bases in Syria.", "SYRIA",
     [("Syrian Resistance Committee", "resume")]),
    ("Syrian Foreign Minister Faisal Mekdad condemned the presence of U.S. troops as a violation of Syria’s "
     "sovereignty.", "SYRIA", [("Faisal Mekdad", "condemn")]),
]


@pytest.mark.parametrize("body, title, expected", _table(ATTACK_STANCES))
def test_attack_stances(body, title, expected):
    assert _positions(body, title) == expected


# Judgements of a frame named by a noun (evaluations.csv): a bad one turns the stance (spec v1.2:
# opposing an increase is withdraw, opposing a withdrawal is stay).
JUDGEMENTS = [
    ("House Armed Services Committee Chairman Adam Smith called the new deployment \u201cunwise.\u201d", "IRAQ",
     [("Adam Smith", "withdraw")]),
    ("Iraqi leaders have warned that a premature withdrawal of American troops would add to the instability.",
     "IRAQ", []),  # unnamed "leaders"
    ("President Ashraf Ghani warned that a premature withdrawal of American troops would add to the instability.",
     "AFGHANISTAN", [("Ashraf Ghani", "stay")]),
    # evaluative words that no list of the project names, rated by VADER's lexicon
    ("Sen. Lindsey Graham called the withdrawal of US troops from Syria a grave error.", "SYRIA",
     [("Lindsey Graham", "stay")]),
    ("Sen. Rand Paul called the withdrawal of US troops from Syria long overdue.", "SYRIA",
     [("Rand Paul", "withdraw")]),  # a good judgement keeps the stance
    ("The minister called the deployment of French troops to Mali a reckless adventure.", "MALI", []),  # unnamed
    ("President Donald Trump ordered the deployment of 1,500 U.S. troops to the Middle East, stoking fears of war.",
     "IRAN", [("Donald Trump", "stay")]),  # the clause after the frame judges nothing
]


@pytest.mark.parametrize("body, title, expected", _table(JUDGEMENTS))
def test_a_bad_judgement_turns_the_stance(body, title, expected):
    assert _positions(body, title) == expected


# Presence frames read with their amount and their countries (spec v1.2).
AMOUNTS_AND_COUNTRIES = [
    ("Among them was a measure that blocked the White House's plan to remove 10,000 troops stationed in Germany.",
     "GERMANY", [("White House", "transition")]),
    ("President Donald Trump spoke on Sunday. The president stuck to his previous commitment to pull all 2,000 "
     "U.S. troops out of Syria.", "SYRIA", [("Donald Trump", "withdraw")]),
    ("Putin, speaking at a government meeting, said his country would not become mired in the Syrian conflict.",
     "SYRIA", [("Vladimir Putin", "transition")]),
]


# Group actors: a state's own body named by the state ("Iran's foreign ministry"); outlets are no holders.
GROUP_ACTORS = [
    ("Turkey's defense ministry said the Turkish troops would stay in Syria.", "SYRIA",
     [("Turkish defense ministry", "stay")]),
    ("Iran's foreign ministry called the strikes an act of aggression.", "SYRIA",
     [("Iranian foreign ministry", "condemn")]),
    ("The Times said that half of the 9,800 troops would leave Afghanistan by the end of next year.", "AFGHANISTAN",
     []),  # the newspaper reports; it holds no position
    ("Interfax reported that the Russian troops would stay in Armenia.", "ARMENIA", []),
]


@pytest.mark.parametrize("body, title, expected", _table(GROUP_ACTORS))
def test_group_actors_hold_positions_and_outlets_only_report(body, title, expected):
    assert _positions(body, title) == expected


# Who a frame is said of, and who holds a statement named by the object of a statement verb.
CONTROL_AND_OBJECTS = [
    ("The Pentagon had said US troops needed to stay in Syria.", "SYRIA", [("Pentagon", "stay")]),
    ("Defense Secretary Lloyd Austin said the troops would have to stay in Iraq.", "IRAQ", [("Lloyd Austin", "stay")]),
    ("Hezbollah leader Hassan Nasrallah swore revenge for the Israeli strike.", "LEBANON",
     [("Hassan Nasrallah", "threaten")]),
    ("The protesters kept marching, one of them said, fearing retaliation from the militia.", "IRAQ", []),
]


@pytest.mark.parametrize("body, title, expected", _table(CONTROL_AND_OBJECTS))
def test_controlled_subjects_and_statements_named_by_objects(body, title, expected):
    assert _positions(body, title) == expected


@pytest.mark.parametrize("body, title, expected", _table(AMOUNTS_AND_COUNTRIES))
def test_some_troops_are_a_transition_all_of_them_a_withdrawal(body, title, expected):
    assert _positions(body, title) == expected


def test_one_stance_about_two_countries_is_two_records():
    frame = threadlib.positions(thread_of("Trump vowed to remove U.S. troops from Germany and Afghanistan.",
                                          title="NEWS"))
    assert sorted(zip(frame["stance"], frame["location"].str[0])) == [("withdraw", "Afghanistan"), ("withdraw", "Germany")]
    assert all(len(places) == 1 for places in frame["location"])  # a list in the frame, one name each


# What is no stated position, on the parse.
NOT_STANCES_ON_THE_PARSE = [
    ("\"After a decade of massive ground deployments, it is more effective to use our unique capabilities,\" "
     "President Obama said.", "IRAQ", []),  # a backdrop
    ("Israel said it had launched airstrikes in Syria to stop an Iranian killer drone attack.", "SYRIA", []),
    ("The State Department announced the withdrawal of nonessential U.S. government personnel from Iraq.",
     "IRAQ", []),  # no military
    ("Before the latest escalations, he said, Sudani was poised \u201cto choreograph this American withdrawal.\u201d",
     "IRAQ", []),  # a quoted fragment is nobody's statement
    ("Washington also requested a closed-door U.N. Security Council meeting on Monday.", "IRAQ", []),
    ("Some officials have theorized that the Russians may be seeking revenge on NATO forces.", "AFGHANISTAN", []),
]


@pytest.mark.parametrize("body, title, expected", _table(NOT_STANCES_ON_THE_PARSE))
def test_what_the_parse_shows_is_no_stance(body, title, expected):
    assert _positions(body, title) == expected


# Who holds it, across sentences and quotes.
HOLDERS_ACROSS_SENTENCES = [
    ("Kataib Sayyid al-Shuhada Secretary-General Abu Alaa al-Walai tweeted Friday: \"The Sayyid al-Shuhada "
     "Brigades calls on the resistance factions to prepare for the decisive confrontation with the American "
     "occupation.\"", "IRAQ", [("Abu Alaa al-Walai", "threaten")]),  # a leader speaking for his group
    ("A group of Iraqi militias has issued a warning that they were prepared to take up arms against the U.S. "
     "military presence. In a statement, the Iraqi Resistance Coordination Commission said its members were "
     "watching.", "IRAQ", [("Iraqi Resistance Coordination Commission", "threaten")]),
    ("Federation Council Speaker Valentina Matviyenko spoke on Wednesday. It quoted her as saying that strikes by "
     "the U.S.-led coalition violated international law.", "SYRIA", [("Valentina Matviyenko", "condemn")]),
    ("Over that time Mr. Trump has pushed for Russia to rejoin the G7. He has also taken everyone by surprise by "
     "announcing an imminent reduction in U.S. troops stationed in Germany.", "GERMANY",
     [("Donald Trump", "transition")]),
    ("\"Russian air forces will help Assad's army,\" Putin said. \"There will be no Russian boots on the "
     "ground.\"", "SYRIA", [("Vladimir Putin", "transition")]),
    ("Lawmakers impeded attempts by the Trump administration to withdraw troops from Afghanistan.", "AFGHANISTAN",
     [("Trump administration", "withdraw")]),
    ("A group of Iraqi militias has threatened to take up arms against the U.S. military presence past the "
     "year's end deadline for combat operations revealed over the summer by President Joe Biden.", "IRAQ",
     [("Joe Biden", "transition")], "the small parser attaches 'revealed ... by Biden' to the main verb"),
]


@pytest.mark.parametrize("body, title, expected", _table(HOLDERS_ACROSS_SENTENCES))
def test_holders_across_sentences_and_quotes(body, title, expected):
    assert _positions(body, title) == expected


def test_the_writers_of_an_opinion_piece_hold_what_our_troops_state():
    """An op-ed with no byline: its authors open the headline (spec v1.2: the writers of "we" are named)."""
    post = POST.replace("Staff Writer\n\n", "").format(
        title="GERMANY", published="2020-07-13", headline="REP. JANE ROE And REP. JOHN DOE: Welcome Troops Home",
        body="These amendments would handcuff the administration from bringing our troops home from Germany.")
    frame = threadlib.positions(threadlib.load_thread("GERMANY\n\n" + post))
    assert sorted(zip(frame["actor"], frame["stance"])) == [("Jane Roe", "withdraw"), ("John Doe", "withdraw")]


def test_a_pronoun_finds_the_last_speaker_and_the_date_of_the_statement():
    body = ("Taliban leader Haibatullah Akhundzada spoke to supporters on Friday.\n\n"
            "He said foreign troops must leave Afghanistan.")
    (row,) = frame_records(threadlib.positions(thread_of(body, published="2021-04-14")))
    assert (row["actor"], row["stance"], row["stated"]) == ("Haibatullah Akhundzada", "withdraw", "2021-04-14")


def test_actors_take_their_fullest_name_in_the_thread():
    body = ("Defense Secretary Chuck Hagel spoke at Camp Pendleton.\n\n"
            "\"This is not a combat boots on the ground kind of operation,\" Hagel said.")
    assert _positions(body) == [("Chuck Hagel", "transition")]


@pytest.mark.parametrize("body, published, stated", [
    ("Kataib Hezbollah pledged on Jan. 30 to suspend its attacks on American troops.", "2024-02-12", "2024-01-30"),
    ("Prime Minister Mohammed Shia al-Sudani said last year that foreign troops were still necessary.",
     "2024-01-19", "2023"),
    ("In 2020, the Iraqi parliament demanded the expulsion of foreign forces from Iraq.", "2024-01-19", "2020"),
    ("In an interview Tuesday, President Ashraf Ghani said U.S. troops should stay in Afghanistan.", "2021-04-15",
     "2021-04-13"),
])
def test_stated(body, published, stated):
    (row,) = frame_records(threadlib.positions(thread_of(body, published=published, title="IRAQ")))
    assert row["stated"] == stated


@pytest.mark.parametrize("body, location", [
    ("President Trump revealed that U.S. troops will remain in Iraq.", "Iraq"),
    ("Trump vowed to remove U.S. troops from Germany.", "Germany"),
    ("Esmail Qaani has vowed to push U.S. forces from the region.", None),
    # a condemnation's place is where the strikes are, never the speaker's own country
    ("Iran's foreign ministry called the strikes an act of aggression.", None),
    ("Iran's foreign ministry called the strikes in Syria an act of aggression.", "Syria"),
])
def test_location_is_the_country_of_the_presence(body, location):
    (row,) = frame_records(threadlib.positions(thread_of(body, title="NEWS", headline="News")))
    assert row["location"] == location


def test_one_record_per_actor_family_location_and_statement():
    body = ("President Trump said U.S. troops will remain in Iraq. He said he would pull all U.S. troops out of "
            "Syria.")
    frame = threadlib.positions(thread_of(body, title="NEWS"))
    assert sorted(zip(frame["stance"], frame["location"].str[0])) == [("stay", "Iraq"), ("withdraw", "Syria")]


def test_sample_holds_the_bar(gold):
    """The sample thread, held to the issue's bar (its exact counts are in the snapshot)."""
    found = list(frame_records(threadlib.positions(threadlib.load_thread(SAMPLE))))
    result = score("positions", gold("positions"), found)
    assert result.f1 >= 0.85, result.report()


def test_shifts_across_posts_and_the_non_shifts():
    thread = thread_of_posts([
        ("2021-01-10", "President Ashraf Ghani said U.S. troops should stay in Afghanistan."),
        ("2021-03-10", "President Ashraf Ghani said U.S. troops should stay in Afghanistan."),
        ("2021-06-10", "President Ashraf Ghani demanded that U.S. troops leave Afghanistan."),
        ("2021-07-10", "President Ashraf Ghani condemned the U.S. airstrikes as a violation of Afghanistan’s "
                       "sovereignty."),
    ])
    frame = threadlib.positions(thread)
    assert list(frame["stance"]) == ["stay", "stay", "withdraw", "condemn"]
    shifts = list(frame_records(threadlib.shifts(frame)))
    # A repeated stance is no shift, nor is a change of family (withdraw -> condemn).
    assert [(s["from_stance"], s["from_post_id"], s["to_stance"], s["to_post_id"]) for s in shifts] == [
        ("stay", 2, "withdraw", 3)]


def test_shifts_order_a_coarser_date_before_the_finer_ones_inside_it():
    frame = pd.DataFrame([
        {"post_id": 1, "actor": "A", "stance": "withdraw", "location": "Iraq", "stated": "2024-01-05", "sentence": "x"},
        {"post_id": 2, "actor": "A", "stance": "stay", "location": "Iraq", "stated": "2023", "sentence": "y"},
        {"post_id": 3, "actor": "A", "stance": "withdraw", "location": "Iraq", "stated": "2024-01", "sentence": "z"},
        {"post_id": 4, "actor": "A", "stance": "stay", "location": "Syria", "stated": "2024-02", "sentence": "w"},
    ])
    shifts = list(frame_records(threadlib.shifts(frame)))
    assert [(s["from_stated"], s["to_stated"], s["to_post_id"]) for s in shifts] == [("2023", "2024-01", 3)]


def test_offsets_point_at_the_cue_in_the_post():
    thread = threadlib.load_thread(SAMPLE)
    frame = threadlib.positions(thread)
    assert len(frame) > 0
    for row in frame.itertuples():
        assert getattr(thread[row.post_id - 1], row.field)[row.start:row.end] == row.cue


def test_every_extractor_shares_the_record_model():
    thread = threadlib.load_thread(SAMPLE)
    for frame in (threadlib.troops(thread), threadlib.attacks(thread), threadlib.positions(thread)):
        assert list(frame.columns[:3]) == ["post_id", "published", "sentence"]
        assert list(frame.columns[-3:]) == ["field", "start", "end"]
        assert [str(frame[c].dtype) for c in ("post_id", "published", "sentence", "field", "start", "end")] == [
            "Int64", "datetime64[s]", "string", "string", "Int64", "Int64"]
