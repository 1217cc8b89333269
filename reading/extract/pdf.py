"""PDF publications to text: `extract_pdf(path) -> Extracted`.

Every page's text layer is read twice, by PDFium (pypdfium2: its text rectangles) and by Poppler
(`pdftotext -bbox-layout`, run as a subprocess beside the PDFium pass: words with boxes). They
fail in opposite ways on Khmer: PDFium duplicates syllables of Chromium/Skia PDFs, Poppler tears
apart the clusters of LibreOffice ones. PDFium's characters are read in the order the page draws
them where PDFium moved a sign off its cluster, and a glyph drawn twice is read once
(`reading.extract.streamorder`). Each page takes the reading whose `textnoise` rank is lower
(close calls go to the reader that is cleaner over the whole document). A page with no text layer
(a scan) or with a garbled one (no ToUnicode map: glyph numbers) goes to OCR
(`reading.extract.ocr`). The pages' lines are then cleaned into paragraphs by
`reading.extract.pagetext` (running heads and feet, page numbers, columns, footnotes,
hyphenation).

Metadata: title and author from the document information dictionary, source "pdf metadata";
placeholder titles (a file name, "Untitled", "Microsoft Word - …") are skipped. The publication
date is never taken from the PDF: its CreationDate is the time of export, not of publication.
"""
from __future__ import annotations

import html
import os
import re
import subprocess
from pathlib import Path
from typing import Callable

from reading.extract.model import ExtractionError, Extracted
from reading.extract.pagetext import Page, Word, clean_pages, is_khmer, page_lines
from reading.extract.streamorder import char_objects, is_khmer_text, reorder, upright
from reading.extract.textnoise import COENG, noise

# A page whose best reading has more broken marks per letter than this is garbled: OCR it.
GARBLED = 0.08
# Fewer letters than this on a page with an image: a scan, OCR it.
MIN_LETTERS = 12
# Readings closer than this in noise rank are a tie: the document's cleaner reader wins.
TIE = 0.004
PDFTOTEXT_TIMEOUT = 600
# A Khmer glyph ending further left of the line's pen position than this many line heights (and
# BEHIND points) is drawn back over earlier text; nearer, it is a pre-base glyph (coeng ro, e, ae).
BEHIND = 4.0
BEHIND_LINES = 1.2

_WORD_RE = re.compile(r'<word xMin="([\d.\-]+)" yMin="([\d.\-]+)" xMax="([\d.\-]+)" yMax="([\d.\-]+)">(.*?)</word>',
                      re.S)
_KHMER_MARK = re.compile(r"[\u17B6-\u17D3\u17DD]")
_PAGE_RE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


def _open(path: Path):
    import pypdfium2 as pdfium

    try:
        size = path.stat().st_size
    except OSError as e:
        raise ExtractionError(f"cannot read the file ({e.strerror or e})") from e
    if size == 0:
        raise ExtractionError("empty file (0 bytes)")
    with open(path, "rb") as f:
        head = f.read(1024)
    if b"%PDF-" not in head:
        raise ExtractionError("not a PDF (no %PDF- header)")
    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        msg = str(e)
        if "password" in msg.lower():
            raise ExtractionError("encrypted PDF: it needs a password to open; "
                                  "save an unprotected copy") from e
        raise ExtractionError(f"damaged or truncated PDF, cannot be read ({msg})") from e
    if len(doc) == 0:
        doc.close()
        raise ExtractionError("the PDF has no pages")
    return doc


def _pdfium_words(page) -> tuple[list[Word], tuple[float, float], bool, int]:
    """(words, (width, height), has_image, rotation) of one page from PDFium's characters, in PDFium's
    text order: a "word" is a run of PDFium's line up to a gap wider than the line is high (a
    column gutter); its box is the union of its glyph boxes. PDFium's own order inside a line is
    kept: its glyph boxes of Khmer signs are not reliable enough to re-sort them."""
    import pypdfium2.raw as raw

    width, height = page.get_size()
    if page.get_rotation() % 180 == 90:
        width, height = height, width   # get_size is the displayed page; the boxes are unrotated
    textpage = page.get_textpage()
    words: list[Word] = []
    try:
        n = textpage.count_chars()
        text = textpage.get_text_range(0, n) if n > 0 else ""
        if len(text) == n:
            chars = text
        else:   # characters outside the BMP: one string per character index, one letter each in text
            chars = [textpage.get_text_range(i, 1) or " " for i in range(n)]
            text = "".join(c[:1] for c in chars)
        boxes = _charboxes(textpage, n)
        # the order the page draws its characters in, where PDFium's own puts a sign elsewhere
        if is_khmer_text(text):
            objects = char_objects(page, textpage, n, text)
            order = reorder(objects, [(b[0], b[2]) for b in boxes], text, upright(textpage))
        else:                  # only Khmer signs are drawn apart or twice: PDFium's order stands
            objects, order = [None] * n, range(n)
        cur: list[str] = []
        box: list[float] | None = None
        last_x1 = None

        sizes: list[float] = []

        def flush():
            nonlocal cur, box, sizes
            t = place_khmer_marks(cur)
            if box is not None and t.strip():
                words.append(Word(t, box[0], height - box[3], box[2], height - box[1],
                                  size=sorted(sizes)[len(sizes) // 2] if sizes else None))
            cur, box, sizes = [], None, []

        for pos, i in enumerate(order):
            ch = chars[i]
            if ch in "\r\n":
                if objects[i] is None and _mark_follows(order, pos, objects, text, boxes, box):
                    continue   # PDFium broke the line before a sign drawn on the cluster before it
                flush()
                last_x1 = None
                continue
            l, b, r, t = boxes[i]
            if _KHMER_MARK.match(ch) and cur and cur[-1][0] == " " and objects[i] is not None:
                cur.pop()      # a space PDFium put between a cluster and its own sign
            empty = r - l <= 0 or t - b <= 0
            if last_x1 is not None and not empty and is_khmer(ch) and r < last_x1 - max(
                    BEHIND, BEHIND_LINES * (box[3] - box[1] if box else 0.0)):
                # a glyph drawn back over earlier text (LibreOffice's second part of a split
                # Khmer vowel, carrying the syllable's text again): a duplicate, not text
                continue
            if not empty and not ch.isspace() and box is not None and last_x1 is not None:
                # (a space is no gutter: LibreOffice draws its justified spaces apart, elsewhere)
                line_h = max(box[3] - box[1], 1.0)
                if l - last_x1 > line_h:
                    flush()    # a gap wider than the line is high: a gutter
                elif not _KHMER_MARK.match(ch) and min(t, box[3]) - max(b, box[1]) < 0.2 * min(
                        t - b, line_h) and l < last_x1 - BEHIND and abs(
                        (t + b) - (box[3] + box[1])) / 2 > 0.8 * line_h:
                    flush()    # the next line, without PDFium's line break (after a hyphen)
                    last_x1 = None
            if ch.isspace():
                cur.append((" ", None, None))
                continue
            cur.append((ch, None, None) if empty else (ch, l, r))
            fs = raw.FPDFText_GetFontSize(textpage.raw, i)
            if fs > 0:
                sizes.append(fs)
            if not empty:
                box = [l, b, r, t] if box is None else [min(box[0], l), min(box[1], b),
                                                         max(box[2], r), max(box[3], t)]
                last_x1 = r if last_x1 is None else max(last_x1, r)
        flush()
    finally:
        textpage.close()
    # only a page with (almost) no text can be a scan: walk its objects for an image then only
    letters = sum(len(w.text.strip()) for w in words)
    has_image = letters < 4 * MIN_LETTERS and any(
        obj.type == raw.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects(max_depth=2))
    return words, (width, height), has_image, page.get_rotation() % 360


def _charboxes(textpage, n: int) -> list[tuple[float, float, float, float]]:
    """(left, bottom, right, top) of each character; an empty box at 0 for one PDFium has none."""
    import ctypes

    import pypdfium2.raw as raw

    l, b, r, t = (ctypes.c_double() for _ in range(4))
    refs = [ctypes.byref(v) for v in (l, r, b, t)]   # PDFium's order: left, right, bottom, top
    out = []
    for i in range(n):
        if raw.FPDFText_GetCharBox(textpage.raw, i, *refs):
            out.append((l.value, b.value, r.value, t.value))
        else:
            out.append((0.0, 0.0, 0.0, 0.0))
    return out


def _mark_follows(order, pos, objects, text, boxes, box) -> bool:
    """Whether the generated line break at `order[pos]` comes just before a Khmer sign (vowel,
    coeng, diacritic: never the start of a line) whose glyph lies across the current word's box:
    LibreOffice draws a sign below or above a cluster as its own object at its own height, and
    PDFium then starts a line for it (`ខ្ញ` / `ុ` / `ំសូម`)."""
    if box is None:
        return False
    for nxt in order[pos + 1:pos + 4]:
        if objects[nxt] is None:
            continue      # the \n of a \r\n, or another generated character
        if not _KHMER_MARK.match(text[nxt]):
            return False
        l, b, r, t = boxes[nxt]
        line_h = max(box[3] - box[1], 1.0)
        return box[0] - 1 <= (l + r) / 2 <= box[2] + 1 and b < box[3] + 0.6 * line_h \
            and t > box[1] - 0.6 * line_h
    return False


def unrotate(words: list[Word], rotation: int, width: float, height: float) -> list[Word]:
    """Poppler's word boxes (in the displayed, rotated page) in the page's own unrotated space, the
    one PDFium's boxes are in; width and height are the unrotated page's."""
    if rotation == 0:
        return words
    out = []
    for w in words:
        if rotation == 90:
            x0, y0, x1, y1 = w.y0, height - w.x1, w.y1, height - w.x0
        elif rotation == 180:
            x0, y0, x1, y1 = width - w.x1, height - w.y1, width - w.x0, height - w.y0
        else:  # 270
            x0, y0, x1, y1 = width - w.y1, w.x0, width - w.y0, w.x1
        out.append(Word(w.text, x0, y0, x1, y1, size=w.size))
    return out


# Khmer signs drawn above or below their consonant: PDFium sometimes gives them one syllable late
# (LibreOffice's PDFs), their glyph box says where they belong.
_ABOVE_BELOW = set("\u17B7\u17B8\u17B9\u17BA\u17BB\u17BC\u17BD\u17C6\u17C9\u17CA\u17CB"
                   "\u17CC\u17CD\u17CE\u17CF\u17D0\u17D1\u17D3\u17DD")
_BASE = re.compile(r"[\u1780-\u17B3]")


def _mark_order(ch: str) -> int:
    o = ord(ch)
    if o in (0x17C9, 0x17CA):
        return 0          # register shifters first
    if 0x17B6 <= o <= 0x17C5:
        return 1          # vowels
    return 2              # signs


def place_khmer_marks(chars: list[tuple[str, float | None, float | None]]) -> str:
    """The text of a run of PDFium characters (char, left, right), each Khmer sign drawn above or
    below a consonant put after the consonant its glyph sits on when PDFium gave it elsewhere."""
    text = [c for c, _, _ in chars]
    if not any(c in _ABOVE_BELOW for c in text):
        return "".join(text)
    bases = [k for k, c in enumerate(text)
             if _BASE.match(c) and chars[k][1] is not None and (k == 0 or text[k - 1] != COENG)]
    if not bases:
        return "".join(text)
    owner_of = {}
    for k, c in enumerate(text):
        if c not in _ABOVE_BELOW or chars[k][1] is None:
            continue
        cx = (chars[k][1] + chars[k][2]) / 2
        before = [b for b in bases if b < k]
        own = before[-1] if before else None
        if own is not None and chars[own][1] - 1 <= cx <= chars[own][2] + 1:
            continue
        near = [b for b in bases if abs(bases.index(b) - (bases.index(own) if own is not None else 0)) <= 3
                and chars[b][1] - 0.5 <= cx <= chars[b][2] + 0.5]
        if near and near[0] != own:
            owner_of[k] = near[0]
    if not owner_of:
        return "".join(text)
    moved: dict[int, list[int]] = {}
    for k, b in owner_of.items():
        moved.setdefault(b, []).append(k)
    out: list[str] = []
    k = 0
    n = len(text)
    while k < n:
        if k in owner_of:
            k += 1
            continue
        out.append(text[k])
        if k in moved:
            # the cluster: subscripts, then its own marks and the moved ones in Khmer order
            j = k + 1
            sub = []
            while j + 1 < n and text[j] == COENG:
                sub += [text[j], text[j + 1]]
                j += 2
            own_marks = []
            while j < n and not _BASE.match(text[j]) and is_khmer(text[j]) and j not in owner_of:
                own_marks.append(j)
                j += 1
            allm = sorted(own_marks + moved[k], key=lambda m: (_mark_order(text[m]), m))
            out += sub + [text[m] for m in allm]
            k = j
            continue
        k += 1
    return "".join(out)


def _poppler_start(path: Path):
    """pdftotext -bbox-layout started on the file (it runs on the other core while PDFium reads):
    (process, its output file), or the reason it could not start."""
    import tempfile

    out = tempfile.TemporaryFile()
    try:
        proc = subprocess.Popen(["pdftotext", "-bbox-layout", "-enc", "UTF-8", str(path), "-"],
                                stdout=out, stderr=subprocess.PIPE)
    except FileNotFoundError:
        out.close()
        return "pdftotext not found (install the Debian package poppler-utils)"
    return proc, out


def _poppler_words(path: Path, started=None) -> list[tuple[tuple[float, float], list[Word]]] | str:
    """Per page ((width, height), words) from pdftotext -bbox-layout (`started` by
    `_poppler_start`, or run now), or the reason it failed."""
    started = _poppler_start(path) if started is None else started
    if isinstance(started, str):
        return started
    proc, outfile = started
    with outfile:
        try:
            _, stderr = proc.communicate(timeout=PDFTOTEXT_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            return "pdftotext timed out"
        if proc.returncode != 0:
            err = stderr.decode("utf-8", "replace").strip().splitlines()
            return f"pdftotext failed ({err[-1] if err else proc.returncode})"
        outfile.seek(0)
        data = outfile.read()
    out = data.decode("utf-8", "replace")
    pages = []
    starts = [(m.start(), float(m.group(1)), float(m.group(2))) for m in _PAGE_RE.finditer(out)]
    for k, (pos, w, h) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(out)
        words = [Word(html.unescape(m.group(5)), float(m.group(1)), float(m.group(2)),
                      float(m.group(3)), float(m.group(4)))
                 for m in _WORD_RE.finditer(out, pos, end)]
        pages.append(((w, h), words))
    return pages


def _title_ok(title: str, path: Path) -> bool:
    t = title.strip()
    if not t or len(t) < 3:
        return False
    low = t.lower()
    if low in {"untitled", "title", "document", "microsoft word", "slide 1"}:
        return False
    if re.search(r"\.(html?|docx?|odt|rtf|pdf|txt|indd|qxp|pages)$", low):
        return False   # the producer put the file name
    return low != path.stem.lower()


def _metadata(doc, path: Path) -> dict[str, tuple[str, str]]:
    try:
        info = doc.get_metadata_dict()
    except Exception:  # noqa: BLE001 — a broken info dictionary is no reason to lose the text
        return {}
    meta = {}
    title = re.sub(r"^Microsoft (Word|PowerPoint) - ", "", (info.get("Title") or "").strip())
    if _title_ok(title, path):
        meta["title"] = (re.sub(r"\s+", " ", title), "pdf metadata")
    author = re.sub(r"\s+", " ", (info.get("Author") or "").strip())
    if author and author.lower() not in {"user", "admin", "administrator", "owner", "unknown"}:
        meta["author"] = (author, "pdf metadata")
    return meta


def _producer_reader(producer: str) -> str | None:
    """The reader measured to be cleaner on a producer's Khmer: PDFium on LibreOffice's PDFs
    (Poppler tears their clusters), Poppler on Chromium/Skia ones (PDFium repeats syllables).
    It decides the pages where the noise scores of the two readings are close."""
    p = producer.lower()
    if "libreoffice" in p or "openoffice" in p:
        return "pypdfium2"
    if "skia" in p:
        return "pdftotext"
    return None


def _text(page: Page) -> str:
    return "\n".join(l.text for l in page.lines)


def extract_pdf(path: str | os.PathLike, *, page_progress: Callable[[int, int], None] | None = None,
                cache=None) -> Extracted:
    """Text and metadata of a PDF. `page_progress(done, total)` is called as pages finish.
    `cache`: an `ExtractionCache`; an unchanged file (same sha256) is then never read again."""
    path = Path(path)
    digest = None
    if cache is not None:
        from reading.extract.cache import file_digest

        try:
            digest = file_digest(path)
        except OSError as e:
            raise ExtractionError(f"cannot read the file ({e.strerror or e})") from e
        hit = cache.get(digest)
        if hit is not None:
            if page_progress:
                page_progress(hit.pages, hit.pages)
            return hit
    result = _extract(path, page_progress)
    if cache is not None:
        cache.put(digest, result)
    return result


def _extract(path: Path, page_progress) -> Extracted:
    doc = _open(path)
    warnings: list[str] = []
    started = None
    try:
        started = _poppler_start(path)
        total = len(doc)
        meta = _metadata(doc, path)
        try:
            producer = (doc.get_metadata_dict().get("Producer") or "").strip()
        except Exception:  # noqa: BLE001
            producer = ""
        pdfium_pages = []
        for i in range(total):
            page = doc[i]
            try:
                pdfium_pages.append(_pdfium_words(page))
            finally:
                page.close()
    except BaseException:
        if started is not None and not isinstance(started, str):
            started[0].kill()
            started[0].communicate()
            started[1].close()
        raise
    finally:
        doc.close()

    poppler = _poppler_words(path, started)
    if isinstance(poppler, str):
        warnings.append(f"{poppler}; text read by PDFium alone")
        poppler = None
    elif len(poppler) != total:
        warnings.append(f"pdftotext read {len(poppler)} of {total} pages; text read by PDFium alone")
        poppler = None

    readings = []   # per page: {reader: (Page, Noise)}
    for i, (words, size, _, rotation) in enumerate(pdfium_pages):
        r = {"pypdfium2": Page(size[0], size[1], page_lines(words, *size, gap_space=0.4))}
        if poppler is not None:
            _, pwords = poppler[i]
            pwords = unrotate(pwords, rotation, *size)
            r["pdftotext"] = Page(size[0], size[1], page_lines(pwords, *size, gap_space=0.12))
        readings.append({k: (p, noise(_text(p))) for k, p in r.items()})

    # the reader that is cleaner over the whole document breaks ties
    totals = {}
    for k in readings[0]:
        letters = sum(r[k][1].letters for r in readings)
        bad = sum(r[k][1].broken + 0.5 * r[k][1].split_spaces for r in readings)
        totals[k] = bad / letters if letters else 1.0
    preferred = _producer_reader(producer) if _producer_reader(producer) in totals else None
    if preferred is None:
        preferred = min(totals, key=totals.get)

    chosen: list[Page | None] = []
    methods: list[str] = []
    need_ocr: list[int] = []
    done = 0
    for i, r in enumerate(readings):
        best = preferred
        other = [k for k in r if k != preferred]
        if other:
            o = other[0]
            na, nb = r[preferred][1], r[o][1]
            # one reading with far more letters: the other missed text (repeated syllables
            # add letters too, so only when it is not clearly noisier)
            if (nb.letters > 1.5 * max(na.letters, 1) and nb.rank <= na.rank + 0.01) or (
                    nb.rank < na.rank - TIE and na.letters <= 1.5 * max(nb.letters, 1)):
                best = o
        page, nz = r[best]
        has_image = pdfium_pages[i][2]
        if nz.letters < MIN_LETTERS and has_image:
            need_ocr.append(i)
            chosen.append(None)
            methods.append("ocr")
            continue
        if nz.letters >= MIN_LETTERS and nz.score > GARBLED:
            need_ocr.append(i)
            chosen.append(None)
            methods.append("ocr")
            continue
        chosen.append(page)
        methods.append(best)
        done += 1
        if page_progress:
            page_progress(done, total)

    ocr_count = 0
    if need_ocr:
        from reading.extract.ocr import ocr_missing, ocr_pages

        missing = ocr_missing()
        if missing:
            for i in need_ocr:
                why = "no text layer" if readings[i][preferred][1].letters < MIN_LETTERS else "garbled text layer"
                warnings.append(f"page {i + 1}: {why}, OCR unavailable: {missing}")
                done += 1
                if page_progress:
                    page_progress(done, total)
        else:
            # OCR reads the page as displayed: a page turned a quarter has its sides swapped
            sizes = {i + 1: (pdfium_pages[i][1][::-1] if pdfium_pages[i][3] in (90, 270)
                             else pdfium_pages[i][1]) for i in need_ocr}

            def tick(_n):
                nonlocal done
                done += 1
                if page_progress:
                    page_progress(done, total)

            pages, errors = ocr_pages(path, [i + 1 for i in need_ocr], sizes, on_page=tick)
            for n, err in sorted(errors.items()):
                warnings.append(f"page {n}: {err}")
            for n, page in pages.items():
                chosen[n - 1] = page
                ocr_count += 1
                if not page.lines:
                    warnings.append(f"page {n}: OCR found no text")

    kept = [p for p in chosen if p is not None]
    paragraphs = clean_pages(kept) if kept else []
    if not paragraphs:
        if need_ocr and any(w.startswith("page ") and "OCR unavailable" in w for w in warnings):
            raise ExtractionError("no text layer and OCR is unavailable: " + warnings[-1].split(": ", 2)[-1])
        raise ExtractionError(f"no text found in the PDF ({total} page{'s' if total != 1 else ''}: "
                              "blank, or images without readable text)")
    used = [m for m in dict.fromkeys(methods) if m != "ocr" or ocr_count]
    return Extracted(paragraphs=paragraphs, metadata=meta, warnings=warnings, pages=total,
                     ocr_pages=ocr_count, method="+".join(used))
