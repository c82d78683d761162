"""Named actors in a sentence: known actors, people by title or by name, organisations, and
references back to them ("he", "the prime minister", "the militia", "Sudani").

A mention carries the actor's name (the lexicon's full name for a known actor), a kind
(``person``, ``group`` or ``unnamed``), and, where the words say, a class and a country.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from . import lexicon
from .actors import _place_index, country_class, find_places

# One word of a personal name: "Mohammed", "al-Sudani", "Rubai’e", "R.", "Abu".
_NAME_WORD = (r"(?:(?:[A-Z][a-z’'\-]+(?:-[A-Z][a-z’'\-]+)?|al-[A-Z][\w’'\-]+|el-[A-Z][\w’'\-]+)(?<![’']s)"
              r"|Abu|bin|ibn|[A-Z]\.)")
_NAME = re.compile(rf"(?<![\w’'-])(?:{_NAME_WORD})(?:\s+(?:{_NAME_WORD})){{1,3}}(?![\w’'-])")
_ORG_WORD = (r"(?:Commission|Council|Committee|Brigades?|Battalions?|Forces|Party|Movement|Front|Resistance|Army|"
             r"Ministry|Parliament|Framework|Coalition|Organization|Organisation|Alliance|Bloc|Group|Union|Hezbollah|"
             r"[Aa]dministration)")
_ORG = re.compile(rf"(?<![\w-])(?:\b[Tt]he\s+)?(?:[A-Z][\w’'-]+\s+(?:(?:of|for|in|al-)\s+)?){{1,5}}{_ORG_WORD}\b")
_OFFICE = re.compile(r"\s+(?P<word>administration|Administration|government|White House)\b")
_ARMED_ORG = re.compile(r"\b(?:Resistance|Brigades?|Battalions?|Militias?|Hezbollah|Mobilization|Front)\b")
_UNNAMED_WORDS = (
    r"\b(?:(?:a|an|the|one|two|three|some|many|several)\s+)?(?:(?:senior|former|top|retired|other|military|"
    r"defense|administration|government|security|national|local|hard-line|(?-i:[A-Z][\w.’'-]*))\s+){0,4}"
    r"(?:officials?|spokes(?:man|woman|person)|sources?|diplomats?|analysts?|aides?|lawmakers|politicians|"
    r"hard-liners|experts?|observers|residents|critics|commanders?)\b")


@lexicon.derived
def unnamed_pattern() -> re.Pattern:
    """Unnamed speakers ("a senior U.S. official", "a spokesman for the prime minister"); a "for
    ..." tail ends before punctuation or a statement verb of the lexicon."""
    verbs = "|".join(re.escape(row["verb"]) for row in lexicon.load("statement_verbs")
                     if row["kind"] == "report" and " " not in row["verb"])
    return re.compile(rf"{_UNNAMED_WORDS}(?:\s+(?:for|of)\s+[A-Z][\w’'.\s-]{{0,60}}?"
                      rf"(?=[,.;]|\s+(?:{verbs})\b))?", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(?P<word>he|she|they|it|its|his|her|their)\b", re.IGNORECASE)
_DEFINITE = re.compile(r"\bthe\s+(?P<noun>prime minister|president|foreign minister|defense minister|"
                       r"defense secretary|secretary-general|militia|council|commission|group|statement|message|"
                       r"movement|organization|government|umbrella group|spokesperson|spokesman|spokeswoman)\b",
                       re.IGNORECASE)
# (A name starts at a capital after no letter, and is bounded: linear time on any text.)
_ROLE_OF = re.compile(r"(?<![\w.])(?P<country>(?-i:[A-Z])[\w.]{0,30})[’']s\s+(?P<noun>prime minister|president|foreign minister|"
                      r"defense minister|parliament|government|leader)\b", re.IGNORECASE)
# A state's own body named by the state's possessive: "Iran's foreign ministry", "Turkey's defense ministry".
_BODY_OF = re.compile(r"(?<![\w.])(?P<country>(?-i:[A-Z])[\w.]{0,30}(?:\s+(?-i:[A-Z])[\w.]{0,30})?)[’']s\s+(?P<body>(?:foreign|defen[cs]e|interior)\s+"
                      r"ministry|ministry\s+of\s+(?:defen[cs]e|foreign\s+affairs)|armed\s+forces|army|military|navy|"
                      r"air\s+force|security\s+council|national\s+security\s+council)\b", re.IGNORECASE)
_GROUP_NOUNS = frozenset("militia council commission group statement message movement organization government "
                         "umbrella group".split())


@dataclass(frozen=True)
class Mention:
    """A named actor (or an unnamed speaker) at ``start``-``end`` of a sentence."""

    start: int
    end: int
    text: str
    name: str | None          # None for an unnamed speaker ("a senior U.S. official")
    kind: str                 # person, group or unnamed
    actor_class: str | None = None
    country: str | None = None
    known: bool = False


@lexicon.derived
def _titles() -> tuple[re.Pattern, dict[str, str]]:
    roles = {row["title"]: row["role"] for row in lexicon.load("titles")}
    alternation = "|".join(re.escape(t) for t in sorted(roles, key=len, reverse=True))
    # Titles, possibly with a country or organisation before them ("Iraqi Foreign Minister").
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])"), roles


@lexicon.derived
def _known() -> tuple[re.Pattern, dict[str, dict]]:
    index: dict[str, dict] = {}
    for row in lexicon.load("known_actors"):
        person = not (row["class"] or row["name"].endswith(("government", "parliament"))
                      or row["name"] in {r["country"] for r in lexicon.load("countries")})
        for name in [row["name"], *filter(None, row["aliases"].split("|"))]:
            index[name] = {"name": row["name"], "class": row["class"] or None, "country": row["country"] or None,
                           "kind": "person" if person else "group"}
    alternation = "|".join(re.escape(n) for n in sorted(index, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])"), index


_TITLE_TAIL = re.compile(r"\s+(?:(?:for|of|the)\s+|[A-Z][\w.’'-]*\s+)")


def _name_after(text: str, position: int) -> re.Match | None:
    """The person's name after a title, past words that complete the title ("Secretary for the Middle
    East Dana Stroud", "Iraqi Foreign Minister Fuad Hussein")."""
    for _ in range(6):
        name = _NAME.match(text, position + len(text[position:]) - len(text[position:].lstrip()))
        if name and _person_ok(name.group()) or (name and name.group() in _known()[1]):
            return name
        tail = _TITLE_TAIL.match(text, position)
        if not tail:
            return None
        position = tail.end() - 1
    return None


def _overlaps(a: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


@lexicon.derived
def _not_name() -> frozenset[str]:
    return frozenset(row["word"] for row in lexicon.load("not_names"))


def _person_ok(words: str) -> bool:
    """Whether capitalised words can be a person's name: two or more, none a known non-name or place."""
    parts = [w.rstrip(".") for w in words.split()]
    return len(parts) >= 2 and not any(p in _not_name() or p in _place_index()[1] for p in parts)


def _about(text: str, start: int, end: int, host: str | None) -> tuple[str | None, str | None]:
    """Class and country of an actor from the words around the name: "Iraqi Foreign Minister X",
    "X, spokesperson for Iraq's commander in chief", "Kataib Sayyid al-Shuhada Secretary-General X"."""
    appositive = re.match(r"\s*,\s*([^,;]{3,90})", text[end:end + 90])
    context = (appositive.group(1) if appositive else "") + " | " + text[max(0, start - 40):start]
    known = [(m.start(), _known()[1][m.group()]) for m in _known()[0].finditer(context)]
    places = [(p.start, p.country) for p in find_places(context)]
    for _, info in sorted(known + [(s, {"country": c, "class": None}) for s, c in places], key=lambda x: x[0]):
        country = info["country"]
        actor_class = info["class"] or (country_class(country, host) if country else None)
        return actor_class, country
    return None, None


class PostActors:
    """The actors of one post, so that "he", "the prime minister" and "Sudani" find their names."""

    def __init__(self, post_text: str, host: str | None):
        self.host = host
        self.roles: dict[str, Mention] = {}      # "prime minister" -> the person titled so in the post
        self.people: list[Mention] = []           # in order of mention
        self.groups: list[Mention] = []
        self.last_speaker: Mention | None = None
        self.group_speakers: list[Mention] = []   # groups that were the subject of a statement verb
        self._text, self._cursor = post_text, 0
        self._titled: list[tuple[int, str, Mention]] = []  # (where, role, person) for each titled name
        self._scan(post_text, register_roles=True)  # learn who holds which title in the post

    def _register(self, mention: Mention) -> None:
        if mention.kind == "person":
            self.people.append(mention)
        elif mention.kind == "group":
            self.groups.append(mention)

    def note(self, text: str) -> list[Mention]:
        """The actors named in a sentence that needs no references resolved, remembered for the
        sentences after it (a cheaper `mentions`)."""
        at = self._text.find(text, self._cursor)
        if at >= 0:
            self._cursor = at
        found = [self._full_name(m) for m in self._scan(text)]
        for mention in found:
            if mention.name:
                self._register(mention)
        return found

    def scan(self, text: str) -> list[Mention]:
        """The actors named in a text, without references and without changing what the post knows."""
        return self._scan(text)

    def _scan(self, text: str, *, register_roles: bool = False) -> list[Mention]:
        titles, roles = _titles()
        pattern, known = _known()
        found: list[Mention] = []
        taken: list[tuple[int, int]] = []
        for title in titles.finditer(text):
            name = _name_after(text, title.end())
            if not name:
                continue
            words = name.group()
            known_name = next((known[k] for k in (words, " ".join(words.split()[-2:]), words.split()[-1])
                               if k in known), None)
            if not known_name and not _person_ok(words):
                continue
            span = (title.start(), name.end())
            actor_class, country = _about(text, *span, self.host)
            if known_name:
                mention = Mention(span[0], span[1], text[span[0]:span[1]], known_name["name"], known_name["kind"],
                                  known_name["class"] or country_class(known_name["country"], self.host)
                                  if known_name["country"] else known_name["class"], known_name["country"], True)
            else:
                mention = Mention(span[0], span[1], text[span[0]:span[1]], words, "person", actor_class, country)
            role = roles.get(title.group().split(" for ")[0].split(" of ")[0].strip())
            if register_roles and role:
                self.roles.setdefault(role, mention)
                self._titled.append((span[0], role, mention))
            found.append(mention)
            taken.append(span)
        for match in _BODY_OF.finditer(text):
            body = self._body_of(match)
            if body is not None and not _overlaps(match.span(), taken):
                found.append(body)
                taken.append(match.span())
        for match in pattern.finditer(text):
            if _overlaps(match.span(), taken):
                continue
            info = known[match.group()]
            office = _OFFICE.match(text, match.end())
            if office and info["kind"] == "person":  # "the Trump administration": the leader's administration
                end = office.end()
                found.append(Mention(match.start(), end, text[match.start():end], f"{match.group()} {office['word']}",
                                     "group", info["class"], info["country"]))
                taken.append((match.start(), end))
                continue
            found.append(Mention(match.start(), match.end(), match.group(), info["name"], info["kind"],
                                 info["class"] or (country_class(info["country"], self.host) if info["country"] else None),
                                 info["country"], True))
            taken.append(match.span())
        for match in _ORG.finditer(text):
            if _overlaps(match.span(), taken):
                continue
            words = re.sub(r"^[Tt]he\s+", "", match.group())
            if len(words.split()) < 2 or words.split()[0] in ("A", "An"):
                continue
            actor_class, country = _about(text, *match.span(), self.host)
            if _ARMED_ORG.search(words):
                actor_class = "militia"  # "... Resistance ...", "... Brigades": an armed group, whatever its country
            found.append(Mention(match.start(), match.end(), match.group(), words, "group", actor_class, country))
            taken.append(match.span())
        for match in _NAME.finditer(text):
            if _overlaps(match.span(), taken) or not _person_ok(match.group()):
                continue
            actor_class, country = _about(text, *match.span(), self.host)
            found.append(Mention(match.start(), match.end(), match.group(), match.group(), "person", actor_class, country))
            taken.append(match.span())
        return sorted(found, key=lambda m: m.start)

    def mentions(self, text: str) -> list[Mention]:
        """Every actor mention of one sentence, references resolved, in order (the sentences of the
        post are read in order: "the president" is the last one so titled before the sentence)."""
        at = self._text.find(text, self._cursor)
        if at >= 0:
            self._cursor = at
        found = self._scan(text)
        taken = [(m.start, m.end) for m in found]
        for match in unnamed_pattern().finditer(text):
            if not _overlaps(match.span(), taken):
                found.append(Mention(match.start(), match.end(), match.group(), None, "unnamed"))
                taken.append(match.span())
        # "Iraq's prime minister" -> the person so titled in the post; "the militia" -> the last armed group
        for pattern, resolve in ((_ROLE_OF, self._role), (_DEFINITE, self._definite)):
            for match in pattern.finditer(text):
                resolved = None if _overlaps(match.span(), taken) else resolve(match["noun"].lower())
                if resolved:
                    found.append(replace(resolved, start=match.start(), end=match.end(), text=match.group()))
                    taken.append(match.span())
        surnames = {p.name.split()[-1]: p for p in self.people if p.name and len(p.name.split()) > 1}
        for match in re.finditer(r"(?<![\w’'-])[A-Z][\w’'-]+(?![\w-])", text):
            person = surnames.get(match.group())
            if person is not None and not _overlaps(match.span(), taken):
                found.append(replace(person, start=match.start(), end=match.end(), text=match.group()))
                taken.append(match.span())
        for match in _PRONOUN.finditer(text):
            if _overlaps(match.span(), taken):
                continue
            resolved = self._pronoun(match["word"].lower(), [m for m in found if m.start < match.start()])
            if resolved:
                found.append(replace(resolved, start=match.start(), end=match.end(), text=match.group()))
        found = [self._government_of(text, self._full_name(m)) for m in found]
        found.sort(key=lambda m: m.start)
        for mention in found:
            if mention.name and mention.text.lower() not in ("he", "she", "it", "they", "its", "his", "her", "their"):
                self._register(mention)
        return found

    def _body_of(self, match: re.Match) -> Mention | None:
        """ "Iran's foreign ministry": the state's own body, a group actor named by the state's
        demonym ("Iranian foreign ministry"), of the state's class."""
        place = _place_index()[1].get(match["country"])
        if place is None or place[1] != "name":
            return None
        country = place[0]
        demonym = next((name for name, (c, kind) in _place_index()[1].items() if c == country and kind == "demonym"),
                       country)
        name = f"{demonym} {' '.join(match['body'].lower().split())}"
        return Mention(match.start(), match.end(), match.group(), name, "group", country_class(country, self.host),
                       country)

    def _government_of(self, text: str, mention: Mention) -> Mention:
        """ "Mr. al-Kadhimi's government" is the government of the leader's country."""
        possessive = re.match(r"[’']s\s+government\b", text[mention.end:])
        if mention.kind != "person" or not possessive or not mention.country:
            return mention
        government = next((info for name, info in _known()[1].items()
                           if info["name"].endswith("government") and info["country"] == mention.country), None)
        if government is None:
            return mention
        return Mention(mention.start, mention.end + possessive.end(), text[mention.start:mention.end + possessive.end()],
                       government["name"], "group", country_class(mention.country, self.host), mention.country, True)

    def _full_name(self, mention: Mention) -> Mention:
        """A surname alone ("Rasool") takes the full name seen before in the post ("Yehia Rasool")."""
        if mention.kind != "person" or mention.known or not mention.name:
            return mention
        for person in reversed(self.people):
            if person.name and person.name != mention.name and person.name.endswith(" " + mention.name):
                return replace(mention, name=person.name, actor_class=person.actor_class, country=person.country)
        return mention

    def _role(self, role: str) -> Mention | None:
        """The person last titled so before the sentence being read, else the first in the post."""
        before = [mention for where, name, mention in self._titled if name == role and where <= self._cursor]
        return before[-1] if before else self.roles.get(role)

    def _definite(self, noun: str) -> Mention | None:
        if noun in self.roles:
            return self._role(noun)
        if noun in ("spokesperson", "spokesman", "spokeswoman"):
            return None
        if noun == "government":
            groups = [g for g in self.groups if g.name and g.name.endswith("government")]
        elif noun in _GROUP_NOUNS:
            # "the militia", "the council", "the statement": the last armed group or organisation that
            # spoke, else the last one named
            armed = ("militia", "insurgent", None)
            groups = [g for g in self.group_speakers if g.actor_class in armed] or [
                g for g in self.groups if g.actor_class in armed]
        else:
            return None
        return groups[-1] if groups else None

    def _pronoun(self, word: str, before: list[Mention]) -> Mention | None:
        if word in ("he", "she", "his", "her"):
            if self.last_speaker is not None and self.last_speaker.kind == "person":
                return self.last_speaker
            people = [m for m in before if m.kind == "person"] or self.people
            return people[-1] if people else None
        groups = [m for m in before if m.kind == "group"] or self.groups
        return groups[-1] if groups else None
