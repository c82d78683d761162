"""Stated positions of actors about a foreign military presence and about attacks, and their shifts.

A position is a stance cue (``stance_cues.csv``) that a named actor states: as the subject of a
statement verb ("Iraq's Parliament demanded ...", "Kataib Hezbollah pledged ...") or as the speaker
of a quote. Negated cues ("The goal is not to get the U.S. out") and unnamed speakers ("a senior
U.S. official") are left out. One record is kept per actor, stance family and statement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from . import lexicon
from .actors import host_country, locations
from .dates import find_dates
from .mentions import Mention, PostActors
from .text import collapse, post_sentences

COLUMNS = ["post_id", "published", "sentence", "actor", "stance", "location", "stated", "actor_class", "cue",
           "quote", "field", "start", "end"]
SHIFT_COLUMNS = ["actor", "location", "from_stance", "from_stated", "from_post_id", "to_stance", "to_stated",
                 "to_post_id", "from_sentence", "to_sentence"]
FAMILIES = {"withdraw": "presence", "stay": "presence", "transition": "presence", "threaten": "attacks",
            "suspend": "attacks", "resume": "attacks", "condemn": "condemn"}
# Within one statement, the stance that wins when several of a family are stated.
_PRIORITY = {"withdraw": 0, "transition": 1, "stay": 2, "threaten": 0, "resume": 1, "suspend": 2, "condemn": 0}
# The words that name foreign forces in a stance cue ("U.S. combat troops", "the American occupation").
_FORCES = (r"(?:(?:the|all|some|its|their|foreign|coalition|international|combat|military|ground|special|"
           r"remaining|residual|additional|other|allied|[\d,]+|(?-i:[A-Z][\w.’'-]*))\s+){0,4}(?:troops|forces|soldiers|military|coalition|presence|U\.S\.|US|Americans|"
           r"occupation|United\s+States)(?![\w])")
_NEGATION = re.compile(r"(?:\bnot|n[’']t|\bnever|\bno|\bwithout|\brather\s+than|\bnor)\b(?:\s+\S+){0,4}\s*$", re.IGNORECASE)
# Cues under a question or a hedge are no stance: "how can we think about maintaining a presence".
_HEDGE = re.compile(r"\b(?:how\s+(?:can|could|to|do)|whether|think\s+about|wonder\w*)\b[^.;]{0,40}$", re.IGNORECASE)
# A verb form used as a noun: "intensifying demands that", "the calls for".
_NOUN_USE = re.compile(r"(?:\b(?:the|a|an|their|his|her|its|our|growing|mounting|renewed|repeated|new)|\w+ing)\s+$",
                       re.IGNORECASE)
_QUOTE = re.compile(r"[“\"]([^”\"]*)(?:[”\"]|$)")
_REGION = re.compile(r"\b(?:from|in|across|out\s+of)\s+the\s+(?:region|Middle\s+East|area|Gulf)\b", re.IGNORECASE)
_ABOUT_FOREIGN_FORCES = re.compile(
    r"(?:American|U\.S\.|coalition|foreign)\s+(?:\w+\s+)?(?:occupation|troops|forces|presence|bases|positions)|"
    r"attacks?\s+(?:on|against)\s+(?:the\s+)?(?:U\.S\.|American|coalition|foreign)|"
    r"(?:U\.S\.|United States|American)\b.{0,80}\bbe(?:en)?\s+attacked", re.IGNORECASE)
_LATER = re.compile(r"\b(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
                    r"(?P<unit>day|week|month|year)s?\s+later\b", re.IGNORECASE)
_SMALL = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10}
_PREPOSITION_BEFORE = re.compile(r"\b(?:to|from|for|by|against|on|with|of|at|in|about|including|toward|towards|"
                                 r"into|over|under|between|among|than|like)\s+$", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r";|—|–|\s-\s|,\s+(?:and|but|while|which|where|who)\b")
_OWN_ATTACKS = {"threaten", "suspend", "resume"}


@lexicon.derived
def _cues() -> tuple[tuple[str, re.Pattern], ...]:
    return tuple((row["stance"], re.compile(row["pattern"].replace("FORCES", _FORCES), re.IGNORECASE))
                 for row in lexicon.load("stance_cues"))


@lexicon.derived
def _verbs() -> tuple[re.Pattern, dict[str, str]]:
    kinds = {row["verb"].lower(): row["kind"] for row in lexicon.load("statement_verbs")}
    alternation = "|".join(lexicon.phrase_regex(v) for v in sorted(kinds, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.IGNORECASE), kinds


@dataclass
class _Found:
    stance: str
    cue: re.Match
    holder: Mention
    verb: re.Match | None
    quoted: str | None


def _quote_spans(text: str) -> list[tuple[int, int]]:
    return [m.span(1) for m in _QUOTE.finditer(text)]


def _in_spans(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= position < e for s, e in spans)


def _clause_start(text: str, position: int) -> int:
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(text, 0, position)]
    return breaks[-1] if breaks else 0


def _subject(text: str, verb_start: int, mentions: list[Mention]) -> Mention | None:
    """The actor who is the subject of the verb at ``verb_start``: the nearest mention before it
    in its clause, past an appositive ("Farhad Alaadin, Sudani's adviser, said") and not after a
    preposition ("heading to Washington to demand")."""
    clause = _clause_start(text, verb_start)
    before = text[:verb_start]
    if re.match(r"\s*who\b", text[clause:verb_start]) or re.search(r",\s*who\s+(?:\w+\s+){0,2}$", before):
        # "Sudani, who said last year ...": the subject stands before ", who"
        comma = before.rfind(", who")
        candidates = [m for m in mentions if m.end <= comma and comma - m.end <= 2]
        return candidates[-1] if candidates else None
    appositive = re.search(r",\s*([^,]{1,160}),\s*((?:[\w.’'-]+\s+){0,5})$", before)
    limit = verb_start
    if appositive and [m for m in mentions if appositive.start(2) <= m.start and m.end <= verb_start]:
        appositive = None  # "..., the Iraqi government requested": the subject follows the commas
    if appositive:
        inside = [m for m in mentions if appositive.start(1) <= m.start and m.end <= appositive.end(1) + 1]
        if inside and inside[0].start - appositive.start(1) <= 1 and inside[0].end >= appositive.end(1) - 1:
            return inside[0]  # "Soleimani's successor, Esmail Qaani, has vowed"
        limit = appositive.start()
    for mention in sorted((m for m in mentions if clause <= m.start and m.end <= limit),
                          key=lambda m: m.end, reverse=True):
        if _PREPOSITION_BEFORE.search(text[max(0, mention.start - 20):mention.start]):
            continue
        if re.match(r"[’']s\b", text[mention.end:mention.end + 2]):
            continue  # "the Biden administration's commitment": a possessor, not the subject
        if limit - mention.end > 120:
            return None
        return mention
    return None


def _holder(text: str, cue: re.Match, mentions: list[Mention], quote_speaker: Mention | None
            ) -> tuple[Mention | None, re.Match | None, bool]:
    """Who states the cue: the quote's speaker, the subject of a statement verb before the cue,
    or the actor after an inverted verb ("..., said David Witty")."""
    kinds = _verbs()[1]
    quotes = _quote_spans(text)
    outside = _statement_verbs(text)
    if _in_spans(cue.start(), quotes) or (not outside and quote_speaker is not None and text.lstrip()[:1] in "“\""):
        speaker = _speaker(text, mentions, outside) or quote_speaker
        return speaker, (outside[0] if outside else None), True
    for verb in reversed([v for v in outside if v.start() <= cue.start()]):
        subject = _subject(text, verb.start(), mentions)
        if subject is not None:
            return subject, verb, False
        after = [m for m in mentions if 0 <= m.start - verb.end() <= 2]
        if after and kinds.get(verb.group().lower()) == "report":
            return after[0], verb, False  # "..., said David Witty"
    by = re.match(r"[^,;.]{0,60}?\bby\s+", text[cue.end():])
    if by:
        after = [m for m in mentions if m.start == cue.end() + by.end() or
                 (0 <= m.start - (cue.end() + by.end()) <= 1)]
        if after:
            return after[0], None, False
    return None, None, False


def _statement_verbs(text: str) -> list[re.Match]:
    """Statement verbs outside quotes, without verb forms used as nouns ("intensifying demands")."""
    quotes = _quote_spans(text)
    return [v for v in _verbs()[0].finditer(text) if not _in_spans(v.start(), quotes)
            and not _NOUN_USE.search(text[max(0, v.start() - 20):v.start()])
            and not re.search(r"\b(?:be|been|being)\s+$", text[max(0, v.start() - 8):v.start()])]


def _speaker(text: str, mentions: list[Mention], verbs: list[re.Match]) -> Mention | None:
    """The speaker of a sentence's quote: "..., X said", "said X", "X said:", "X tweeted Friday:"."""
    for verb in verbs:
        after = [m for m in mentions if 0 <= m.start - verb.end() <= 2]
        if after and re.match(r"\s*$", text[max(0, verb.start() - 3):verb.start()]) and \
                re.search(r"[”\"],?\s*$", text[:verb.start()].rstrip() + " ") is not None:
            return after[0]
        subject = _subject(text, verb.start(), mentions)
        if subject is not None:
            return subject
        if after:
            return after[0]
    return None


def find_cues(text: str) -> list[tuple[str, re.Match]]:
    """The stance cues of a sentence, negated ones left out, with a combat-only withdraw as transition.

    >>> [s for s, _ in find_cues("The goal is not to get the U.S. out")]
    []
    >>> [s for s, _ in find_cues("to demand that President Biden withdraw all U.S. combat troops from Iraq")]
    ['transition']
    """
    found = []
    for stance, pattern in _cues():
        for match in pattern.finditer(text):
            before = text[max(0, match.start() - 60):match.start()]
            if _NEGATION.search(before[-40:]) or _HEDGE.search(before):
                continue
            rest_of_clause = re.match(r"[^,.;]{0,40}", text[match.end():]).group()
            if stance == "withdraw" and re.search(r"\bcombat\b", match.group() + rest_of_clause):
                stance = "transition"  # a demand limited to combat troops (spec)
            found.append((stance, match))
    return found


def _stated(text: str, anchor: int, published: str | None, verb: re.Match | None, previous: list[str],
            context_text: str | None) -> str | None:
    """When the actor took the stance: a date near its statement, a later-offset from the story
    ("Three years later"), the story's year for an undated past act, else ``published``."""
    pub = published or ""
    quotes = _quote_spans(text)
    # Dates of the past or of the article's day, outside quotes; "since ..." starts a span, not a statement.
    dates = [d for d in find_dates(text, published) if d.preposition != "since" and not _in_spans(d.start, quotes)
             and (not pub or d.value[:len(pub)] <= pub[:len(d.value)])]
    if not dates and context_text:
        dates = [d for d in find_dates(context_text, published) if d.preposition != "since"
                 and (not pub or d.value <= pub)]
        anchor = len(context_text)
    if dates:
        clause = _clause_start(text, anchor)
        usable = [d for d in dates if d.start >= clause or d.end <= anchor]
        if usable:
            return min(usable, key=lambda d: abs(d.start - anchor)).value
    later = _LATER.search(text)
    if later and previous:
        return _offset(previous[-1], later)
    if verb is not None and _verbs()[1].get(verb.group().lower()) == "act" and _past(text, verb) and previous:
        return previous[-1][:4]
    return published


def _offset(base: str, later: re.Match) -> str:
    n = int(later["n"]) if later["n"].isdigit() else _SMALL[later["n"].lower()]
    unit = later["unit"].lower()
    if unit == "year":
        return f"{int(base[:4]) + n:04d}"
    return base  # days or weeks later: the base date's precision is all the text supports


def _past(text: str, verb: re.Match) -> bool:
    """Whether the statement is a past act: the verb (or the clause's first verb) in the simple past."""
    before = text[max(0, verb.start() - 25):verb.start()]
    if re.search(r"\b(?:has|have|had|will|would|is|are)\b(?:\s+\w+)?\s*$", before):
        return False
    if verb.group().lower().endswith("ed"):
        return True
    clause = text[_clause_start(text, verb.start()):verb.start()]
    return re.search(r"\b\w+ed\b", clause) is not None and not re.search(r"\b(?:has|have)\b", clause)


def positions(thread, *, host: str | None = None) -> pd.DataFrame:
    """One row per stated position: post_id, published, sentence, actor, stance, location, stated,
    actor_class, cue, quote, and where the sentence is (field, start, end)."""
    host = host or host_country(thread)
    rows: list[dict] = []
    for post in thread:
        rows += _one_per_statement(_post_positions(post, host))
    fullest = _fullest_names({row["actor"] for row in rows})
    for row in rows:
        row["actor"] = fullest.get(row["actor"], row["actor"])
    return _frame(rows)


def _fullest_names(names: set[str]) -> dict[str, str]:
    """Each name that a longer name of the thread ends with ("Rasool" -> "Yehia Rasool"), mapped to
    the longest such name; names that several different longer names end with stay as they are.

    >>> _fullest_names({"Rasool", "Yehia Rasool", "Smith", "Ann Smith", "Bob Smith"})
    {'Rasool': 'Yehia Rasool'}
    """
    fullest = {}
    for name in names:
        longer = [other for other in names if other != name and other.endswith(" " + name)]
        if not longer:
            continue
        longest = max(longer, key=len)
        if all(longest.endswith(other) for other in longer):  # one person, not two who share a surname
            fullest[name] = longest
    return fullest


def _post_positions(post, host: str | None) -> list[dict]:
    """The positions of one post, sentence by sentence, following who speaks."""
    sentences = post_sentences(post)
    actors = PostActors(" ".join(s.text for s in sentences), host)
    rows: list[dict] = []
    quote_speaker: Mention | None = None  # the speaker of the quote the sentence before
    quote_head: str | None = None         # the sentence that introduced that quote
    for index, sentence in enumerate(sentences):
        text = sentence.text
        verbs = _statement_verbs(text)
        is_quote = bool(_quote_spans(text))
        cues = find_cues(text)
        if not (cues or verbs or is_quote):
            quote_speaker = None
            continue  # nothing stated here: skip the (slower) search for actors
        mentions = actors.mentions(text)
        speaker = _speaker(text, mentions, verbs) if is_quote else None
        if speaker is None and is_quote and not verbs and text.lstrip()[:1] in "“\"":
            speaker = quote_speaker  # a quote that goes on from the sentence before
        else:
            quote_head = text if speaker is not None else None
        for stance, cue in cues:
            holder, verb, quoted = _holder(text, cue, mentions, speaker)
            if holder is None or holder.name is None:
                continue
            if stance in _OWN_ATTACKS and holder.actor_class in ("US", "coalition", "host"):
                continue  # threats, truces and resumptions are a side's own attacks
            context = quote_head if (quoted and speaker is quote_speaker and quote_head != text) else None
            anchor = verb.start() if verb is not None else cue.start()
            rows.append({
                "post_id": post.post_id, "published": post.published, "sentence": collapse(text),
                "actor": holder.name, "stance": stance,
                "location": _location(stance, text, cue, holder, sentences, index, post, host),
                "stated": _stated(text, anchor, post.published, verb,
                                  _dates_before(sentences, index, post.published), context),
                "actor_class": holder.actor_class, "cue": cue.group(), "quote": _quote_at(text, cue.start()),
                "field": sentence.field, "start": sentence.start, "end": sentence.end, "_country": holder.country})
        for verb in verbs:  # who spoke, for "he", "the militia" later in the post
            subject = _subject(text, verb.start(), mentions)
            if subject is not None and subject.name and subject.kind == "group":
                actors.group_speakers.append(subject)
            elif subject is not None and subject.name and subject.kind == "person":
                actors.last_speaker = subject
        if is_quote and speaker is not None:
            actors.last_speaker = speaker
        quote_speaker = speaker if is_quote else None
    return rows


def _dates_before(sentences, index: int, published: str | None) -> list[str]:
    """The dates of the story before a sentence: those of the nearest earlier sentence that has any."""
    for sentence in reversed(sentences[max(0, index - 3):index]):
        dates = [d.value for d in find_dates(sentence.text, published) if d.preposition != "since"
                 and d.value <= (published or "9999")]
        if dates:
            return dates
    return []


def _quote_at(text: str, position: int) -> str | None:
    for start, end in _quote_spans(text):
        if start <= position < end:
            return text[start:end]
    return None


def _location(stance, text, cue, holder: Mention, sentences, index, post, host):
    """Whose country's foreign presence (or attacks) the stance is about."""
    family = FAMILIES[stance]
    own = text[max(0, holder.start if holder.start < cue.start() else cue.start()):]
    if _REGION.search(text[cue.start():cue.end() + 40]):
        return None  # "push U.S. forces from the region": the text says where, and it is no country
    found = locations(own, exclude={"United States"})
    if not found and family == "presence" and holder.country and holder.country == host:
        found = [host]
    if not found:
        found = locations(text, exclude={"United States"})
    neighbours = [sentences[i].text for i in (index - 1, index + 1) if 0 <= i < len(sentences)]
    for neighbour in neighbours:
        if found:
            break
        if family == "presence" or _ABOUT_FOREIGN_FORCES.search(neighbour):
            found = locations(neighbour, exclude={"United States"})
    if not found and family != "attacks":
        found = locations(post.headline or "", exclude={"United States"})
    return found[0] if len(found) == 1 else (found or None)


def _one_per_statement(rows: list[dict]) -> list[dict]:
    """One record per actor, family and statement within a post.

    Records of one actor and family whose dates lie within a week are one statement: the
    highest-priority stance stays (withdraw over transition over stay). A condemnation gives way
    to a demand of the same actor in the post; a country's record gives way to a named person of
    that country who states the same stance.
    """
    kept: list[dict] = []
    for row in rows:
        family = FAMILIES[row["stance"]]
        same = next((k for k in kept if k["actor"] == row["actor"] and FAMILIES[k["stance"]] == family
                     and _close(k["stated"], row["stated"])), None)
        if same is None:
            kept.append(row)
        elif _PRIORITY[row["stance"]] < _PRIORITY[same["stance"]]:
            same.update({k: row[k] for k in ("stance", "cue", "quote")})
    demanding = {k["actor"] for k in kept if FAMILIES[k["stance"]] != "condemn"}
    kept = [k for k in kept if not (k["stance"] == "condemn" and k["actor"] in demanding)]
    people = {(k["_country"], k["stance"]) for k in kept if k["_country"] and k["actor"] != k["_country"]}
    kept = [k for k in kept if not (k["actor"] == k["_country"] and (k["_country"], k["stance"]) in people)]
    return kept


def _close(first: str | None, second: str | None) -> bool:
    if first == second:
        return True
    if not first or not second or len(first) != 10 or len(second) != 10:
        return False
    return abs((pd.Timestamp(first) - pd.Timestamp(second)).days) <= 7


def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.astype({"post_id": "Int64", "start": "Int64", "end": "Int64", "published": "string",
                         "sentence": "string", "actor": "string", "stance": "string", "stated": "string",
                         "actor_class": "string", "cue": "string", "quote": "string", "field": "string"})


def _stated_key(value) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _location_key(value) -> tuple:
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return ()
    return tuple(sorted([value] if isinstance(value, str) else value))


def shifts(positions_frame: pd.DataFrame) -> pd.DataFrame:
    """One row per shift: two positions of the same actor, stance family and location, consecutive
    in ``stated`` order (a coarser date before the finer dates inside it, ties in thread order),
    whose stances differ."""
    rows = []
    frame = positions_frame.reset_index(drop=True)
    records = [dict(r, _order=i) for i, r in enumerate(frame.to_dict("records"))]
    groups: dict[tuple, list[dict]] = {}
    for record in records:
        key = (record["actor"], FAMILIES.get(record["stance"]), _location_key(record["location"]))
        groups.setdefault(key, []).append(record)
    for (actor, _, _), group in groups.items():
        group.sort(key=lambda r: (_stated_key(r["stated"]), r["post_id"], r["_order"]))
        for before, after in zip(group, group[1:]):
            if before["stance"] != after["stance"]:
                rows.append({"actor": actor, "location": before["location"], "from_stance": before["stance"],
                             "from_stated": before["stated"], "from_post_id": before["post_id"],
                             "to_stance": after["stance"], "to_stated": after["stated"],
                             "to_post_id": after["post_id"], "from_sentence": before["sentence"],
                             "to_sentence": after["sentence"]})
    out = pd.DataFrame(rows, columns=SHIFT_COLUMNS)
    return out.astype({"from_post_id": "Int64", "to_post_id": "Int64", "actor": "string", "from_stance": "string",
                       "to_stance": "string", "from_stated": "string", "to_stated": "string"})
