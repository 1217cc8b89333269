"""Extraction quality and speed on the fixtures with a ground truth.

    .venv/bin/python -m bench.extraction [--dir tests/fixtures/extraction] [--only NAME]

For every `<name>.<ext>` beside a `<name>.truth.txt` (PDF, and the other formats once
`reading.extract.extract` dispatches them): Khmer CER, English WER (bench.text_error), running
headers/footers/page numbers from `<name>.running.txt` leaked into the body, pages, OCR pages,
seconds and pages per second; then text-layer and OCR pages per second over all files. No cache:
every file is extracted afresh (the figures include OCR).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.text_error import english_wer, khmer_cer, leaked_running  # noqa: E402


def _extractor():
    try:
        from reading.extract import extract  # the facade, when this branch has it
        return extract
    except ImportError:
        from reading.extract.pdf import extract_pdf
        return extract_pdf


def fixtures(folder: Path, only: list[str] | None = None) -> list[Path]:
    out = []
    for truth in sorted(folder.glob("*.truth.txt")):
        name = truth.name[: -len(".truth.txt")]
        if only and name not in only:
            continue
        for f in sorted(folder.glob(name + ".*")):
            if f.name.endswith((".truth.txt", ".running.txt")) or f.suffix in {".py", ".txt"}:
                continue
            out.append(f)
    return out


def measure(path: Path, extract) -> dict:
    truth = path.with_name(path.stem + ".truth.txt").read_text(encoding="utf-8")
    running_file = path.with_name(path.stem + ".running.txt")
    running = running_file.read_text(encoding="utf-8").splitlines() if running_file.exists() else []
    t0 = time.perf_counter()
    result = extract(path)
    seconds = time.perf_counter() - t0
    got = "\n\n".join(result.paragraphs)
    return {"file": path.name, "cer": khmer_cer(truth, got), "wer": english_wer(truth, got),
            "leaks": len(leaked_running(running, result.paragraphs)), "pages": result.pages,
            "ocr_pages": result.ocr_pages, "seconds": seconds, "method": result.method}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description="Extraction CER/WER/leaks/speed on the fixtures")
    ap.add_argument("--dir", type=Path, default=ROOT / "tests" / "fixtures" / "extraction")
    ap.add_argument("--only", action="append")
    args = ap.parse_args(argv)
    extract = _extractor()
    rows = [measure(p, extract) for p in fixtures(args.dir, args.only)]
    print("| file | method | Khmer CER | English WER | leaked lines | pages (OCR) | s | pages/s |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        pps = r["pages"] / r["seconds"] if r["seconds"] else 0.0
        print(f"| {r['file']} | {r['method']} | {100 * r['cer']:.2f}% | {100 * r['wer']:.2f}% | "
              f"{r['leaks']} | {r['pages']} ({r['ocr_pages']}) | {r['seconds']:.2f} | {pps:.1f} |")
    text = [r for r in rows if r["ocr_pages"] == 0 and r["pages"]]
    ocr = [r for r in rows if r["ocr_pages"]]
    if text:
        n, s = sum(r["pages"] for r in text), sum(r["seconds"] for r in text)
        cer = sum(r["cer"] for r in text) / len(text)
        wer = sum(r["wer"] for r in text) / len(text)
        print(f"\ntext-layer files: {len(text)}, {n} pages in {s:.2f} s = {n / s:.1f} pages/s; "
              f"mean Khmer CER {100 * cer:.2f}%, mean English WER {100 * wer:.2f}%")
    if ocr:
        n, s = sum(r["ocr_pages"] for r in ocr), sum(r["seconds"] for r in ocr)
        cer = sum(r["cer"] for r in ocr) / len(ocr)
        wer = sum(r["wer"] for r in ocr) / len(ocr)
        print(f"OCR files: {len(ocr)}, {n} OCR pages in {s:.2f} s = {n / s:.2f} pages/s; "
              f"mean Khmer CER {100 * cer:.2f}%, mean English WER {100 * wer:.2f}%")
    print(f"leaked running lines in all: {sum(r['leaks'] for r in rows)}")


if __name__ == "__main__":
    main()
