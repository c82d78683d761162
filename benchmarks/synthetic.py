"""Synthetic threads for the benchmarks: the sample's posts, varied per copy so that no two are alike.

Each copy of a post gets its own country (and its adjective), its own figures (every number of 40
or more that is not a year, scaled), its own years (shifted by a multiple of four, so that dates stay
valid), and a sentence with a person's name of its own, so that names, places, numbers and dates
differ from copy to copy, as in a real archive, and costs that grow with distinct values show.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "threads" / "iraq.txt"
COUNTRIES = [("Iraq", "Iraqi"), ("Syria", "Syrian"), ("Afghanistan", "Afghan"), ("Somalia", "Somali"),
             ("Yemen", "Yemeni"), ("Niger", "Nigerien"), ("Mali", "Malian"), ("Jordan", "Jordanian")]
_SYLLABLES = ["ka", "lo", "mi", "ra", "sen", "do", "vu", "ta", "bel", "ni", "zo", "har", "quin", "pe", "tor", "gal",
              "ru", "sha", "mon", "ve"]
_FIRST = ["Amal", "Bruno", "Chen", "Dalia", "Emre", "Farah", "Goran", "Hana", "Ivo", "Jamal", "Karin", "Luis"]
_NUMBER = re.compile(r"(?<![\d,.:])\d{1,3}(?:,\d{3})+(?![\d,:])|(?<![\d,.:])\d+(?![\d,:])")  # not times
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_DATE_LINE = re.compile(r"^(\d{1,2} [A-Z]+ \d{4})$", re.MULTILINE)


def sample_posts() -> tuple[str, str, str]:
    """(title line, the posts, the closing furniture) of the sample thread."""
    text = SAMPLE.read_text(encoding="utf-8")
    title, _, rest = text.partition("\n")
    posts, _, tail = rest.rpartition("Post Reply")
    return title, posts, "Post Reply" + tail


def person(index: int) -> tuple[str, str]:
    """A first and a last name of their own for ``index``."""
    last = "".join(_SYLLABLES[(index // 20 ** i) % 20] for i in range(4)).capitalize()
    return _FIRST[index % len(_FIRST)], last


def vary(posts: str, copy: int) -> str:
    """The posts of one copy: another country, other figures and years, a named speaker of its own."""
    country, adjective = COUNTRIES[copy % len(COUNTRIES)]
    text = posts.replace("Iraqi", adjective).replace("Iraq", country) if country != "Iraq" else posts
    factor = 1 + (copy % 13) / 10
    shift = 4 * (copy % 5 - 2)

    def number(match: re.Match) -> str:
        value = int(match.group().replace(",", ""))
        if value < 40 or 1950 <= value <= 2049:
            return match.group()
        scaled = int(value * factor)
        return f"{scaled:,}" if "," in match.group() else str(scaled)

    text = _NUMBER.sub(number, text)
    text = _YEAR.sub(lambda m: str(int(m.group()) + shift), text)
    counter = iter(range(10**6))

    def speaker(match: re.Match) -> str:
        first, last = person(copy * 100 + next(counter))
        return (f"{match.group()}\n\n{first} {last}, a spokesman for the {adjective} government, said the "
                f"{100 + copy % 900} foreign troops must leave {country}. {last} repeated the demand on Friday.")

    return _DATE_LINE.sub(speaker, text)


def write_thread(path: Path, copies: range) -> int:
    """Write a thread of the sample's posts, one varied copy for each of ``copies``; return its size."""
    title, posts, tail = sample_posts()
    country = COUNTRIES[copies.start % len(COUNTRIES)][0]
    with path.open("w", encoding="utf-8") as handle:
        handle.write(title.replace("IRAQ", country.upper()) + f" (synthetic {copies.start})\n")
        for copy in copies:
            handle.write(vary(posts, copy))
        handle.write(tail)
    return path.stat().st_size


def copies_for(megabytes: float) -> int:
    """How many copies of the sample's posts make about ``megabytes`` MB."""
    return max(1, round(megabytes * 2**20 / len(sample_posts()[1].encode())))
