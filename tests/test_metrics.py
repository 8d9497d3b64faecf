from inference.iob import spans_from_tags as tags_to_spans, tags_from_spans as spans_to_tags
from inference.spans import Span as SpanT
from training.metrics import error_breakdown, seqeval_scores, span_scores


def test_span_scores_per_label_and_averages():
    gold = [{SpanT(0, 5, "PER"), SpanT(10, 20, "ORG")}]
    pred = [{SpanT(0, 5, "PER"), SpanT(10, 15, "ORG"), SpanT(30, 35, "DOC")}]
    s = span_scores(gold, pred, ["PER", "ORG", "DOC"])
    assert s["per_label"]["PER"]["f1"] == 1.0
    assert s["per_label"]["ORG"]["f1"] == 0.0 and s["per_label"]["ORG"]["support"] == 1
    assert s["micro"]["precision"] == 1 / 3 and s["micro"]["recall"] == 1 / 2


def test_error_breakdown_kinds():
    gold = [{SpanT(0, 5, "PER"), SpanT(10, 20, "ORG"), SpanT(30, 40, "TITLE"), SpanT(50, 60, "DOC"), SpanT(70, 80, "ORG")}]
    pred = [{SpanT(0, 5, "PER"), SpanT(10, 20, "TITLE"), SpanT(30, 35, "TITLE"), SpanT(90, 95, "PER"), SpanT(70, 75, "PER")}]
    counts, _ = error_breakdown(gold, pred)
    assert counts == {"correct": 1, "wrong_label": 1, "wrong_boundary": 1, "wrong_label_and_boundary": 1,
                      "missed": 1, "spurious": 1}


def test_seqeval_strict_matches_span_exact_match():
    tokens = [(0, 3), (4, 7), (8, 11), (12, 15)]
    gold = {SpanT(0, 7, "PER"), SpanT(12, 15, "ORG")}
    pred = {SpanT(0, 7, "PER"), SpanT(8, 15, "ORG")}
    g, p = spans_to_tags(tokens, gold), spans_to_tags(tokens, pred)
    assert g == ["B-PER", "I-PER", "O", "B-ORG"]
    sq = seqeval_scores([g], [p], ["PER", "ORG"])
    sp = span_scores([gold], [pred], ["PER", "ORG"])
    assert sq["micro"]["f1"] == sp["micro"]["f1"] == 0.5


def test_tags_to_spans_is_strict_iob2():
    assert tags_to_spans(["B-PER", "I-PER", "O", "I-ORG", "B-ORG", "I-ORG"]) == [SpanT(0, 2, "PER"), SpanT(4, 6, "ORG")]


def test_macro_averages_agree_and_leave_out_labels_without_gold():
    """Gold with PER only, predictions with a spurious TITLE: both tables give the same macro
    average, over PER alone, and mark TITLE as having no gold span (it was seqeval 1.0 against
    span 0.25 once)."""
    from inference.spans import Span
    from training.metrics import seqeval_scores, span_scores

    gold = [[Span(0, 6, "PER")]]
    pred = [[Span(0, 6, "PER"), Span(10, 14, "TITLE")]]
    spans = span_scores(gold, pred, ["PER", "TITLE"])
    tags = seqeval_scores([["B-PER", "I-PER", "O", "O"]], [["B-PER", "I-PER", "O", "B-TITLE"]], ["PER", "TITLE"])
    for table in (spans, tags):
        assert table["per_label"]["TITLE"].get("zero_support") and table["per_label"]["TITLE"]["support"] == 0
        assert table["macro"]["f1"] == table["per_label"]["PER"]["f1"] == 1.0
        assert table["micro"]["precision"] == 0.5
    assert spans["macro"] == tags["macro"]


def test_no_entity_anywhere_scores_zero_without_numpy_warnings():
    """A file whose labels are all mapped away: zeros marked as zero support, and nothing
    printed by numpy's means of empty arrays."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scores = seqeval_scores([["O", "O"]], [["O", "O"]], ["PER"])
    assert scores["micro"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    assert scores["per_label"]["PER"]["support"] == 0
