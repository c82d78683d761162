"""Who and where: actor classes and countries named in a text, from the lexicons.

* `find_places` finds countries (by name), places (cities, provinces, bases) and demonyms.
* `find_actor_cues` finds the words that say whose forces a text speaks of, as actor classes:
  ``US``, ``coalition``, ``host`` (the country the thread is about), ``insurgent``, ``militia``, ``other``.
* `host_country` says which country a thread is about.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from . import lexicon

ACTOR_CLASSES = ("US", "coalition", "host", "insurgent", "militia", "other")

# "Iranian-backed", "U.S.-led": the named party backs or leads someone else.
_COMPOUND_AFTER = re.compile(r"^-(?:backed|led|aligned|linked|allied|supported|funded|sponsored|based|"
                             r"designated|made|trained|born|controlled|held)\b|^[-–][A-Z]")
# Groups that a state backs are militias (spec: "militias and paramilitaries, state-backed or not").
_LED = re.compile(r"-led\s+(?:(?:international|multinational|military|western)\s+)?(?:coalition|alliance|forces|mission)\b")
_BACKED_GROUP = re.compile(r"(?<![\w.’'-])[\w.’'-]{1,40}?-(?:backed|aligned|linked|sponsored|supported)\s+(?:[a-z]+\s+)?"
                           r"(?:groups?|factions?|prox(?:y|ies)|forces|fighters|militants|militias?|networks?)\b")
_AREA_WORDS = (r"(?:(?:northern|southern|eastern|western|central|neighboring|neighbouring|northeastern|"
               r"northwestern|southeastern|southwestern|rural|both)\s+)*")
_LOCATIVE_BEFORE = re.compile(r"\b(?:in|into|inside|across|throughout|to|from|near|at|of|leave|left|leaving|"
                              rf"enter|entered|invade|invaded|occupy|occupied|outside)\s+(?:the\s+)?{_AREA_WORDS}$",
                              re.IGNORECASE)
_POSSESSIVE_FORCE = re.compile(r"[’']s\s+(?:own\s+)?(?:military|army|armed forces|forces|troops|soldiers|navy|"
                               r"air force|government|militia|security forces)\b")
_COORDINATION = re.compile(rf"\s*(?:,|,?\s*and|,?\s*or)\s+(?:the\s+)?{_AREA_WORDS}", re.IGNORECASE)
_BORDER_WITH = re.compile(r"\bborders?\s+with\s+$", re.IGNORECASE)


@dataclass(frozen=True)
class Place:
    """A country named in a text: by ``name``, as a ``place`` inside it, or by ``demonym``."""

    start: int
    end: int
    text: str
    country: str
    kind: str  # name, place or demonym


def _alternation(words) -> str:
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))


@lexicon.derived
def _place_index() -> tuple[re.Pattern, dict[str, tuple[str, str]]]:
    index: dict[str, tuple[str, str]] = {}
    for row in lexicon.load("countries"):
        for demonym in filter(None, row["demonyms"].split("|")):
            index[demonym] = (row["country"], "demonym")
        for name in [row["country"], *filter(None, row["names"].split("|"))]:
            index[name] = (row["country"], "name")
    for row in lexicon.load("places"):
        index.setdefault(row["place"], (row["country"], "place"))
    # Whole words: not inside another word; a trailing period may be part of the name ("U.S.").
    pattern = re.compile(rf"(?<![\w.-])(?:{_alternation(index)})(?![\w])(?!\.\w)")
    return pattern, index


@lexicon.derived
def _bloc() -> dict[str, str]:
    return {row["country"]: row["bloc"] for row in lexicon.load("countries")}


def find_places(text: str) -> list[Place]:
    """Countries, places and demonyms in ``text``, in order.

    >>> [(p.text, p.country, p.kind) for p in find_places("U.S. troops near Hasaka in Syria")]
    [('U.S.', 'United States', 'name'), ('Hasaka', 'Syria', 'place'), ('Syria', 'Syria', 'name')]
    """
    pattern, index = _place_index()
    return [Place(m.start(), m.end(), m.group(), *index[m.group()]) for m in pattern.finditer(text)]


_ACTING = re.compile(r"\s+(?:is|was|has|have|had|says|said|will|would|wants|wanted|accused|accuses|denied|denies|"
                     r"blamed|blames|claimed|claims|insists|insisted|warned|warns|announced|announces|"
                     r"responded|threatened|threatens|demanded|demands)\b")


@lexicon.derived
def _modifier_nouns() -> frozenset[str]:
    """Nouns that a country's name modifies rather than locates ("U.S. airstrikes", "U.S. troops")."""
    words = {row["noun"].split()[-1].lower() for row in lexicon.load("troop_nouns")}
    words |= {row["noun"].split()[-1].lower() for row in lexicon.load("attack_nouns")}
    words |= {row["noun"].lower() for row in lexicon.load("attacked_places")}
    return frozenset(words | {"military", "officials", "official", "government", "embassy", "interests", "targets",
                              "target", "drones", "drone", "jets", "aircraft", "warplanes", "warships"})


def _modified_noun(text: str, end: int) -> bool:
    following = re.match(r"\s+(?:[a-z-]+\s+){0,2}?([a-z]+)\b", text[end:end + 40])
    return following is not None and following.group(1) in _modifier_nouns()


def locating_places(text: str) -> list[Place]:
    """The places in ``text`` that say where something is (see `locations`), in order."""
    return list(_locating_places(text))


@lexicon.derived_per_text()
def _locating_places(text: str) -> tuple[Place, ...]:
    accepted: list[Place] = []
    last_end = None  # where the last accepted place ended, for "in Syria and Iraq"
    names = [m.span() for m in _cue_index()[0].finditer(text) if " " in m.group()]
    for place in find_places(text):
        if place.kind == "demonym" or any(s <= place.start and place.end <= e for s, e in names):
            continue  # a demonym, or a place inside a name ("Islamic Resistance in Iraq")
        before, after = text[max(0, place.start - 60):place.start], text[place.end:place.end + 3]
        if _BORDER_WITH.search(before) or _COMPOUND_AFTER.match(text[place.end:]) or re.search(r"\w[-–]$", before):
            continue  # "border with Jordan", "U.S.-led", "Israel-Hamas war"
        if place.kind == "name" and _modified_noun(text, place.end):
            continue  # "a second round of U.S. airstrikes": a modifier, not a location
        if not _LOCATIVE_BEFORE.search(before) and _ACTING.match(text, place.end):
            continue  # "Tehran is behind ...", "Moscow denied ...": the state that acts, not a place
        possessive = after[:2] in ("’s", "'s")
        coordinated = last_end is not None and _COORDINATION.fullmatch(text[last_end:place.start])
        if place.kind == "place" or possessive or coordinated or _LOCATIVE_BEFORE.search(before):
            last_end = place.end
            accepted.append(place)
    return tuple(accepted)


def locations(text: str, *, exclude: set[str] = frozenset()) -> list[str]:
    """The countries ``text`` places something in, in text order, without repeats.

    A country counts when it is named after a locative word ("in Iraq", "leave Iraq", "of northern
    Iraq"), in a list after one ("in Syria and Iraq"), in the possessive ("Syria's border"), or
    through a place inside it ("Hasaka"); not as a modifier ("U.S. troops"), inside a compound
    ("U.S.-led", "Israel-Hamas war") or a name, or after "border with". ``exclude`` drops
    countries (the actor's own).

    >>> locations("about 700 troops in the region, mostly in Hasaka, and 200 near Syria’s border with Jordan")
    ['Syria']
    """
    found: list[str] = []
    for place in locating_places(text):
        if place.country not in exclude and place.country not in found:
            found.append(place.country)
    return found


_NEAR_BREAK = re.compile(r"[;:—–()\[\]]|,\s+(?:and|but|while|who|which|where|as)\b|\bnor\b")
_NEAR_CHARS = 90
_NARROWING = re.compile(r"\b(?:mostly|mainly|largely|chiefly|primarily|principally|including|especially|notably)\b",
                        re.IGNORECASE)


@lexicon.derived
def _region_pattern() -> re.Pattern:
    names = "|".join(lexicon.phrase_regex(row["region"]) for row in lexicon.load("regions"))
    return re.compile(rf"\b(?:in|into|to|across|throughout|from|around)\s+(?:{names})\b", re.IGNORECASE)


def nearby_locations(text: str, start: int, end: int, *, after_to: int | None = None, before_from: int = 0,
                     exclude: set[str] = frozenset()) -> list[str] | None:
    """The countries that the words right after a mention (to its clause's end, or ``after_to``),
    else right before it (back to its clause's start, or ``before_from``), place it in; ``[]`` when
    those words place it in a region that is no country ("in the region"); None when they say nothing.

    >>> text = "roughly 5,000 US troops in Iraq and around 2,000 in Syria"
    >>> nearby_locations(text, 0, 23, after_to=36), nearby_locations(text, 36, 48)
    (['Iraq'], ['Syria'])
    >>> nearby_locations("a 120,000-troop deployment in the region and the withdrawal from Iraq", 2, 26)
    []
    """
    limit = min(len(text), end + _NEAR_CHARS, after_to if after_to is not None else len(text))
    stop = _NEAR_BREAK.search(text, end, limit)
    after = (end, stop.start() if stop else limit)
    breaks = [m.end() for m in _NEAR_BREAK.finditer(text, max(before_from, start - _NEAR_CHARS), start)]
    before = (breaks[-1] if breaks else max(before_from, start - _NEAR_CHARS), start)
    places = [p for p in locating_places(text) if p.country not in exclude]
    for (low, high), nearest_first in ((after, True), (before, False)):
        found = [(p.start, p.country) for p in places if low <= p.start and p.end <= high]
        regions = [(m.start(), None) for m in _region_pattern().finditer(text, low, high)]
        if not found and not regions:
            continue
        items = sorted(found + regions, reverse=not nearest_first)
        if items[0][1] is None:  # "in the region": no country, unless one narrows it ("mostly in Hasaka")
            narrowed = [c for s, c in found if _NARROWING.search(text, max(low, s - 30), s)]
            return narrowed[:1]
        return _first_run(text, [p for p in places if low <= p.start and p.end <= high], nearest_first)
    return None


def _first_run(text: str, places: list[Place], nearest_first: bool) -> list[str]:
    """The countries of the place nearest a mention and of those listed with it ("in Syria and Iraq")."""
    ordered = places if nearest_first else places[::-1]
    run = [ordered[0]]
    for place in ordered[1:]:
        left, right = (run[-1], place) if nearest_first else (place, run[-1])
        if not _COORDINATION.fullmatch(text[left.end:right.start]):
            break
        run.append(place)
    run.sort(key=lambda p: p.start)
    return list(dict.fromkeys(p.country for p in run))


@lexicon.derived
def _cue_index() -> tuple[re.Pattern, dict[str, tuple[str, str]]]:
    """Cue words and known actors' names -> (class, country); an empty class comes from the country."""
    cues: dict[str, tuple[str, str]] = {}
    for row in lexicon.load("known_actors"):
        for name in [row["name"], *filter(None, row["aliases"].split("|"))]:
            cues[name] = (row["class"], row["country"])
    for row in lexicon.load("actor_cues"):
        cues[row["cue"]] = (row["class"], "")
        if row["cue"].islower():  # a common noun may open a sentence: "Jihadists launched ..."
            cues.setdefault(row["cue"][0].upper() + row["cue"][1:], (row["class"], ""))
    pattern = re.compile(rf"(?<![\w-])(?:{_alternation(cues)})(?![\w])")
    return pattern, cues


@dataclass(frozen=True)
class ActorCue:
    """A word that names whose forces a text speaks of, and the actor class it gives."""

    start: int
    end: int
    text: str
    actor: str
    country: str | None = None  # the state whose forces these are, where the words say


def country_class(country: str, host: str | None) -> str:
    """The actor class of a country's forces in a thread about ``host``.

    >>> country_class("United States", "Iraq"), country_class("Iraq", "Iraq"), country_class("Iran", "Iraq")
    ('US', 'host', 'other')
    """
    if country == host:
        return "host"
    bloc = _bloc().get(country, "")
    return {"us": "US", "coalition": "coalition"}.get(bloc, "other") if country else "other"


def find_actor_cues(text: str, *, host: str | None) -> list[ActorCue]:
    """Words that say whose forces ``text`` speaks of, with their class, in text order.

    Countries count by demonym ("Iraqi") or as a modifier ("U.S. troops"), not as a location
    ("in Iraq"); "Iranian-backed" and "U.S.-led" name a backer, not the actor.

    >>> [(c.text, c.actor) for c in find_actor_cues("Iranian-backed militias attacked U.S. forces", host="Iraq")]
    [('Iranian-backed militias', 'militia'), ('U.S.', 'US')]
    """
    return list(_actor_cues(text, host))


@lexicon.derived_per_text(maxsize=lexicon.SENTENCES_KEPT)
def _actor_cues(text: str, host: str | None) -> tuple[ActorCue, ...]:
    cues: list[ActorCue] = []
    locating = {(p.start, p.end) for p in locating_places(text)}
    for place in find_places(text):
        if (led := _LED.match(text, place.end)) and place.kind != "place":
            # "the U.S.-led coalition": the first named is its leader (spec: "U.S. and coalition forces" -> US)
            cues.append(ActorCue(place.start, led.end(), text[place.start:led.end()],
                                 country_class(place.country, host), place.country))
            continue
        if _COMPOUND_AFTER.match(text[place.end:]) or place.kind == "place":
            continue
        if (place.start, place.end) in locating and not _POSSESSIVE_FORCE.match(text, place.end):
            continue  # "in Iraq" says where, not whose; "Iraq's military" says whose
        cues.append(ActorCue(place.start, place.end, place.text, country_class(place.country, host), place.country))
    pattern, classes = _cue_index()
    cues += [ActorCue(m.start(), m.end(), m.group(), "militia") for m in _BACKED_GROUP.finditer(text)]
    # Longer names first, so that "Islamic Resistance in Iraq" wins over "Iraq" and "Joe Biden" over "Biden".
    for match in sorted(pattern.finditer(text), key=lambda m: m.start() - m.end()):
        if _COMPOUND_AFTER.match(text[match.end():]):
            continue
        cues = [c for c in cues if not (c.start >= match.start() and c.end <= match.end()
                                        and (c.end - c.start) < (match.end() - match.start()))]
        if any(c.start < match.end() and match.start() < c.end for c in cues):
            continue
        actor_class, country = classes[match.group()]
        cues.append(ActorCue(match.start(), match.end(), match.group(),
                             actor_class or country_class(country, host), country or None))
    return tuple(sorted(cues, key=lambda cue: cue.start))


def first_named(cues: list[ActorCue], text: str) -> ActorCue | None:
    """The actor a run of cues in one phrase names: the first of a list ("U.S. and NATO troops" ->
    U.S.), else the one nearest the noun ("former Iraqi army officers" -> the last).

    >>> text = "U.S. and coalition forces"
    >>> first_named(find_actor_cues(text, host="Iraq"), text).actor
    'US'
    """
    if not cues:
        return None
    if len(cues) > 1 and re.search(r"\b(?:and|or)\b|,|/", text[cues[0].end:cues[1].start]):
        return cues[0]
    return cues[-1]


def cues_within(cues: list[ActorCue], span: tuple[int, int]) -> list[ActorCue]:
    """The cues inside a span of the text."""
    return [c for c in cues if span[0] <= c.start and c.end <= span[1]]


def host_country(thread) -> str | None:
    """The country a thread is about: the one its title places something in ("US TROOPS IN SYRIA",
    "Turkey's incursion into Iraq"), else another its title names that is not the foreign force
    (not "Turkey's", not "U.S. troops"), else the one its posts place most things in. The United
    States, whose forces most such threads follow, comes last when another country qualifies.

    >>> from threadlib.thread import Thread
    >>> [host_country(Thread("-", t, [])) for t in ("US TROOPS IN SYRIA", "TURKEY IN IRAQ", "Re: IRAQ",
    ...                                                   "Russian forces leave Syria", "UKRAINE")]
    ['Syria', 'Iraq', 'Iraq', 'Syria', 'Ukraine']
    """
    title = thread.title or ""
    by_upper = {name.upper(): country for name, (country, kind) in _place_index()[1].items() if kind == "name"}
    words = list(re.finditer(r"\w[\w.’'-]*", title))
    placed, named, forces = [], [], []
    i = 0
    while i < len(words):  # "Saudi Arabia" before "Saudi"; "U.S." as written
        two = " ".join(w.group() for w in words[i:i + 2]).upper()
        size = 2 if len(words[i:i + 2]) == 2 and two in by_upper else 1
        country = by_upper.get(two if size == 2 else words[i].group().upper().rstrip("’'S") if
                               words[i].group().upper().endswith(("’S", "'S")) else words[i].group().upper())
        if country:
            before = title[:words[i].start()]
            after = title[words[i + size - 1].end():]
            if _LOCATIVE_BEFORE.search(before):
                placed.append(country)
            elif re.match(r"[’']s\b", after) or _modified_noun(title.lower(), words[i + size - 1].end()):
                forces.append(country)  # "Turkey's incursion", "US TROOPS": the foreign force
            else:
                named.append(country)
        i += size
    for candidates in (placed, named):
        ranked = sorted(dict.fromkeys(candidates), key=lambda c: c == "United States")
        if ranked:
            return ranked[0]
    counts: Counter[str] = Counter()
    for post in thread:
        for field in (post.headline, post.body):
            if field:
                counts.update(p.country for p in locating_places(field))
    ranked = sorted((c for c, _ in counts.most_common()), key=lambda c: c == "United States")
    return ranked[0] if ranked else (forces[0] if forces else None)
