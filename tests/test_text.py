"""Sentence splitting: offsets kept, abbreviations, dates, initials and quotes survive."""

import pytest
from conftest import SAMPLE

import threadlib
from threadlib.text import collapse, post_sentences, sentence_spans


def split(text):
    return [text[start:end] for start, end in sentence_spans(text)]


@pytest.mark.parametrize("text, expected", [
    ("U.S. troops stayed. The Pentagon agreed.", ["U.S. troops stayed.", "The Pentagon agreed."]),
    ("Maj. Gen. Pat Ryder spoke. He left.", ["Maj. Gen. Pat Ryder spoke.", "He left."]),
    ("Since Oct. 17, forces were attacked. Officials said so.",
     ["Since Oct. 17, forces were attacked.", "Officials said so."]),
    ("Missiles hit at 6:30 p.m. Baghdad time on January 20. Nobody died.",
     ["Missiles hit at 6:30 p.m. Baghdad time on January 20.", "Nobody died."]),
    ("“We have been obsessing,” Sen. Chris Murphy (D-Conn.), said in an interview. He went on.",
     ["“We have been obsessing,” Sen. Chris Murphy (D-Conn.), said in an interview.", "He went on."]),
    ("Write to Michael R. Gordon at the Journal. It is late.",
     ["Write to Michael R. Gordon at the Journal.", "It is late."]),
    ("“We agree on halting all attacks.” Sudani said of the militias.",
     ["“We agree on halting all attacks.”", "Sudani said of the militias."]),
    ("Is it over? “No,” he said!", ["Is it over?", "“No,” he said!"]),
    ("The troops left the U.S. The war went on.", ["The troops left the U.S.", "The war went on."]),
    ("First paragraph without a stop\n\nSecond paragraph.", ["First paragraph without a stop", "Second paragraph."]),
    ("Mr. al-Kadhimi met Dr. Smith in Washington, D.C. on Monday.",
     ["Mr. al-Kadhimi met Dr. Smith in Washington, D.C. on Monday."]),
], ids=lambda v: str(v)[:40])
def test_sentence_spans(text, expected):
    assert split(text) == expected


def test_offsets_point_into_the_text_and_cover_every_word_of_the_sample():
    thread = threadlib.load_thread(SAMPLE)
    for post in thread:
        spans = sentence_spans(post.body)
        assert all(post.body[s:e] == post.body[s:e].strip() for s, e in spans)
        assert collapse(" ".join(post.body[s:e] for s, e in spans)) == collapse(post.body)


def test_sentences_table():
    thread = threadlib.load_thread(SAMPLE)
    table = threadlib.sentences(thread)
    assert len(table) == sum(len(post_sentences(post)) for post in thread) > 0
    assert set(table["field"]) == {"body", "commentary"}
