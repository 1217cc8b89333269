"""Boundary precision / recall / F1 and Khmer characters per second of each Khmer segmenter.

Scored like the gold data's README says: remove the spaces of each gold sentence, segment it,
compare the sets of internal word-boundary offsets. Speed is measured on one core with the
facade's cache bypassed (each engine module is called directly). Also counts cuts that fall
inside a Khmer orthographic syllable. Run:

    .venv/bin/python bench/khmer_segmentation.py [--gold ../shared/khmer-seg/test.txt] [--limit N]
"""
from __future__ import annotations

import argparse
import importlib
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analyzers.khmer import cluster_boundaries  # noqa: E402
from analyzers.segment import ENGINES  # noqa: E402

DEFAULT_GOLD = ROOT.parent / "shared" / "khmer-seg" / "test.txt"
KHMER_CHAR_RE = re.compile(r"[\u1780-\u17ff\u19e0-\u19ff]")


def _pythainlp(engine: str):
    def segment(text: str) -> list[str]:
        from pythainlp.tokenize import word_tokenize

        return word_tokenize(text, engine=engine, keep_whitespace=True)
    return segment


def _pythainlp_tcc(text: str) -> list[str]:
    from pythainlp.tokenize import subword_tokenize

    return subword_tokenize(text, engine="tcc")


def _analyzer_path(text: str) -> list[str]:
    """Words as the index sees them: normalise, segment with the default engine, snap to syllables."""
    from analyzers.tokenizers import ScriptTokenizer

    cuts = {0, len(text)}
    for _, start, end, *_ in ScriptTokenizer(scripts=("khmer", "number")).raw_tokens(text):
        cuts.update((start, end))
    cuts = sorted(cuts)
    return [text[a:b] for a, b in zip(cuts, cuts[1:]) if b > a]


# Engines measured for the README only (not offered to the facade).
REFERENCE_ENGINES = {
    "MixedAnalyzer path (default engine, cold cache)": _analyzer_path,
    "pythainlp-newmm (Thai dictionary)": _pythainlp("newmm"),
    "pythainlp-tcc (Thai character clusters)": _pythainlp_tcc,
}


def boundaries(words: list[str]) -> set[int]:
    cuts, offset = set(), 0
    for word in words[:-1]:
        offset += len(word)
        cuts.add(offset)
    return cuts


def score(segment, sentences: list[list[str]]) -> dict:
    texts = ["".join(words) for words in sentences]
    started = time.process_time()
    predicted = [segment(text) for text in texts]
    seconds = time.process_time() - started
    true_pos = n_pred = n_gold = inside = changed = 0
    for gold_words, text, words in zip(sentences, texts, predicted):
        if "".join(words) != text:
            changed += 1
        pred = boundaries(words)
        gold = boundaries(gold_words)
        true_pos += len(pred & gold)
        n_pred += len(pred)
        n_gold += len(gold)
        inside += len(pred - set(cluster_boundaries(text)))
    precision = true_pos / n_pred if n_pred else 0.0
    recall = true_pos / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    khmer_chars = sum(len(KHMER_CHAR_RE.findall(t)) for t in texts)
    return {"precision": precision, "recall": recall, "f1": f1,
            "chars_per_s": khmer_chars / seconds if seconds else float("inf"),
            "inside": inside, "changed": changed, "seconds": seconds}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--limit", type=int, default=None, help="first N sentences only")
    parser.add_argument("--engines", nargs="*", default=None, help="engine names (default: all available)")
    parser.add_argument("--reference", action="store_true", help="also measure pythainlp on Khmer")
    args = parser.parse_args(argv)
    if not args.gold.is_file():
        print(f"gold file not found: {args.gold}", file=sys.stderr)
        return 2
    lines = args.gold.read_text(encoding="utf-8").splitlines()
    sentences = [line.split(" ") for line in lines if line.strip()][: args.limit]
    engines = {}
    for name in args.engines or ENGINES:
        module = importlib.import_module(ENGINES[name])
        if module.available():
            module.segment("ក")  # load the model before timing
            engines[name] = module.segment
        else:
            print(f"{name}: not installed, skipped", file=sys.stderr)
    if args.reference:
        for name, segment in REFERENCE_ENGINES.items():
            segment("ក")
            engines[name] = segment
    chars = sum(len(KHMER_CHAR_RE.findall("".join(s))) for s in sentences)
    print(f"gold: {args.gold.name}, {len(sentences)} sentences, {chars} Khmer chars; boundary scores, one core")
    print(f"{'engine':42} {'P':>6} {'R':>6} {'F1':>6} {'Khmer chars/s':>14} {'cuts in syllable':>17}")
    for name, segment in engines.items():
        r = score(segment, sentences)
        print(f"{name:42} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f} "
              f"{r['chars_per_s']:14,.0f} {r['inside']:17d}"
              + (f"  ({r['changed']} sentences changed!)" if r["changed"] else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
