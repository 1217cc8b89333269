"""The segmentation facade, the `bayon segment` / `bayon analyze` commands, and the gold data."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from analyzers.commands import analyze, segment_command
from analyzers.segment import DEFAULT_ENGINE, ENGINES, UnknownEngine, available_engines, segment

GOLD = Path(__file__).resolve().parent.parent.parent / "shared" / "khmer-seg" / "test.txt"
SOURCE_002 = Path(__file__).resolve().parent.parent / "corpus" / "sources" / "002_1757a1ed9e3dcfdc.txt"


def test_facade_returns_words_that_rebuild_the_text():
    text = "មជ្ឈមណ្ឌលសិទ្ធិមនុស្សកម្ពុជា"
    words = segment(text)
    assert "".join(words) == text
    assert words == ["មជ្ឈមណ្ឌល", "សិទ្ធិ", "មនុស្ស", "កម្ពុជា"]
    assert segment("") == []
    assert DEFAULT_ENGINE in available_engines() and set(available_engines()) <= set(ENGINES)


def test_unknown_engine_is_a_clear_error():
    with pytest.raises(UnknownEngine, match="unknown Khmer segmentation engine"):
        segment("ការ", engine="nope")


def test_segment_command_keeps_lines_and_characters():
    lines = [line.strip() for line in SOURCE_002.read_text(encoding="utf-8").splitlines()]
    khmer = sorted((line for line in lines if line and "\u1780" <= line[0] <= "\u17ff"), key=len, reverse=True)[:6]
    stdin = "\n".join([khmer[0], "", *khmer[1:], ""]) + "\n"
    result = CliRunner().invoke(segment_command, input=stdin.encode("utf-8"))
    assert result.exit_code == 0, result.output
    out_lines = result.output.split("\n")[:-1]
    in_lines = stdin.split("\n")[:-1]
    assert len(out_lines) == len(in_lines)
    for given, got in zip(in_lines, out_lines):
        assert got.replace(" ", "") == given.replace(" ", "")
        assert "  " not in got
    assert out_lines[1] == "" and out_lines[-1] == ""
    assert len(out_lines[0].split(" ")) > len(in_lines[0].split(" "))


def test_segment_command_rejects_bad_utf8_with_the_line_number():
    result = CliRunner().invoke(segment_command, input="ការ\n".encode() + b"\xff\xfe\n")
    assert result.exit_code == 1
    assert "stdin:2: not valid UTF-8" in result.output


def test_segment_command_rejects_unknown_engine():
    result = CliRunner().invoke(segment_command, ["--engine", "nope"], input=b"")
    assert result.exit_code == 2 and "unknown engine" in result.output


def test_analyze_command_prints_tokens_with_original_slices():
    result = CliRunner().invoke(analyze, ["UPR របស់ CCHR ឆ្នាំ២០២៤"])
    assert result.exit_code == 0
    rows = [line.split("\t") for line in result.output.splitlines()]
    assert rows == [["upr", "0", "3", "UPR"], ["របស់", "4", "8", "របស់"], ["cchr", "9", "13", "CCHR"],
                    ["ឆ្នាំ", "14", "19", "ឆ្នាំ"], ["2024", "19", "23", "២០២៤"]]
    khmer_only = CliRunner().invoke(analyze, ["--lang", "km", "UPR របស់"])
    assert khmer_only.output.splitlines() == ["របស់\t4\t8\tរបស់"]


@pytest.mark.skipif(not GOLD.is_file(), reason="gold segmentation data (shared/khmer-seg) not present")
def test_default_engine_quality_on_a_slice_of_the_gold_test_split():
    sentences = [line.split(" ") for line in GOLD.read_text(encoding="utf-8").splitlines()[:400] if line]
    true_pos = n_pred = n_gold = 0
    for gold_words in sentences:
        text = "".join(gold_words)
        def cuts(words):
            out, offset = set(), 0
            for word in words[:-1]:
                offset += len(word)
                out.add(offset)
            return out
        pred, gold = cuts(segment(text)), cuts(gold_words)
        true_pos += len(pred & gold)
        n_pred += len(pred)
        n_gold += len(gold)
    precision, recall = true_pos / n_pred, true_pos / n_gold
    assert 2 * precision * recall / (precision + recall) >= 0.96


def test_fast_crf_engine_cuts_exactly_like_khmercut():
    import khmercut

    text = SOURCE_002.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip()]
    if GOLD.is_file():
        lines += [line.replace(" ", "") for line in GOLD.read_text(encoding="utf-8").splitlines()[:300]]
    for line in [text, *lines]:
        assert segment(line, engine="crf") == khmercut.tokenize(line)
