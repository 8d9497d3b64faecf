"""An HTTP service for the tagger.

    polner-serve --model DIR [--host 127.0.0.1] [--port 8000] [--max-bytes N] [--max-batch N]
                 [--max-texts N] [--batch-wait-ms MS] [--doc-rules off|repair|union] [--quantize int8]
                 [--threads N]
    python -m inference.serve --model DIR ...

The model is loaded once, before the port is opened (so ``/health`` answering means the
model is ready). It binds 127.0.0.1 unless ``--host`` says otherwise: the service has no
authentication, so exposing it is a deliberate choice.

Endpoints:

- ``POST /tag``: the body is JSON ``{"text": "..."}`` or ``{"texts": ["...", ...]}``, or
  the text itself as ``text/plain``. The answer is ``{"entities": [...]}`` for one text and
  ``{"documents": [{"entities": [...]}, ...]}`` for ``texts`` (in order); entities are
  ``Entity.to_json()``: ``text, label, start, end, score, source``, offsets indexing the
  text as sent (Python code points).
- ``POST /holders``: the same, each document with ``"holders"`` (``Holder.to_json()``,
  from ``inference.holders.find_holders``) beside its entities.
- ``GET /``: a page with a text box; ``POST /view`` (its form) answers the HTML view of
  ``inference.view`` for the submitted text. No external resource is loaded.
- ``GET /health``: ``{"status": "ok", "model", "labels", ...}`` with the limits and the
  batching counters.

Batching: every request's texts go to one queue; a single worker waits a few
milliseconds (``--batch-wait-ms``) after the first request arrives at an idle tagger,
then tags everything queued, up to ``--max-batch`` texts, with one ``tag_batch`` call run
in a dedicated thread, so concurrent callers share forward passes and the tagger is never
called from two threads at once. Requests that arrive while a batch runs are taken together
as soon as it ends. A request with more texts than ``--max-batch`` is tagged in several
calls; results are the same as ``tag()`` of each text (up to float rounding of scores).

Errors are JSON ``{"error": "<one line naming the field>"}``: 413 for a body over
``--max-bytes`` or more than ``--max-texts`` texts, 400 for a body that is not JSON or not
UTF-8, 415 for another content type, 422 for a wrong shape or type (``texts[2]: expected a
string, got int``) or an empty text, 503 when more than ``--max-queue`` texts are waiting.
"""

import argparse
import asyncio
import json
import sys
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence
from urllib.parse import parse_qs

from inference.cli import error
from inference.doc_rules import MODES as DOC_RULE_MODES

DEFAULT_MAX_BYTES = 1_000_000
DEFAULT_MAX_BATCH = 32
DEFAULT_MAX_TEXTS = 256
DEFAULT_MAX_QUEUE = 2048
DEFAULT_WAIT_MS = 5.0
# a body over the limit is read and discarded up to this many bytes so that the client gets
# its 413 on a clean connection; past it the connection is closed after the answer
DRAIN_LIMIT = 16 * 1024 * 1024


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


# --- batching ------------------------------------------------------------------------------


@dataclass
class _Job:
    texts: list[str]
    future: asyncio.Future
    results: list = field(default_factory=list)
    taken: int = 0  # texts already handed to a batch


@dataclass
class BatchStats:
    calls: int = 0
    texts: int = 0
    largest: int = 0
    requests: int = 0

    def to_json(self) -> dict:
        return {"calls": self.calls, "texts": self.texts, "largest": self.largest, "requests": self.requests}


class Batcher:
    """Collects texts from concurrent requests and tags them with one ``tag_batch`` call.

    One worker task, one tagger thread: the tagger is never entered concurrently.
    """

    def __init__(self, tagger: Any, *, max_batch: int, wait_s: float, max_queue: int) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be at least 1")
        self.tagger = tagger
        self.max_batch = max_batch
        self.wait_s = wait_s
        self.max_queue = max_queue
        self.jobs: deque[_Job] = deque()
        self.queued = 0  # texts waiting, not yet handed to a batch
        self.stats = BatchStats()
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task | None = None
        self._executor: ThreadPoolExecutor | None = None

    async def start(self) -> None:
        self._wake = asyncio.Event()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="polner-tagger")
        self._task = asyncio.create_task(self._run(), name="polner-batcher")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
        for job in self.jobs:
            if not job.future.done():
                job.future.set_exception(ApiError(503, "server: shutting down"))
        self.jobs.clear()
        if self._executor is not None:
            self._executor.shutdown(wait=True)

    async def tag(self, texts: list[str]) -> list:
        """Entities for each text, in order."""
        if self._wake is None:
            raise RuntimeError("Batcher.start() was not awaited")
        if self.queued + len(texts) > self.max_queue:
            raise ApiError(503, f"server: busy ({self.queued} texts waiting, limit {self.max_queue}); retry later")
        job = _Job(list(texts), asyncio.get_running_loop().create_future())
        self.jobs.append(job)
        self.queued += len(texts)
        self.stats.requests += 1
        self._wake.set()
        return await job.future

    def _take(self) -> list[tuple[_Job, int, int]]:
        """Slices (job, first, end) of queued jobs, at most max_batch texts in all."""
        parts, n = [], 0
        while self.jobs and n < self.max_batch:
            job = self.jobs[0]
            if job.future.done():  # cancelled: its caller has gone
                self.jobs.popleft()
                self.queued -= len(job.texts) - job.taken
                continue
            k = min(len(job.texts) - job.taken, self.max_batch - n)
            parts.append((job, job.taken, job.taken + k))
            job.taken += k
            self.queued -= k
            n += k
            if job.taken == len(job.texts):
                self.jobs.popleft()
        return parts

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        assert self._wake is not None
        while True:
            if not self.jobs:
                self._wake.clear()
                await self._wake.wait()
                # the tagger was idle: give concurrent callers a moment to join this batch
                if self.wait_s > 0 and self.queued < self.max_batch:
                    await asyncio.sleep(self.wait_s)
            parts = self._take()
            if not parts:
                continue
            texts = [t for job, a, b in parts for t in job.texts[a:b]]
            try:
                results = await loop.run_in_executor(self._executor, self.tagger.tag_batch, texts)
            except Exception as exc:  # the tagger failed: every caller in this batch gets the error
                for job, _, _ in parts:
                    if not job.future.done():
                        job.future.set_exception(exc)
                continue
            self.stats.calls += 1
            self.stats.texts += len(texts)
            self.stats.largest = max(self.stats.largest, len(texts))
            k = 0
            for job, a, b in parts:
                job.results.extend(results[k : k + (b - a)])
                k += b - a
                if len(job.results) == len(job.texts) and not job.future.done():
                    job.future.set_result(job.results)


# --- request parsing -----------------------------------------------------------------------


async def read_body(request, max_bytes: int) -> bytes:
    """The body, or ApiError(413) once it is known to be longer than max_bytes.

    An oversized body is still read (and thrown away) up to DRAIN_LIMIT bytes, so that the
    client, busy sending it, receives the 413 rather than a reset connection.
    """
    declared = request.headers.get("content-length")
    limit_msg = None
    if declared is not None:
        try:
            n = int(declared)
        except ValueError:
            raise ApiError(400, "Content-Length: not a number") from None
        if n > max_bytes:
            limit_msg = f"body: {n} bytes is over the limit of {max_bytes}"
            if n > DRAIN_LIMIT:
                raise ApiError(413, limit_msg)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            limit_msg = limit_msg or f"body: more than {max_bytes} bytes (the limit)"
            chunks.clear()
            if size > DRAIN_LIMIT:
                break
            continue
        chunks.append(chunk)
    if limit_msg:
        raise ApiError(413, limit_msg)
    return b"".join(chunks)


def _type_name(x: Any) -> str:
    return "null" if x is None else {"str": "string", "int": "number", "float": "number", "bool": "boolean",
                                     "list": "array", "dict": "object"}.get(type(x).__name__, type(x).__name__)


def _check_text(x: Any, name: str) -> str:
    if not isinstance(x, str):
        raise ApiError(422, f"{name}: expected a string, got {_type_name(x)}")
    if not x.strip():
        raise ApiError(422, f"{name}: empty text")
    try:
        x.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ApiError(422, f"{name}: not valid Unicode ({exc.reason} at character {exc.start})") from None
    return x


def parse_texts(body: bytes, content_type: str, max_texts: int) -> tuple[list[str], bool]:
    """The texts of a request and whether it was a batch (``texts``) rather than one text."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media == "text/plain":
        charset = "utf-8"
        for param in content_type.split(";")[1:]:
            k, _, v = param.partition("=")
            if k.strip().lower() == "charset" and v.strip():
                charset = v.strip().strip('"')
        try:
            text = body.decode(charset)
        except LookupError:
            raise ApiError(415, f"Content-Type: unknown charset {charset!r}") from None
        except UnicodeDecodeError as exc:
            raise ApiError(400, f"body: not valid {charset} text (byte {exc.start})") from None
        return [_check_text(text, "body")], False
    if media != "application/json" and not media.endswith("+json"):
        raise ApiError(
            415, f"Content-Type: expected application/json or text/plain, got {media or 'none'}"
        )
    try:
        obj = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ApiError(400, f"body: not valid JSON ({msg})") from None
    if not isinstance(obj, dict):
        raise ApiError(422, f'body: expected a JSON object with "text" or "texts", got {_type_name(obj)}')
    unknown = sorted(set(obj) - {"text", "texts"})
    if unknown:
        raise ApiError(422, f'{unknown[0]}: unknown field (expected "text" or "texts")')
    if ("text" in obj) == ("texts" in obj):
        raise ApiError(422, 'body: give exactly one of "text" and "texts"')
    if "text" in obj:
        return [_check_text(obj["text"], "text")], False
    texts = obj["texts"]
    if not isinstance(texts, list):
        raise ApiError(422, f"texts: expected an array of strings, got {_type_name(texts)}")
    if not texts:
        raise ApiError(422, "texts: empty array")
    if len(texts) > max_texts:
        raise ApiError(413, f"texts: {len(texts)} texts is over the limit of {max_texts}")
    return [_check_text(t, f"texts[{i}]") for i, t in enumerate(texts)], True


# --- the app -------------------------------------------------------------------------------


_FORM = """<form method="post" action="view" accept-charset="utf-8">
<label for="text"><strong>Text</strong> (Vietnamese news, up to {max_bytes:,} bytes)</label>
<textarea id="text" name="text" lang="vi" required>{text}</textarea>
<button type="submit">Tag</button> <span class="note">or POST JSON to <code>/tag</code> and <code>/holders</code></span>
</form>{error}"""


def create_app(
    tagger: Any,
    *,
    model_name: str,
    labels: Sequence[str],
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_batch: int = DEFAULT_MAX_BATCH,
    max_texts: int = DEFAULT_MAX_TEXTS,
    max_queue: int = DEFAULT_MAX_QUEUE,
    wait_ms: float = DEFAULT_WAIT_MS,
):
    """The FastAPI app around an already loaded tagger (anything with ``tag_batch``)."""
    # imported here, not at the top: the CLI's argument errors and --help come without
    # FastAPI's import. (No ``from __future__ import annotations`` in this module, so the
    # handlers' ``Request`` annotations are the class itself, which FastAPI needs.)
    from fastapi import FastAPI, Request
    from fastapi.responses import HTMLResponse, JSONResponse

    from inference.holders import find_holders
    from inference.view import render_html

    batcher = Batcher(tagger, max_batch=max_batch, wait_s=wait_ms / 1000, max_queue=max(max_queue, max_texts))

    @asynccontextmanager
    async def lifespan(app):
        await batcher.start()
        try:
            yield
        finally:
            await batcher.stop()
            s = batcher.stats
            print(f"polner-serve: stopped after {s.requests} requests ({s.texts} texts in {s.calls} tag_batch calls)",
                  file=sys.stderr, flush=True)

    # no /docs or /redoc: their pages load scripts from a CDN
    app = FastAPI(title="polner", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.batcher = batcher

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError):
        headers = {"Connection": "close"} if exc.status == 413 else None
        return JSONResponse({"error": exc.message}, status_code=exc.status, headers=headers)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception):
        return JSONResponse({"error": f"server: internal error ({type(exc).__name__})"}, status_code=500)

    async def entities_for(request: Request) -> tuple[list[str], list, bool]:
        body = await read_body(request, max_bytes)
        texts, many = parse_texts(body, request.headers.get("content-type", ""), max_texts)
        return texts, await batcher.tag(texts), many

    @app.post("/tag")
    async def tag(request: Request):
        texts, ents, many = await entities_for(request)
        docs = [{"entities": [e.to_json() for e in es]} for es in ents]
        return JSONResponse({"documents": docs} if many else docs[0])

    @app.post("/holders")
    async def holders(request: Request):
        texts, ents, many = await entities_for(request)

        def link() -> list[dict]:
            return [
                {"entities": [e.to_json() for e in es], "holders": [h.to_json() for h in find_holders(t, es)]}
                for t, es in zip(texts, ents)
            ]

        docs = await asyncio.to_thread(link)
        return JSONResponse({"documents": docs} if many else docs[0])

    def page(text: str = "", error: str = "", docs=()) -> str:
        import html

        form = _FORM.format(
            max_bytes=max_bytes,
            text=html.escape(text),
            error=f'<p class="note" role="alert"><strong>{html.escape(error)}</strong></p>' if error else "",
        )
        return render_html(list(docs), prefix_html=form, empty_message="Paste a text above and press Tag.")

    @app.get("/", response_class=HTMLResponse)
    async def index():
        return HTMLResponse(page())

    @app.post("/view", response_class=HTMLResponse)
    async def view(request: Request):
        try:
            body = await read_body(request, max_bytes)
            media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
            if media == "application/x-www-form-urlencoded":
                try:
                    fields = parse_qs(body.decode("utf-8"), keep_blank_values=True, errors="strict")
                except UnicodeDecodeError:
                    raise ApiError(400, "text: not valid UTF-8") from None
                raw = fields.get("text", [""])[0]
            else:
                texts, _ = parse_texts(body, request.headers.get("content-type", ""), 1)
                raw = texts[0]
            text = _check_text(raw, "text")
            (ents,) = await batcher.tag([text])
        except ApiError as exc:
            return HTMLResponse(page(error=exc.message), status_code=exc.status)
        hs = await asyncio.to_thread(find_holders, text, ents)
        return HTMLResponse(page(text, docs=[("input", text, ents, hs)]))

    @app.get("/health")
    async def health():
        return {
            "status": "ok",
            "model": model_name,
            "labels": list(labels),
            "limits": {"max_bytes": max_bytes, "max_batch": max_batch, "max_texts": max_texts,
                       "max_queue": batcher.max_queue, "batch_wait_ms": wait_ms},
            "batches": batcher.stats.to_json(),
        }

    return app


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="polner-serve", description="Serve the tagger over HTTP (JSON and an HTML view).")
    ap.add_argument("--model", required=True, help="model directory written by polner-train")
    ap.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="largest request body (413 above)")
    ap.add_argument("--max-batch", type=int, default=DEFAULT_MAX_BATCH, help="most texts per tag_batch call")
    ap.add_argument("--max-texts", type=int, default=DEFAULT_MAX_TEXTS, help="most texts in one request (413 above)")
    ap.add_argument("--max-queue", type=int, default=DEFAULT_MAX_QUEUE, help="most texts waiting (503 above)")
    ap.add_argument("--batch-wait-ms", type=float, default=DEFAULT_WAIT_MS,
                    help="how long an idle tagger waits for more requests to join a batch")
    ap.add_argument("--doc-rules", choices=DOC_RULE_MODES, help="override the model's setting")
    ap.add_argument("--quantize", choices=["int8"], help="int8 dynamic quantisation (CPU)")
    ap.add_argument("--threads", type=int, help="CPU threads for the model (default: what this machine can give "
                                                "when the service starts; set it on a machine shared with other work)")
    ap.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    args = ap.parse_args(argv)
    for name in ("max_bytes", "max_batch", "max_texts", "max_queue", "threads"):
        if getattr(args, name) is not None and getattr(args, name) < 1:
            ap.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.batch_wait_ms < 0:
        ap.error("--batch-wait-ms must not be negative")

    import uvicorn

    from inference import load_tagger

    t0 = time.perf_counter()
    try:
        tagger = load_tagger(args.model, quantize=args.quantize, doc_rules=args.doc_rules, threads=args.threads or "auto")
    except (OSError, ValueError, RuntimeError) as exc:  # ModelDirError is a FileNotFoundError
        return error("polner-serve", exc)
    model_dir = Path(args.model)
    import torch

    print(f"polner-serve: loaded {model_dir} in {time.perf_counter() - t0:.1f} s ({torch.get_num_threads()} threads)",
          file=sys.stderr, flush=True)
    app = create_app(
        tagger,
        model_name=str(model_dir),
        labels=list(tagger.settings.labels),
        max_bytes=args.max_bytes,
        max_batch=args.max_batch,
        max_texts=args.max_texts,
        max_queue=args.max_queue,
        wait_ms=args.batch_wait_ms,
    )
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, workers=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
