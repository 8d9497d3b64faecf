"""The HTTP service, end to end: the real ``python -m inference.serve`` process with a model
trained by ``polner-train`` (the session fixture), real HTTP on a free loopback port.

Answers are compared with the same model loaded in this process (``tag`` one text at a
time), including 8 concurrent clients whose requests the server batches together.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from benchmarks.common import stop_process
from inference.holders import find_holders
from tests.conftest import FIXTURES, ROOT
from tests.test_end_to_end import ARTICLE

pytestmark = pytest.mark.slow

MAX_BYTES = 200_000
MAX_TEXTS = 16


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    def __init__(self, port: int) -> None:
        self.port = port

    def request(self, method: str, path: str, body=None, content_type: str | None = None,
                headers: dict | None = None, timeout: float = 60) -> tuple[int, dict, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            h = dict(headers or {})
            if content_type:
                h["Content-Type"] = content_type
            if isinstance(body, str):
                body = body.encode("utf-8")
            conn.request(method, path, body=body, headers=h)
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()

    def json(self, path: str, obj=None, **kw) -> tuple[int, dict]:
        if obj is None:
            status, _, data = self.request("GET", path, **kw)
        else:
            status, _, data = self.request("POST", path, json.dumps(obj, ensure_ascii=False), "application/json", **kw)
        return status, json.loads(data)


@pytest.fixture(scope="module")
def server(trained_model_dir, tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "server.log"
    cmd = [sys.executable, "-m", "inference.serve", "--model", str(trained_model_dir), "--port", str(port),
           "--max-bytes", str(MAX_BYTES), "--max-texts", str(MAX_TEXTS), "--max-batch", "8",
           "--batch-wait-ms", "20", "--log-level", "warning"]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"})
    client = Client(port)
    try:
        deadline = time.monotonic() + 180
        while True:
            if proc.poll() is not None:
                pytest.fail(f"server exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
            try:
                status, health = client.json("/health", timeout=5)
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"server did not answer /health in 180 s:\n{log.read_text(errors='replace')}")
            time.sleep(0.3)
        yield client, proc, log
    finally:
        stop_process(proc)


def corpus_texts() -> list[str]:
    texts = [json.loads(line)["text"] for line in (FIXTURES / "corpus_test.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()]
    return texts + [ARTICLE, "Ông Nam", "Quốc hội họp.\r\n\r\nThủ tướng phát biểu."]


def same_entities(got: list[dict], expected) -> bool:
    """Equal spans, labels and sources; scores equal up to the JSON rounding (4 decimals)
    and float noise of the padded batch a window lands in."""
    if [(e["text"], e["label"], e["start"], e["end"], e["source"]) for e in got] != \
            [(e.text, e.label, e.start, e.end, e.source) for e in expected]:
        return False
    return all(abs(g["score"] - e.score) <= 2e-4 for g, e in zip(got, expected))


def test_health_names_the_model_and_labels(server, trained_model_dir):
    client, _, _ = server
    status, health = client.json("/health")
    assert status == 200
    assert health["status"] == "ok"
    assert health["model"] == str(trained_model_dir)
    assert health["labels"] == ["PER", "TITLE", "ORG", "DOC"]


def test_tag_json_plain_text_and_batch(server, tagger):
    client, _, _ = server
    status, got = client.json("/tag", {"text": ARTICLE})
    assert status == 200 and same_entities(got["entities"], tagger.tag(ARTICLE))
    for e in got["entities"]:
        assert ARTICLE[e["start"]:e["end"]] == e["text"]

    status, headers, data = client.request("POST", "/tag", ARTICLE, "text/plain; charset=utf-8")
    assert status == 200 and headers["content-type"].startswith("application/json")
    assert same_entities(json.loads(data)["entities"], tagger.tag(ARTICLE))

    texts = corpus_texts()[:5]
    status, got = client.json("/tag", {"texts": texts})
    assert status == 200 and len(got["documents"]) == len(texts)
    for doc, text in zip(got["documents"], texts):
        assert same_entities(doc["entities"], tagger.tag(text))


def test_holders_equal_find_holders_in_process(server, tagger):
    client, _, _ = server
    texts = corpus_texts()[:4]
    status, got = client.json("/holders", {"texts": texts})
    assert status == 200
    n_holders = 0
    for doc, text in zip(got["documents"], texts):
        ents = tagger.tag(text)
        assert same_entities(doc["entities"], ents)
        expected = [h.to_json() for h in find_holders(text, ents)]
        strip = lambda hs: [{k: v for k, v in h.items() if k != "score"} for h in hs]  # noqa: E731
        assert strip(doc["holders"]) == strip(expected)
        n_holders += len(expected)
    status, one = client.json("/holders", {"text": ARTICLE})
    assert status == 200 and set(one) == {"entities", "holders"}


def test_bad_requests_get_one_line_errors_naming_the_field(server):
    client, _, _ = server
    cases = [
        (b"{not json", "application/json", 400, "body"),
        (json.dumps({"text": 5}), "application/json", 422, "text:"),
        (json.dumps({"text": ""}), "application/json", 422, "text:"),
        (json.dumps({"text": "   \n"}), "application/json", 422, "text:"),
        (json.dumps({"texts": "Quốc hội"}), "application/json", 422, "texts:"),
        (json.dumps({"texts": []}), "application/json", 422, "texts:"),
        (json.dumps({"texts": ["Quốc hội", None]}), "application/json", 422, "texts[1]:"),
        (json.dumps({"texts": ["Quốc hội", ""]}), "application/json", 422, "texts[1]:"),
        (json.dumps({"text": "a", "texts": ["b"]}), "application/json", 422, "body:"),
        (json.dumps({"txt": "a"}), "application/json", 422, "txt:"),
        (json.dumps(["a"]), "application/json", 422, "body:"),
        ('{"text": "\\ud800 lone surrogate"}', "application/json", 422, "text:"),
        (b"\xff\xfe\x00", "text/plain", 400, "body"),
        (b"", "text/plain", 422, "body"),
        (b"text=a", "application/x-www-form-urlencoded", 415, "Content-Type"),
        (json.dumps({"texts": ["Quốc hội"] * (MAX_TEXTS + 1)}), "application/json", 413, "texts:"),
    ]
    for path in ("/tag", "/holders"):
        for body, ctype, status, field in cases:
            got_status, headers, data = client.request("POST", path, body, ctype)
            assert got_status == status, (path, body, data)
            assert headers["content-type"].startswith("application/json")
            message = json.loads(data)["error"]
            assert message.startswith(field) and "\n" not in message, (body, message)


def test_oversized_bodies_are_refused_and_the_server_goes_on(server):
    client, _, _ = server
    big = json.dumps({"text": "Quốc hội họp. " * (MAX_BYTES // 10)})
    status, _, data = client.request("POST", "/tag", big, "application/json")
    assert status == 413 and json.loads(data)["error"].startswith("body:")
    status, _, data = client.request("POST", "/tag", big.encode() + b"x", "text/plain")
    assert status == 413
    # no Content-Length (chunked): the limit is enforced while reading
    chunks = iter([b'{"text": "'] + [b"Qu\xe1\xbb\x91c h\xe1\xbb\x99i. " * 1000] * 20 + [b'"}'])
    status, _, data = client.request("POST", "/tag", chunks, "application/json")
    assert status == 413, data
    status, got = client.json("/tag", {"text": "Thủ tướng Phạm Minh Chính phát biểu."})
    assert status == 200 and "entities" in got


def test_eight_concurrent_clients_get_what_tag_gives_in_process(server, tagger):
    client, _, _ = server
    texts = corpus_texts()
    _, before = client.json("/health")
    n_clients, per_client = 8, 3
    barrier = threading.Barrier(n_clients)
    answers: dict[tuple[int, int], tuple] = {}
    errors: list[BaseException] = []

    def run(c: int) -> None:
        try:
            barrier.wait(timeout=30)
            for r in range(per_client):
                k = (c * per_client + r) % len(texts)
                if r == 1:  # a small batch among the single texts
                    batch = [texts[k], texts[(k + 1) % len(texts)]]
                    status, got = client.json("/tag", {"texts": batch}, timeout=120)
                    answers[c, r] = (status, batch, [d["entities"] for d in got["documents"]])
                else:
                    status, got = client.json("/tag", {"text": texts[k]}, timeout=120)
                    answers[c, r] = (status, [texts[k]], [got["entities"]])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(c,)) for c in range(n_clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    assert len(answers) == n_clients * per_client
    for (c, r), (status, sent, got) in sorted(answers.items()):
        assert status == 200
        for text, ents in zip(sent, got):
            assert same_entities(ents, tagger.tag(text)), (c, r, text[:60])

    _, after = client.json("/health")
    requests = after["batches"]["requests"] - before["batches"]["requests"]
    calls = after["batches"]["calls"] - before["batches"]["calls"]
    assert requests == n_clients * per_client
    assert calls < requests  # concurrent requests shared tag_batch calls
    assert after["batches"]["largest"] <= 8  # --max-batch


def test_html_form_and_view(server, tagger):
    client, _, _ = server
    status, headers, page = client.request("GET", "/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    page = page.decode("utf-8")
    assert '<form method="post" action="view"' in page and 'name="text"' in page
    assert "http://" not in page and "https://" not in page

    from urllib.parse import urlencode

    text = "Bí thư Thành ủy Trần Văn Khải <b>ký</b> Nghị quyết số 18-NQ/TW."
    status, headers, page = client.request("POST", "/view", urlencode({"text": text}),
                                           "application/x-www-form-urlencoded")
    assert status == 200 and headers["content-type"].startswith("text/html")
    page = page.decode("utf-8")
    assert "<b>ký" not in page
    for e in tagger.tag(text):
        assert f'data-label="{e.label}" data-start="{e.start}" data-end="{e.end}"' in page
    status, _, page = client.request("POST", "/view", "text=", "application/x-www-form-urlencoded")
    assert status == 422 and b"text: empty text" in page


def test_unknown_path_and_clean_shutdown(server):
    client, proc, log = server
    status, _, _ = client.request("GET", "/nope")
    assert status == 404
    status, _, _ = client.request("GET", "/tag")
    assert status == 405
    proc.terminate()
    # uvicorn shuts down gracefully, then re-raises the signal it caught: exit status 0 or -SIGTERM
    assert proc.wait(timeout=30) in (0, -signal.SIGTERM)
    assert "polner-serve: stopped after" in Path(log).read_text(errors="replace")
