"""Throughput and latency of the HTTP service (``polner-serve``) with 1 and 8 concurrent clients.

    python benchmarks/serve_speed.py --model runs/tiny [--requests 66] [--concurrency 1 8]
        [--data annotations/data/test.jsonl] [--out benchmarks/results/serve_speed.md]

Starts the real server (``python -m inference.serve``) on a free loopback port, waits for
``/health``, sends a few warm-up requests, then for each concurrency level sends
``--requests`` ``POST /tag`` requests, one article each (the texts of ``--data``, in
turn), from that many client threads, each keeping one HTTP/1.1 connection open. It reports
requests/s (requests over the level's wall time), median and p95 latency, how many
``tag_batch`` calls the server made (from ``/health``: concurrent requests share calls) and
the server's CPU use; then, with the server stopped, the same articles tagged in-process by
``tag()`` one at a time, as the reference without HTTP. Clients and server share the
machine. Writes ``--out`` (.md) and the same numbers as .json beside it; results hold
numbers only, never corpus text.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # also as a script: python benchmarks/serve_speed.py

from benchmarks.common import (  # noqa: E402
    ROOT, command_line, format_load, load_average, machine_info, public_path, stop_process, write_results,
)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_texts(path: Path) -> list[str]:
    texts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            texts.append(json.loads(line)["text"])
    if not texts:
        raise SystemExit(f"{path}: no texts")
    return texts


def get_json(port: int, path: str, timeout: float = 5) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        data = r.read()
        if r.status != 200:
            raise RuntimeError(f"GET {path}: HTTP {r.status}")
        return json.loads(data)
    finally:
        conn.close()


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of a process (Linux /proc), None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def percentile(xs: list[float], q: float) -> float:
    s = sorted(xs)
    k = (len(s) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def run_level(port: int, bodies: list[bytes], concurrency: int, timeout: float) -> dict:
    latencies: list[float] = [0.0] * len(bodies)
    next_index = iter(range(len(bodies)))
    lock = threading.Lock()
    errors: list[str] = []
    barrier = threading.Barrier(concurrency + 1)

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        barrier.wait()
        try:
            while True:
                with lock:
                    i = next(next_index, None)
                if i is None:
                    return
                t0 = time.perf_counter()
                conn.request("POST", "/tag", body=bodies[i], headers={"Content-Type": "application/json"})
                r = conn.getresponse()
                data = r.read()
                latencies[i] = time.perf_counter() - t0
                if r.status != 200:
                    errors.append(f"HTTP {r.status}: {data[:200]!r}")
        except Exception as exc:  # noqa: BLE001 - reported in the result
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            conn.close()

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    if errors:
        raise RuntimeError(f"{len(errors)} request(s) failed at concurrency {concurrency}: {errors[0]}")
    return {
        "concurrency": concurrency,
        "requests": len(bodies),
        "wall_s": round(wall, 3),
        "requests_per_s": round(len(bodies) / wall, 2),
        "latency_mean_ms": round(statistics.mean(latencies) * 1000, 1),
        "latency_median_ms": round(statistics.median(latencies) * 1000, 1),
        "latency_p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
        "latency_max_ms": round(max(latencies) * 1000, 1),
    }


def in_process(model: str, texts: list[str], threads: int) -> dict:
    """tag() one text at a time in this process: the same work without HTTP or batching, at
    the server's thread count."""
    from inference import load_tagger

    tagger = load_tagger(model, threads=threads)
    tagger.tag(texts[0])  # warm-up
    t0 = time.perf_counter()
    for t in texts:
        tagger.tag(t)
    wall = time.perf_counter() - t0
    return {"texts": len(texts), "wall_s": round(wall, 3), "texts_per_s": round(len(texts) / wall, 2),
            "ms_per_text": round(wall / len(texts) * 1000, 1)}


def report(res: dict) -> str:
    out = [
        "# HTTP service speed",
        "",
        f"Model `{res['model']}`; {res['n_texts']} articles of `{res['data']}` "
        f"({res['mean_chars']:,} characters on average), one article per `POST /tag` request, "
        f"sent in turn; server `--max-batch {res['max_batch']} --batch-wait-ms {res['batch_wait_ms']} "
        f"--threads {res['threads']}`, "
        f"started in {res['server_start_s']} s (model load included). Clients run on the same machine as "
        "the server, each thread keeping one HTTP/1.1 connection; latency is from sending the request "
        "to reading the whole answer.",
        "",
        "| clients | requests | wall s | requests/s | median ms | p95 ms | max ms | tag_batch calls | texts per call | server CPU |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in res["levels"]:
        cpu = "n/a" if r.get("server_cpu") is None else f"{r['server_cpu']:.2f}"
        out.append(
            f"| {r['concurrency']} | {r['requests']} | {r['wall_s']:.2f} | **{r['requests_per_s']:.2f}** | "
            f"{r['latency_median_ms']:.1f} | {r['latency_p95_ms']:.1f} | {r['latency_max_ms']:.1f} | "
            f"{r['tag_batch_calls']} | {r['texts_per_call']:.2f} | {cpu} |"
        )
    ip = res.get("in_process")
    out += [
        "",
        "Server CPU is the server process's CPU seconds over the level's wall time (cores kept busy).",
    ]
    if ip:
        out += [
            "",
            f"Reference, same articles in one process without HTTP (server stopped): `tag()` one at a time, "
            f"{ip['texts_per_s']:.2f} articles/s ({ip['ms_per_text']:.1f} ms each).",
        ]
        levels = {r["concurrency"]: r for r in res["levels"]}
        if 1 in levels:
            overhead = levels[1]["latency_mean_ms"] - ip["ms_per_text"]
            out.append(f"With one client the mean latency ({levels[1]['latency_mean_ms']:.1f} ms) is {overhead:+.1f} ms "
                       "from the in-process time per article: the cost of HTTP, JSON and the batching wait.")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Requests/s and latency of polner-serve.")
    ap.add_argument("--model", required=True, help="model directory written by polner-train")
    ap.add_argument("--data", type=Path, default=ROOT / "annotations" / "data" / "test.jsonl",
                    help="JSONL whose 'text' fields are sent")
    ap.add_argument("--requests", type=int, default=66, help="requests per concurrency level")
    ap.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    ap.add_argument("--warmup", type=int, default=4)
    ap.add_argument("--max-batch", type=int, default=32)
    ap.add_argument("--batch-wait-ms", type=float, default=5.0)
    ap.add_argument("--timeout", type=float, default=600, help="seconds per request")
    ap.add_argument("--threads", type=int, help="the server's --threads (default: torch's count in this process, "
                                                "so the figure does not depend on the load when the server starts)")
    ap.add_argument("--no-in-process", action="store_true", help="skip the in-process reference")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "serve_speed.md")
    args = ap.parse_args(argv)

    texts = load_texts(args.data)
    bodies = [json.dumps({"text": texts[i % len(texts)]}, ensure_ascii=False).encode("utf-8")
              for i in range(args.requests)]
    info = machine_info()
    threads = args.threads or info["torch_threads"]
    port = free_port()
    cmd = [sys.executable, "-m", "inference.serve", "--model", args.model, "--port", str(port),
           "--max-batch", str(args.max_batch), "--batch-wait-ms", str(args.batch_wait_ms), "--log-level", "warning",
           "--threads", str(threads),
           "--max-bytes", str(max(1_000_000, max(len(b) for b in bodies) + 1))]
    t0 = time.perf_counter()
    log = tempfile.TemporaryFile()  # the server's output (a pipe could fill up and block it)
    server = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    levels = []
    try:
        while True:
            if server.poll() is not None:
                log.seek(0)
                raise SystemExit(f"server exited with {server.returncode}: {log.read().decode()[-2000:]}")
            try:
                get_json(port, "/health")
                break
            except OSError:
                if time.perf_counter() - t0 > 600:
                    raise SystemExit("server did not start in 600 s") from None
                time.sleep(0.2)
        start_s = round(time.perf_counter() - t0, 1)
        run_level(port, bodies[: args.warmup] or bodies[:1], 1, args.timeout)
        for c in args.concurrency:
            before = get_json(port, "/health")["batches"]
            cpu0 = cpu_seconds(server.pid)
            r = run_level(port, bodies, c, args.timeout)
            cpu1 = cpu_seconds(server.pid)
            after = get_json(port, "/health")["batches"]
            calls = after["calls"] - before["calls"]
            r["tag_batch_calls"] = calls
            r["texts_per_call"] = round((after["texts"] - before["texts"]) / max(calls, 1), 2)
            r["server_cpu"] = None if cpu0 is None or cpu1 is None else round((cpu1 - cpu0) / r["wall_s"], 2)
            levels.append(r)
            print(f"clients={c}: {r['requests_per_s']:.2f} req/s, median {r['latency_median_ms']:.1f} ms, "
                  f"p95 {r['latency_p95_ms']:.1f} ms, {calls} tag_batch calls", file=sys.stderr)
    finally:
        stop_process(server)

    sent = [texts[i % len(texts)] for i in range(args.requests)]
    res = {
        "model": args.model,
        "data": public_path(args.data),
        "n_texts": len(texts),
        "mean_chars": round(sum(map(len, sent)) / len(sent)),
        "max_batch": args.max_batch,
        "batch_wait_ms": args.batch_wait_ms,
        "threads": threads,
        "server_start_s": start_s,
        "levels": levels,
        "in_process": None if args.no_in_process else in_process(args.model, sent, threads),
        "load_at_end": load_average(),
    }
    md, js = write_results(args.out.parent, args.out.stem, report(res), res,
                           command=command_line("benchmarks.serve_speed", argv), machine=info,
                           footer_lines=[f"- load average at end: {format_load(res['load_at_end'])}"])
    print(f"wrote {md} and {js}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
