"""Fixtures: the real bundled model (module-scoped), a sample-pack searcher, and
``ScriptedRuntime`` - a deterministic fake used ONLY for unit tests of pure logic (span checks,
citation checks, degraded modes); every end-to-end test uses the real model."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from models.runtime import Generation, Message, ModelStamp, OnToken


class ScriptedRuntime:
    """Returns pre-written text (or raises) instead of running a model. Unit tests only."""

    def __init__(self, *replies: str | Exception) -> None:
        self.replies = list(replies)
        self.prompts: list[Sequence[Message]] = []
        self.stamp = ModelStamp("scripted-test-runtime", "0" * 64)
        self.context_length = 2048

    def tokenize(self, text: str) -> list[int]:
        return list(range(len(text.split())))

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def complete(self, messages: Sequence[Message], *, max_tokens: int = 256,
                 json_schema: dict[str, Any] | None = None, grammar: str | None = None,
                 temperature: float = 0.0, on_token: OnToken | None = None,
                 cancel: threading.Event | None = None,
                 cache_system_prompt: bool = True) -> Generation:
        self.prompts.append(messages)
        reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        if isinstance(reply, Exception):
            raise reply
        if on_token:
            for word in reply.split(" "):
                on_token(word + " ")
        return Generation(reply, 10, len(reply.split()), 0.1, 0.01, "stop", self.stamp)

    def close(self) -> None:
        pass


@pytest.fixture(scope="session")
def real_runtime() -> Iterator[Any]:
    from models import catalog
    from models.llama import LlamaRuntime

    entry = catalog.default_generator()
    path = entry.bundled_path()
    assert path is not None
    rt = LlamaRuntime(path, name=entry.name, sha256=entry.sha256, n_ctx=2048, threads=2)
    yield rt
    rt.close()


@pytest.fixture(scope="session")
def sample_pack_dir(tmp_path_factory: pytest.TempPathFactory,
                    installed_sample_pack: Any) -> Path:
    """The bundled sample pack, built (lexical index) and installed once per session.

    Its answer-line vectors are copied from the session's DEMO install of the same pack
    (``installed_sample_pack``), which embedded these lines at install: embedding them again
    here cost ~20 s of a suite run. The vector files are keyed by each document's line text, so
    a document whose lines differed would simply be embedded again."""
    from appliance.paths import Layout
    from appliance.protocols.lines import LINE_VECTORS
    from tests.assistant.packs import build_sample, install_built

    work = tmp_path_factory.mktemp("pack")
    built, key = build_sample(work)
    directory = install_built(Layout(work / "home"), built, key)
    shutil.copytree(Path(installed_sample_pack.directory) / LINE_VECTORS,
                    directory / LINE_VECTORS)
    return directory


@pytest.fixture
def searcher(sample_pack_dir: Path) -> Iterator[Any]:
    from appliance.protocols.search import Searcher

    s = Searcher(sample_pack_dir, vectors_ready=False)
    yield s
    s.close()


@pytest.fixture(scope="session")
def concepts() -> list[str]:
    from appliance.assistant import concept_ids

    ids = concept_ids()
    assert ids, "the triage lexicon should provide concept ids"
    return ids
