"""Who holds a stance: the actor a holder token names, the speaker of a quote, and the people and
groups a post has named so far.

A holder token (from `frames`) is resolved to a named actor by the post's mentions (titles, the
lexicon, the shape of names, and references: "he", "the president", "the council"), else by spaCy's
entities. Quotes carry their speaker to the sentences that go on with them; a spokesman or leader
quoted for his own group is recorded as himself (spec); "a group of militias" takes the group that
the next sentences name; the authors of an opinion piece hold what its "we" states (spec v1.2).
"""

from __future__ import annotations

import re

from . import analysis, lexicon
from .actors import country_class, find_places
from .frames import is_statement, quoted_tokens
from .mentions import Mention, PostActors, _about, _known, unnamed_pattern

_ACTOR_ENTITIES = {"PERSON", "ORG", "GPE", "NORP"}
_PRONOUNS = {"he", "she", "it", "they", "his", "her", "its", "their"}
# Words of a group's name that do not tell one group from another ("the Islamic Resistance").
_GENERIC = {"Islamic", "Resistance", "Forces", "Army", "State", "National", "Council", "Group", "Brigades"}
_INDEFINITE_GROUP = re.compile(r"(?:a|an|one)\s+(?:\w+\s+)?(?:group|coalition|alliance|umbrella|faction|network)\b",
                               re.IGNORECASE)
_TOPIC_WITHIN = 60  # characters: a person named this early in a sentence is what the sentence is about
_SAID_AFTER = re.compile(r"(?:,[^,]{0,150},)?\s+(?:said|says|announced|warned|declared|stated)\b")
# An op-ed headline that opens with its authors' names in capitals: "REP. MATT GAETZ And REP. RO KHANNA: ..."
_OPED_NAME = r"(?:[A-Z][A-Z.'’-]*\s+){1,4}[A-Z][A-Z'’-]+"
_OPED_HEADLINE = re.compile(rf"^({_OPED_NAME}(?:(?:\s+and\s+|,\s*){_OPED_NAME})*)\s*:\s", re.IGNORECASE)
_QUOTE = re.compile(r"[“\"]([^”\"]*)(?:[”\"]|$)")


def actor_of(token, mentions: list[Mention], host: str | None, *, entities: bool = True) -> Mention | None:
    """The named actor a holder token stands for: a mention of the post's actors that covers the
    token's name (title, known actor, pronoun or role resolved), else the entity around it."""
    parts = [token] + [c for c in token.children if c.dep_ in ("compound", "flat") and token.pos_ == "PROPN"]
    start = min(t.idx for t in parts)
    end = token.idx + len(token)
    if token.lower_ in ("he", "she", "his", "her"):
        people = [m for m in mentions if m.kind == "person" and m.name and m.end <= start]
        if people:
            return people[-1]  # "Trump added ... where he has vowed": the person named before in the sentence
    covering = [m for m in mentions if m.start < end and start < m.end]
    own = [m for m in covering if m.start <= token.idx < m.end]  # the one that names the head word itself
    if own or covering:
        return (own or covering)[0]
    for appositive in (c for c in token.children if c.dep_ == "appos"):  # "the regime — the Government of ... —"
        found = actor_of(appositive, mentions, host, entities=entities)
        if found is not None and found.name:
            return found
    if not entities:
        return None
    names = token.pos_ == "PROPN" or token.is_title  # only a name is worth the entity recogniser
    entity = next((e for e in analysis.entities(token.doc) if e.start <= token.i < e.end), None) if names else None
    if entity is None or entity.label_ not in _ACTOR_ENTITIES:
        phrase = token.doc[token.left_edge.i:token.right_edge.i + 1]
        if _INDEFINITE_GROUP.match(phrase.text):  # named in a later sentence (see `named_later`)
            return Mention(phrase.start_char, phrase.end_char, phrase.text, None, "unnamed")
        return None
    name = re.sub(r"^[Tt]he\s+|[’']s$", "", entity.text).strip()
    known = _known()[1].get(name) or _known()[1].get("the " + name)
    if known:
        return Mention(entity.start_char, entity.end_char, entity.text, known["name"], known["kind"],
                       known["class"], known["country"], True)
    if entity.label_ in ("GPE", "NORP"):
        places = find_places(entity.text)
        if not places:
            return None
        country = places[0].country
        return Mention(entity.start_char, entity.end_char, entity.text, country, "group",
                       country_class(country, host), country, True)
    actor_class, country = _about(token.doc.text, entity.start_char, entity.end_char, host)
    kind = "person" if entity.label_ == "PERSON" else "group"
    return Mention(entity.start_char, entity.end_char, entity.text, name, kind, actor_class, country)


def speaker_of(doc, mentions: list[Mention], host: str | None, *, entities: bool = True) -> Mention | None:
    """Who speaks a sentence's quote: the subject of a statement verb outside the quotation marks."""
    roots = [t for t in doc if t.dep_ == "ROOT"]
    quoted = quoted_tokens(doc)
    for token in [t for t in doc if is_statement(t) and t.pos_ != "NOUN"] + roots:
        for child in token.children:
            if child.dep_ in ("nsubj", "nsubjpass") and not quoted[child.i]:
                actor = actor_of(child, mentions, host, entities=entities)
                if actor is not None:
                    return actor
    return None


def byline(post) -> list[Mention]:
    """The authors of an opinion piece, who hold what its "we" and "our troops" state (spec v1.2):
    the byline, else the names an op-ed headline opens with ("REP. MATT GAETZ And REP. RO KHANNA: ...")."""
    names = list(post.authors or [])
    opening = _OPED_HEADLINE.match(post.headline or "")
    if not names and opening:
        for part in re.split(r"\s+and\s+|,\s*", opening.group(1), flags=re.IGNORECASE):
            words = [w for w in part.split() if not w.endswith(".")]  # titles: "REP.", "SEN.", "DR."
            if 2 <= len(words) <= 4:
                names.append(" ".join(w.capitalize() if w.isupper() else w for w in words))
    return [Mention(0, 0, name, name, "person", None, None) for name in names]


@lexicon.derived
def _outlets() -> frozenset[str]:
    return frozenset(_outlet_key(row["name"]) for row in lexicon.load("news_outlets"))


def _outlet_key(name: str) -> str:
    return re.sub(r"^the\s+", "", " ".join(name.split()).casefold())


def relays(holder: Mention, post) -> bool:
    """Whether a holder is a news outlet (``news_outlets.csv``, or the post's own outlet), which
    reports what others state and holds no position of its own.

    >>> from threadlib.thread import Post
    >>> relays(Mention(0, 9, "The Times", "Times", "group"), Post(1)), relays(Mention(0, 4, "Iran", "Iran", "group"), Post(1))
    (True, False)
    """
    name = _outlet_key(holder.name or "")
    return bool(name) and (name in _outlets() or name == _outlet_key(getattr(post, "outlet", None) or ""))


def unnamed(token, actor: Mention | None) -> bool:
    """An unnamed speaker: a mention with no name, or a noun for people that names no one ("officials")."""
    if actor is not None:
        return actor.name is None
    return token.pos_ == "NOUN" and unnamed_pattern().fullmatch(token.text) is not None


def next_quote(speaker, quote_speaker, quote_head, text: str, opens_quote: bool):
    """Who speaks the quote that may go on in the next sentence, and the sentence that said so: a
    quote that goes on keeps its speaker and its attribution ("..., Fuad Hussein told the Journal last week.")."""
    if speaker is not None:
        return speaker, text
    if opens_quote and quote_speaker is not None:
        return quote_speaker, quote_head
    return None, text


def speaks_for(speaker: Mention, holder: Mention | None) -> bool:
    """Whether a quoted group is the speaker's own: a word of its name in the speaker's title
    ("Kataib Sayyid al-Shuhada Secretary-General Abu Alaa al-Walai" for "the Sayyid al-Shuhada Brigades")."""
    if holder is None or holder.kind != "group" or not holder.name or speaker is holder:
        return False
    own = {w for w in re.findall(r"[A-Z][\w’'-]{3,}", speaker.text)} - set((speaker.name or "").split())
    theirs = set(re.findall(r"[A-Z][\w’'-]{3,}", holder.text + " " + holder.name))
    return any(word not in _GENERIC and not find_places(word) for word in own & theirs)


def named_later(holder: Mention | None, sentences, index: int, actors: PostActors) -> Mention | None:
    """ "A group of Iraqi militias has issued a warning": the group the next sentences name."""
    if holder is None or holder.name is not None or not _INDEFINITE_GROUP.match(holder.text):
        return holder
    for later in sentences[index + 1:index + 3]:
        groups = [m for m in actors.scan(later.text) if m.kind == "group" and m.name and m.name != m.country]
        if groups:
            return groups[0]
    return holder


def follow_topic(actors: PostActors, text: str, mentions: list[Mention]) -> None:
    """A person named at the head of a sentence ("Over that time Mr. Trump has pushed ...") is whom
    "he" or "she" in the next sentence most likely means."""
    quotes = quote_spans(text)
    people = [m for m in mentions if m.kind == "person" and m.name and m.text.lower() not in _PRONOUNS
              and m.start < _TOPIC_WITHIN and not in_spans(m.start, quotes)]
    if people:
        actors.last_speaker = people[0]
    for group in (m for m in mentions if m.kind == "group" and m.name and not in_spans(m.start, quotes)):
        if _SAID_AFTER.match(text, group.end):
            actors.group_speakers.append(group)  # "the Commission, an umbrella of groups ..., said": "the council"
            break


def named_outside_quotes(text: str, mentions: list[Mention]) -> Mention | None:
    """Who speaks a sentence that was not parsed: the actor named after its last quotation mark
    ('...," Putin said.'), else before its first one ('Putin said: "...').'"""
    marks = [i for i, c in enumerate(text) if c in "“”\""]
    if not marks:
        return None
    after = [m for m in mentions if m.name and m.start > marks[-1]]
    before = [m for m in mentions if m.name and m.end <= marks[0]]
    return after[0] if after else (before[-1] if before else None)


def quote_spans(text: str) -> list[tuple[int, int]]:
    return [m.span(1) for m in _QUOTE.finditer(text)]


def in_spans(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= position < e for s, e in spans)
