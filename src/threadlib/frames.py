"""Stance frames on a parsed sentence: the predicate, its negation, and who states it.

A frame (``stance_frames.csv``) is a predicate lemma with what it needs among its words ("withdraw
... troops", "resume ... attacks"). On the parse, a frame's stance turns when it is negated or
opposed on the way up to the verb that states it ("no buildup of troops", "is not contemplating
sending", "rejected ... withdrawal"), and a demand limited to combat or ground troops is
``transition`` (spec). The statement is the nearest statement verb (``statement_verbs.csv``) above
the predicate; its subject holds the stance. A frame under "if" or "whether" is no stance, and a
deed told in the simple past ("when it withdrew the last of its forces") is an event, not a stance.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import lexicon

SUBJECTS = ("nsubj", "nsubjpass", "csubj")
_NEGATORS = {"not", "n't", "never", "no", "without", "nor"}
_OPPOSERS = {"oppose", "reject", "block", "impede", "resist", "refuse", "prevent", "restrict", "against",
             "handcuff", "rule out"}
_CONDITIONS = {"if", "whether", "unless", "how"}
# Verbs whose object noun is their subject's statement ("issued a warning", "made a request").
_LIGHT_VERBS = {"issue", "make", "send", "deliver", "file", "submit", "repeat", "renew", "reiterate", "voice"}
_LIMITED = {"combat", "ground", "boot"}  # a presence limited to combat or ground troops (spec: transition)
_MODALS = {"will", "would", "should", "must", "could", "can", "may", "might", "shall", "to"}
_QUOTES = "\"“”"


@dataclass(frozen=True)
class FrameRow:
    stance: str
    lemma: str
    particle: str | None
    kind: str        # say or act
    needs: str       # forces, attacks, near or -
    negated: str | None


@dataclass
class FrameHit:
    """One stance frame found in a sentence."""

    stance: str
    predicate: object          # the spaCy token of the predicate
    statement: object | None   # the statement verb that governs it, if any
    holders: list              # tokens that hold it: subjects, agents, "from X", "according to X"
    quoted: bool               # the predicate is inside quotation marks
    negated: bool
    own: list                  # possessors of a deed named by a noun ("Trump's planned withdrawals")
    own_stance: str | None = None  # their stance: the frame's own, whatever the statement says of it
    reporters: list = field(default_factory=list)  # who reports the statement ("Analysts said the Taliban want")


@lexicon.derived
def _frames() -> dict[str, list[FrameRow]]:
    frames: dict[str, list[FrameRow]] = {}
    for row in lexicon.load("stance_frames"):
        words = row["predicate"].lower().split()
        frames.setdefault(words[0], []).append(FrameRow(
            row["stance"], words[0], words[1] if len(words) > 1 else None, row["kind"], row["needs"] or "-",
            row["negated"] or None))
    return frames


@lexicon.derived
def _objects() -> dict[str, frozenset[str]]:
    groups: dict[str, set[str]] = {"forces": set(), "attacks": set()}
    for row in lexicon.load("frame_objects"):
        groups[row["group"]].add(row["word"].lower())
    groups["forces"].update(row["noun"].lower() for row in lexicon.load("troop_nouns") if " " not in row["noun"])
    return {name: frozenset(words) for name, words in groups.items()}


@lexicon.derived
def _statement_words() -> dict[str, frozenset[str]]:
    rows = [r for r in lexicon.load("statement_verbs") if " " not in r["verb"]]
    return {"verb": frozenset(r["verb"].lower() for r in rows if r["kind"] != "noun"),
            "noun": frozenset(r["verb"].lower() for r in rows if r["kind"] == "noun")}


def is_statement(token) -> bool:
    """Whether a token states something: a statement verb ("said", "vowing") or noun ("a request")."""
    words = _statement_words()["noun" if token.pos_ == "NOUN" else "verb"]
    return token.pos_ in ("VERB", "AUX", "NOUN") and (token.lower_ in words or token.lemma_.lower() in words)


def _has(tokens, group: str) -> bool:
    words = _objects()[group]
    return any(t.lemma_.lower() in words or t.lower_ in words for t in tokens)


def _words_of(token) -> list:
    """The predicate's own words: its subtree, and its subject when it has one outside it."""
    words = list(token.subtree)
    words += [w for child in token.children if child.dep_ in SUBJECTS for w in child.subtree]
    if token.dep_ in ("amod", "acomp", "attr") or (token.pos_ == "ADJ"):
        words += list(token.head.subtree)  # "troops are still necessary": the subject is the head's
    return words


def _particle_ok(token, particle: str | None) -> bool:
    if particle is None:
        return True
    return any(child.lower_ == particle for child in token.children) or (
        token.i + 1 < len(token.doc) and token.doc[token.i + 1].lower_ == particle)


def _negated_here(token) -> bool:
    """A negation on the token itself: "not", "no buildup", "no longer needed", "never"."""
    for child in token.children:
        if child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no"):
            return True
        if child.lower_ == "longer" and any(g.lower_ == "no" for g in child.children):
            return True
    return False


def _opposed(token) -> bool:
    lemma = token.lemma_.lower()
    if lemma in _OPPOSERS:
        return True
    return any(f"{lemma} {child.lower_}" in _OPPOSERS for child in token.children if child.dep_ == "prt")


def _in_quote(token) -> bool:
    """Whether an odd number of quotation marks stands before the token in its sentence."""
    doc = token.doc
    marks = sum(1 for t in doc[:token.i] if t.text in _QUOTES or t.text == "''" or t.text == "``")
    return marks % 2 == 1


def _chain(token) -> list:
    """The token and its heads up to the root."""
    chain = [token]
    while chain[-1].head is not chain[-1] and len(chain) < 40:
        chain.append(chain[-1].head)
    return chain


def _holder_tokens(verb) -> list:
    """Who does or says ``verb``: its subject (and the subject's conjuncts), or a passive's agent."""
    found, agents = [], []
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass") and child.lower_ in ("who", "which", "that"):
            if verb.dep_ == "relcl":
                found.append(verb.head)  # "Sudani, who said ...": the relative clause's head
        elif child.dep_ in ("nsubj", "nsubjpass") and child.lower_ not in ("there", "it", "this"):
            found.append(child)
            found += [c for c in child.conjuncts]
        if child.dep_ == "agent":
            agents += [g for g in child.children if g.dep_ == "pobj"]
    if agents:
        return agents  # a passive: "had been requested by Gen. Kenneth McKenzie"
    if not found and verb.dep_ == "xcomp":
        # object control: "prompted the Iraqi parliament to pass ...", "urged Washington to ..."
        found = [c for c in verb.head.children if c.dep_ == "dobj"]
    return found


def _nominal_holders(token) -> list:
    """Who a noun's statement belongs to: "a request from X", "X's request", "the demand by X"."""
    found = []
    heads = [token, *token.conjuncts]  # "a warning and request from Russia"
    for child in (c for head in heads for c in head.children):
        if child.dep_ == "poss" and child.lower_ not in ("its", "their", "his", "her", "our", "my", "your"):
            found.append(child)
        elif child.dep_ == "prep" and child.lower_ in ("from", "by"):
            found += [g for g in child.children if g.dep_ == "pobj"]
            found += [c for g in child.children if g.dep_ == "pobj" for c in g.conjuncts]
    return found


def _according_to(doc) -> list:
    for token in doc:
        if token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            return [g for g in doc[token.i + 1].children if g.dep_ == "pobj"]
    return []


def find_frames(doc) -> list[FrameHit]:
    """The stance frames of a parsed sentence, with their statement verb and holder tokens."""
    hits = []
    frames = _frames()
    for token in doc:
        rows = frames.get(token.lemma_.lower()) or frames.get(token.lower_)
        if not rows:
            continue
        for row in rows:
            hit = _match(token, row)
            if hit is not None:
                hits.append(hit)
                break
    # "a request from Russia to stay out of Syrian airspace": the frame below says what was asked
    governing = {t.i for h in hits if h.statement is not None and h.statement is not h.predicate
                 for t in (h.statement, *h.statement.conjuncts)}
    return [h for h in hits if h.predicate.i not in governing]


def _needs_met(token, row: FrameRow, words: list) -> bool:
    if row.needs == "-":
        return True
    if row.needs == "near":
        return _has(token.doc, "forces") or _has(token.doc, "attacks")
    if row.needs == "subject":
        heads = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
        return _has(heads, "forces")
    wanted = set(row.needs.split("|"))
    if wanted & {"forces", "attacks"}:
        if any(_has(words, group) for group in wanted & {"forces", "attacks"}):
            return True
    return any(w.lemma_.lower() in wanted for w in words)


def _is_event(token) -> bool:
    """A deed told as a fact: simple past ("withdrew"), or under way ("are being sent")."""
    if token.tag_ == "VBD" and not _modal(token):
        return True
    return any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("being", "been", "was", "were") for c in token.children)


def _match(token, row: FrameRow) -> FrameHit | None:
    if not _particle_ok(token, row.particle):
        return None
    words = _words_of(token)
    if not _needs_met(token, row, words):
        return None
    chain = _chain(token)
    statement = token if (row.kind == "say" and token.pos_ == "VERB") else next(
        (t for t in chain if is_statement(t)), None)
    below = chain[:chain.index(statement)] if statement is not None else chain
    if any(child.lower_ in _CONDITIONS for t in below for child in t.children if child.dep_ in ("mark", "advmod")):
        return None  # "if U.S. troops stayed", "whether to send", "how can we think about maintaining"
    quoted = _in_quote(token)
    presence = row.stance in ("withdraw", "stay", "transition")
    own = _nominal_holders(token) if token.pos_ == "NOUN" and row.kind == "act" and presence else []
    own = [t for t in own if t.dep_ == "poss"]
    if row.kind == "act" and statement is None and not quoted and not own:
        return None  # a deed that nobody states
    if row.kind == "act" and token.pos_ == "VERB" and _is_event(token):
        return None  # "when it withdrew the last of its forces": an event
    flips = sum(_negated_here(t) or _opposed(t) for t in below if t is not token) + _negated_here(token)
    flips += sum(_negated_here(w) for w in words if w.dep_ in ("dobj", "pobj", "attr", "nsubj") and w is not token
                 and w.head is token)
    negated = flips % 2 == 1
    limited = any(w.lemma_.lower() in _LIMITED for w in words)
    stance = _turn(row, negated, limited)
    if stance is None and not own:
        return None
    holders = _nominal_holders(token) if row.kind == "say" and token.pos_ == "NOUN" else []
    if not holders and statement is not None:
        holders = _statement_holders(statement)
    holders = holders or _according_to(token.doc)
    outer = next((t for t in _chain(statement)[1:] if is_statement(t)), None) if statement is not None else None
    reporters = _statement_holders(outer) if outer is not None else []
    return FrameHit(stance, token, statement, holders, quoted, negated, own, _turn(row, False, limited), reporters)


def _turn(row: FrameRow, negated: bool, limited: bool) -> str | None:
    """The frame's stance under negation, and limited to combat or ground troops (spec)."""
    stance = row.stance
    if negated:
        if row.negated is None:
            return None
        stance = row.negated
    if limited and (stance == "withdraw" and not negated or negated and row.stance == "stay"):
        stance = "transition"  # a demand limited to combat troops; ruling out ground troops
    return stance


def _statement_holders(statement) -> list:
    """Who makes a statement: a verb's subject (else the next subject up, for "vowing to ..."); a
    noun's "from X", "by X" or possessor, or the subject of a light verb ("issued a warning")."""
    if statement.pos_ == "NOUN":
        holders = _nominal_holders(statement)
        if not holders and statement.dep_ == "dobj" and statement.head.lemma_.lower() in _LIGHT_VERBS:
            holders = _holder_tokens(statement.head)
        return holders
    for t in _chain(statement):
        holders = _holder_tokens(t) if t.pos_ in ("VERB", "AUX") else []
        if holders:
            return holders
    return []


def _modal(token) -> bool:
    return any(child.lower_ in _MODALS for child in token.children if child.dep_ in ("aux", "auxpass"))
