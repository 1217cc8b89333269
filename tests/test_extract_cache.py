"""reading.extract.cache: results kept by content digest, stale versions and corrupt entries miss."""
import hashlib

from reading.extract.cache import ExtractionCache, default_cache_root, file_digest
from reading.extract.model import Extracted

KHMER = "សិទ្ធិមនុស្សនៅកម្ពុជា"


def _result():
    return Extracted(paragraphs=[KHMER, "Land rights report."],
                     metadata={"title": ("Annual Report", "pdf metadata")},
                     warnings=["page 2: OCR"], pages=3, ocr_pages=1, method="pdftotext+ocr")


def test_digest_is_sha256_of_bytes(tmp_path):
    p = tmp_path / "a.pdf"
    p.write_bytes(b"%PDF-1.4 hello")
    assert file_digest(p) == hashlib.sha256(b"%PDF-1.4 hello").hexdigest()


def test_put_get_round_trip(tmp_path):
    cache = ExtractionCache(tmp_path)
    d = hashlib.sha256(b"x").hexdigest()
    assert cache.get(d) is None
    cache.put(d, _result())
    assert cache.get(d) == _result()
    assert ExtractionCache(tmp_path).get(d) == _result()  # persisted on disk


def test_older_version_and_corrupt_entry_miss(tmp_path):
    d = hashlib.sha256(b"y").hexdigest()
    ExtractionCache(tmp_path, version=0).put(d, _result())
    assert ExtractionCache(tmp_path, version=1).get(d) is None
    path = tmp_path / d[:2] / f"{d}.json"
    path.write_text("{not json", encoding="utf-8")
    assert ExtractionCache(tmp_path).get(d) is None


def test_env_sets_root(tmp_path, monkeypatch):
    monkeypatch.setenv("BAYON_EXTRACT_CACHE", str(tmp_path / "c"))
    assert default_cache_root() == tmp_path / "c"
    monkeypatch.delenv("BAYON_EXTRACT_CACHE")
    assert default_cache_root().parts[-2:] == ("var", "extract-cache")
