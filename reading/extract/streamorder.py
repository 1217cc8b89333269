"""PDFium's characters of a page put back in the order the page draws them.

PDFium's text page orders the text objects of a line by their position, so a Khmer sign that a
producer draws as its own object just left of the glyph it follows (LibreOffice writes the vowel
above or below a cluster with its own `Tm`, a little left of the subscript it comes after: `ស`,
`្ត`, `ី`) is read before it (`សី្ត` for `ស្តី`), or is carried to the end of the line or of the
paragraph (`ខ្ញំ … ។ុ`). The content stream has them in logical order.

`char_objects(page, textpage, n, text)` gives each Khmer character and space the drawing position
of its text object (form XObjects walked depth first, in the order the page draws them);
`reorder(objects, spans, text, upright)` the character indices in the order to read them. Only
Khmer pieces drawn over a glyph before them on their line are looked at: one that PDFium put after
glyphs drawn later moves back onto the glyph it sits on, one that repeats the text of the glyph it
is drawn over is dropped. Nothing moves across a line break PDFium made or across Latin text, so
PDFium's columns, lines and non-Khmer text stand.
"""
from __future__ import annotations

import ctypes
import re

_KHMER = re.compile("[\u1780-\u17FF\u19E0-\u19FF]")
# How many characters back from where a piece would go its host glyph may be.
HOST_REACH = 8


def upright(textpage):
    """`upright(textpage)(i)`: whether character i is set on a horizontal line (its angle about 0)."""
    import math

    import pypdfium2.raw as raw

    return lambda i: math.cos(raw.FPDFText_GetCharAngle(textpage.raw, i)) > 0.98


def is_khmer_text(text: str) -> bool:
    return _KHMER.search(text) is not None


def _void_fn(name: str, *args):
    """PDFium's function `name` with pointers as plain addresses (c_void_p): comparing objects by
    address then costs no ctypes cast per character."""
    import pypdfium2.raw as raw

    addr = ctypes.cast(getattr(raw, name), ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(*args)(addr)


_FNS: dict[str, object] = {}


def _fns():
    if not _FNS:
        vp, ci = ctypes.c_void_p, ctypes.c_int
        _FNS.update(text_object=_void_fn("FPDFText_GetTextObject", vp, vp, ci),
                    page_count=_void_fn("FPDFPage_CountObjects", ci, vp),
                    page_object=_void_fn("FPDFPage_GetObject", vp, vp, ci),
                    form_count=_void_fn("FPDFFormObj_CountObjects", ci, vp),
                    form_object=_void_fn("FPDFFormObj_GetObject", vp, vp, ctypes.c_ulong),
                    obj_type=_void_fn("FPDFPageObj_GetType", ci, vp))
    return _FNS


def _object_order(page) -> dict[int, int]:
    """{address of a page object: its position in drawing order}, forms' contents included."""
    import pypdfium2.raw as raw

    f = _fns()
    get_type, form_count, form_object = f["obj_type"], f["form_count"], f["form_object"]
    form = raw.FPDF_PAGEOBJ_FORM
    order: dict[int, int] = {}

    def walk(objs):
        for obj in objs:
            if not obj:
                continue
            order[obj] = len(order)
            if get_type(obj) == form:
                walk([form_object(obj, j) for j in range(form_count(obj))])

    handle = ctypes.cast(page.raw, ctypes.c_void_p)
    get = f["page_object"]
    walk([get(handle, k) for k in range(f["page_count"](handle))])
    return order


def char_objects(page, textpage, n: int, text: str | None = None) -> list[int | None]:
    """Per character index of the text page, the drawing position of its text object, or None for
    a character PDFium generated (a line break or an inferred space). With the page's `text`, a
    character neither Khmer nor a space is not looked up and gets -1: such a character never
    moves, and a Khmer piece does not move back across it."""
    order = _object_order(page)
    get = _fns()["text_object"]
    handle = ctypes.cast(textpage.raw, ctypes.c_void_p)
    if text is None:
        return [order.get(get(handle, i)) for i in range(n)]
    return [order.get(get(handle, i)) if text[i].isspace() or "\u1780" <= text[i] <= "\u19ff" else -1
            for i in range(n)]


def reorder(objects: list[int | None], spans: list[tuple[float, float]], text: str,
            upright=None) -> list[int]:
    """Character indices in reading order. A piece of one object that PDFium put after characters
    of objects drawn later moves back to just after the glyph it sits on (their boxes overlap
    across), the nearest one before it drawn no later than the piece: `ស ី ្ត` → `ស ្ត ី`,
    `វ វា ទ ិ` → `វ ិ វា ទ`. It moves across spaces PDFium inferred, never across a line break
    (PDFium's lines and columns stand). A piece drawn over a recent glyph of another object whose
    text already holds the piece's text is a duplicate and is dropped (Chromium draws a subscript
    or a pre-base glyph again with its syllable's text, `ត្រូវត្រូ`; LibreOffice a split vowel's
    second part, `ហើយហើ`); a piece of one character only over that same character.
    `spans[i]` = (left, right) of character i, `text[i]` the character; `upright(i)`, when given,
    says whether character i is set on a horizontal line (left and right mean nothing otherwise:
    a piece that is not keeps PDFium's order)."""
    out: list[int] = []
    start = 0      # where the current line begins in `out`
    right = float("-inf")   # the right edge of the line's glyphs so far
    i, n = 0, len(objects)
    while i < n:
        o = objects[i]
        if o is None:
            out.append(i)
            if text[i] in "\r\n":
                start = len(out)
                right = float("-inf")
            i += 1
            continue
        j = i
        while j < n and objects[j] == o:
            j += 1
        piece = range(i, j)
        i = j
        lo = min(spans[k][0] for k in piece)
        hi = max(spans[k][1] for k in piece)
        if lo >= right or not _KHMER.search(text, piece.start, piece.stop):
            # drawn over no glyph before it (most text), or not Khmer (only Khmer signs are
            # drawn apart from their cluster or twice): PDFium's order stands
            if lo >= right and _redrawn_beside(out, start, objects, text, piece):
                continue
            out += piece
            right = max(right, hi)
            continue
        right = max(right, hi)
        if upright is not None and not upright(piece.start):
            out += piece
            continue
        at = len(out)
        while at > start and (objects[out[at - 1]] is None or objects[out[at - 1]] > o):
            at -= 1
        if hi > lo and _duplicate(out, max(start, at - HOST_REACH), objects, spans,
                                  text, piece, (lo, hi)):
            continue
        if at == len(out) or at == start:
            out += piece
            continue
        if len(piece) > 1 and objects[out[at - 1]] >= 0:
            # late, and landing just after an object of the very same text: a syllable drawn
            # again beside itself (Chromium's pre-base glyph of ក្រុ, then ម, then ក្រុ again)
            a = at - 1
            while a > start and objects[out[a - 1]] == objects[out[at - 1]]:
                a -= 1
            if "".join(text[k] for k in out[a:at]) == text[piece.start:piece.stop]:
                continue
        host = next((h for h in range(at - 1, max(start, at - HOST_REACH) - 1, -1)
                     if objects[out[h]] is not None and 0 <= objects[out[h]] <= o
                     and _overlap((lo, hi), spans[out[h]])), None)
        if host is None:
            out += piece     # not drawn on a glyph before it: PDFium's order stands
            continue
        out[host + 1:host + 1] = list(piece)
    return out


# a syllable with a part drawn left of its consonant (a pre-base vowel, coeng ro): Chromium draws
# that part and the rest as two glyph runs, each with the whole syllable's text
_PRE_BASE = re.compile("[\u17BE-\u17C5]|\u17D2\u179A")


def _redrawn_beside(out, start, objects, text, piece) -> bool:
    """Whether `piece` has the very text of the object drawn just before it, a syllable with a
    pre-base part: its second run, not a second syllable (`នៃនៃ`; a real repeat, `នានា`, has no
    such part and is kept)."""
    if len(piece) < 2 or len(out) <= start:
        return False
    prev = objects[out[-1]]
    if prev is None or prev < 0 or prev == objects[piece.start]:
        return False
    mine = text[piece.start:piece.stop]
    if not _PRE_BASE.search(mine):
        return False
    a = len(out) - 1
    while a > start and objects[out[a - 1]] == prev:
        a -= 1
    return "".join(text[k] for k in out[a:]) == mine


def _duplicate(out, lo_at, objects, spans, text, piece, span) -> bool:
    """Whether `piece` repeats the text of an object it is drawn over among out[lo_at:]."""
    mine = text[piece.start:piece.stop]
    o = objects[piece.start]
    lo, hi = span
    seen = set()
    for h in range(len(out) - 1, lo_at - 1, -1):
        k = out[h]
        ho = objects[k]
        if ho is None or ho < 0 or ho == o or ho in seen:
            continue
        a0, a1 = spans[k]
        if min(a1, hi) <= max(a0, lo):
            continue     # not drawn over it
        seen.add(ho)
        if len(piece) == 1:
            if text[k] == mine:
                return True
            continue
        a = h
        while a > 0 and objects[out[a - 1]] == ho:
            a -= 1
        b = h + 1
        while b < len(out) and objects[out[b]] == ho:
            b += 1
        if mine in "".join(text[x] for x in out[a:b]):
            return True
    return False


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return min(a[1], b[1]) - max(a[0], b[0]) > 0
