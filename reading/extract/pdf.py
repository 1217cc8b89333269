"""PDF publications to text: `extract_pdf(path) -> Extracted`.

Every page's text layer is read twice, by PDFium (pypdfium2: its text rectangles) and by Poppler
(`pdftotext -bbox-layout`, run as a subprocess: words with boxes). They fail in opposite ways on
Khmer: PDFium duplicates syllables of Chromium/Skia PDFs, Poppler tears apart the clusters of
LibreOffice ones. Each page takes the reading whose `textnoise` rank is lower (close calls go to
the reader that is cleaner over the whole document). A page with no text layer (a scan) or with a
garbled one (no ToUnicode map: glyph numbers) goes to OCR (`reading.extract.ocr`). The pages'
lines are then cleaned into paragraphs by `reading.extract.pagetext` (running heads and feet,
page numbers, columns, footnotes, hyphenation).

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
from reading.extract.pagetext import Page, Word, clean_pages, page_lines
from reading.extract.textnoise import noise

# A page whose best reading has more broken marks per letter than this is garbled: OCR it.
GARBLED = 0.08
# Fewer letters than this on a page with an image: a scan, OCR it.
MIN_LETTERS = 12
# Readings closer than this in noise rank are a tie: the document's cleaner reader wins.
TIE = 0.004
PDFTOTEXT_TIMEOUT = 600

_WORD_RE = re.compile(r'<word xMin="([\d.\-]+)" yMin="([\d.\-]+)" xMax="([\d.\-]+)" yMax="([\d.\-]+)">(.*?)</word>',
                      re.S)
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


def _pdfium_words(page) -> tuple[list[Word], tuple[float, float], bool]:
    """(words, (width, height), has_image) of one page from PDFium's characters, in PDFium's
    text order: a "word" is a run of PDFium's line up to a gap wider than the line is high (a
    column gutter); its box is the union of its glyph boxes. PDFium's own order inside a line is
    kept: its glyph boxes of Khmer signs are not reliable enough to re-sort them."""
    import pypdfium2.raw as raw

    width, height = page.get_size()
    textpage = page.get_textpage()
    words: list[Word] = []
    try:
        n = textpage.count_chars()
        text = textpage.get_text_range(0, n) if n > 0 else ""
        per_char = len(text) == n
        cur: list[str] = []
        box: list[float] | None = None
        last_x1 = None

        def flush():
            nonlocal cur, box
            t = "".join(cur)
            if box is not None and t.strip():
                words.append(Word(t, box[0], height - box[3], box[2], height - box[1]))
            cur, box = [], None

        for i in range(n):
            ch = text[i] if per_char else textpage.get_text_range(i, 1)
            if ch in "\r\n":
                flush()
                last_x1 = None
                continue
            l, b, r, t = textpage.get_charbox(i)
            empty = r - l <= 0 or t - b <= 0
            if not empty and box is not None and last_x1 is not None:
                if l - last_x1 > max(box[3] - box[1], 1.0) * 1.0:
                    flush()
            if ch.isspace():
                cur.append(" ")
                continue
            cur.append(ch)
            if not empty:
                box = [l, b, r, t] if box is None else [min(box[0], l), min(box[1], b),
                                                         max(box[2], r), max(box[3], t)]
                last_x1 = r if last_x1 is None else max(last_x1, r)
        flush()
    finally:
        textpage.close()
    has_image = any(obj.type == raw.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects(max_depth=2))
    return words, (width, height), has_image


def _poppler_words(path: Path) -> list[tuple[tuple[float, float], list[Word]]] | str:
    """Per page ((width, height), words) from pdftotext -bbox-layout, or the reason it failed."""
    try:
        proc = subprocess.run(["pdftotext", "-bbox-layout", "-enc", "UTF-8", str(path), "-"],
                              capture_output=True, timeout=PDFTOTEXT_TIMEOUT)
    except FileNotFoundError:
        return "pdftotext not found (install the Debian package poppler-utils)"
    except subprocess.TimeoutExpired:
        return "pdftotext timed out"
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        return f"pdftotext failed ({err[-1] if err else proc.returncode})"
    out = proc.stdout.decode("utf-8", "replace")
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
    try:
        total = len(doc)
        meta = _metadata(doc, path)
        pdfium_pages = []
        for i in range(total):
            page = doc[i]
            try:
                pdfium_pages.append(_pdfium_words(page))
            finally:
                page.close()
    finally:
        doc.close()

    poppler = _poppler_words(path)
    if isinstance(poppler, str):
        warnings.append(f"{poppler}; text read by PDFium alone")
        poppler = None
    elif len(poppler) != total:
        warnings.append(f"pdftotext read {len(poppler)} of {total} pages; text read by PDFium alone")
        poppler = None

    readings = []   # per page: {reader: (Page, Noise)}
    for i, (words, size, _) in enumerate(pdfium_pages):
        r = {"pypdfium2": Page(size[0], size[1], page_lines(words, *size, gap_space=0.4))}
        if poppler is not None:
            psize, pwords = poppler[i]
            r["pdftotext"] = Page(psize[0], psize[1], page_lines(pwords, *psize, gap_space=0.12))
        readings.append({k: (p, noise(_text(p))) for k, p in r.items()})

    # the reader that is cleaner over the whole document breaks ties
    totals = {}
    for k in readings[0]:
        letters = sum(r[k][1].letters for r in readings)
        bad = sum(r[k][1].broken + 0.5 * r[k][1].split_spaces for r in readings)
        totals[k] = bad / letters if letters else 1.0
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
            if nb.letters > 1.25 * max(na.letters, 1) or (
                    nb.rank < na.rank - TIE and na.letters <= 1.25 * max(nb.letters, 1)):
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
            sizes = {i + 1: pdfium_pages[i][1] for i in need_ocr}

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
