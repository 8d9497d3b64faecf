"""Converters to and from CoNLL, doccano and Label Studio: lossless round trips, checked imports."""

import json

import pytest

from inference.preprocess import Preprocessor
from training.corpus.convert import convert, from_doccano, from_labelstudio, main, to_doccano, to_labelstudio
from inference.formats import read_conll
from inference.iob import bio_tags
from training.data import document_examples
from inference.spans import Span
from inference.records import DataError, Document, read_documents, write_documents

T1 = "Chủ tịch UBND tỉnh Nghệ An Nguyễn Đức Trung ký Quyết định số 123/QĐ-UBND.\nÔng Trung cho biết thêm."
T2 = "Bộ Y tế làm việc với Sở Y tế Hà Nội. Thứ trưởng Đỗ Xuân Tuyên chủ trì."


def span(text, surface, label, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Span(start, start + len(surface), label)


DOCS = [
    Document("vn-1", T1, [span(T1, "Chủ tịch UBND tỉnh Nghệ An", "TITLE"), span(T1, "Nguyễn Đức Trung", "PER"),
                          span(T1, "123/QĐ-UBND", "DOC"), span(T1, "Trung", "PER", nth=1)],
             {"source_id": "x1", "date": "20210101", "tags": ["a", 1]}),
    Document("vn-2", T2, [span(T2, "Bộ Y tế", "ORG"), span(T2, "Sở Y tế Hà Nội", "ORG"), span(T2, "Thứ trưởng", "TITLE"),
                          span(T2, "Đỗ Xuân Tuyên", "PER")], {}),
]


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "in.jsonl"
    write_documents(DOCS, path)
    return path


def as_json(docs):
    return [d.to_json() for d in docs]


def test_doccano_round_trip_is_lossless(corpus, tmp_path):
    assert main(["to-doccano", str(corpus), str(tmp_path / "d.jsonl")]) == 0
    first = json.loads((tmp_path / "d.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert first["text"] == T1 and [T1[s:e] for s, e, _ in first["label"]][0] == "Chủ tịch UBND tỉnh Nghệ An"
    assert main(["from-doccano", str(tmp_path / "d.jsonl"), str(tmp_path / "back.jsonl")]) == 0
    assert as_json(read_documents(tmp_path / "back.jsonl")) == as_json(DOCS)


def test_doccano_import_reads_the_entities_form_and_top_level_metadata(tmp_path):
    rec = {"id": 42, "text": T2, "source_id": "x2", "Comments": [],
           "entities": [{"id": 9, "start_offset": s.start, "end_offset": s.end, "label": s.label} for s in DOCS[1].spans],
           "relations": []}
    path = tmp_path / "new.jsonl"
    path.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    (doc,) = from_doccano(path)
    assert doc.id == "42" and doc.spans == DOCS[1].spans and doc.meta == {"source_id": "x2"}


def test_labelstudio_round_trip_is_lossless(corpus, tmp_path):
    assert main(["to-labelstudio", str(corpus), str(tmp_path / "ls.json")]) == 0
    tasks = json.loads((tmp_path / "ls.json").read_text(encoding="utf-8"))
    r = tasks[0]["annotations"][0]["result"][0]
    assert (r["from_name"], r["to_name"], r["type"]) == ("label", "text", "labels")
    assert r["value"]["text"] == "Chủ tịch UBND tỉnh Nghệ An" and r["value"]["labels"] == ["TITLE"]
    assert tasks[0]["data"]["doc_id"] == "vn-1" and tasks[0]["data"]["meta"] == DOCS[0].meta
    assert main(["from-labelstudio", str(tmp_path / "ls.json"), str(tmp_path / "back.jsonl")]) == 0
    assert as_json(read_documents(tmp_path / "back.jsonl")) == as_json(DOCS)


def test_labelstudio_import_uses_the_first_annotation_or_else_the_predictions(tmp_path):
    tasks = to_labelstudio(DOCS)
    tasks[0]["annotations"].append({"result": []})  # a second annotator: ignored
    tasks[1]["predictions"] = tasks[1].pop("annotations")
    path = tmp_path / "ls.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    assert as_json(from_labelstudio(path)) == as_json(DOCS)


@pytest.mark.parametrize("fmt", ["doccano", "labelstudio"])
@pytest.mark.parametrize("bad, message", [
    (lambda s: Span(s.start - 1, s.end, s.label), "starts or ends with space or punctuation"),
    (lambda s: Span(s.start, s.end, "LOC"), "label not in "),
    (lambda s: Span(s.start, s.end + 500, s.label), "out of range"),
])
def test_bad_imported_records_are_errors_naming_the_record(tmp_path, fmt, bad, message):
    docs = [DOCS[0], Document("vn-2", T2, [bad(DOCS[1].spans[1])] + DOCS[1].spans[2:], {})]
    src = tmp_path / ("bad.jsonl" if fmt == "doccano" else "bad.json")
    if fmt == "doccano":
        src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in to_doccano(docs)), encoding="utf-8")
    else:
        tasks = to_labelstudio(docs)
        for r in tasks[1]["annotations"][0]["result"]:
            r["value"].pop("text")  # hand-made tasks need not carry the surface
        src.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    with pytest.raises(DataError, match=rf"{src}: record 2 \(id=vn-2\): .*{message}"):
        convert(f"from-{fmt}", src, out)
    assert not out.exists()


def test_labelstudio_result_whose_text_disagrees_with_the_offsets_is_an_error(tmp_path):
    tasks = to_labelstudio(DOCS)
    tasks[1]["annotations"][0]["result"][0]["value"]["start"] += 1
    path = tmp_path / "ls.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DataError, match=r"task #2 \(id='vn-2'\): result\[0\] text 'Bộ Y tế' differs"):
        from_labelstudio(path)


def test_conll_export_reads_back_as_the_training_examples(corpus, tmp_path):
    out = tmp_path / "c.conll"
    assert main(["to-conll", str(corpus), str(out)]) == 0
    rows = read_conll(out)
    pre, allowed = Preprocessor("pyvi"), set(bio_tags(["PER", "TITLE", "ORG", "DOC"]))
    expected = [ex for d in DOCS for ex in document_examples(d, pre, allowed, d.id)]
    assert [(r.words, r.tags) for r in rows] == [(ex.forms, ex.tags) for ex in expected]
    text = out.read_text(encoding="utf-8")
    assert "Chủ_tịch B-TITLE\nUBND I-TITLE\n" in text  # segmented words, IOB2 tags
    assert text.count("-DOCSTART-") == 2


def test_cli_reports_bad_input_and_exits_2(tmp_path, capsys):
    src = tmp_path / "x.json"
    src.write_text("{not json", encoding="utf-8")
    assert main(["from-labelstudio", str(src), str(tmp_path / "o.jsonl")]) == 2
    assert "x.json: invalid JSON" in capsys.readouterr().err
