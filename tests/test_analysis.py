"""The shared analysis of each post: sentences once, a parse only where asked, the model setting."""

import subprocess
import sys

import pytest
from helpers import thread_of

from threadlib import analysis, nlp
from threadlib.troops import troops
from threadlib.errors import ModelError
from threadlib.text import post_sentences


@pytest.mark.parametrize("text, kept", [
    ("Iraqi lawmakers voted for the expulsion of foreign forces.", True),
    ("The Taliban agreed to halt attacks on foreign troops.", True),
    ("Officials said the last U.S. troops left Iraq in December.", True),  # an irregular past form of "leave"
    ("The last U.S. troops left Iraq in December.", False),  # nobody states anything
    ("Sudani left for Washington on Sunday.", False),         # a frame word without the force word it needs
    ("President Biden said the combat mission would conclude.", True),  # a word a frame names ("mission")
    ("“We will never leave,” he said of the troops.", True),  # a quotation mark is a voice
    ("It rained in Baghdad all week.", False),
    ("The minister met the ambassador.", False),
])
def test_the_pre_filter_keeps_sentences_that_can_hold_a_stance(text, kept):
    assert analysis.may_hold_stance(text) is kept


def test_sentences_are_split_once_and_parsed_once():
    thread = thread_of("Obama said U.S. troops will stay in Iraq. It rained all week.")
    (post,) = thread
    assert post_sentences(post) is post_sentences(post)
    analysis.parse_posts(thread)
    docs = analysis.parsed(post)
    assert list(docs) == [0]  # the second sentence holds no frame word: not parsed
    first = docs[0]
    analysis.parse_posts(thread)
    assert analysis.parsed(post)[0] is first
    assert analysis.parse(post, post_sentences(post)[1]).text == "It rained all week."


def test_import_and_word_only_troops_and_attacks_do_not_load_spacy():
    code = ("import sys, threadlib; t = threadlib.load_thread('data/threads/iraq.txt'); "
            "threadlib.troops(t, parse=False); threadlib.attacks(t, parse=False); print('spacy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_troops_parse_only_the_sentences_whose_words_name_no_owner():
    thread = thread_of("About 600 Russian troops are in Syria. Turkey has deployed about 3,000 troops to northern "
                       "Iraq. It rained all week.", title="SYRIA")
    rows = troops(thread)
    assert rows["actor"].tolist() == ["other", "other"]
    post = next(iter(thread))
    assert sorted(analysis.parsed(post)) == [1]  # only "Turkey has deployed ..." needed the parse


def test_a_missing_model_is_a_one_line_error_saying_how_to_install(monkeypatch, capsys):
    from threadlib.cli import main

    monkeypatch.setenv(nlp.ENV_VAR, "no_such_pipeline_xx")
    nlp.load_model.cache_clear()
    try:
        with pytest.raises(ModelError, match="no_such_pipeline_xx is not installed; pip install"):
            nlp.load_model()
        assert main(["extract", "positions", "data/threads/iraq.txt"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "pip install" in err
    finally:
        nlp.load_model.cache_clear()


def test_the_model_setting_names_the_pipeline(monkeypatch):
    monkeypatch.delenv(nlp.ENV_VAR, raising=False)
    model = nlp.load_model()
    assert {"parser", "ner", "lemmatizer"} <= set(model.pipe_names)


def test_the_fast_attribute_ruler_gives_what_the_pipelines_own_gives():
    import spacy

    from threadlib.fast_attributes import FACTORY

    model = nlp.load_model()
    assert model.get_pipe_meta("attribute_ruler").factory == FACTORY
    original = spacy.load(_installed_name(), exclude=["ner"])
    texts = ["I ain't sure we'll be there, he said.", "Iraqi lawmakers voted for the expulsion of foreign forces.",
             "“We don’t need any more fighters because we have those,” the minister told reporters last week.",
             "The raids will be done at the invitation of the Iraqi government, Carter said in his testimony."]
    with model.select_pipes(disable=["ner"]):
        fast = list(model.pipe(texts))
    for mine, theirs in zip(fast, original.pipe(texts)):
        assert [(t.pos_, str(t.morph), t.lemma_) for t in mine] == [(t.pos_, str(t.morph), t.lemma_) for t in theirs]


def _installed_name() -> str:
    import importlib.util

    return next(name for name in nlp.DEFAULT_MODELS if importlib.util.find_spec(name))
