"""Stance frames on a parsed sentence: the predicate, its negation, and who states it.

A frame (``stance_frames.csv``) is a predicate lemma with what it needs among its words ("withdraw
... troops", "resume ... attacks"). On the parse, a frame's stance turns when it is negated or
opposed on the way up to the verb that states it ("no buildup of troops", "is not contemplating
sending", "rejected ... withdrawal") or judged badly ("called the new deployment unwise",
``evaluations.csv``), and a demand limited to combat or ground troops is ``transition`` (spec).
The statement is the nearest statement verb or noun (``statement_verbs.csv``) above the predicate;
its subject (or a noun's "from X", "by X", possessor) holds the stance. A frame under "if" or
"whether" is no stance, nor is a deed told as an event ("when it withdrew the last of its forces"),
nor one named only as a backdrop ("after a decade of massive ground deployments").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import lexicon
from .analysis import lemma, word_forms
from .valence import BAD, valence

SUBJECTS = ("nsubj", "nsubjpass", "csubj")
_MODALS = {"will", "would", "should", "must", "could", "can", "may", "might", "shall", "to"}
_RELATIVE = {"who", "which", "that"}
_QUOTING = {"quote", "cite"}  # "quoted her as saying": the object speaks
_OPEN, _CLOSE, _EITHER = "“", "”", {'"', "''", "``"}
_PERSONAL = {"its", "their", "his", "her", "our", "my", "your"}


@dataclass(frozen=True)
class FrameRow:
    stance: str
    lemma: str
    particle: str | None
    kind: str        # say or act
    needs: str       # forces, subject, attacks, near, lemmas separated by |, or -
    negated: str | None


@dataclass
class FrameHit:
    """One stance frame found in a sentence."""

    stance: str | None         # the stance of the holders (None when only the possessors hold one)
    predicate: object          # the spaCy token of the predicate
    kind: str                  # say or act (the frame's)
    statement: object | None   # the statement verb or noun that governs it, if any
    holders: list              # tokens that hold it: subjects, agents, "from X", "according to X"
    quoted: bool               # the predicate is inside quotation marks
    own: list = field(default_factory=list)  # possessors of a deed named by a noun ("Trump's planned withdrawals")
    own_stance: str | None = None            # their stance: the frame's own, whatever the statement says of it
    reporters: list = field(default_factory=list)  # who reports the statement ("Analysts said the Taliban want")
    first_person: bool = False  # "our troops", "we": the writers' own stance (an opinion piece's byline)
    embedded: bool = False      # a quoted fragment inside the reporter's own sentence ("was poised “to ...”")


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
def _words(role: str) -> frozenset[str]:
    """The words of ``frame_words.csv`` that play ``role`` (opposer, limited, partial, light_verb, ...)."""
    return frozenset(row["word"].lower() for row in lexicon.load("frame_words") if row["role"] == role)


@lexicon.derived
def _surface() -> re.Pattern:
    """Any written form of a frame's first word ("withdrew", "leaving", "expulsion")."""
    return re.compile("|".join(word_forms(row["predicate"].split()[0].lower())
                               for row in lexicon.load("stance_frames")), re.IGNORECASE)


@lexicon.derived
def _statement_forms() -> re.Pattern:
    """Any written form of a statement word, so that only those need a lemma."""
    words = {row["verb"].lower() for row in lexicon.load("statement_verbs") if " " not in row["verb"]}
    return re.compile("|".join(word_forms(word) for word in sorted(words)), re.IGNORECASE)


@lexicon.derived
def _objects() -> dict[str, frozenset[str]]:
    groups: dict[str, set[str]] = {"forces": set(), "attacks": set(), "aid": set(), "not_forces": set()}
    for row in lexicon.load("frame_objects"):
        groups[row["group"]].add(row["word"].lower())
    groups["forces"].update(row["noun"].lower() for row in lexicon.load("troop_nouns") if " " not in row["noun"])
    return {name: frozenset(words) for name, words in groups.items()}


@lexicon.derived
def _evaluations() -> dict[str, str]:
    return {row["word"].lower(): row["polarity"] for row in lexicon.load("evaluations")}


@lexicon.derived
def _statement_words() -> dict[str, frozenset[str]]:
    rows = [r for r in lexicon.load("statement_verbs") if " " not in r["verb"]]
    return {"verb": frozenset(r["verb"].lower() for r in rows if r["kind"] != "noun"),
            "noun": frozenset(r["verb"].lower() for r in rows if r["kind"] == "noun")}


@lexicon.derived
def _statement_kinds() -> dict[str, str]:
    return {row["verb"].lower(): row["kind"] for row in lexicon.load("statement_verbs") if " " not in row["verb"]}


def statement_kind(token) -> str:
    """``report`` (said), ``act`` (demanded) or ``noun`` (a request), as ``statement_verbs.csv`` says."""
    kinds = _statement_kinds()
    return kinds.get(token.lower_) or kinds.get(lemma(token)) or ("noun" if token.pos_ == "NOUN" else "act")


def is_statement(token) -> bool:
    """Whether a token states something: a statement verb ("said", "vowing") or noun ("a request")."""
    if token.pos_ not in ("VERB", "AUX", "NOUN"):
        return False
    words = _statement_words()["noun" if token.pos_ == "NOUN" else "verb"]
    if token.lower_ in words:
        return True
    return _statement_forms().fullmatch(token.lower_) is not None and lemma(token) in words


def _is_force(token) -> bool:
    """A word that names armed forces, unless a modifier says otherwise ("nonessential government personnel")."""
    words = _objects()
    if not (lemma(token) in words["forces"] or token.lower_ in words["forces"]):
        return False
    return not any(c.lower_ in words["not_forces"] for c in token.children if c.dep_ in ("amod", "compound"))


def _has(tokens, group: str) -> bool:
    if group == "forces":
        return any(_is_force(t) for t in tokens)
    words = _objects()[group]
    return any(lemma(t) in words or t.lower_ in words for t in tokens)


def _names_forces_or_attacks(doc) -> bool:
    """Whether a sentence names forces or attacks anywhere (worked out once per sentence)."""
    found = doc.user_data.get("threadlib_forces")
    if found is None:
        found = doc.user_data["threadlib_forces"] = _has(doc, "forces") or _has(doc, "attacks")
    return found


_CORE = ("dobj", "nsubj", "nsubjpass", "attr", "oprd", "dative", "pobj")


def _arguments(token) -> list:
    """What a verb acts on: the heads of its object and subject (and of "out of", "from" phrases),
    with their conjuncts and "of" complements ("the last of its forces") - not every word below it
    ("reducing international support for the Iraqi forces" reduces support, not forces)."""
    heads = [c for c in token.children if c.dep_ in _CORE]
    heads += [g for c in token.children if c.dep_ in ("prep", "prt") for g in c.children if g.dep_ == "pobj"]
    # "need troops to help us": the subject of the clause it takes
    heads += [g for c in token.children if c.dep_ in ("xcomp", "ccomp") for g in c.children if g.dep_ in _CORE[:3]]
    found = []
    while heads:
        head = heads.pop()
        found.append(head)
        heads += [c for c in head.children if c.dep_ in ("conj", "compound", "appos")]
        heads += [g for c in head.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
                  if g.dep_ == "pobj"]
    return found


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
    base = lemma(token)
    if base in _words("opposer"):
        return True
    return any(f"{base} {child.lower_}" in _words("opposer") for child in token.children if child.dep_ == "prt")


def quoted_tokens(doc) -> list[bool]:
    """For each token, whether it stands inside quotation marks. A closing curly quote before any
    opening one means the sentence starts inside a quote that an earlier sentence opened."""
    cached = doc.user_data.get("threadlib_quoted")
    if cached is not None:
        return cached
    marks = [_quote_kind(t) for t in doc if t.text in (_OPEN, _CLOSE) or t.text in _EITHER]
    inside = bool(marks) and marks[0] == "close"
    out = []
    for token in doc:
        kind = _quote_kind(token) if token.text in (_OPEN, _CLOSE) or token.text in _EITHER else None
        if kind == "open":
            inside = True
        elif kind == "close":
            inside = False
        elif kind == "toggle":
            inside = not inside
        out.append(inside and kind is None)
    doc.user_data["threadlib_quoted"] = out
    return out


def _quote_kind(token) -> str:
    """open, close, or toggle (a straight quote with spaces on both sides) for a quotation mark."""
    if token.text == _OPEN:
        return "open"
    if token.text == _CLOSE:
        return "close"
    doc = token.doc
    if token.i > 0 and doc[token.i - 1].whitespace_ == "":
        return "close"  # attached to the word before: 'mode," Putin said'
    if token.whitespace_ == "" and token.i + 1 < len(doc):
        return "open"   # attached to the word after: '"There will be'
    return "toggle"


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
        if child.dep_ in ("nsubj", "nsubjpass") and child.lower_ in _RELATIVE:
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
    if not found and verb.dep_ == "acl" and verb.tag_ == "VBD":
        found = [verb.head]  # "the regime — the Government of National Accord — asked for ..."
    if not found and verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        found = _holder_tokens(verb.head)  # "the council did not believe ... but was itself committed to ..."
    if not found and lemma(verb.head) in _QUOTING:
        found = [c for c in verb.head.children if c.dep_ == "dobj"]  # "It quoted her as saying that ..."
    return found


def _nominal_holders(token, *, personal: bool = True) -> list:
    """Who a noun's statement belongs to: "a request from X", "X's request", "his commitment",
    "the demand by X", "the recommendation of Secretary Carter"."""
    found = []
    heads = [token, *token.conjuncts]  # "a warning and request from Russia"
    for child in (c for head in heads for c in head.children):
        if child.dep_ == "poss" and (personal or child.lower_ not in _PERSONAL):
            found.append(child)
        elif child.dep_ == "prep" and child.lower_ in ("from", "by", "of"):
            objects = [g for g in child.children if g.dep_ == "pobj"]
            if child.lower_ == "of":
                objects = [g for g in objects if g.pos_ == "PROPN"]  # "of Secretary Carter", not "of troops"
            found += objects + [c for g in objects for c in g.conjuncts]
    return found


def _according_to(doc) -> list:
    for token in doc:
        if token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            return [g for g in doc[token.i + 1].children if g.dep_ == "pobj"]
    return []


def find_frames(doc, *, near: bool = False) -> list[FrameHit]:
    """The stance frames of a parsed sentence, with their statement and holder tokens. ``near``
    says that the sentence before names forces or attacks (for frames that need them near)."""
    hits = []
    frames = _frames()
    quoted = quoted_tokens(doc)
    surface = _surface()
    for token in doc:
        if surface.fullmatch(token.lower_) is None:
            continue  # no form of any frame's word: no need for its lemma
        rows = frames.get(lemma(token)) or frames.get(token.lower_)
        if not rows:
            continue
        for row in rows:
            hit = _match(token, row, near=near, quoted=quoted[token.i])
            if hit is not None:
                hits.append(hit)
                break
    # "a request from Russia to stay out of Syrian airspace": the frame below says what was asked
    governing = {t.i for h in hits if h.statement is not None and h.statement is not h.predicate
                 for t in (h.statement, *h.statement.conjuncts)}
    return [h for h in hits if h.predicate.i not in governing]


def _forces_by_name(token) -> bool:
    """ "removing the U.S. from Iraq": a state named as the object of a withdrawal, from a place."""
    objects = [c for c in token.children if c.dep_ == "dobj" and c.pos_ == "PROPN"]
    origins = [g for c in token.children if c.dep_ == "prep" and c.lower_ in ("from", "out")
               for g in c.subtree if g.pos_ == "PROPN"]
    return bool(objects and origins)


def _subjects(token) -> list:
    """Who or what a verb is said of: its own subject (with an "of" complement: "thousands of
    troops"), else, for an infinitive under "need to", "have to", "want to" ..., the subject of the
    verb that controls it: "troops needed to stay"."""
    own = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
    own += [g for c in own for p in c.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.children
            if g.dep_ == "pobj"]
    head = token.head
    infinitive = token.dep_ == "xcomp" or (token.dep_ == "advcl" and any(c.lower_ == "to" and c.dep_ == "aux"
                                                                          for c in token.children))
    if own or not infinitive or head is token:
        return own
    return _subjects(head)


def _needs_met(token, row: FrameRow, words: list, near: bool) -> bool:
    if row.needs == "-":
        return True
    if row.needs == "near":
        objects = [c for c in token.children if c.dep_ == "dobj"]
        if objects and not any(_has(list(o.subtree), group) for o in objects for group in ("forces", "attacks", "aid")):
            return False  # "requested a closed-door U.N. Security Council meeting"
        return near or _names_forces_or_attacks(token.doc)
    if row.needs == "subject":
        return _has(_subjects(token), "forces")
    wanted = set(row.needs.split("|"))
    own_words = _arguments(token) if token.pos_ == "VERB" else words
    if "forces" in wanted and (_has(own_words, "forces") or (row.stance == "withdraw" and _forces_by_name(token))):
        return True
    if "attacks" in wanted and _has(words, "attacks"):
        return True
    return any(lemma(w) in wanted for w in words)


def _is_event(token) -> bool:
    """A deed told as a fact: simple past ("withdrew"), or under way ("are being sent")."""
    if token.tag_ == "VBD" and not _modal(token):
        return True
    return any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("being", "been", "was", "were") for c in token.children)


def _backdrop(token) -> bool:
    """A frame noun named as a time or circumstance: "after a decade of massive ground deployments"."""
    for head in _chain(token)[1:4]:
        if head.dep_ == "prep" and head.lower_ in _words("backdrop"):
            return True
        if head.pos_ in ("VERB", "AUX"):
            return False
    return False


def _judged_badly(token) -> bool:
    """A frame noun judged badly: "a premature withdrawal", "called the new deployment unwise",
    "the deployment is a mistake", "a grave error" (``evaluations.csv``, VADER's valence); a good
    judgement keeps the stance."""
    judged = [c for c in token.children if c.dep_ == "amod"]
    head = token.head
    if token.dep_ in ("nsubj", "nsubjpass"):
        judged += [c for c in head.children if c.dep_ in ("acomp", "attr")]
    if token.dep_ == "dobj":
        judged += [c for c in head.children if c.dep_ in ("oprd", "xcomp", "ccomp", "acomp")]
        judged += [c for c in token.children if c.dep_ in ("amod", "oprd", "appos")]
    listed = any(_evaluations().get(lemma(w)) == "bad" or _evaluations().get(w.lower_) == "bad"
                 for j in judged for w in j.subtree)
    # VADER rates only the judgement itself and its own modifiers ("a grave error"), not the clause
    # it may head ("bolstering the presence but stoking fears")
    rated = [w for j in judged for w in (j, *(c for c in j.children if c.dep_ in ("amod", "advmod")))
             if not (_evaluations().get(lemma(w)) or _evaluations().get(w.lower_))]
    return listed or any(valence(w.lower_) <= BAD for w in rated)


def _first_person(words) -> bool:
    """ "our troops", "we", "us" (not "US troops")."""
    return any(w.text in ("our", "Our", "we", "We", "us") for w in words)


def _match(token, row: FrameRow, *, near: bool = False, quoted: bool = False) -> FrameHit | None:
    if not _particle_ok(token, row.particle):
        return None
    words = _words_of(token)
    if not _needs_met(token, row, words, near):
        return None
    if row.kind == "act" and token.pos_ == "NOUN" and _backdrop(token):
        return None  # "after a decade of massive ground deployments"
    chain = _chain(token)
    statement = token if (row.kind == "say" and token.pos_ == "VERB") else next(
        (t for t in chain if is_statement(t)), None)
    below = chain[:chain.index(statement)] if statement is not None else chain
    presence = row.stance in ("withdraw", "stay", "transition")
    own = _owners(token) if token.pos_ == "NOUN" and row.kind == "act" and presence else []
    conditions = _words("condition")
    if any(child.lower_ in conditions for t in below for child in t.children if child.dep_ in ("mark", "advmod")):
        # "if U.S. troops stayed", "whether to send", "how can we think about maintaining"; a deed's
        # owner still holds it ("past the deadline for combat operations revealed by President Biden")
        return FrameHit(None, token, row.kind, None, [], quoted, own, row.stance) if own else None
    if statement is not None and statement is not token and _negated_here(statement):
        return None  # "is not calling for a withdrawal": a statement denied states nothing
    judged = presence and token.pos_ == "NOUN" and _judged_badly(token)
    first_person = not quoted and _first_person(words)
    if row.kind == "act" and statement is None and not quoted and not own and not judged and not first_person:
        return None  # a deed that nobody states
    if row.kind == "act" and presence and token.pos_ == "VERB" and _is_event(token):
        return None  # "when it withdrew the last of its forces": an event
    if row.stance in ("suspend", "resume") and _others_attacks(words):
        return None  # "to stop an Iranian drone attack": someone else's attacks
    flips = sum(_negated_here(t) or _opposed(t) for t in below if t is not token) + _negated_here(token)
    flips += sum(_negated_here(w) for w in words if w.dep_ in ("dobj", "pobj", "attr", "nsubj") and w is not token
                 and w.head is token)
    flips += judged
    if statement is not None and statement is not token and _opposed(statement):
        flips += 1  # "rejected the withdrawal", "denouncing the plans to reduce troops": the opposite stance
    limited = any(lemma(w) in _words("limited") for w in words) or (row.stance == "withdraw" and _partial(words))
    stance = _turn(row, flips % 2 == 1, limited)
    if stance is None and not own:
        return None
    if row.kind == "say" and token.pos_ == "NOUN":
        holders = _statement_holders(token, climb=False)  # "a request from X": whoever asked, if the text says
        if (not holders and token.dep_ == "dobj" and statement is not None and token.head.i == statement.i
                and statement_kind(statement) == "act"):
            holders = _statement_holders(statement)  # "Nasrallah swore revenge" (not "fearing retaliation")
    else:
        holders = _statement_holders(statement) if statement is not None else []
    holders = holders or _according_to(token.doc)
    outer = next((t for t in _chain(statement)[1:] if is_statement(t)), None) if statement is not None else None
    reporters = _statement_holders(outer) if outer is not None else []
    return FrameHit(stance, token, row.kind, statement, holders, quoted, own, _turn(row, False, limited),
                    reporters, first_person, quoted and _embedded(chain))


def _embedded(chain) -> bool:
    """Whether a quoted frame's clause leaves the quote at a verb that states nothing: a fragment
    quoted inside the reporter's sentence ('Sudani was poised “to choreograph this withdrawal”')."""
    quoted = quoted_tokens(chain[0].doc)
    inside = [t for t in chain if quoted[t.i]]
    exit_ = next((t for t in chain if not quoted[t.i]), None)
    if exit_ is None or not inside or is_statement(exit_):
        return False
    return inside[-1].dep_ not in ("ccomp", "parataxis", "ROOT")  # a clause quoted whole is speech


def _owners(token) -> list:
    """Who a deed named by a noun belongs to: "Trump's planned withdrawals", "the deadline ... revealed
    by President Joe Biden"."""
    found = [t for t in _nominal_holders(token) if t.dep_ == "poss" and t.lower_ not in _PERSONAL]
    for participle in (c for c in token.children if c.dep_ == "acl" and c.tag_ == "VBN"):
        found += [g for a in participle.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"]
    return found


def _partial(words) -> bool:
    """Some of the forces, not all: "remove 10,000 troops", "a small number of the 2,500 forces" (spec
    v1.2: reducing them while a presence remains is transition); "all 2,000 troops" is all."""
    forces = [w for w in words if _is_force(w)]
    if any(c.lower_ in ("all", "every") for f in forces for c in f.subtree):
        return False
    counted = any(c.dep_ == "nummod" for f in forces for c in f.children)
    some = any(w.lower_ in _words("partial") for w in words)
    return counted or some


def _others_attacks(words) -> bool:
    attacks = [w for w in words if _has([w], "attacks")]
    return any(c.dep_ in ("amod", "compound", "poss") and (c.pos_ == "PROPN" or c.tag_ == "NNP" or
                                                           (c.text[:1].isupper() and c.pos_ == "ADJ"))
               and c.lower_ not in _PERSONAL for a in attacks for c in a.children)


def _turn(row: FrameRow, negated: bool, limited: bool) -> str | None:
    """The frame's stance under negation, and limited to combat or ground troops (spec)."""
    stance = row.stance
    if negated:
        if row.negated is None:
            return None
        stance = row.negated
    elif stance == "-":
        return None  # a frame that states a stance only when negated ("would not become mired")
    if limited and (stance == "withdraw" and not negated or negated and row.stance == "stay"):
        stance = "transition"  # a demand limited to combat troops, or to some of them; ruling out ground troops
    return stance


def _statement_holders(statement, *, climb: bool = True) -> list:
    """Who makes a statement: a verb's subject (else the next subject up, for "vowing to ..."); a
    noun's "from X", "by X" or possessor, the subject of a light verb ("issued a warning"), else
    whoever states the sentence ("The decision to send ... is needed, X said")."""
    if statement.pos_ == "NOUN":
        holders = _nominal_holders(statement)
        if climb and statement.dep_ == "dobj" and is_statement(statement.head):
            # "Stroud reaffirmed the Biden administration's commitment": both hold it
            holders += _holder_tokens(statement.head)
        verb = statement.head if statement.dep_ == "dobj" else statement.head.head  # "stuck to his commitment"
        if not holders and statement.dep_ in ("dobj", "pobj") and lemma(verb) in _words("light_verb"):
            holders = _holder_tokens(verb)
        if not holders and climb:
            above = next((t for t in _chain(statement)[1:] if is_statement(t) and t.pos_ != "NOUN"), None)
            holders = _statement_holders(above) if above is not None else []
        return holders
    for t in _chain(statement):
        holders = _holder_tokens(t) if t.pos_ in ("VERB", "AUX") else []
        if holders:
            return holders
    return []


def _modal(token) -> bool:
    return any(child.lower_ in _MODALS for child in token.children if child.dep_ in ("aux", "auxpass"))
