"""OCR of PDF pages: Poppler's `pdftoppm` renders a page at 300 dpi, tesseract reads it with
Khmer and English together (`-l khm+eng`; English alone loses all Khmer). Both are Debian programs
run as subprocesses (poppler-utils, tesseract-ocr, tesseract-ocr-khm, tesseract-ocr-eng). Pages
are read in parallel, one tesseract process per core (two by default), each limited to one thread.

`ocr_missing()` says what is not installed (None when OCR can run); `ocr_pages(path, numbers)`
gives, per page number (1-based), a `pagetext.Page` whose lines come in tesseract's reading order.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from functools import lru_cache
from pathlib import Path
from typing import Callable

import statistics

from reading.extract.pagetext import Line, Page, Word, is_khmer

DPI = 300
LANGS = "khm+eng"
PAGE_TIMEOUT = 300
# A word of punctuation only, read with less confidence than this, is a speck of the scan.
NOISE_CONF = 75   # seconds for one page (render + recognise)


@lru_cache(maxsize=1)
def ocr_missing() -> str | None:
    """What OCR lacks, as an install instruction, or None when it can run."""
    if shutil.which("pdftoppm") is None:
        return "pdftoppm not found: install the Debian package poppler-utils"
    if shutil.which("tesseract") is None:
        return ("tesseract not found: install the Debian packages tesseract-ocr "
                "tesseract-ocr-khm tesseract-ocr-eng")
    try:
        out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True,
                             timeout=30).stdout
    except (OSError, subprocess.SubprocessError) as e:
        return f"tesseract does not run ({e}): reinstall the Debian package tesseract-ocr"
    langs = {l.strip() for l in out.splitlines()[1:]}
    missing = [(lang, pkg) for lang, pkg in (("khm", "tesseract-ocr-khm"), ("eng", "tesseract-ocr-eng"))
               if lang not in langs]
    if missing:
        names = ", ".join(l for l, _ in missing)
        return f"tesseract has no {names} data: install the Debian package " + " ".join(p for _, p in missing)
    return None


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def join_ocr_words(words: list[Word]) -> str:
    """Tesseract's words of one line: a space between words, except between two Khmer words set
    close together (tesseract cuts Khmer where the script has no space)."""
    out = ""
    prev = None
    for w in sorted(words, key=lambda w: w.x0):
        if prev is not None:
            close = w.x0 - prev.x1 < 0.45 * min(w.h, prev.h)
            if not (close and out and is_khmer(out[-1]) and is_khmer(w.text[0])):
                out += " "
        out += w.text
        prev = w
    return out


def _tsv_page(tsv: str, scale: float, width: float, height: float) -> Page:
    """Lines from tesseract TSV (level 5 rows are words; block/paragraph/line numbers group them)."""
    groups: dict[tuple[int, int, int], list[Word]] = {}
    order: list[tuple[int, int, int]] = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = cols[11].strip()
        if not text:
            continue
        try:
            conf = float(cols[10])
            left, top, w, h = (int(c) for c in cols[6:10])
        except ValueError:
            continue
        if conf < 0 or (conf < NOISE_CONF and not any(c.isalnum() for c in text)):
            continue   # specks read as punctuation
        key = (int(cols[2]), int(cols[3]), int(cols[4]))
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(Word(text, left * scale, top * scale, (left + w) * scale, (top + h) * scale))
    lines = []
    prev_par = None
    for key in order:
        ws = groups[key]
        lines.append(Line(text=join_ocr_words(ws), x0=min(w.x0 for w in ws), y0=min(w.y0 for w in ws),
                          x1=max(w.x1 for w in ws), y1=max(w.y1 for w in ws),
                          size=statistics.median(w.h for w in ws),
                          new_paragraph=prev_par is not None and key[:1] != prev_par))
        prev_par = key[:1]
    return Page(width=width, height=height, lines=lines)


def ocr_page(path: str | os.PathLike, number: int, size: tuple[float, float], *, dpi: int = DPI) -> Page:
    """Render page `number` (1-based) and recognise it. Raises OSError/SubprocessError on failure."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    with tempfile.TemporaryDirectory(prefix="bayon-ocr-") as tmp:
        stem = Path(tmp) / "page"
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-singlefile",
                        "-f", str(number), "-l", str(number), str(path), str(stem)],
                       check=True, capture_output=True, timeout=PAGE_TIMEOUT)
        out = subprocess.run(["tesseract", str(stem) + ".png", "stdout", "-l", LANGS,
                              "--dpi", str(dpi), "tsv"],
                             check=True, capture_output=True, timeout=PAGE_TIMEOUT, env=env)
    return _tsv_page(out.stdout.decode("utf-8", "replace"), 72.0 / dpi, *size)


def ocr_pages(path: str | os.PathLike, numbers: list[int], sizes: dict[int, tuple[float, float]], *,
              workers: int | None = None, on_page: Callable[[int], None] | None = None,
              ) -> tuple[dict[int, Page], dict[int, str]]:
    """OCR the pages in parallel. Returns (pages read, errors by page number)."""
    done: dict[int, Page] = {}
    errors: dict[int, str] = {}
    with ThreadPoolExecutor(max_workers=workers or default_workers()) as pool:
        futures = {pool.submit(ocr_page, path, n, sizes[n]): n for n in numbers}
        for fut in as_completed(futures):
            n = futures[fut]
            try:
                done[n] = fut.result()
            except subprocess.CalledProcessError as e:
                msg = (e.stderr or b"").decode("utf-8", "replace").strip().splitlines()
                errors[n] = f"OCR failed ({msg[-1] if msg else e})"
            except (OSError, subprocess.SubprocessError) as e:
                errors[n] = f"OCR failed ({e})"
            if on_page:
                on_page(n)
    return done, errors
