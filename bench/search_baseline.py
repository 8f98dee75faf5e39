"""Today's search, for benchmarks to measure beside the current code in the same run.

:func:`baseline_searcher` imports the search modules of a git ref (default ``main``) from a copy
read with ``git show`` (the embedder, bm25 from arrays, section lines, query planning, fusion,
lexical, vector and search; those the ref lacks are this code's), under other module names, so
old and new ``Searcher`` classes live in one process and search the same index. The baseline
loads its own copy of the embedding model.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def baseline_searcher(pack_dir: Path) -> Any | None:
    """The Searcher of git ``main`` (its search modules imported from a copy), or None."""
    import importlib.util
    import subprocess
    import sys

    ref = os.environ.get("LIFEBOAT_BENCH_BASELINE_REF", "main")
    paths = ["models/embedder.py", *(f"appliance/protocols/{n}.py" for n in (
        "bm25", "lines", "query_plan", "fusion", "lexical", "vector", "search"))]
    sources: dict[str, str] = {}
    for path in paths:
        try:
            sources[path] = subprocess.run(["git", "-C", str(REPO), "show", f"{ref}:{path}"],
                                           check=True, capture_output=True, text=True).stdout
        except (OSError, subprocess.CalledProcessError):
            if path.endswith("/search.py"):
                return None  # a ref without the split modules imports ours for the rest
    module = None
    for path, text in sources.items():
        for other in sources:
            text = text.replace(f"from {_dotted(other)} import",
                                f"from bench_baseline_{Path(other).stem} import")
        spec = importlib.util.spec_from_loader(f"bench_baseline_{Path(path).stem}", loader=None)
        assert spec is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        exec(compile(text, f"{ref}:{path}", "exec"), module.__dict__)
    assert module is not None
    return module.Searcher(pack_dir)


def _dotted(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".")
