"""Whose forces and who attacked whom, read from the dependency parse of one sentence.

The troop and attack extractors first read roles from the words of a mention itself ("Russian
troops", "Israeli airstrikes", "the Taliban's fighters"). When those words name nobody, these
functions follow the parse from the mention to the phrase that does:

* `force_owner`: the possessor ("its 50 special operators" -> the clause's subject), the subject of
  a verb that sends, keeps or has forces ("Turkey has deployed 3,000 troops"), the agent of its
  passive ("troops sent by Moscow"), or the owner of a noun that governs the count ("Turkey's
  deployment of 3,000 troops").
* `attack_parties`: the attacker as the possessor or ``by`` phrase of the attack noun, or the subject
  of the verb that carries attacks out ("the coalition had conducted 3,000 airstrikes") or stands
  "behind" them; the target as its ``on``/``against`` phrase or the object of the attack verb.

Each returns character spans in the sentence; the caller names the actor class of a span with the
lexicons (`threadlib.actors.find_actor_cues`). Verbs are lexicons (``owner_verbs.csv``,
``attack_verbs.csv``); the parse is `threadlib.analysis`'s, made only for sentences that need it.
"""

from __future__ import annotations

from . import lexicon
from .analysis import lemma

Span = tuple[int, int]
_CLIMB = 4  # how many heads a mention's noun may climb to reach its verb
_OBJECTS = ("dobj", "obj", "attr", "oprd", "dative")
_TARGET_PREPOSITIONS = frozenset({"on", "against", "at", "upon", "targeting", "toward", "towards"})
_PRONOUNS = frozenset({"it", "its", "they", "their", "them", "he", "his", "she", "her", "we", "our", "this", "that",
                       "which", "who"})


@lexicon.derived
def _owner_verbs() -> frozenset[str]:
    return frozenset(row["verb"].lower() for row in lexicon.load("owner_verbs") if row["forces"] == "yes")


@lexicon.derived
def _attack_verbs() -> tuple[frozenset[str], frozenset[str]]:
    """Lemmas of verbs that attack ("strike") and of verbs that carry attacks out ("conduct")."""
    attacking = frozenset(row["verb"].split()[0].lower() for row in lexicon.load("attack_verbs")
                          if row["role"] in ("active", "retaliate"))
    carrying = frozenset(row["verb"].lower() for row in lexicon.load("owner_verbs") if row["attacks"] == "yes")
    return attacking, carrying


def _token_at(doc, start: int, end: int):
    """The head token of the words at ``start``-``end`` (the last token that starts inside)."""
    inside = [t for t in doc if start <= t.idx < end]
    if not inside:
        return None
    heads = [t for t in inside if not (start <= t.head.idx < end) or t.head is t]
    return heads[-1] if heads else inside[-1]


def _span(token) -> Span:
    """The characters of a token's phrase: its subtree, without a trailing relative clause."""
    kept = [t for t in token.subtree if not any(a.dep_ in ("relcl", "acl", "appos") and a is not token
                                                 for a in [t, *t.ancestors] if a.i > token.i and a in token.subtree)]
    first, last = min(kept, key=lambda t: t.i), max(kept, key=lambda t: t.i)
    return first.idx, last.idx + len(last.text)


def _is_pronoun(token) -> bool:
    return token.lower_ in _PRONOUNS


def _subject(verb):
    """The subject of a verb, looking through auxiliaries, coordination and open complements
    ("had conducted", "sent ... and kept", "wants to send")."""
    for _ in range(_CLIMB):
        found = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
        if found:
            return found[0]
        if verb.dep_ in ("conj", "xcomp", "advcl", "ccomp") and verb.head is not verb:
            verb = verb.head
            continue
        return None
    return None


def _agent(verb):
    """The ``by`` phrase of a passive verb."""
    for child in verb.children:
        if child.dep_ == "agent":
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                return objects[0]
    return None


def _named(token, verb=None) -> Span | None:
    """The span of a phrase that names someone; a pronoun stands for the subject of the verb above
    it ("the US sent over its 50 special operators")."""
    if token is None:
        return None
    if _is_pronoun(token):
        above = verb if verb is not None else next((a for a in token.ancestors if a.pos_ in ("VERB", "AUX")), None)
        subject = _subject(above) if above is not None else None
        if subject is None or subject is token or _is_pronoun(subject):
            return None
        return _span(subject)
    return _span(token)


def _possessor(token):
    return next((c for c in token.children if c.dep_ == "poss"), None)


def force_owner(doc, start: int, end: int) -> list[Span]:
    """Spans of the sentence that may say whose forces the count at ``start``-``end`` counts, best
    first (empty when the parse links the count to nobody).

    >>> from threadlib.nlp import load_model
    >>> doc = load_model()("Turkey has deployed about 3,000 troops to northern Iraq.")
    >>> [doc.text[a:b] for a, b in force_owner(doc, 20, 38)]
    ['Turkey']
    """
    token = _token_at(doc, start, end)
    spans: list[Span] = []
    for _ in range(_CLIMB):
        if token is None:
            break
        if (owner := _named(_possessor(token))) is not None:
            spans.append(owner)
        head = token.head
        if head is token:
            break
        verb_lemma = lemma(head) if head.pos_ in ("VERB", "AUX") else ""
        if token.dep_ in _OBJECTS and verb_lemma in _owner_verbs():
            spans += [s for s in (_named(_subject(head), head), _named(_agent(head), head)) if s]
            break
        if token.dep_ == "nsubjpass" and verb_lemma in _owner_verbs():
            spans += [s for s in (_named(_agent(head), head),) if s]
            break
        if token.dep_ in ("pobj", "prep", "conj", "appos", "compound", "nmod", "npadvmod", "amod", "nummod"):
            token = head  # "deployment of 3,000 troops": the governing noun may have the owner
            continue
        break
    return list(dict.fromkeys(spans))


def attack_parties(doc, start: int, end: int) -> tuple[list[Span], list[Span]]:
    """Spans that may name the attacker and the target of the attacks counted at ``start``-``end``
    (an attack noun or an attack verb), best first.

    >>> from threadlib.nlp import load_model
    >>> doc = load_model()("Kerry said the coalition had conducted 3,000 airstrikes against ISIS.")
    >>> attackers, targets = attack_parties(doc, 39, 55)
    >>> [doc.text[a:b] for a, b in attackers], [doc.text[a:b] for a, b in targets]
    (['the coalition'], ['ISIS'])
    """
    token = _token_at(doc, start, end)
    attackers: list[Span] = []
    targets: list[Span] = []
    if token is None:
        return attackers, targets
    attacking, carrying = _attack_verbs()
    if token.pos_ in ("VERB", "AUX"):
        _verb_parties(token, attackers, targets)
        return attackers, targets
    noun = next((t for t in doc if t.idx < end <= t.idx + len(t.text)), None)  # the attack noun itself,
    # under a head such as "a wave of"
    if noun is not None and noun is not token:
        _noun_parties(noun, attackers, targets)
    for _ in range(_CLIMB):
        _noun_parties(token, attackers, targets)
        head = token.head
        if head is token:
            break
        head_lemma = lemma(head)
        if head.pos_ in ("VERB", "AUX") and token.dep_ in _OBJECTS + ("nsubjpass",) and head_lemma in carrying | attacking:
            subject = _agent(head) if token.dep_ == "nsubjpass" else _subject(head)
            if (span := _named(subject, head)) is not None:
                attackers.append(span)
            if head_lemma in attacking:
                _verb_parties(head, [], targets)
            break
        if token.dep_ in ("nsubj",) and head.pos_ in ("VERB", "AUX") and head_lemma in attacking:
            _verb_parties(head, [], targets)  # "200 airstrikes hit Iranian targets"
            break
        if token.dep_ == "pobj" and head.dep_ in ("prep", "advmod") and head.lower_ in ("behind", "for") \
                and head.head.pos_ in ("VERB", "AUX", "ADJ"):
            verb = head.head  # "Tehran is behind 100 attacks", "responsible for 40 attacks"
            verb = verb.head if verb.pos_ == "ADJ" and verb.dep_ == "acomp" else verb
            if (span := _named(_subject(verb), verb)) is not None:
                attackers.append(span)
            break
        if token.dep_ in ("pobj", "prep", "conj", "appos", "compound", "nmod", "npadvmod"):
            token = head  # "a second round of airstrikes": the round is what the verb carries out
            continue
        break
    return list(dict.fromkeys(attackers)), list(dict.fromkeys(targets))


def _noun_parties(noun, attackers: list[Span], targets: list[Span]) -> None:
    """The possessor or ``by`` phrase of an attack noun (attacker), its ``on``/``against`` phrase
    (target); the same in a relative clause ("strikes that were claimed by Israel and aimed at
    Iranian forces") and an apposition ("four strikes – the first Israeli attacks ...")."""
    if (span := _named(_possessor(noun))) is not None:
        attackers.append(span)
    for child in noun.children:
        if child.dep_ == "relcl" or (child.dep_ == "acl" and child.pos_ == "VERB"):
            for verb in [child, *(c for c in child.subtree if c.dep_ == "conj" and c.pos_ == "VERB")]:
                _clause_parties(verb, attackers, targets)
        elif child.dep_ == "appos":
            attackers += [_span(c) for c in child.children if c.dep_ in ("amod", "compound", "poss")
                          and c.pos_ in ("ADJ", "PROPN", "NOUN")]
    for prep in noun.children:
        if prep.dep_ not in ("prep", "agent", "acl"):
            continue
        objects = [c for c in prep.children if c.dep_ in ("pobj", "dobj")]
        if not objects:
            continue
        if prep.lower_ == "by":
            attackers.append(_span(objects[0]))
        elif prep.lower_ in _TARGET_PREPOSITIONS:
            targets.append(_span(objects[0]))


def _verb_parties(verb, attackers: list[Span], targets: list[Span]) -> None:
    """Subject and object of an attack verb, by its voice."""
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if passive:
        if (span := _named(subject, verb)) is not None:
            targets.append(span)
        if (agent := _agent(verb)) is not None:
            attackers.append(_span(agent))
        return
    if (span := _named(_subject(verb), verb)) is not None:
        attackers.append(span)
    objects = [c for c in verb.children if c.dep_ in _OBJECTS]
    if objects:
        targets.append(_span(objects[0]))
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ in _TARGET_PREPOSITIONS:
            targets += [_span(c) for c in prep.children if c.dep_ == "pobj"]


def _clause_parties(verb, attackers: list[Span], targets: list[Span]) -> None:
    """A relative clause on an attack noun: its agent attacked, what it aims at was the target."""
    if (agent := _agent(verb)) is not None:
        attackers.append(_span(agent))
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ in _TARGET_PREPOSITIONS:
            targets += [_span(c) for c in prep.children if c.dep_ == "pobj"]
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
    if not passive:
        targets += [_span(c) for c in verb.children if c.dep_ in _OBJECTS]
