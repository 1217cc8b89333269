"""From positioned words on PDF pages to clean body paragraphs.

Input, per page: `Word`s (text and box, top-down coordinates in points, from any reader: PDFium
text rectangles, pdftotext -bbox-layout words, tesseract TSV words). Steps:

1. `page_lines(words, width, height)`: words grouped into lines in reading order. A gutter (a
   vertical strip, in the middle half of the page, that almost no word crosses) makes the page
   two columns: between full-width rows (titles, footers) the left column is read before the
   right one. Words of a line are joined with a space where the gap between them is one.
2. `clean_pages(pages)`: running headers, footers and page numbers are dropped, by repetition
   across pages (the same text, digits aside, in the top or bottom band of at least 40% of the
   pages) and by position alone (a page number or "Page 3 of 12" / "ទំព័រ ៣" in the top or bottom
   band, so a one-page document is cleaned too). Footnotes (a block of lines smaller than the body,
   at the bottom, starting with a note number) stay as text, each its own paragraph, after the body
   of their page; a body paragraph that runs on across the page break is joined first, so its
   footnotes follow it. Lines are joined into paragraphs: a new paragraph starts at a vertical gap
   larger than the line pitch, a first-line indent, a change of text size, or after a short line
   ending a sentence. Joining undoes line-end hyphenation of Latin words (soft hyphens always; a
   hard hyphen only when the word is not written with that hyphen elsewhere in the document), and
   joins Khmer lines without a space (Khmer has none between words).
"""
from __future__ import annotations

import difflib
import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Word:
    text: str
    x0: float
    y0: float   # top
    x1: float
    y1: float   # bottom
    size: float | None = None   # font size where the reader knows it, else the box height

    @property
    def font(self) -> float:
        return self.size if self.size else self.h

    @property
    def h(self) -> float:
        return max(self.y1 - self.y0, 0.1)

    @property
    def yc(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass
class Line:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float        # median word height: the text size, in the reader's own measure
    column: int = 0    # 0 single/full width, 1 left, 2 right
    new_paragraph: bool = False   # the reader itself starts a paragraph here (tesseract)

    @property
    def yc(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass
class Page:
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)


SOFT_BREAK = "\u00ad\ufffe\x02"       # soft hyphen, PDFium's line-end hyphen marks
HYPHENS = "-\u2010\u2011"
_KHMER = re.compile(r"[\u1780-\u17FF\u19E0-\u19FF]")
_KHMER_SIGN = re.compile(r" +(?=[\u17B6-\u17D1\u17D3\u17DD])")
_TERMINAL = tuple(".!?។៕:;\"”’)»")
# first parts of English compounds whose hyphen stays when it falls at a line end
KEEP_HYPHEN = frozenset(
    "self non ex quasi cross half all well so co twenty thirty forty fifty sixty seventy eighty "
    "ninety one two three four five six seven eight nine ten".split())
BAND = 0.12   # top and bottom share of the page height where running heads and feet live

# page numbers: "12", "- 12 -", "Page 3", "Page 3 of 12", "3/12", "p. 4", "ទំព័រ ៣", "iv"
_PAGE_NO = re.compile(
    r"^[\s\-–—|·.()\[\]]*(?:(?:page|p\.|pg\.?|ទំព័រ(?:ទី)?)\s*)?"
    r"(?:[0-9០-៩]{1,4}|[ivxlc]{1,6})"
    r"(?:\s*(?:of|/|នៃ|\|)\s*[0-9០-៩]{1,4})?[\s\-–—|·.()\[\]]*$", re.IGNORECASE)


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NO.match(text.strip())) and bool(text.strip())


def _norm(text: str) -> str:
    """A line's identity for repetition: case, digits (page numbers) and spacing aside."""
    t = unicodedata.normalize("NFC", text).lower()
    t = re.sub(r"[0-9០-៩]+", "#", t)
    t = re.sub(r"[ivxlc]+$", "#", t)
    return re.sub(r"\s+", "", t)


def is_khmer(ch: str) -> bool:
    return bool(_KHMER.match(ch))


# ---------------------------------------------------------------- words -> lines

def _rows(words: list[Word]) -> list[list[Word]]:
    """Words grouped into rows by vertical position: a word joins the row whose vertical range
    holds its centre or overlaps it by half its height; a row's range is that of its first two
    words (so one tall glyph or superscript does not make it swallow the next line)."""
    rows: list[list] = []   # [y0, y1, words]
    for w in sorted(words, key=lambda w: (w.yc, w.x0)):
        for row in reversed(rows[-6:]):
            a, b, ws = row
            overlap = min(b, w.y1) - max(a, w.y0)
            if a <= w.yc <= b or overlap >= 0.5 * min(w.h, b - a):
                ws.append(w)
                if len(ws) == 2:
                    row[0], row[1] = min(a, w.y0), max(b, w.y1)
                break
        else:
            rows.append([w.y0, w.y1, [w]])
    out = [ws for _, _, ws in rows]
    out.sort(key=lambda ws: statistics.median(w.yc for w in ws))
    return out


def _join_words(words: list[Word], gap_space: float) -> str:
    words = sorted(words, key=lambda w: w.x0)
    h = statistics.median(w.h for w in words)
    parts: list[str] = []
    prev = None
    for w in words:
        t = w.text
        if prev is not None and t:
            gap = w.x0 - prev.x1
            if parts and not parts[-1].endswith((" ", "\t")) and not t.startswith(" ") \
                    and gap > gap_space * h:
                parts.append(" ")
        parts.append(t)
        prev = w
    return re.sub(r"[ \t]+", " ", "".join(parts)).strip()


def _line(words: list[Word], gap_space: float, column: int) -> Line:
    text = _join_words(words, gap_space)
    return Line(text=text, x0=min(w.x0 for w in words), y0=min(w.y0 for w in words),
                x1=max(w.x1 for w in words), y1=max(w.y1 for w in words),
                size=statistics.median(w.font for w in words), column=column)


def find_gutter(words: list[Word], width: float, height: float, x_lo: float = 0.0,
                x_hi: float | None = None) -> tuple[float, float] | None:
    """The x-range between two text columns within [x_lo, x_hi] (the page by default), or None."""
    x_hi = width if x_hi is None else x_hi
    body = [w for w in words if BAND * height < w.yc < (1 - BAND) * height and w.text.strip()]
    if len(body) < 12:
        return None
    rows = _rows(body)
    if len(rows) < 8:
        return None
    base = int(x_lo)
    bins = int(x_hi) - base + 1
    cover = [0] * bins
    for row in rows:
        seen = set()
        for w in row:
            for x in range(max(0, int(w.x0) - base), min(bins, int(w.x1) - base + 1)):
                seen.add(x)
        for x in seen:
            cover[x] += 1
    limit = max(1, int(0.08 * len(rows)))
    lo, hi = int(0.25 * (x_hi - x_lo)), int(0.75 * (x_hi - x_lo))
    best = None
    x = lo
    while x < hi:
        if cover[x] <= limit:
            start = x
            while x < bins and cover[x] <= limit:
                x += 1
            if best is None or x - start > best[1] - best[0]:
                best = (start, x)
        x += 1
    if best is None or best[1] - best[0] < max(6.0, 0.012 * width):
        return None
    g0, g1 = best[0] + base, best[1] + base
    left = sum(1 for row in rows if any(w.x1 <= g0 for w in row))
    right = sum(1 for row in rows if any(w.x0 >= g1 for w in row))
    if left < 0.3 * len(rows) or right < 0.3 * len(rows):
        return None
    return float(g0), float(g1)


def page_lines(words: list[Word], width: float, height: float, *, gap_space: float = 0.12) -> list[Line]:
    """Lines of a page in reading order (columns resolved, up to three across)."""
    words = [w for w in words if w.text.strip()]
    if not words:
        return []
    return _region_lines(words, width, height, 0.0, width, gap_space, [0], 0)


def _region_lines(words, width, height, x_lo, x_hi, gap_space, ids: list[int], depth: int) -> list[Line]:
    gutter = find_gutter(words, width, height, x_lo, x_hi) if depth < 2 else None
    rows = _rows(words)
    if gutter is None:
        if depth == 0:
            return [_line(r, gap_space, 0) for r in rows]
        ids[0] += 1
        col = ids[0]
        return [_line(r, gap_space, col) for r in rows]
    g0, g1 = gutter
    mid = (g0 + g1) / 2

    def spans(row: list[Word]) -> bool:
        if any(w.x0 < g0 - 1 and w.x1 > g1 + 1 for w in row):
            return True
        lefts = [w.x1 for w in row if (w.x0 + w.x1) / 2 < mid]
        rights = [w.x0 for w in row if (w.x0 + w.x1) / 2 >= mid]
        # words on both sides with no more than a word space between them: one line (a title)
        return bool(lefts and rights) and min(rights) - max(lefts) < 0.6 * (g1 - g0)

    spanning = [r for r in rows if spans(r)]
    in_span = {id(w) for r in spanning for w in r}
    rest = [w for w in words if id(w) not in in_span]
    left_words = [w for w in rest if (w.x0 + w.x1) / 2 < mid]
    right_words = [w for w in rest if (w.x0 + w.x1) / 2 >= mid]
    left = _region_lines(left_words, width, height, x_lo, mid, gap_space, ids, depth + 1) if left_words else []
    right = _region_lines(right_words, width, height, mid, x_hi, gap_space, ids, depth + 1) if right_words else []
    seps = [_line(r, gap_space, 0) for r in spanning]
    out: list[Line] = []
    top = float("-inf")
    for sep in seps + [None]:
        bottom = sep.yc if sep is not None else float("inf")
        out.extend(l for l in left if top <= l.yc < bottom)
        out.extend(l for l in right if top <= l.yc < bottom)
        if sep is not None:
            out.append(sep)
        top = bottom
    return out


# ---------------------------------------------------------------- running heads, feet, numbers

def _band(line: Line, page: Page) -> str | None:
    if line.y1 <= BAND * page.height:
        return "top"
    if line.y0 >= (1 - BAND) * page.height:
        return "bottom"
    return None


def _similar(a: str, b: str) -> bool:
    if a == b:
        return True
    if not a or not b or abs(len(a) - len(b)) > 0.25 * max(len(a), len(b)):
        return False
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.8


def running_lines(pages: list[Page]) -> list[set[int]]:
    """Per page, the indexes of its lines that are running headers, footers or page numbers.
    Repetition is fuzzy (80% similar), so OCR'd running heads with a misread letter still match."""
    keyed: list[list[tuple[int, tuple[str, str] | None]]] = []
    clusters: dict[str, list[str]] = {"top": [], "bottom": []}   # representative keys per band
    counts: Counter = Counter()
    for page in pages:
        seen = set()
        keys = []
        for i, line in enumerate(page.lines):
            band = _band(line, page)
            key = None
            if band:
                text = _norm(line.text)
                reps = clusters[band]
                rep = next((r for r in reps[:200] if _similar(r, text)), None)
                if rep is None:
                    reps.append(text)
                    rep = text
                key = (band, rep)
            keys.append((i, key))
            if key and key not in seen:
                seen.add(key)
                counts[key] += 1
        keyed.append(keys)
    need = max(2, round(0.4 * len(pages)))
    out = []
    for page, keys in zip(pages, keyed):
        drop = set()
        for i, key in keys:
            if key is None:
                continue
            if (len(pages) >= 2 and counts[key] >= need) or is_page_number(page.lines[i].text):
                drop.add(i)
        drop |= _margin_lines(page, drop)
        out.append(drop)
    return out


MARGIN = 0.08   # the top share of the page where only running heads are set


def _margin_lines(page: Page, drop: set[int]) -> set[int]:
    """The outermost line at the top (in the top margin) or at the bottom (in the bottom band, not
    a footnote), not ending a sentence, set apart from the rest by a gap: twice its height, or once if its type is smaller
    than the body's. A header or footer even where no other page repeats it (one-page documents,
    a first page's own head)."""
    rest = [(i, l) for i, l in enumerate(page.lines) if i not in drop and l.text.strip()]
    if len(rest) < 4:
        return set()
    body = statistics.median(l.size for _, l in rest)
    by_y = sorted(rest, key=lambda il: il[1].y0)
    found = set()

    def apart(line: Line, gap: float) -> bool:
        if _ends_sentence(line.text):  # a sentence in the margin is body text: heads and feet are not sentences
            return False
        h = line.y1 - line.y0
        return gap >= (1.0 if line.size <= 0.85 * body else 2.0) * h

    i, top = by_y[0]
    if top.y1 <= MARGIN * page.height and apart(top, by_y[1][1].y0 - top.y1):
        found.add(i)
    i, bottom = by_y[-1]
    if bottom.y0 >= (1 - BAND) * page.height and not _NOTE_START.match(bottom.text) \
            and apart(bottom, bottom.y0 - by_y[-2][1].y1):
        found.add(i)
    return found


# ---------------------------------------------------------------- footnotes

_NOTE_START = re.compile(r"^\s*(?:[0-9០-៩]{1,3}|[*†‡§¹²³⁴⁵⁶⁷⁸⁹])[\s.)]?\s*\S")


def split_footnotes(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """(body, footnotes): footnotes are a trailing block of lines clearly smaller than the body
    text whose first line starts with a note number or mark."""
    if len(lines) < 3:
        return lines, []
    body_size = statistics.median(l.size for l in lines)
    i = len(lines)
    while i > 0 and lines[i - 1].size < 0.88 * body_size:
        i -= 1
    if i == len(lines) or i == 0:
        return lines, []
    # the block must start with a note number; shrink it to the first such line
    for j in range(i, len(lines)):
        if _NOTE_START.match(lines[j].text):
            if j > i:
                return lines, []   # small text before any note number: a caption, not notes
            return lines[:j], lines[j:]
    return lines, []


# ---------------------------------------------------------------- lines -> paragraphs

def _ends_sentence(text: str) -> bool:
    t = text.rstrip()
    return t.endswith(_TERMINAL) or bool(re.search(r"[.!?។៕][0-9០-៩¹²³]{1,3}$", t))


def _paragraph_breaks(lines: list[Line]) -> list[bool]:
    """breaks[i]: line i starts a new paragraph."""
    n = len(lines)
    breaks = [True] + [False] * (n - 1)
    if n < 2:
        return breaks
    # white space between consecutive line boxes of a column: a paragraph gap is clearly more
    # than the usual one (boxes absorb the different heights of Khmer and Latin lines)
    spaces = [lines[i + 1].y0 - lines[i].y1 for i in range(n - 1)
              if lines[i + 1].column == lines[i].column and lines[i + 1].yc > lines[i].yc]
    # the lower quartile: with many short paragraphs half the gaps are paragraph gaps
    space = sorted(spaces)[len(spaces) // 4] if spaces else None
    sizes = [l.size for l in lines]
    size = statistics.median(sizes)
    # the text's edges per column: most lines start at the left edge and end at the right one
    lefts: dict[int, float] = {}
    rights: dict[int, float] = {}
    for col in {l.column for l in lines}:
        xs = sorted(l.x0 for l in lines if l.column == col)
        lefts[col] = xs[len(xs) // 5] if xs else 0.0
        rs = sorted(l.x1 for l in lines if l.column == col)
        rights[col] = rs[len(rs) * 3 // 4] if rs else 0.0
    for i in range(1, n):
        a, b = lines[i - 1], lines[i]
        if b.column != a.column or b.yc <= a.yc:
            if a.column == 0 or b.column == 0:
                breaks[i] = True   # into or out of a full-width row (a title, a spanning line)
            else:
                # next column: the paragraph goes on unless the previous line ended a sentence
                breaks[i] = _ends_sentence(a.text)
            continue
        width = max(rights[b.column] - lefts[b.column], 1.0)
        gap = b.y0 - a.y1
        if b.new_paragraph:
            breaks[i] = True
        elif space is not None and gap > space + max(2.0, 0.45 * min(a.size, b.size)):
            breaks[i] = True
        elif max(a.size, b.size) > 1.2 * min(a.size, b.size) and max(a.size, b.size) > 1.15 * size:
            breaks[i] = True
        elif b.x0 - lefts[b.column] > 0.025 * width and b.x0 - lefts[b.column] < 0.25 * width \
                and a.x0 - lefts[a.column] < 0.02 * width:
            breaks[i] = True   # first-line indent
        elif _ends_sentence(a.text) and a.x1 < rights[a.column] - 0.12 * width:
            breaks[i] = True   # short last line of a paragraph
    return breaks


_HYPHEN_END = re.compile(rf"([^\W\d_])[{HYPHENS}]$")
_SOFT_END = re.compile(rf"[{SOFT_BREAK}]$")


def join_lines(texts: list[str], hyphenated: set[str] | None = None) -> str:
    """One paragraph from its lines: Khmer joined without space, Latin line-end hyphens undone."""
    out = ""
    for t in texts:
        t = re.sub(rf"[{SOFT_BREAK}][{HYPHENS}]$", "\u00ad", t.strip())  # soft hyphen drawn as a hyphen
        if not t:
            continue
        if not out:
            out = t
            continue
        if out.endswith("\u00ad"):
            out = out[:-1] + t
        elif out.endswith(("\ufffe", "\x02")):
            # PDFium's mark for any hyphen at a line end, soft or not
            word_a = re.search(r"(\w*)[\ufffe\x02]$", out).group(1)
            word_b = re.match(r"\w+", t)
            compound = f"{word_a}-{word_b.group(0)}".lower() if word_b else ""
            keep = compound in (hyphenated or ()) or word_a.lower() in KEEP_HYPHEN
            out = out[:-1] + ("-" if keep else "") + t
        elif _HYPHEN_END.search(out) and t[:1].islower():
            word_a = re.search(r"(\w+)[-\u2010\u2011]$", out).group(1)
            word_b = re.match(r"\w+", t)
            compound = f"{word_a}-{word_b.group(0)}".lower() if word_b else ""
            if (hyphenated is not None and compound in hyphenated) or word_a.lower() in KEEP_HYPHEN:
                out = out[:-1] + "-" + t
            else:
                out = out[:-1] + t
        elif is_khmer(out[-1]) and is_khmer(t[0]):
            out = out + t
        else:
            out = out + " " + t
    return tidy(out)


def tidy(text: str) -> str:
    text = re.sub(rf"[{SOFT_BREAK}]", "", text)
    text = _KHMER_SIGN.sub("", text)    # a Khmer sign never starts a word: the space is an artefact
    return re.sub(r"\s+", " ", text).strip()


def _hyphenated_words(pages: list[Page]) -> set[str]:
    """Compounds written with a hyphen inside a line somewhere: keep their hyphen at a line end."""
    found = set()
    for p in pages:
        for l in p.lines:
            for m in re.finditer(r"(\w+)-(\w+)", l.text):
                found.add(m.group(0).lower())
    return found


def _paragraphs(lines: list[Line], hyphenated: set[str]) -> list[str]:
    if not lines:
        return []
    breaks = _paragraph_breaks(lines)
    paras: list[list[str]] = []
    for line, br in zip(lines, breaks):
        if br or not paras:
            paras.append([])
        paras[-1].append(line.text)
    return [p for p in (join_lines(ts, hyphenated) for ts in paras) if p]


def _notes(lines: list[Line], hyphenated: set[str]) -> list[str]:
    notes: list[list[str]] = []
    for l in lines:
        if _NOTE_START.match(l.text) or not notes:
            notes.append([])
        notes[-1].append(l.text)
    out = (join_lines(ts, hyphenated) for ts in notes)
    # "1Interviews…" (the note number set tight against the text): "1 Interviews…"
    return [re.sub(r"^([0-9០-៩]{1,3})(?=[^\W\d_])", r"\1 ", p) for p in out if p]


def _continues(prev: str, nxt: str) -> bool:
    """A paragraph cut by a page break: the previous does not end a sentence and the next starts
    in lower case or in Khmer."""
    if not prev or not nxt or _ends_sentence(prev):
        return False
    return nxt[0].islower() or is_khmer(nxt[0])


def clean_pages(pages: list[Page]) -> list[str]:
    """Body paragraphs of the document, headers/footers/page numbers removed."""
    drops = running_lines(pages)
    hyphenated = _hyphenated_words(pages)
    out: list[str] = []
    pending_notes: list[str] = []
    for page, drop in zip(pages, drops):
        lines = [l for i, l in enumerate(page.lines) if i not in drop and l.text.strip()]
        body, notes = split_footnotes(lines)
        paras = _paragraphs(body, hyphenated)
        if paras and out and _continues(out[-1], paras[0]) and not _starts_heading(body):
            out[-1] = join_lines([out[-1], paras[0]], hyphenated)
            paras = paras[1:]
        if pending_notes:
            # the notes of the previous page follow its last paragraph, now complete
            if paras or notes:
                out.extend(pending_notes)
                pending_notes = []
        out.extend(paras)
        pending_notes.extend(_notes(notes, hyphenated))
    out.extend(pending_notes)
    return out


def _starts_heading(body: list[Line]) -> bool:
    if len(body) < 3:
        return False
    size = statistics.median(l.size for l in body)
    return body[0].size > 1.25 * size
