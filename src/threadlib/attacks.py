"""Attack-frequency claims: how many attacks happened over a span, with the span resolved to dates.

A claim is a number with an attack noun ("more than 140 incidents", "two retaliatory attacks"),
a multiplicative with an attack verb ("attacked at least 55 times", "twice retaliated"), or a
streak ("the fourth day of attacks", "three days of strikes in a row"). One attack on several
targets ("struck three sites") and "repeatedly" are not claims. Nouns, verbs and named events
are lexicons (``attack_nouns.csv``, ``attack_verbs.csv``, ``events.csv``).

`attack_timeline` lines up claims of one scope and flags those that cannot all be true.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from . import lexicon
from .actors import (ActorCue, country_class, cues_within, find_actor_cues, find_places, first_named, host_country,
                     locations, nearby_locations)
from .dates import find_dates, reference_date
from .numbers import NumberMention, bounds, find_numbers, word_value
from .records import batched_frame
from .text import collapse, post_sentences
from .thread import as_thread, post_batches

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = ["post_id", "published", "sentence", "text", "count", "qualifier", "unit", "attacker", "target",
           "location", "window_start", "window_start_text", "window_end", "window_days", "rate_per_week",
           "field", "start", "end"]

# Sides, by actor class: states' forces (foreign and host), armed groups, and a third state. An
# attack's target is, by default, someone of an opposing side named nearby: armed groups for the
# states' forces, states' forces for armed groups, either for a third state.
_SIDE = {"US": "state", "coalition": "state", "host": "state", "militia": "armed", "insurgent": "armed",
         "other": "third"}
_OPPOSING = {"state": {"armed"}, "armed": {"state", "third"}, "third": {"armed", "state"}}
_ADJECTIVE = (r"(?:[A-Z][\w.’'-]*|[a-z]+-[a-z-]+|retaliatory|separate|more|other|additional|new|deadly|"
              r"coordinated|rocket|drone|missile|major|recent|suspected|reported|known|confirmed|documented|"
              r"similar|previous|such|distinct|individual|further|hostile|militia|insurgent|terrorist|"
              r"cross-border|suicide|precision|air|aerial|ground|artillery|mortar|commando|punitive|targeted|"
              r"armed|lethal|large|small|big|heavy|several|successive|consecutive|fresh|renewed)")
_STREAK_AFTER_ORDINAL = re.compile(
    r"\s+(?:straight\s+|consecutive\s+)?(?P<unit>day|night)s?\s+"
    r"(?:(?:of\s+(?:\w+\s+){0,2}?(?:attacks|strikes|assaults|shelling|rocket\s+fire))|in\s+a\s+row)", re.IGNORECASE)
_STREAK_AFTER_COUNT = re.compile(
    r"\s+(?:straight\s+|consecutive\s+)?(?:day|night)s?\s+(?:of\s+(?:\w+\s+){0,2}?(?:attacks|strikes|assaults)"
    r"(?:\s+in\s+a\s+row)?|in\s+a\s+row)", re.IGNORECASE)
_COMPARATIVE_AFTER = re.compile(r"^\s+(?:times\s+)?(?:as|more|less|larger|bigger|greater|higher|the)\b", re.IGNORECASE)
_BY = re.compile(r"\bby\s+(?:the\s+|(?:an?|two|three|four|five|six|several|\d+)\s+(?:[a-z-]+\s+)?)?$", re.IGNORECASE)
_TARGET_MARK = re.compile(r"\s*(?:[\w-]+\s+){0,2}?(?:on|against|at|targeting|upon)\s+(?:the\s+)?", re.IGNORECASE)
_PREP_BEFORE = re.compile(r"\b(?:on|against|at|by|upon|targeting)\s+(?:the\s+)?(?:[\w.’'-]+\s+){0,2}$",
                          re.IGNORECASE)
_NP_GAP = re.compile(r"^\s*(?:(?:and|or|,)\s*)?(?:[\w’'-]+\s+){0,2}$")
_AND_GAP = re.compile(r"\b(?:and|or)\b|,")
_CLAUSE = re.compile(r"[;:—–()]|,\s+(?:but|while|which|who|where)\b|\band\s+(?=[A-Z])")
_SINCE = re.compile(r"\bsince\s+", re.IGNORECASE)
_SPAN = re.compile(r"\b(?:from|between)\s+[\w.’' -]{2,40}?\s+(?:to|and|until|through)\s+"
                   r"(?:(?P<present>the\s+present|now|today|date)\b|[\w.’' -]{0,30}?\d{4}\b)", re.IGNORECASE)
_EVENT_LEAD = re.compile(r"(?:the\s+)?(?:(?:start|beginning|breakout|outbreak|onset|eruption|launch)\s+of\s+(?:the\s+)?)?",
                         re.IGNORECASE)
_PAST_SPAN = re.compile(r"\b(?:in|over|during)\s+the\s+(?:past|last|previous)\s+(?P<n>\d+|two|three|four|five|six|"
                        r"seven|eight|nine|ten|several)?\s*(?P<unit>hour|day|week|month|year)s?\b", re.IGNORECASE)
# A count's own day after it: "nine strikes on Saturday", "three strikes ... on Sunday and Monday".
_ON_DAY_GAP = re.compile(r"^[^.;:!?]{0,80}?(?:\bon\s+|\s)$")
_DAY_TO_DAY = re.compile(r"^\s*(?:and|to|through|-|–)\s*(?:on\s+)?$")
_SMALL = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


@lexicon.derived
def _noun_pattern() -> tuple[re.Pattern, dict[str, str]]:
    units = {row["noun"].lower(): row["unit"] for row in lexicon.load("attack_nouns")}
    nouns = "|".join(lexicon.phrase_regex(n) for n in sorted(units, key=len, reverse=True))
    return re.compile(rf"\s+(?:of\s+)?(?:the\s+)?(?:{_ADJECTIVE}\s+){{0,3}}?(?P<noun>(?i:{nouns}))\b"), units


@lexicon.derived
def _projectile_pattern() -> re.Pattern:
    """Projectiles after a count: "more than 300 rockets", "some 2,000 cruise missiles"."""
    nouns = "|".join(lexicon.phrase_regex(r["noun"].lower()) for r in
                     sorted(lexicon.load("projectile_nouns"), key=lambda r: -len(r["noun"])))
    return re.compile(rf"\s+(?:of\s+)?(?:(?:{_ADJECTIVE})\s+){{0,2}}?(?P<noun>(?i:{nouns}))\b")


# A span that projectiles were fired over: "in two days", "over three weeks", and the window words.
_PROJECTILE_SPAN = re.compile(r"\b(?:in|over|within)\s+(?:the\s+(?:past|last)\s+)?(?:\d+|a|two|three|four|five|six|seven|"
                              r"eight|nine|ten|a\s+few|several)\s+(?:hours|days|weeks|months)\b", re.IGNORECASE)
_WEAPON_TEST = re.compile(r"\btests?\b|\btest-fired\b|\btested\b|\btest\s+launch", re.IGNORECASE)
# Days or weeks of bombardment: "a week of shelling", "two weeks of bombardment" (a streak, spec v1.3).
_WEEKS_OF = re.compile(r"\b(?P<n>a|one|two|three|four|five|six|\d+)\s+weeks?\s+of\s+(?:[a-z]+\s+)?"
                       r"(?P<noun>shelling|bombardment|bombing|bombings|airstrikes|strikes|attacks|fighting)\b",
                       re.IGNORECASE)


@lexicon.derived
def _trigger_words() -> frozenset[str]:
    """Words one of which a sentence must hold to have a claim: the attack nouns (plural and
    singular), the attack verbs, and the words of multiplicatives and streaks."""
    words = {w for row in lexicon.load("attack_nouns") for w in (row["noun"].split()[-1].lower(),
                                                                 row["noun"].split()[-1].lower()[:-1])}
    words |= {w.lower() for row in lexicon.load("attack_verbs") for w in row["verb"].split()} - _FUNCTION_WORDS
    words |= {row["noun"].split()[-1].lower() for row in lexicon.load("projectile_nouns")}
    return frozenset(words | {"times", "twice", "thrice", "once", "row", "shelling", "bombardment", "bombing"})


# Words of multi-word attack verbs ("fired at", "been attacked", "came under fire") that say nothing alone.
_FUNCTION_WORDS = frozenset("at on out under been was were came in up".split())


_LOWER_WORDS = re.compile(r"[a-z]+")


@lexicon.derived
def _series_pattern() -> re.Pattern:
    """Rounds and streaks: "a second round of U.S. airstrikes" (after an ordinal), "a two-day
    whirlwind of strikes", "several days of airstrikes" (after a count)."""
    nouns = "|".join(lexicon.phrase_regex(n) for n in sorted({r["noun"].lower() for r in lexicon.load("attack_nouns")},
                                                          key=len, reverse=True))
    return re.compile(rf"(?P<lead>[-\s]+(?:(?P<round>round|wave|salvo|volley|barrage)|(?P<day>day|night)s?"
                      rf"(?:\s+(?:[a-z]+\s+)?(?:whirlwind|wave|spree|blitz|series|campaign|barrage|string|flurry))?)"
                      rf"\s+of\s+(?:the\s+)?(?:{_ADJECTIVE}\s+){{0,3}}?)(?P<noun>(?i:{nouns}))\b")


@lexicon.derived
def _singular_pattern() -> tuple[re.Pattern, dict[str, str]]:
    """An attack noun in the singular after an ordinal, with the span it counts in: "the third
    attack this month", "the second major attack this week"."""
    units = {row["noun"].lower()[:-1]: row["unit"] for row in lexicon.load("attack_nouns") if row["noun"].endswith("s")}
    nouns = "|".join(lexicon.phrase_regex(n) for n in sorted(units, key=len, reverse=True))
    return re.compile(rf"\s+(?:{_ADJECTIVE}\s+){{0,2}}?(?P<noun>(?i:{nouns}))\b(?=\s+(?:(?:on|against|in)\s+[\w.’' -]{{1,40}}?\s+)?"
                      rf"(?:this\s+(?:week|month|year)|since\b|in\s+(?:a|the\s+(?:past|last))\s+|so\s+far|in\s+\w+\s+days))",
                      re.IGNORECASE), units


@lexicon.derived
def _passive_pattern() -> re.Pattern:
    """A count of attacked places with a passive attack verb: "Three bases ... have been attacked"."""
    places = "|".join(lexicon.phrase_regex(r["noun"]) for r in lexicon.load("attacked_places"))
    return re.compile(rf"\s+(?:{_ADJECTIVE}\s+){{0,2}}?(?:{places})\b[^;:]{{0,80}}?\b(?:have|has|had)\s+been\s+"
                      rf"(?:attacked|targeted|hit|struck|shelled|bombed|raided)\b", re.IGNORECASE)


_WINDOW_WORDS = re.compile(r"\b(?:since|so\s+far|to\s+date|this\s+(?:week|month|year)|in\s+(?:the\s+)?(?:past|last|previous)\s+"
                           r"|over\s+the\s+(?:past|last)\s+|in\s+recent\s+(?:days|weeks|months))", re.IGNORECASE)
_DAY_ADJECTIVE = re.compile(r"(?<![\w-])(?P<n>\d+|[a-z]+)-day\b", re.IGNORECASE)


@lexicon.derived
def _verb_pattern() -> tuple[re.Pattern, dict[str, str]]:
    roles = {row["verb"].lower(): row["role"] for row in lexicon.load("attack_verbs")}
    verbs = "|".join(lexicon.phrase_regex(v) for v in sorted(roles, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{verbs})(?![\w-])", re.IGNORECASE), roles


@lexicon.derived
def _events() -> tuple[tuple[re.Pattern, str], ...]:
    return tuple((re.compile(row["pattern"], re.IGNORECASE), row["date"]) for row in lexicon.load("events"))


@dataclass
class Claim:
    """An attack-frequency claim found in a sentence (offsets into the sentence)."""

    number: NumberMention
    start: int
    end: int
    unit: str
    count: int | None
    verb: re.Match | None = None  # the attack verb a 'times' claim hangs on
    role: str | None = None       # that verb's role: active, passive, retaliate


def find_attack_claims(text: str) -> list[Claim]:
    """The attack-frequency claims in one sentence (counts, units and spans only).

    >>> [(c.count, c.unit) for c in find_attack_claims("U.S. forces have been attacked at least 55 times in Iraq.")]
    [(55, 'times')]
    >>> find_attack_claims("The U.S. said it struck three sites used by militias.")
    []
    """
    claims: list[Claim] = []
    if _trigger_words().isdisjoint(_LOWER_WORDS.findall(text.lower())):
        return claims  # no attack word: skip the number scan
    nouns, units = _noun_pattern()
    series = _series_pattern()
    for number in find_numbers(text) + (_day_counts(text) if "-day" in text else []):
        after = text[number.end:]
        if number.kind == "ordinal":
            streak = _STREAK_AFTER_ORDINAL.match(after)
            if streak:
                claims.append(Claim(number, number.start, number.end + streak.end(), "days", number.value))
            elif number.value and number.value > 1 and (found := series.match(text, number.end)) and found["round"]:
                unit = units[re.sub(r"\s+", " ", found["noun"].lower())]  # "a second round of airstrikes"
                claims.append(Claim(number, number.start, found.end(), unit, number.value))
            elif number.value and number.value > 1 and (found := _singular_pattern()[0].match(text, number.end)):
                unit = _singular_pattern()[1][re.sub(r"\s+", " ", found["noun"].lower())]  # "the third attack this month"
                claims.append(Claim(number, number.start, found.end(), unit, number.value))
            continue
        if (found := series.match(text, number.end)) and found["day"]:
            claims.append(Claim(number, number.start, found.end(), "days", number.value))  # "several days of airstrikes"
            continue
        if number.weak:
            if noun := nouns.match(text, number.end):
                # "a handful of mortar attacks", "a few attacks": vague, but a count (spec)
                claims.append(Claim(number, number.start, noun.end(), units[re.sub(r"\s+", " ", noun["noun"].lower())],
                                    None))
            continue
        if number.kind == "times":
            claim = _times_claim(text, number)
            if claim:
                claims.append(claim)
            continue
        if streak := _STREAK_AFTER_COUNT.match(after):
            claims.append(Claim(number, number.start, number.end + streak.end(), "days", number.value))
            continue
        noun = nouns.match(text, number.end)
        if noun:
            unit = units[re.sub(r"\s+", " ", noun["noun"].lower())]
            claims.append(Claim(number, number.start, noun.end(), unit, number.value))
        elif (passive := _passive_pattern().match(text, number.end)) and _WINDOW_WORDS.search(text, passive.end()):
            claims.append(Claim(number, number.start, passive.end(), "attacks", number.value, role="passive"))
        elif ((fired := _projectile_pattern().match(text, number.end))
              and (_WINDOW_WORDS.search(text) or _PROJECTILE_SPAN.search(text)) and not _WEAPON_TEST.search(text)):
            claims.append(Claim(number, number.start, fired.end(), "attacks", number.value))  # "300 rockets in two days"
    for weeks in _WEEKS_OF.finditer(text):
        n = 1 if weeks["n"].lower() in ("a", "one") else (int(weeks["n"]) if weeks["n"].isdigit() else _SMALL[weeks["n"].lower()])
        number = NumberMention(weeks.start(), weeks.end("n"), weeks.start(), weeks["n"], n * 7, None, None, "exact")
        claims.append(Claim(number, weeks.start(), weeks.end(), "days", n * 7))  # "a week of shelling": 7 days
    return sorted(claims, key=lambda claim: claim.start)


def _day_counts(text: str) -> list[NumberMention]:
    """Counts written as "N-day" before a series of attacks ("a two-day whirlwind of strikes"),
    which `find_numbers` leaves out as measures."""
    found = []
    for match in _DAY_ADJECTIVE.finditer(text):
        value = int(match["n"]) if match["n"].isdigit() else word_value(match["n"])
        if value and (series := _series_pattern().match(text, match.end("n"))) and series["day"]:
            found.append(NumberMention(match.start(), match.end("n"), match.start(), match["n"], value, None, None,
                                       "exact"))
    return found


def _times_claim(text: str, number: NumberMention) -> Claim | None:
    """'attacked ... 55 times', 'twice retaliated', 'targeted twice': a count with an attack verb."""
    times_end = number.end + (m.end() if (m := re.match(r"\s+times\b", text[number.end:], re.IGNORECASE)) else 0)
    if _COMPARATIVE_AFTER.match(text[times_end:]):
        return None  # "three times as many"
    verbs, roles = _verb_pattern()
    clause_start, clause_end = _clause_bounds(text, number.start)
    near = [v for v in verbs.finditer(text, clause_start, clause_end)
            if -60 <= v.start() - number.start <= 25 or 0 <= v.start() - times_end <= 25]
    if not near:
        return None
    verb = min(near, key=lambda v: min(abs(v.start() - number.start), abs(v.start() - times_end)))
    role = roles[re.sub(r"\s+", " ", verb.group().lower())]
    start, end = number.start, times_end
    if times_end == number.end:  # "twice", "once": the adjacent verb completes the span
        if 0 <= verb.start() - times_end <= 2:
            end = verb.end()          # "twice retaliated"
        elif 0 <= number.start - verb.end() <= 2:
            start = verb.start()      # "targeted twice"
    if verb.start() < number.start and role == "active" and re.search(
            r"\b(?:the|an?|\w+’s|\w+'s)\s+\S*\s*$", text[max(0, verb.start() - 30):verb.start()]):
        # "an Iraqi militia targeted twice": a participle after a noun is passive.
        role = "passive"
    return Claim(number, start, end, "times", number.value, verb, role)


def _clause_bounds(text: str, position: int) -> tuple[int, int]:
    starts = [m.end() for m in _CLAUSE.finditer(text, 0, position)]
    ends = [m.start() for m in _CLAUSE.finditer(text, position)]
    return (starts[-1] if starts else 0), (ends[0] if ends else len(text))


def _np_class(cues: list[ActorCue], text: str) -> str | None:
    """The class of a noun phrase's cues: the first of a list ("U.S. and coalition forces" -> US),
    else the head ("an Iraqi militia" -> militia)."""
    if not cues:
        return None
    if len(cues) > 1 and _AND_GAP.search(text[cues[0].end:cues[1].start]):
        return cues[0].actor
    return cues[-1].actor


def _phrase_at(cues: list[ActorCue], text: str, start: int, limit: int = 40) -> list[ActorCue]:
    """The cues of the noun phrase that begins within ``limit`` characters after ``start``."""
    following = [c for c in cues if start <= c.start]
    if not following or following[0].start > start + limit:
        return []
    phrase = [following[0]]
    for cue in following[1:]:
        if _NP_GAP.match(text[phrase[-1].end:cue.start]):
            phrase.append(cue)
        else:
            break
    return phrase


_UNCLAIMED = re.compile(r"\b(?:no\s+(?:immediate\s+)?claims?\s+of\s+responsibility|unclaimed|no\s+(?:one|group)\s+(?:has\s+)?"
                        r"claimed|nobody\s+(?:has\s+)?claimed)\b", re.IGNORECASE)
# A cue that names who speaks, not who attacks: "A Yemeni official said four drone strikes ...".
_SPEAKER_AFTER = re.compile(r"\s*(?:[\w.’'-]+\s+){0,2}?(?:officials?|spokes(?:man|woman|person)|sources?|diplomats?|"
                            r"ministers?|ministry|lawmakers?|analysts?|media|outlets?|reports?|agency)\b[^.;]{0,60}?\b"
                            r"(?:said|says|say|told|tells|added|noted|reported|reports|confirmed|claimed|announced)\b")


@lexicon.derived
def _effect_verbs() -> re.Pattern:
    """A verb of what the attacks did, right after the count (past a place or a short phrase)."""
    verbs = "|".join(sorted((re.escape(row["verb"].lower()) for row in lexicon.load("effect_verbs")), key=len, reverse=True))
    return re.compile(rf"[^.;:,]{{0,40}}?\s(?:{verbs})\s+", re.IGNORECASE)


def _state_by_name(cue: ActorCue, text: str) -> bool:
    """A cue that is a country's name alone ("Somalia"), not its forces ("Somali troops", "Somalia's army")."""
    from .actors import _place_index

    place = _place_index()[1].get(cue.text)
    return place is not None and place[1] == "name" and not re.match(r"[’']s\b|\s+(?:forces|troops|army|military)\b",
                                                                      text[cue.end:])


def _parties_cues(text: str, host: str | None) -> list[ActorCue]:
    """The actor cues of a sentence that may name a party to attacks: not those naming who speaks."""
    return [c for c in find_actor_cues(text, host=host) if not _SPEAKER_AFTER.match(text, c.end)]


def _phrase_before(cues: list[ActorCue], text: str, end: int, clause_start: int) -> list[ActorCue]:
    """The cues of the nearest noun phrase before ``end`` in its clause, not after 'on', 'against', 'by'."""
    before = [c for c in cues if clause_start <= c.start and c.end <= end
              and not _PREP_BEFORE.search(text[max(0, c.start - 40):c.start])]
    if not before:
        return []
    phrase = [before[-1]]
    for cue in reversed(before[:-1]):
        if _NP_GAP.match(text[cue.end:phrase[0].start]):
            phrase.insert(0, cue)
        else:
            break
    return phrase


def _other_side(cues: list[ActorCue], actor: str | None) -> str | None:
    opposing = _OPPOSING.get(_SIDE.get(actor or ""), set())
    return next((cue.actor for cue in cues if _SIDE.get(cue.actor) in opposing), None)


def _parties(text: str, claim: Claim, host: str | None) -> tuple[str | None, str | None]:
    """(attacker, target) from the sentence alone."""
    cues = _parties_cues(text, host)
    clause_start, clause_end = _clause_bounds(text, claim.number.start)
    attacker = target = None
    anchor_start, anchor_end = claim.start, claim.end
    if claim.verb is not None:
        anchor_start, anchor_end = min(claim.start, claim.verb.start()), max(claim.end, claim.verb.end())
    # "by X" after the claim names the attacker.
    for cue in cues:
        if anchor_end <= cue.start <= anchor_end + 90 and _BY.search(text[max(0, cue.start - 30):cue.start]):
            attacker = _np_class(_phrase_at(cues, text, cue.start, 0), text)
            break
    # "on X", "against X", "targeting X" right after the claim names the target
    mark = _TARGET_MARK.match(text, anchor_end)
    if mark:
        target = _np_class(_phrase_at(cues, text, mark.end(), 12), text)
    if claim.role == "active" and claim.verb is not None and target is None:
        # "attacked the U.S."; a country by its name as the verb's object says where they struck, not
        # whose forces ("has hit Somalia 220 times")
        forces = [c for c in cues if not _state_by_name(c, text)]
        target = _np_class(_phrase_at(forces, text, claim.verb.end(), 12), text)
    if target is None and claim.verb is None and (effect := _effect_verbs().match(text, claim.end)):
        target = _np_class(_phrase_at(cues, text, effect.end(), 30), text)  # "Two airstrikes ... destroyed ISIL vehicles"
    subject = _np_class(_phrase_before(cues, text, anchor_start, clause_start), text)
    if claim.role == "passive":
        target = target or subject
    else:
        attacker = attacker or subject
    relations = _relations(text, cues)
    if claim.role == "retaliate" and target is None:
        # Hitting back: the target is whoever the sentence says attacked the retaliating side.
        target = next((a for a, b in relations if b == attacker and a != attacker), None)
    elif relations and (attacker is None or target is None):
        attacker = attacker or relations[0][0]
        target = target or relations[0][1]
    if target is None and attacker is not None:
        target = _other_side(cues, attacker)
    if attacker == target:
        attacker = None if claim.role == "passive" else attacker
        target = None if claim.role != "passive" else target
    return attacker, target


def _relations(text: str, cues: list[ActorCue]) -> list[tuple[str, str]]:
    """Each 'A attacks B' of a sentence, as classes ("militia groups targeting US forces")."""
    verbs, roles = _verb_pattern()
    found = []
    for verb in verbs.finditer(text):
        clause_start, _ = _clause_bounds(text, verb.start())
        role = roles[re.sub(r"\s+", " ", verb.group().lower())]
        before = _np_class(_phrase_before(cues, text, verb.start(), max(clause_start, verb.start() - 80)), text)
        after = _np_class(_phrase_at([c for c in cues if not _state_by_name(c, text)], text, verb.end(), 12), text)
        if role == "passive":
            before, after = after, before
        if before and after and before != after:
            found.append((before, after))
    return found


def _window(text: str, claim: Claim, published: str | None,
            use_events: bool) -> tuple[str | None, str | None, str | None]:
    """(window_start, window_start_text, window_end or None for ``published``): 'since ...' (a
    date, a named event, or a clause that dates it: "since AFRICOM became operational in 2008"),
    'from 2011 to the present', 'between August and December 2016', 'this year', 'this summer',
    'in the past N days'. A named event takes its date from the events lexicon when
    ``use_events``, else from the words that follow it ("... last October")."""
    dates = find_dates(text, published)
    for since in _SINCE.finditer(text):
        lead = _EVENT_LEAD.match(text, since.end())
        for pattern, event_date in _events():
            event = pattern.match(text, lead.end())
            if event:
                end = event.end()
                trailing = [d for d in dates if event.end() <= d.start <= event.end() + 30]
                if trailing:
                    end = trailing[0].end
                if use_events or not trailing:
                    return event_date, text[since.start():end], None
                return trailing[0].value, text[since.start():end], None
        at = [d for d in dates if since.end() <= d.start <= since.end() + 70
              and not re.search(r"[;:]", text[since.end():d.start])]
        if at:
            return at[0].value, text[since.start():at[0].end], None
    for span in _SPAN.finditer(text):
        inside = [d for d in dates if span.start() <= d.start and d.end <= span.end()]
        if span["present"] and inside:
            return inside[0].value, span.group(), None  # "from 2011 to the present"
        if len(inside) == 2:  # "between August and December 2016": the year written once serves both
            first, last = inside[0].value, inside[1].value
            if len(last) >= 4 and re.fullmatch(r"(?:early|mid|late|the\s+)?\s*[A-Z][a-z]+\.?", inside[0].text):
                first = last[:4] + first[4:] if len(first) > 4 else first
            return first, span.group(), last
    for d in dates:
        if re.match(r"(?:so\s+far\s+)?this\s+(?:year|month|week|spring|summer|fall|autumn|winter)", d.text,
                    re.IGNORECASE):
            return d.value, d.text, None
    if (days := _own_days(text, claim, dates)) is not None:
        return days
    if published and (span := _PAST_SPAN.search(text)):
        try:
            return _past_span(span, published)
        except (OverflowError, ValueError):
            return None, None, None  # a span back before the year 1
    return None, None, None


def _past_span(span: re.Match, published: str) -> tuple[str, str, None]:
    """The window of "in the past N days" (hours, weeks, months, years): the month it starts in
    (the words give no day)."""
    n = span["n"]
    count = int(n) if n and n.isdigit() else _SMALL.get((n or "one").lower(), 1)
    day = date.fromisoformat(published[:10])
    unit = span["unit"].lower()
    if unit in ("hour", "day", "week"):
        first = day - (timedelta(hours=count) if unit == "hour" else timedelta(days=count * (7 if unit == "week" else 1)))
        start = f"{first.year:04d}-{first.month:02d}"
    else:
        index = day.year * 12 + day.month - 1 - count * (12 if unit == "year" else 1)
        if index < 12:
            raise OverflowError("before the year 1")
        start = f"{index // 12:04d}-{index % 12 + 1:02d}"
    return start, span.group(), None


def _own_days(text: str, claim: Claim, dates: list) -> tuple[str, str, str] | None:
    """The day (or days) a count names right after it, in its clause: "nine strikes on Saturday"
    (that day is the whole window), "three strikes ... on Sunday and Monday" (Sunday to Monday)."""
    _, clause_end = _clause_bounds(text, claim.end)
    days = [d for d in dates if claim.end <= d.start < clause_end and len(d.value) == 10
            and _ON_DAY_GAP.match(text[claim.end:d.start])]
    if not days:
        return None
    first = days[0]
    later = [d for d in dates if d.start > first.start and len(d.value) == 10 and _DAY_TO_DAY.match(text[first.end:d.start])]
    last = later[0] if later else first
    return first.value, text[first.start:last.end], last.value


def _period(value: str, *, end: bool = False) -> date | None:
    """The first (or last) day of an ISO date of any precision."""
    try:
        if len(value) == 4:
            return date(int(value), 12, 31) if end else date(int(value), 1, 1)
        if len(value) == 7:
            year, month = int(value[:4]), int(value[5:7])
            if not end:
                return date(year, month, 1)
            following = date(year + month // 12, month % 12 + 1, 1)
            return following - timedelta(days=1)
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _to_the_day(*dates) -> bool:
    """Whether every date is known to the day ("2024-01-19", not "2024-01" or "2024")."""
    return all(isinstance(d, str) and len(d) == 10 for d in dates)


LOWER_BOUNDS = ("at_least", "more_than", "vague")  # qualifiers of a count that may be larger


def window_days(start: str | None, end: str | None) -> int | None:
    """Days from the start of ``start``'s period to ``end`` ("2023-10" counts from Oct. 1).

    >>> window_days("2023-10-17", "2024-01-19"), window_days("2023-10", "2024-01-22"), window_days(None, "2024-01-01")
    (94, 113, None)
    """
    if not start or not end:
        return None
    first, last = _period(start), _period(end)
    if first is None or last is None or last < first:
        return None
    return (last - first).days


def attacks(thread, *, host: str | None = None, use_events: bool = True, parse: bool = True,
            post_time: bool = False) -> pd.DataFrame:
    """One row per attack-frequency claim in the thread's article bodies and commentary.

    Columns: post_id, published, sentence, text, count, qualifier, unit, attacker, target,
    location, window_start, window_start_text, window_end, window_days, rate_per_week, and
    where ``text`` is (field, start, end). A window that starts at a named event ("since the
    breakout of the Israel-Hamas war") takes the event's date from ``events.csv``; with
    ``use_events=False`` it takes the precision of the words around it ("last October": a month).

    The attacker and the target come from the claim's own words ("Israeli airstrikes", "attacks on
    U.S. forces"), then from the parse of the sentence (``parse=True``: the subject that conducts
    the strikes, the object of the attack verb), then from the words around it and its neighbours.
    With ``post_time``, the window of a post with no date line (a comment) ends on the day it was
    posted, and its relative dates resolve against that day.
    """
    thread = as_thread(thread)  # a path or the thread's text too
    host = host or host_country(thread)
    return batched_frame(([row for rows in attack_rows(chunk, host, use_events=use_events, parse=parse,
                                                       post_time=post_time) for row in rows]
                          for chunk in post_batches(thread, CHUNK_POSTS)), COLUMNS)


CHUNK_POSTS = 200  # posts read (and their sentences parsed) at a time


def attack_rows(posts: list, host: str | None, *, use_events: bool = True, parse: bool = True,
                post_time: bool = False) -> list[list[dict]]:
    """The attack-frequency records of each of ``posts`` (one list a post, in order); each post's
    records depend on that post alone and the thread's ``host``."""
    chunk = []
    for post in posts:
        sentences = post_sentences(post)
        claims = [(index, claim) for index, sentence in enumerate(sentences)
                  for claim in find_attack_claims(sentence.text)]
        chunk.append((post, sentences, claims))
    parties = _parties_from_parse(chunk, host) if parse else {}
    out = []
    for post, sentences, claims in chunk:
        post_rows: list[dict] = []
        for index, claim in claims:
            parsed = parties.get((post.post_id, index, claim.start), (None, None))
            post_rows.append(_row(post, sentences, index, claim, host, post_rows, use_events, parsed, post_time))
        out.append(post_rows)
    return out


def _own_parties(text: str, claim: Claim, cues: list[ActorCue]) -> tuple[ActorCue | None, ActorCue | None]:
    """(attacker, target) that the claim's own words name: the owner of the attack noun ("Israeli
    airstrikes", "the coalition's 3,000 strikes"), or the attacked places' occupant in a passive
    count ("Three bases hosting U.S. forces ... have been attacked")."""
    possessor = [c for c in cues if 0 <= claim.number.start - c.end <= 12
                 and re.match(r"[’']s\s+(?:\w+\s+)?$", text[c.end:claim.number.start])]
    inside = first_named(possessor or cues_within(cues, (claim.number.end, claim.end)), text)
    if claim.role == "passive" and claim.verb is None:
        return None, inside
    return inside, None


def _attacked_country(text: str, claim: Claim) -> str | None:
    """The country a claim's attacks struck, when it is named right after them by its name ("100
    attacks on Saudi Arabia", "has hit Somalia 220 times")."""
    after = (claim.verb.end() if claim.verb is not None and claim.role == "active" else claim.end)
    mark = re.match(r"\s+(?:on|against|at|into)\s+|\s+", text[after:]) if claim.verb is not None or claim.role != "passive" else None
    if mark is None:
        return None
    tail = text[after + mark.end():after + mark.end() + 60]
    places = [p for p in find_places(tail) if p.kind == "name"]
    if not places or places[0].start != 0 or re.match(r"[’']s\b|\s+[a-z]+s\b|-", tail[places[0].end:]):
        return None  # "attacks on U.S. positions", "on Saudi Arabia's oil": the country is a modifier
    return places[0].country


def _parties_from_parse(chunk, host: str | None) -> dict[tuple, tuple[ActorCue | None, ActorCue | None]]:
    """(attacker, target) from the parse, by (post, sentence, claim), for claims whose own words do
    not name both (parsed in one batch)."""
    from .analysis import parse_around
    from .roles import attack_parties

    needed = []
    for post, sentences, claims in chunk:
        for index, claim in claims:
            text = sentences[index].text
            if None in _own_parties(text, claim, find_actor_cues(text, host=host)):
                anchor = (claim.verb.start(), claim.verb.end()) if claim.verb is not None else (claim.number.end, claim.end)
                needed.append((post, sentences[index], claim, anchor))
    parses = parse_around([(post, sentence, *anchor) for post, sentence, _, anchor in needed])
    found = {}
    for (post, sentence, claim, anchor), (doc, offset) in zip(needed, parses):
        cues = find_actor_cues(sentence.text, host=host)
        # "hit Somalia": a country by its name as an attack verb's object is where, not whom
        forces = [c for c in cues if not _state_by_name(c, sentence.text)] if claim.verb is not None else cues
        attackers, targets = attack_parties(doc, anchor[0] - offset, anchor[1] - offset)
        named = [next((a for a in (first_named(cues_within(among, (s + offset, e + offset)), sentence.text)
                                   for s, e in spans) if a), None) for spans, among in ((attackers, cues), (targets, forces))]
        found[(post.post_id, sentence.index, claim.start)] = (named[0], named[1])
    return found


def _row(post, sentences, index: int, claim: Claim, host, earlier_rows: list[dict], use_events: bool,
         parsed: tuple[ActorCue | None, ActorCue | None] = (None, None), post_time: bool = False) -> dict:
    text = sentences[index].text
    cues = find_actor_cues(text, host=host)
    own_attacker, own_target = _own_parties(text, claim, cues)
    word_attacker, word_target = _parties(text, claim, host)
    # A claim on an attack verb ("targeted twice") has its roles read from the verb's voice by the
    # words first; a claim on an attack noun from the parse first.
    word = (ActorCue(0, 0, "", word_attacker) if word_attacker else None,
            ActorCue(0, 0, "", word_target) if word_target else None)
    order = (word, parsed) if claim.verb is not None else (parsed, word)
    attacker = next((c.actor for c in (own_attacker, order[0][0], order[1][0]) if c is not None), None)
    target = next((c.actor for c in (own_target, order[0][1], order[1][1]) if c is not None), None)
    if attacker == target and own_attacker is None and parsed[0] is None:
        attacker = None  # the words around gave the target's side twice
    unclaimed = _UNCLAIMED.search(text) is not None  # "with no claims of responsibility": nobody to infer
    if attacker is None and target is not None and not unclaimed:
        # the same series told before in the post ("five airstrikes ..." then "Two airstrikes west of Baghdad")
        attacker = next((r["attacker"] for r in reversed(earlier_rows) if r["target"] == target and r["attacker"]
                         and r["unit"] == claim.unit), None)
    neighbours = [sentences[i].text for i in (index - 1, index + 1) if 0 <= i < len(sentences)] if not unclaimed else []
    for neighbour in neighbours:
        neighbour_cues = find_actor_cues(neighbour, host=host)
        if attacker is None and target is not None:
            attacker = _other_side(neighbour_cues, target)
        if target is None and attacker is not None:
            target = _other_side(neighbour_cues, attacker)
    reference = reference_date(post, post_time=post_time)
    start, start_text, end = _window(text, claim, reference, use_events)
    # the places of the window's own words ("since the war in Gaza began") are not where the attacks were
    where = text
    if start_text and (at := text.find(start_text)) >= 0:
        where = text[:at] + " " * len(start_text) + text[at + len(start_text):]
    place = nearby_locations(where, claim.start, claim.end)
    if place is None:
        place = locations(where)
    if not place and (country := _attacked_country(text, claim)):
        place = [country]  # "attacks on Saudi Arabia", "has hit Somalia 220 times": where they struck
    if not place:
        # The same events told earlier in the post ("twice retaliated" ... "targeted twice").
        same = [r for r in earlier_rows if r["count"] == claim.count and r["attacker"] == attacker and r["location"]]
        if same:
            place = same[-1]["location"] if isinstance(same[-1]["location"], list) else [same[-1]["location"]]
    for neighbour in neighbours:
        place = place or locations(neighbour)
    place = place or locations(post.headline or "")
    if target is None and claim.verb is None and (country := _attacked_country(text, claim)):
        target = country_class(country, host)  # "300 rockets at Israel", "100 attacks on Saudi Arabia": that state
    if host and place and host not in place:  # the thread's own state striking abroad, or hit abroad, is not host
        attacker, target = (country_class(host, None) if side == "host" else side for side in (attacker, target))
    end = end or reference
    days = window_days(start, end)
    count = claim.count
    number = claim.number
    return {
        "post_id": post.post_id, "published": post.published, "sentence": collapse(text),
        "text": collapse(text[claim.start:claim.end]), "count": count, "qualifier": number.qualifier,
        "unit": claim.unit, "attacker": attacker, "target": target,
        "location": place[0] if len(place) == 1 else (place or None),
        "window_start": start, "window_start_text": start_text, "window_end": end, "window_days": days,
        # a rate only between two days the text gives ("in the past week" from a month start is no rate)
        "rate_per_week": round(count / (days / 7), 2) if count is not None and days and _to_the_day(start, end) else None,
        "field": sentences[index].field, "start": sentences[index].start + claim.start,
        "end": sentences[index].start + claim.end,
    }


TIMELINE_COLUMNS = ["scope", "post_id", "text", "count", "qualifier", "unit", "target", "location",
                    "window_start", "window_end", "window_days", "rate_per_week", "previous_post_id",
                    "implied_rate_since_previous", "flag", "note"]


def _plain(row: dict) -> dict:
    """Missing values (NA, NaN) as None, so that comparisons are plain."""
    import pandas as pd

    return {key: (None if not isinstance(value, (list, tuple)) and pd.isna(value) else value)
            for key, value in row.items()}


def _bounds(row: dict) -> tuple[float, float] | None:
    """The interval of counts a claim allows ("at least 55": [55, inf))."""
    return bounds(row["count"], row["qualifier"], row.get("low"), row.get("high"))


def _place_set(value) -> frozenset[str]:
    import pandas as pd

    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return frozenset()
    if hasattr(value, "tolist"):
        value = value.tolist()
    return frozenset([value] if isinstance(value, str) else value)


def _scopes(frame: pd.DataFrame) -> list[int]:
    """A scope number per claim: the same target, and locations that overlap (linked in chains),
    numbered in the order of their first claim. Claims are joined through each (target, place) they
    share, so the cost grows with the claims, not with their pairs."""
    scope = list(range(len(frame)))
    first_with: dict[tuple, int] = {}  # (target, place) -> the first claim that names it

    def root(i: int) -> int:
        while scope[i] != i:
            scope[i] = scope[scope[i]]  # halve the path
            i = scope[i]
        return i

    for i, (target, location) in enumerate(zip(frame["target"], frame["location"])):
        for place in _place_set(location):
            j = first_with.setdefault((target, place), i)
            if j != i:
                scope[root(i)] = root(j)
    roots = [root(i) for i in range(len(frame))]
    numbering = {r: n for n, r in enumerate(dict.fromkeys(roots), start=1)}
    return [numbering[r] for r in roots]


def attack_timeline(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims of overlapping scope (same target, overlapping locations) in ``window_end`` order.

    For each claim: the implied rate since the previous claim of the scope, when both count
    the same series (same locations, windows starting within a month of each other), and a
    ``flag`` where claims cannot both be true: ``lower count over a longer window`` (a later
    claim over a longer window, and a scope as wide, counts fewer), or ``counts disagree`` (two
    claims of one date and scope whose counts differ by more than their qualifiers allow).
    """
    import pandas as pd

    usable = claims[claims["target"].notna() & claims["unit"].ne("days")].reset_index(drop=True)
    if usable.empty:
        return pd.DataFrame(columns=TIMELINE_COLUMNS)
    usable = usable.assign(scope=_scopes(usable))
    usable = usable.sort_values(["scope", "window_end", "post_id"], kind="stable").reset_index(drop=True)
    rows = []
    for _, group in usable.groupby("scope", sort=True):
        previous: dict | None = None
        same_date: dict[tuple, list[dict]] = {}  # only claims of one window and place can disagree
        for row in map(_plain, group.to_dict("records")):
            record = {column: row.get(column) for column in TIMELINE_COLUMNS if column in row}
            record.update(previous_post_id=None, implied_rate_since_previous=None, flag=None, note=None)
            key = (row["window_end"], row["window_start"], _place_set(row["location"]))
            if previous is not None:
                record["previous_post_id"] = previous["post_id"]
                record.update(_compare(previous, row))
                clash = next((e for e in same_date.get(key, ()) if _disagree(e, row)), None)
                if clash is not None:
                    record["flag"] = "counts disagree"
                    record["note"] = f"with post {clash['post_id']} of the same date and scope"
            rows.append(record)
            same_date.setdefault(key, []).append(row)
            previous = row
    frame = pd.DataFrame(rows, columns=TIMELINE_COLUMNS)
    return frame.astype({"scope": "Int64", "post_id": "Int64", "count": "Int64", "window_days": "Int64",
                         "window_start": "string", "window_end": "string", "target": "string",
                         "previous_post_id": "Int64", "rate_per_week": "Float64",
                         "implied_rate_since_previous": "Float64", "flag": "string", "note": "string"})


def _disagree(first: dict, second: dict) -> bool:
    """Two claims of one date and scope whose counts no reading of their qualifiers reconciles."""
    if (first["window_end"], first["window_start"]) != (second["window_end"], second["window_start"]) \
            or _place_set(first["location"]) != _place_set(second["location"]):
        return False
    one, two = _bounds(first), _bounds(second)
    return bool(one and two and (one[1] < two[0] or two[1] < one[0]))


def _compare(previous, row) -> dict:
    """The implied rate and the flag of ``row`` against the claim before it in its scope."""
    out: dict = {}
    before, now = _place_set(previous["location"]), _place_set(row["location"])
    if before != now:
        out["note"] = f"scope differs: {', '.join(sorted(before)) or '?'} then {', '.join(sorted(now)) or '?'}"
    old, new = _bounds(previous), _bounds(row)
    if old and new and new[1] < old[0] and now >= before and row["window_days"] is not None \
            and previous["window_days"] is not None and row["window_days"] > previous["window_days"]:
        out["flag"] = "lower count over a longer window"
    starts = [_period(str(r["window_start"])) if r["window_start"] else None for r in (previous, row)]
    ends = [_period(str(r["window_end"]), end=True) if r["window_end"] else None for r in (previous, row)]
    exact = all(r["qualifier"] not in LOWER_BOUNDS for r in (previous, row))
    to_the_day = _to_the_day(previous["window_end"], row["window_end"])
    if before == now and all(starts) and all(ends) and abs((starts[1] - starts[0]).days) <= 31 \
            and row["count"] is not None and previous["count"] is not None and exact and to_the_day:
        days = (ends[1] - ends[0]).days
        if days > 0:
            out["implied_rate_since_previous"] = round((row["count"] - previous["count"]) / (days / 7), 2)
    elif "note" not in out and not all(starts):
        out["note"] = "a window start is missing: no rate"
    elif "note" not in out and not exact:
        out["note"] = "a count is a lower bound: no rate between the two"
    elif "note" not in out and not to_the_day:
        out["note"] = "a window end is not known to the day: no rate between the two"
    return out
