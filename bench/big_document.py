"""Time and memory of viewing one very long document (a page shows one part: indexer.docparts).

    python -m bench.big_document --mb 10

Builds a temporary index holding one document of about --mb megabytes of real text (the corpus's
English bodies, repeated), then, in fresh child processes, measures a document
view (`SearchService.document(id, q, part)`: the first part, the last part) and a search whose hit is
that document: seconds, and the server process's peak RSS (VmHWM) above its RSS after opening the index.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PROJECT_ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, sys, time
sys.path.insert(0, %(root)r)
from indexer.search import SearchService
def status(key):
    for line in open('/proc/self/status'):
        if line.startswith(key):
            return int(line.split()[1]) / 1024
s = SearchService(%(index)r)
s.search(q="rights")
base = status('VmRSS')
started = time.perf_counter()
%(action)s
took = time.perf_counter() - started
print(json.dumps({"seconds": round(took, 2), "rss_base_mb": round(base), "peak_above_mb": round(status('VmHWM') - base)}))
"""

ACTIONS = {
    "view first part with highlights": "r = s.document('big-report', 'detention', part=1)",
    "view last part with highlights": "r = s.document('big-report', 'detention', part=s.document('big-report')['body_parts'])",
    "JSON of the view (whole body field)": "import json as j; j.dumps(s.document('big-report', 'detention'))",
    "search hitting it": "r = s.search(q='zebrafinch detention')",
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=10.0)
    args = parser.parse_args(argv)
    from indexer.build import build_index
    from reading.loader import load_corpus

    records = load_corpus(PROJECT_ROOT / "corpus").records
    english = "\n\n".join(r.body for r in records if r.language == "en")
    body = ""
    while len(body) < args.mb * 1_000_000:
        body += english + "\n\n"
    body += "The last paragraph names zebrafinch once."
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        (corpus / "documents").mkdir(parents=True)
        line = {"id": "big-report", "title": "A long report", "organisation": "LICADHO", "doc_type": "Report",
                "date": "2024-01-01", "language": "en", "body": body}
        (corpus / "documents" / "big.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
        started = time.perf_counter()
        build_index(corpus, Path(tmp) / "index", progress=False)
        print(f"one document of {len(body) / 1e6:.1f} M characters; index built in {time.perf_counter() - started:.1f} s")
        for name, action in ACTIONS.items():
            code = CHILD % {"root": str(PROJECT_ROOT), "index": str(Path(tmp) / "index"), "action": action}
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
            figures = json.loads(out.strip().splitlines()[-1])
            print(f"{name:<38} {figures['seconds']:6.2f} s   peak RSS +{figures['peak_above_mb']} MB "
                  f"(after opening the index: {figures['rss_base_mb']} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
