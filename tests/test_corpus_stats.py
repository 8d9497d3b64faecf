"""Corpus statistics: the counts, the Markdown table, and the README block they rewrite."""

import pytest

from training.corpus.stats import END_MARKER, START_MARKER, corpus_stats, main, markdown_table, rewrite_block
from inference.spans import Span
from inference.records import DataError, Document, write_documents

# 3 sentences (a line break, then a full stop before a capital), 2 sentences, 1 sentence.
TRAIN = [
    Document("a", "Bí thư Tỉnh ủy phát biểu.\nÔng Hùng nói. Sau đó TP. Hà Nội họp.",
             [Span(0, 14, "TITLE"), Span(30, 34, "PER")]),
    Document("b", "Bộ Y tế họp. Thứ trưởng chủ trì.", [Span(0, 7, "ORG"), Span(13, 23, "TITLE")]),
]
DEV = [Document("c", "Nghị quyết số 18-NQ/TW được ban hành", [Span(14, 22, "DOC")])]


@pytest.fixture
def data_dir(tmp_path):
    d = tmp_path / "data"
    d.mkdir()
    write_documents(TRAIN, d / "train.jsonl")
    write_documents(DEV, d / "dev.jsonl")
    return d


def test_counts_per_split_and_total(data_dir):
    rows = {r.name: r for r in corpus_stats(data_dir)}
    assert list(rows) == ["train", "dev", "total"]
    assert (rows["train"].articles, rows["train"].sentences) == (2, 5)
    assert rows["train"].characters == sum(len(d.text) for d in TRAIN)
    assert dict(rows["train"].spans) == {"TITLE": 2, "PER": 1, "ORG": 1}
    assert (rows["dev"].articles, rows["dev"].sentences, dict(rows["dev"].spans)) == (1, 1, {"DOC": 1})
    total = rows["total"]
    assert (total.articles, total.sentences, total.spans["TITLE"], total.spans["DOC"]) == (3, 6, 2, 1)
    table = markdown_table(list(rows.values()))
    assert table.splitlines()[0] == "| split | articles | sentences | characters | PER | TITLE | ORG | DOC | spans |"
    assert table.splitlines()[2].startswith("| train | 2 | 5 | ")


README = "# Corpus\n\nIntro text.\n\n## Statistics\n\n{s}\nold table\n{e}\n\n## After\n\nKept as is.\n"


def test_readme_block_is_rewritten_and_nothing_else(data_dir, tmp_path, capsys):
    readme = tmp_path / "README.md"
    readme.write_text(README.format(s=START_MARKER, e=END_MARKER), encoding="utf-8")
    assert main([str(data_dir), "--readme", str(readme)]) == 0
    printed = capsys.readouterr().out
    text = readme.read_text(encoding="utf-8")
    before, rest = text.split(START_MARKER)
    block, after = rest.split(END_MARKER)
    assert before == "# Corpus\n\nIntro text.\n\n## Statistics\n\n"
    assert after == "\n\n## After\n\nKept as is.\n"
    assert "old table" not in block and markdown_table(corpus_stats(data_dir)) in block
    assert markdown_table(corpus_stats(data_dir)) in printed
    assert main([str(data_dir), "--readme", str(readme)]) == 0  # idempotent
    assert readme.read_text(encoding="utf-8") == text


def test_missing_markers_are_an_error_naming_the_file(tmp_path, data_dir, capsys):
    readme = tmp_path / "NOTES.md"
    readme.write_text("# no markers here\n", encoding="utf-8")
    with pytest.raises(DataError, match="NOTES.md: needs the markers"):
        rewrite_block(readme, "x")
    assert main([str(data_dir), "--readme", str(readme)]) == 2
    assert "NOTES.md" in capsys.readouterr().err
    assert readme.read_text(encoding="utf-8") == "# no markers here\n"


def test_unseen_in_train_counts_words_the_training_split_never_shows(data_dir):
    from training.corpus.stats import unseen_in_train, unseen_table

    (dev,) = unseen_in_train(data_dir)
    # dev words (pyvi): Nghị_quyết số 18-NQ/TW (cut into pieces: 18 - NQ / TW) được ban_hành;
    # train has none of them, so everything is unseen
    assert dev.name == "dev" and dev.tokens == dev.entity_tokens == dev.types == 1.0
    write_documents(TRAIN + [Document("d", "Bí thư Tỉnh ủy ký Nghị quyết số 18", [Span(0, 14, "TITLE")])],
                    data_dir / "train.jsonl")
    (dev,) = unseen_in_train(data_dir)
    # now Nghị_quyết, số and 18 are seen: 6 of 9 tokens and 4 of the code's 5 pieces are new
    assert dev.tokens == pytest.approx(6 / 9) and dev.types == pytest.approx(6 / 9)
    assert dev.entity_tokens == pytest.approx(4 / 5)
    assert "| dev |" in unseen_table([dev])
