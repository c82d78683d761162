"""Stated positions of actors about a foreign military presence and about attacks, and their shifts.

A position is a stance frame (``stance_frames.csv``, read on the spaCy parse by `frames`) that a
named actor states: the subject of the statement verb that governs the frame ("Obama said there
will be no buildup of U.S. combat troops"), the holder of a statement noun ("a request from
Russia"), the speaker of a quote, or "according to X". Negation and opposition turn the stance;
unnamed speakers ("a senior U.S. official") are left out. One record is kept per actor, stance
family, country and statement. Only sentences that the pre-filter of `analysis` keeps are parsed;
who holds a frame is worked out in `holders`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from . import analysis, lexicon, stance_model
from . import holders as who
from .actors import host_country, locations
from .dates import find_dates
from .frames import FrameHit, find_frames, is_statement
from .mentions import _NAME, Mention, PostActors, _person_ok
from .records import to_frame
from .stance_features import record_features
from .text import collapse, post_sentences
from .thread import as_thread, post_batches

if TYPE_CHECKING:
    import pandas as pd

    from .stance_model import StanceModel

COLUMNS = ["post_id", "published", "sentence", "actor", "stance", "location", "stated", "confidence", "actor_class",
           "cue", "quote", "field", "start", "end"]
SHIFT_COLUMNS = ["actor", "location", "from_stance", "from_stated", "from_post_id", "to_stance", "to_stated",
                 "to_post_id", "confidence", "from_sentence", "to_sentence"]
FAMILIES = {"withdraw": "presence", "stay": "presence", "transition": "presence", "threaten": "attacks",
            "suspend": "attacks", "resume": "attacks", "condemn": "condemn"}
# Within one statement, the stance that wins when several of a family are stated.
_PRIORITY = {"withdraw": 0, "transition": 1, "stay": 2, "threaten": 0, "resume": 1, "suspend": 2, "condemn": 0}
_REGION = re.compile(r"\b(?:from|in|across|out\s+of)\s+the\s+(?:region|Middle\s+East|area|Gulf)\b", re.IGNORECASE)
_LATER = re.compile(r"\b(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
                    r"(?P<unit>day|week|month|year)s?\s+later\b", re.IGNORECASE)
_SMALL = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10}
_CLAUSE_BREAK = re.compile(r";|—|–|\s-\s|,\s+(?:and|but|while|which|where|who)\b")
_OWN_ATTACKS = {"threaten", "suspend", "resume"}
CHUNK_POSTS = 200  # posts parsed at a time: memory stays flat however long the thread
_FIRST_PERSON = {"i", "we", "me", "us", "our", "my"}


@lexicon.derived
def _report_verbs() -> frozenset[str]:
    """Statement verbs that report (said, told): their statement is dated by the report, not the story."""
    return frozenset(row["verb"].lower() for row in lexicon.load("statement_verbs") if row["kind"] == "report")


def _clause_start(text: str, position: int) -> int:
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(text, 0, position)]
    return breaks[-1] if breaks else 0


def _stated(text: str, anchor: int, published: str | None, past_act: bool, previous: list[str],
            context_text: str | None) -> str | None:
    """When the actor took the stance: a date near its statement, a later-offset from the story
    ("Three years later"), the story's year for an undated past act, else ``published``."""
    pub = published or ""
    quotes = who.quote_spans(text)
    # Dates of the past or of the article's day, outside quotes; "since ..." starts a span, not a statement.
    dates = [d for d in find_dates(text, published) if d.preposition != "since" and not who.in_spans(d.start, quotes)
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
    if past_act and previous:
        return previous[-1][:4]
    return published


def _offset(base: str, later: re.Match) -> str:
    n = int(later["n"]) if later["n"].isdigit() else _SMALL[later["n"].lower()]
    unit = later["unit"].lower()
    if unit == "year":
        return f"{int(base[:4]) + n:04d}"
    return base  # days or weeks later: the base date's precision is all the text supports


def positions(thread, *, host: str | None = None, model: StanceModel | bool = True) -> pd.DataFrame:
    """One row per stated position: post_id, published, sentence, actor, stance, location, stated,
    confidence, actor_class, cue, quote, and where the cue is (field, start, end; see `records`).
    ``confidence`` comes from the trained model (`stance_model`; ``model``: True for the one in use,
    or a `StanceModel`); with ``model=False`` it is left empty (the rules alone)."""
    thread = as_thread(thread)  # a path or the thread's text too
    host = host or host_country(thread)
    model = stance_model.load() if model is True else model
    by_post = [rows for chunk in post_batches(thread, CHUNK_POSTS) for rows in position_rows(chunk, host, model=model)]
    return positions_frame(by_post, thread)


def position_rows(posts: list, host: str | None, *, model: StanceModel | bool = True) -> list[list[dict]]:
    """The stances stated in each of ``posts`` (one list a post, in order), each with the
    ``confidence`` that ``model`` gives it, before the thread's names are joined
    (`positions_frame`); each post's list depends on that post alone and ``host``."""
    model = stance_model.load() if model is True else (model or None)
    return [judged(rows, model) for rows in stance_rows(posts, host)]


def judged(rows: list[dict], model: StanceModel | None) -> list[dict]:
    """The rows of `stance_rows` with the model's confidence (None without a model), features dropped."""
    out = []
    for row in rows:
        row = dict(row)
        features = row.pop("_features")
        row["confidence"] = model.confidence(features) if model is not None else None
        out.append(row)
    return out


def stance_rows(posts: list, host: str | None) -> list[list[dict]]:
    """The stances the rules find in each of ``posts``, each with the features (``_features``)
    that the trained model judges it by (`stance_features`)."""
    scanner = PostActors("", host)  # names by title, lexicon and shape, without references
    mine = [post for post in posts if not analysis.parsed(post)]  # parses made here are released here
    analysis.parse_posts(posts)
    frames = {id(doc): find_frames(doc, near=_near(post, index))
              for post in posts for index, doc in analysis.parsed(post).items()}
    analysis.recognise_entities(doc for post in posts for doc in analysis.parsed(post).values()
                                if _needs_entities(frames[id(doc)], scanner))
    by_post = [_post_positions(post, host, frames) for post in posts]
    analysis.release(mine)
    return by_post


def positions_frame(by_post: list[list[dict]], thread) -> pd.DataFrame:
    """The positions table from each post's stances (`position_rows`)."""
    return _frame(position_records(by_post, thread))


def position_records(by_post: list[list[dict]], thread) -> list[dict]:
    """The position records from each post's stances (`position_rows`): a person named by a last
    name takes the fullest form of the name written in ``thread``; one record a stated location."""
    people = {row["actor"] for rows in by_post for row in rows if not row["_known"]}
    fullest = _fullest_names(people, thread)
    out: list[dict] = []
    for rows in by_post:
        rows = [dict(row, actor=fullest.get(row["actor"], row["actor"])) for row in rows]
        out += _one_per_statement([one for row in rows for one in _per_location(row)])
    return out


def _per_location(row: dict) -> list[dict]:
    """One stance about two countries is two records (spec)."""
    if isinstance(row["location"], list):
        return [dict(row, location=place) for place in row["location"]]
    return [row]


def _fullest_names(names: set[str], thread=()) -> dict[str, str]:
    """Each name that a longer name of the thread ends with ("Rasool" -> "Yehia Rasool"), mapped to
    the longest such name; names that several different longer names end with stay as they are.
    The longer names are the actors' and the personal names written anywhere in ``thread``.

    >>> _fullest_names({"Rasool", "Yehia Rasool", "Smith", "Ann Smith", "Bob Smith"})
    {'Rasool': 'Yehia Rasool'}
    """
    single = {name.casefold() for name in names if name and " " not in name}
    written = set(names)
    if single:
        for post in thread:
            for field in (post.body, post.commentary):
                written.update(m.group() for m in _NAME.finditer(field or "")
                               if m.group().split()[-1].casefold() in single and _person_ok(m.group()))
    by_last: dict[str, list[str]] = {}
    for other in written:
        if " " in other:
            by_last.setdefault(other.split()[-1].casefold(), []).append(other)
    fullest = {}
    for name in names:
        longer = [o for o in by_last.get(name.split()[-1].casefold(), []) if o != name
                  and o.casefold().endswith(" " + name.casefold())]
        if not longer:
            continue
        longest = max(longer, key=len)
        # one person, not two who share a surname
        if all(longest.casefold().endswith(other.casefold()) for other in longer):
            fullest[name] = longest
    return fullest


def _needs_entities(hits: list[FrameHit], scanner: PostActors) -> bool:
    """Whether a sentence's holders include a proper name that only the entity recogniser can
    delimit (most are found by title, lexicon or shape; recognising entities costs as much as the parse)."""
    names = [t for h in hits for t in (*h.holders, *h.own, *h.reporters) if t.pos_ == "PROPN"]
    if not names:
        return False
    found = scanner.scan(names[0].doc.text)
    return any(not any(m.start <= t.idx < m.end for m in found) for t in names)


def _near(post, index: int) -> bool:
    """Whether the sentence before names forces or attacks (for frames that need them near)."""
    return index > 0 and analysis.names_forces(post_sentences(post)[index - 1].text)


def _post_positions(post, host: str | None, frames: dict | None = None) -> list[dict]:
    """The positions of one post, sentence by sentence, following who speaks."""
    sentences = post_sentences(post)
    docs = analysis.parsed(post)
    actors = PostActors(" ".join(s.text for s in sentences), host)
    rows: list[dict] = []
    quote_speaker: Mention | None = None  # the speaker of the quote the sentence before
    quote_head: str | None = None         # the sentence that introduced that quote
    for index, sentence in enumerate(sentences):
        text = sentence.text
        doc = docs.get(index)
        mentions = actors.mentions(text) if doc is not None else actors.note(text)
        opens_quote = text.lstrip()[:1] in "“\"" or text.rstrip().endswith(":")
        if doc is None:
            if who.quote_spans(text) or text.rstrip().endswith(":"):
                named = who.named_outside_quotes(text, mentions)
                quote_speaker, quote_head = who.next_quote(named, quote_speaker, quote_head, text, opens_quote)
            who.follow_topic(actors, text, mentions)
            continue
        quoting = bool(who.quote_spans(text)) or text.rstrip().endswith(":")
        hits = frames[id(doc)] if frames is not None and id(doc) in frames else find_frames(
            doc, near=_near(post, index))
        # who speaks: from the post's actors, and from the entities where a quoted frame needs a voice
        speaker = who.speaker_of(doc, mentions, host, entities=False)
        if speaker is None and any(h.quoted for h in hits):
            speaker = who.speaker_of(doc, mentions, host)
        for hit in hits:
            voice = speaker or quote_speaker
            for holder, stance, origin in _holding(hit, mentions, host, voice, post, sentences, index, actors):
                context = quote_head if (hit.quoted and speaker is None and quote_head != text) else None
                record = _record(post, sentence, sentences, index, hit, stance, holder, host, context)
                record["_features"] = record_features(hit, stance, origin, holder, record, context)
                rows.append(record)
        if speaker is None:
            who.follow_topic(actors, text, mentions)
        else:
            if speaker.kind == "person":
                actors.last_speaker = speaker
            elif speaker.kind == "group":
                actors.group_speakers.append(speaker)
        if quoting:
            quote_speaker, quote_head = who.next_quote(speaker, quote_speaker, quote_head, text, opens_quote)
        else:
            quote_speaker = None
    return rows


def _holding(hit: FrameHit, mentions, host, voice, post, sentences, index,
             actors) -> list[tuple[Mention, str, str]]:
    """The named actors who hold a frame, each with the stance they hold and how the text names
    them as its holder (``subject``, ``possessor``, ``agent`` ..., ``voice`` for a quote's speaker,
    ``byline``, ``owner`` of a deed); see `holders`."""
    if any(who.unnamed(t, who.actor_of(t, mentions, host, entities=False)) for t in hit.reporters):
        return []  # "Analysts said the Taliban want ...": an aim that unnamed others attribute
    found = [(a, _origin(t)) for a, t in ((who.actor_of(t, mentions, host), t) for t in hit.holders) if a is not None]
    if hit.quoted and any(t.lower_ in _FIRST_PERSON for t in hit.holders):
        found = [(voice, "voice")] if voice else []
    if not hit.holders and hit.quoted and not hit.embedded and not is_statement(hit.predicate):
        found = [(voice, "voice")] if voice else []  # not "a request" (whose?), but "a confrontation"
    if hit.quoted and voice is not None:
        # a spokesman or leader quoted on his group's behalf is recorded as himself (spec)
        found = [(voice, "voice") if who.speaks_for(voice, h) else (h, o) for h, o in found]
    found = [(who.named_later(h, sentences, index, actors), o) for h, o in found]
    stance = hit.stance
    if any(t.text in ("we", "We") for t in hit.holders) and not hit.quoted:
        found = [(author, "byline") for author in who.byline(post)]  # "we": the writers of an opinion piece
    elif not hit.holders and hit.first_person and not hit.quoted:
        # "these amendments would handcuff the administration from bringing our troops home":
        # the writers hold the frame's own stance, whatever others do to it
        found, stance = [(author, "byline") for author in who.byline(post)], hit.own_stance
    owners = [a for a in (who.actor_of(t, mentions, host) for t in hit.own) if a is not None and a.name]
    triples = [(h, stance, o) for h, o in found if stance] + [(a, hit.own_stance, "owner") for a in owners]
    return [(holder, stance, origin) for holder, stance, origin in triples
            if holder is not None and holder.name is not None and not who.relays(holder, post)
            # threats, truces and resumptions are a side's own attacks
            and not (stance in _OWN_ATTACKS and holder.actor_class in ("US", "coalition", "host"))]


def _origin(token) -> str:
    """How a holder token is the holder: the subject, a passive's agent, a possessor, "from X" ..."""
    if token.dep_ in ("nsubj", "nsubjpass", "csubj"):
        return "subject"
    if token.dep_ == "pobj":
        return "agent" if token.head.dep_ == "agent" else f"prep_{token.head.lower_}"
    return {"poss": "possessor", "dobj": "object"}.get(token.dep_, "other")


_NOT_OBJECTS = {"punct", "cc", "conj", "advcl", "mark", "nsubj", "nsubjpass", "csubj", "aux", "auxpass", "neg",
                "relcl", "parataxis", "appos"}


def _frame_span(token) -> tuple[int, int]:
    """Where a frame's own words lie: the predicate and what follows it as its objects ("requested U.S.
    military support to help fight"), not the scene before it ("with fighters capturing ... Iraq and Syria")."""
    words = [token] + [w for c in token.children if c.i > token.i and c.dep_ not in _NOT_OBJECTS for w in c.subtree]
    return min(w.idx for w in words), max(w.idx + len(w) for w in words)


def _span(token) -> tuple[int, int]:
    """Where a token's subtree lies in its sentence (characters)."""
    return token.left_edge.idx, token.right_edge.idx + len(token.right_edge)


def _record(post, sentence, sentences, index: int, hit: FrameHit, stance: str, holder: Mention, host,
            context: str | None) -> dict:
    text = sentence.text
    predicate = hit.predicate
    span = _frame_span(predicate)
    chain = [predicate, *predicate.ancestors]
    below = chain[:chain.index(hit.statement)] if hit.statement in chain else chain
    clause = _span(below[-1]) if len(below) > 1 else span  # the clause that states the stance, up to the statement verb
    statement = hit.statement
    anchor = statement.idx if statement is not None else predicate.idx
    past_act = (statement is not None and statement.tag_ == "VBD"
                and statement.lower_ not in _report_verbs() and analysis.lemma(statement) not in _report_verbs())
    return {
        "post_id": post.post_id, "published": post.published, "sentence": collapse(text),
        "actor": holder.name, "stance": stance,
        "location": _location(stance, text, [span, clause], holder, sentences, index, post, host),
        "stated": _stated(text, anchor, post.published, past_act,
                          _dates_before(sentences, index, post.published), context),
        "actor_class": holder.actor_class, "cue": text[span[0]:span[1]], "quote": _quote_at(text, predicate.idx),
        "field": sentence.field, "start": sentence.start + span[0], "end": sentence.start + span[1],
        "_country": holder.country, "_known": holder.known}


def _dates_before(sentences, index: int, published: str | None) -> list[str]:
    """The dates of the story before a sentence: those of the nearest earlier sentence that has any."""
    for sentence in reversed(sentences[max(0, index - 3):index]):
        dates = [d.value for d in find_dates(sentence.text, published) if d.preposition != "since"
                 and d.value <= (published or "9999")]
        if dates:
            return dates
    return []


def _quote_at(text: str, position: int) -> str | None:
    for start, end in who.quote_spans(text):
        if start <= position < end:
            return text[start:end]
    return None


def _location(stance, text, spans: list[tuple[int, int]], holder: Mention, sentences, index, post, host):
    """Whose country's foreign presence (or attacks) the stance is about: the frame's own words, its
    clause, the host country for the host's own actors, then the sentence, its neighbours and the headline."""
    family = FAMILIES[stance]
    frame = spans[0]
    if _REGION.search(text[frame[0]:frame[1] + 40]):
        return None  # "push U.S. forces from the region": the text says where, and it is no country
    exclude = {"United States"}
    found: list[str] = []
    for start, end in spans:
        found = found or locations(text[start:end], exclude=exclude)
    if not found and family == "presence" and host and holder.country == host:
        found = [host]  # the host's own government or leader speaks of foreign forces in its country
    if not found:
        holder_here = holder.text and text[holder.start:holder.end] == holder.text  # not a speaker named before
        # the speaker's own country is where a presence stance of the host's is, never where strikes it condemns are
        start = min(frame[0], holder.start) if holder_here and family == "presence" else frame[0]
        found = locations(text[start:], exclude=exclude)
        if family != "presence" and holder_here:
            text = text[:holder.start] + " " * (holder.end - holder.start) + text[holder.end:]
    if not found:
        found = locations(text, exclude=exclude)
    neighbours = [sentences[i].text for i in (index - 1, index + 1) if 0 <= i < len(sentences)]
    for neighbour in neighbours:
        if found:
            break
        if family == "presence" or analysis.names_forces(neighbour):
            found = locations(neighbour, exclude=exclude)
    if not found and family != "attacks":
        found = locations(post.headline or "", exclude=exclude)
    return found[0] if len(found) == 1 else (found or None)


def _one_per_statement(rows: list[dict]) -> list[dict]:
    """One record per actor, family and statement within a post.

    Records of one actor, family and location whose dates lie within a week are one statement: the
    highest-priority stance stays (withdraw over transition over stay). A condemnation gives way
    to a demand of the same actor in the post; a country's record gives way to a named person of
    that country who states the same stance.
    """
    kept: list[dict] = []
    for row in rows:
        family = FAMILIES[row["stance"]]
        same = next((k for k in kept if k["actor"] == row["actor"] and FAMILIES[k["stance"]] == family
                     and (k["location"] == row["location"] or k["location"] is None or row["location"] is None)
                     and _close(k["stated"], row["stated"])), None)
        if same is None:
            kept.append(row)
        elif _PRIORITY[row["stance"]] < _PRIORITY[same["stance"]]:
            kept[kept.index(same)] = row
    demanding = {k["actor"] for k in kept if FAMILIES[k["stance"]] != "condemn"}
    kept = [k for k in kept if not (k["stance"] == "condemn" and k["actor"] in demanding)]
    people = {(k["_country"], k["stance"]) for k in kept if k["_country"] and k["actor"] != k["_country"]}
    kept = [k for k in kept if not (k["actor"] == k["_country"] and (k["_country"], k["stance"]) in people)]
    return kept


def _close(first: str | None, second: str | None) -> bool:
    import pandas as pd

    if first == second:
        return True
    if not first or not second or len(first) != 10 or len(second) != 10:
        return False
    return abs((pd.Timestamp(first) - pd.Timestamp(second)).days) <= 7


def _frame(rows: list[dict]) -> pd.DataFrame:
    return to_frame(rows, COLUMNS)


def _stated_key(value) -> str:
    import pandas as pd

    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _location_key(value) -> tuple:
    import pandas as pd

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
        # an undated position takes its article's date for its place in the order (not the first place)
        group.sort(key=lambda r: (_stated_key(r["stated"]) or _stated_key(r.get("published"))[:10],
                                  r["post_id"], r["_order"]))
        for before, after in zip(group, group[1:]):
            if before["stance"] != after["stance"]:
                rows.append({"actor": actor, "location": before["location"], "from_stance": before["stance"],
                             "from_stated": before["stated"], "from_post_id": before["post_id"],
                             "to_stance": after["stance"], "to_stated": after["stated"],
                             "to_post_id": after["post_id"],
                             "confidence": _lower(before.get("confidence"), after.get("confidence")),
                             "from_sentence": before["sentence"], "to_sentence": after["sentence"]})
    return shift_frame(rows)


def _lower(first, second) -> float | None:
    """A shift is as sure as the less sure of its two positions (None when either has none)."""
    import pandas as pd

    values = [v for v in (first, second) if v is not None and not pd.isna(v)]
    return min(values) if len(values) == 2 else None


def shift_frame(rows: list[dict]) -> pd.DataFrame:
    """The shifts table of shift records (as `shifts` makes them)."""
    import pandas as pd

    out = pd.DataFrame(rows, columns=SHIFT_COLUMNS)
    return out.astype({"from_post_id": "Int64", "to_post_id": "Int64", "actor": "string", "from_stance": "string",
                       "to_stance": "string", "from_stated": "string", "to_stated": "string", "confidence": "Float64",
                       "from_sentence": "string", "to_sentence": "string"})
