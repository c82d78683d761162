"""Lexicons are data files that a user extends without touching code."""

from importlib import resources

import pytest
from conftest import SAMPLE
from helpers import thread_of

import threadlib
from threadlib import lexicon
from threadlib.cli import main
from threadlib.errors import LexiconError

BODY = "About 300 gendarmes guard the border, officials said."


@pytest.fixture
def user_lexicons(tmp_path, monkeypatch):
    """A folder of the user's own lexicon files, named in THREADLIB_LEXICONS; reset afterwards."""
    monkeypatch.setenv(lexicon.ENV_VAR, str(tmp_path))
    lexicon.reload()
    yield tmp_path
    monkeypatch.delenv(lexicon.ENV_VAR)
    lexicon.reload()


def test_a_user_adds_a_personnel_noun(user_lexicons):
    assert len(threadlib.troops(thread_of(BODY, title="MALI"))) == 0
    (user_lexicons / "troop_nouns.csv").write_text("# my nouns\nnoun,size_only,class\ngendarmes,no,\n")
    lexicon.reload()
    frame = threadlib.troops(thread_of(BODY, title="MALI"))
    assert list(frame["text"]) == ["About 300 gendarmes"]


def test_a_user_adds_a_known_actor_and_an_event(user_lexicons):
    (user_lexicons / "events.csv").write_text("pattern,date,note\nsiege of Mopti,2022-03-01,a test event\n")
    lexicon.reload()
    body = "Jihadists have carried out 40 attacks on the army since the siege of Mopti."
    frame = threadlib.attacks(thread_of(body, title="MALI", published="2022-06-01"))
    assert list(frame["window_start"]) == ["2022-03-01"]


def test_a_broken_user_lexicon_is_named_in_a_clear_error(user_lexicons, capsys):
    (user_lexicons / "troop_nouns.csv").write_text("noun,size_only,class\ngendarmes,no,,extra,fields\n")
    lexicon.reload()
    with pytest.raises(LexiconError, match="troop_nouns.csv: a row has more fields than the header"):
        threadlib.troops(thread_of(BODY))
    assert main(["extract", "troops", str(SAMPLE)]) == 2
    assert "troop_nouns.csv" in capsys.readouterr().err


def test_every_packaged_lexicon_says_what_its_columns_mean():
    files = [f for f in resources.files("threadlib").joinpath("lexicon").iterdir() if f.name.endswith(".csv")]
    assert len(files) >= 15
    for file in files:
        text = file.read_text(encoding="utf-8")
        assert text.startswith("#"), file.name
        assert lexicon.load(file.name[:-4]), file.name


def test_a_user_adds_a_stance_frame_and_a_judgement(user_lexicons):
    garrison = "President Ashraf Ghani said the United States should garrison its troops in Afghanistan."
    foolish = "President Ashraf Ghani called the planned withdrawal of U.S. troops foolish."
    positions = lambda body: [(r.actor, r.stance) for r in threadlib.positions(thread_of(body)).itertuples()]  # noqa: E731
    assert positions(garrison) == [] and positions(foolish) == [("Ashraf Ghani", "withdraw")]
    (user_lexicons / "stance_frames.csv").write_text("stance,predicate,kind,needs,negated\n"
                                                     "stay,garrison,act,forces,withdraw\n")
    (user_lexicons / "evaluations.csv").write_text("word,polarity\nfoolish,bad\n")
    lexicon.reload()
    assert positions(garrison) == [("Ashraf Ghani", "stay")]
    assert positions(foolish) == [("Ashraf Ghani", "stay")]
