"""Where a document's title breaks when it is longer than a line (GB/T 9704-2012 7.3.3: 回行时，要做到词意
完整，排列对称，长短适宜). Shared by the DOCX and PDF writers.

A title breaks only between words: never inside a name the round knows (a unit such as 中共青石镇委员会, a
place such as 东坪村, the group's name), nor inside a Latin word or a number, nor before closing or after
opening punctuation. Among the breaks left, the lines come out as even as they can (a short first line over
a longer one, the 梯形 of the standard, costs the same as the reverse), with a preference for breaking at
the edge of a name or after 关于 rather than at any other pair of characters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import pairwise

NO_BREAK_BEFORE = frozenset("，。、；：？！）》」』”’〕】…—,.;:?!)")
NO_BREAK_AFTER = frozenset("（《「『“‘〔【(")
# Breaking right after one of these, or right before 的, reads as a break between words.
WORD_ENDS = ("关于", "对", "和", "与", "及", "巡察")
EDGE_BONUS = 0.5  # a break at a name's edge or a word end counts as if the lines were this much more even
# What a unit's name says before and after the place it names: 中共青石镇委员会 → 青石镇.
UNIT_PREFIXES = ("中共",)
UNIT_SUFFIXES = ("党总支部", "党总支", "党支部", "总支部", "支部", "党委员会", "委员会", "党组", "党委",
                 "村民委员会", "居民委员会", "人民政府", "政府")


def names_of_units(units: Iterable[str]) -> list[str]:
    """The unit names and the places they carry (东坪村党支部 → 东坪村; 中共青石镇委员会 → 青石镇)."""
    found: list[str] = []
    for name in units:
        name = name.strip()
        if not name:
            continue
        found.append(name)
        place = name
        for prefix in UNIT_PREFIXES:
            place = place.removeprefix(prefix)
        for suffix in sorted(UNIT_SUFFIXES, key=len, reverse=True):
            if place.endswith(suffix) and len(place) > len(suffix) + 1:
                place = place[: -len(suffix)]
                break
        if place != name and len(place) >= 2:
            found.append(place)
    return found


def title_lines(text: str, limit: float, keep: Iterable[str] = (),
                advance: Callable[[str], float] = lambda _ch: 1.0) -> list[str]:
    """`text` cut into lines no wider than `limit` (measured with `advance`, one full-width character = 1
    by default), breaking only between words as the module says; a single line if it fits."""
    width = [advance(ch) for ch in text]
    if sum(width) <= limit + 1e-6 or len(text) < 2:
        return [text]
    allowed, edges = _breaks(text, [k for k in keep if len(k) >= 2])
    lines = _best(text, width, limit, allowed, edges)
    if lines is None:  # a kept name longer than a line: break where the characters allow
        lines = _best(text, width, limit, _breaks(text, [])[0], edges)
    return lines if lines is not None else [text]


def _breaks(text: str, keep: list[str]) -> tuple[set[int], set[int]]:
    """Positions a line may start at (1..len-1), and those of them at a name's edge or after a word end."""
    n = len(text)
    inside: set[int] = set()
    edges: set[int] = set()
    for name in keep:
        start = text.find(name)
        while start >= 0:
            inside.update(range(start + 1, start + len(name)))
            edges.update((start, start + len(name)))
            start = text.find(name, start + 1)
    for end in WORD_ENDS:
        start = text.find(end)
        while start >= 0:
            edges.add(start + len(end))
            start = text.find(end, start + 1)
    edges.update(i for i in range(1, n) if text[i] == "的")
    allowed = set()
    for i in range(1, n):
        before, after = text[i - 1], text[i]
        if i in inside or after in NO_BREAK_BEFORE or before in NO_BREAK_AFTER:
            continue
        if before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
            continue
        allowed.add(i)
    return allowed, edges - inside


def _best(text: str, width: list[float], limit: float, allowed: set[int], edges: set[int]) -> list[str] | None:
    """The fewest lines that fit, as even as can be: a small search over the allowed breaks."""
    n = len(text)
    prefix = [0.0]
    for w in width:
        prefix.append(prefix[-1] + w)
    starts = [0, *sorted(allowed), n]
    total = prefix[n]
    for count in range(max(2, int(total // limit) + 1), n + 1):
        target = total / count
        # best[(line index, position)] = (cost, previous position)
        best: dict[tuple[int, int], tuple[float, int]] = {(0, 0): (0.0, -1)}
        for line in range(count):
            for (k, pos), (cost, _prev) in list(best.items()):
                if k != line:
                    continue
                for end in starts:
                    if end <= pos:
                        continue
                    span = prefix[end] - prefix[pos]
                    if span > limit + 1e-6:
                        break
                    last = line == count - 1
                    if last != (end == n):
                        continue
                    step = (span - target) ** 2 - (EDGE_BONUS * target if end in edges else 0.0)
                    key = (line + 1, end)
                    if key not in best or cost + step < best[key][0]:
                        best[key] = (cost + step, pos)
        if (count, n) in best:
            cuts = [n]
            line, pos = count, n
            while line > 0:
                pos = best[(line, pos)][1]
                line -= 1
                cuts.append(pos)
            cuts.reverse()
            return [text[a:b] for a, b in pairwise(cuts)]
    return None
