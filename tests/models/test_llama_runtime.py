"""The llama.cpp runtime with the bundled model: real inference, no mocks."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from appliance.errors import ModelError
from models.llama import LlamaRuntime
from models.runtime import ModelRuntime

SYSTEM = {"role": "system", "content": "You are a terse assistant for paramedics. " * 6}


@pytest.fixture(scope="module")
def runtime(bundled_path: Path) -> LlamaRuntime:
    rt = LlamaRuntime(bundled_path, name="smollm2-135m-instruct", sha256="x", n_ctx=1024,
                      threads=2)
    yield rt
    rt.close()


def test_it_implements_the_runtime_interface(runtime: LlamaRuntime) -> None:
    assert isinstance(runtime, ModelRuntime)
    assert runtime.count_tokens("chest pain") == len(runtime.tokenize("chest pain")) > 0


def test_streamed_pieces_add_up_to_the_text(runtime: LlamaRuntime) -> None:
    pieces: list[str] = []
    gen = runtime.complete([SYSTEM, {"role": "user", "content": "Say hello."}], max_tokens=12,
                           on_token=pieces.append)
    assert "".join(pieces) == gen.text and gen.completion_tokens == len(pieces) > 0
    assert gen.first_token_s is not None and gen.model.name == "smollm2-135m-instruct"


def test_a_json_schema_constrains_the_output(runtime: LlamaRuntime) -> None:
    schema = {"type": "object", "properties": {"pulse": {"type": ["integer", "null"]}},
              "required": ["pulse"]}
    gen = runtime.complete([{"role": "user", "content": "HR 112. Give the pulse as JSON."}],
                           max_tokens=30, json_schema=schema)
    assert set(json.loads(gen.text)) == {"pulse"}


def test_cancel_stops_generation_at_the_next_token(runtime: LlamaRuntime) -> None:
    cancel = threading.Event()
    seen: list[str] = []

    def on_token(piece: str) -> None:
        seen.append(piece)
        if len(seen) == 3:
            cancel.set()

    gen = runtime.complete([{"role": "user", "content": "Count from 1 to 100."}], max_tokens=200,
                           on_token=on_token, cancel=cancel)
    assert gen.finish_reason == "cancelled" and gen.completion_tokens == 3


def test_the_cached_system_prompt_gives_the_same_answer_as_a_cold_prompt(
        runtime: LlamaRuntime) -> None:
    messages = [SYSTEM, {"role": "user", "content": "What is a pulse?"}]
    cold = runtime.complete(messages, max_tokens=16, cache_system_prompt=False)
    other = runtime.complete([{"role": "system", "content": "Different."},
                              {"role": "user", "content": "Hi"}], max_tokens=4)
    assert other.text is not None
    first = runtime.complete(messages, max_tokens=16)
    runtime.complete([{"role": "system", "content": "Different."},
                      {"role": "user", "content": "Hi"}], max_tokens=4)
    warm = runtime.complete(messages, max_tokens=16)  # restored from the saved KV state
    assert first.cached_prefix_tokens > 20 and warm.cached_prefix_tokens == \
        first.cached_prefix_tokens
    assert cold.text == first.text == warm.text


def test_a_prompt_longer_than_the_context_is_refused_not_cut(runtime: LlamaRuntime) -> None:
    with pytest.raises(ModelError, match="nothing was cut"):
        runtime.complete([{"role": "user", "content": "word " * 2000}], max_tokens=10)


def test_a_corrupt_file_never_reaches_llama_cpp(tmp_path: Path, bundled_path: Path) -> None:
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(bundled_path.read_bytes()[:1_000_000])
    with pytest.raises(ModelError, match="truncated"):
        LlamaRuntime(bad, name="bad", sha256="x")


def test_the_power_policy_can_lower_threads_without_a_reload(runtime: LlamaRuntime) -> None:
    runtime.set_threads(1)
    try:
        gen = runtime.complete([{"role": "user", "content": "Hi"}], max_tokens=3)
        assert runtime.threads == 1 and gen.completion_tokens > 0
    finally:
        runtime.set_threads(2)


def test_a_paused_assistant_refuses_to_load_with_a_reason() -> None:
    from models import llama

    with pytest.raises(ModelError, match="paused to save battery"):
        llama.load(paused=True)
