"""Building the search indexes of an installed pack.

``search.db`` (plain SQLite: protocol content is not patient data) holds documents, section
chunks, two FTS5 tables (porter stemming, bm25), the word vocabulary with document frequencies
and a symmetric-delete spelling table. ``docs_fts`` has one row per document and ranks documents;
``sections_fts`` has one row per section, picks the section to show and serves section-level
search (see :mod:`appliance.protocols.search` for why both). A document's sections get
contiguous rowids in build order, and ``doc_sections`` maps a ``docs_fts`` rowid to the document
and its first and last section rowid. ``vectors/`` is a chromadb ``PersistentClient`` holding one
embedding per section, which we compute ourselves (chromadb's own embedding function would try
to download a model, so it is never used).

Embeddings are computed when the pack is built (``index/embeddings.npy`` + ``index/chunks.json``,
signed with everything else) so installing needs no model time; a pack without them, or built
from different chunks or a different model, is embedded at install time instead, or later by
``build_vectors`` (resumable) when the caller defers it.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from appliance.errors import PackError
from appliance.protocols import bm25
from appliance.protocols.bm25 import Columns
from appliance.protocols.documents import Document, Section, split_sections
from appliance.protocols.expansion import spell_keys, words

if TYPE_CHECKING:
    import numpy as np

SEARCH_DB = "search.db"
VECTORS = "vectors"
EMBEDDINGS = "index/embeddings.npy"
CHUNKS = "index/chunks.json"
COLLECTION = "sections"
# Vectors per chromadb add (and its HNSW insertion batch); graph writes to disk.
ADD_BATCH = 5000
SYNC_THRESHOLD = 50_000
# 2: docs_fts and doc_sections. Installs build search.db afresh; a pack installed with schema 1
# keeps working (the searcher ranks its sections instead).
SCHEMA_VERSION = "2"
Progress = Callable[[str, int, int], None]

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE docs(id TEXT PRIMARY KEY, title TEXT, category TEXT, audience TEXT, version TEXT,
                  review_date TEXT, sources TEXT, keywords TEXT, status TEXT, body TEXT);
CREATE TABLE sections(rowid INTEGER PRIMARY KEY, section_id TEXT UNIQUE, doc_id TEXT,
                      ordinal INTEGER, heading_path TEXT, text TEXT);
CREATE INDEX sections_doc ON sections(doc_id, ordinal);
CREATE VIRTUAL TABLE sections_fts USING fts5(title, headings, keywords, text,
    tokenize = 'porter unicode61 remove_diacritics 2');
CREATE TABLE doc_sections(rowid INTEGER PRIMARY KEY, doc_id TEXT NOT NULL UNIQUE,
                          first INTEGER NOT NULL, last INTEGER NOT NULL);
CREATE VIRTUAL TABLE docs_fts USING fts5(title, headings, keywords, text,
    tokenize = 'porter unicode61 remove_diacritics 2');
CREATE TABLE vocab(word TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE spell(key TEXT NOT NULL, word TEXT NOT NULL);
CREATE TABLE synonyms(phrase TEXT NOT NULL, expansion TEXT NOT NULL);
"""


def embed_text(doc: Document, section: Section) -> str:
    """What the embedder sees for a section: where it is, then what it says."""
    where = " > ".join(section.heading_path)
    extra = (" Keywords: " + ", ".join(doc.keywords) + ".") if section.ordinal == 0 else ""
    return f"{where}.{extra} {section.text}"


def chunk_pack(documents: Sequence[Document]) -> list[tuple[Document, Section]]:
    return [(doc, s) for doc in documents for s in split_sections(doc)]


def build_search_db(path: Path, documents: Sequence[Document],
                    synonyms: dict[str, set[str]], meta: dict[str, str]) -> int:
    """Write ``search.db`` at ``path`` (must not exist); returns the number of sections."""
    conn = sqlite3.connect(path)
    try:
        conn.executescript(_SCHEMA)
        df: Counter[str] = Counter()
        n = 0
        rows: dict[str, list[tuple[int, Columns]]] = {"sections_fts": [], "docs_fts": []}
        spans: list[tuple[int, int, int, str]] = []
        with conn:
            conn.executemany("INSERT INTO meta VALUES (?, ?)",
                             sorted({**meta, "schema": SCHEMA_VERSION}.items()))
            for ordinal, doc in enumerate(documents, 1):
                conn.execute("INSERT INTO docs VALUES (?,?,?,?,?,?,?,?,?,?)", (
                    doc.id, doc.title, doc.category, json.dumps(doc.audience), doc.version,
                    doc.review_date.isoformat(), json.dumps(doc.sources),
                    json.dumps(doc.keywords), doc.status, doc.body))
                doc_words: set[str] = set(words(doc.title + " " + " ".join(doc.keywords)))
                sections = split_sections(doc)
                for s in sections:
                    n += 1
                    conn.execute("INSERT INTO sections VALUES (?,?,?,?,?,?)", (
                        n, s.section_id, doc.id, s.ordinal, json.dumps(s.heading_path), s.text))
                    rows["sections_fts"].append((n, (doc.title, " ".join(s.heading_path[1:]),
                                                     " ".join(doc.keywords), s.text)))
                    doc_words.update(words(" ".join(s.heading_path) + " " + s.text))
                df.update(doc_words)
                # The sections' columns, so a document matches wherever one of its sections does.
                first = n - len(sections) + 1
                conn.execute("INSERT INTO doc_sections VALUES (?,?,?,?)",
                             (ordinal, doc.id, first, n))
                headings = " ".join(s.heading_path[-1] for s in sections
                                    if len(s.heading_path) > 1)
                spans.append((ordinal, first, n, headings))
                rows["docs_fts"].append((ordinal, (doc.title, headings, " ".join(doc.keywords),
                                                   "\n\n".join(s.text for s in sections))))
            for table, table_rows in rows.items():
                conn.executemany(f"INSERT INTO {table}(rowid, title, headings, keywords, text) "
                                 "VALUES (?,?,?,?,?)", ((r, *c) for r, c in table_rows))
            for phrase, expansions in synonyms.items():
                df.update(w for w in words(phrase) if w not in df)
                conn.executemany("INSERT INTO synonyms VALUES (?, ?)",
                                 [(phrase, e) for e in sorted(expansions)])
            conn.executemany("INSERT INTO vocab VALUES (?, ?)", sorted(df.items()))
            conn.executemany("INSERT INTO spell VALUES (?, ?)", spell_keys(sorted(df)))
            conn.execute("CREATE INDEX spell_key ON spell(key)")
            for table in ("sections_fts", "docs_fts"):
                conn.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
        phrases = {p for phrase, exp in synonyms.items() for p in (phrase, *exp) if " " in p}
        bm25.build(path.parent / bm25.BM25_DIR, conn, rows["sections_fts"], spans, phrases)
        return n
    except sqlite3.Error as exc:
        raise PackError(f"Could not build the search index: {exc}.") from exc
    finally:
        conn.close()


def shipped_embeddings(root: Path, chunks: list[tuple[Document, Section]]) -> Any | None:
    """The pack's precomputed embeddings if they match these chunks and our model, else None."""
    from models.embedder import MODEL_SHA256

    if not (root / EMBEDDINGS).is_file() or not (root / CHUNKS).is_file():
        return None
    import numpy as np

    try:
        info = json.loads((root / CHUNKS).read_text(encoding="utf-8"))
        matrix = np.load(root / EMBEDDINGS, allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise PackError(f"The pack's precomputed embeddings cannot be read: {exc}.") from exc
    expected = chunk_fingerprints(chunks)
    if (info.get("model_sha256") != MODEL_SHA256 or info.get("sections") != expected
            or matrix.shape != (len(chunks), 384)):
        return None
    return matrix.astype(np.float32)


def chunk_fingerprints(chunks: list[tuple[Document, Section]]) -> list[list[str]]:
    import hashlib

    return [[s.section_id, hashlib.sha256(embed_text(d, s).encode()).hexdigest()[:16]]
            for d, s in chunks]


def compute_embeddings(chunks: list[tuple[Document, Section]],
                       progress: Progress | None = None, *, cache_dir: Path | None = None,
                       workers: int | None = None) -> np.ndarray:
    """Embed every chunk with the bundled model (raises ModelError if it is missing).

    With ``cache_dir``, finished batches are kept there and reused by a rerun.
    """
    from appliance.protocols.batch_embedding import BatchCache, embed_texts

    return embed_texts([embed_text(d, s) for d, s in chunks], progress=progress,
                       cache=BatchCache(cache_dir) if cache_dir is not None else None,
                       workers=workers)


def chroma_client(directory: Path) -> Any:
    """An embedded chromadb client for ``directory`` with telemetry off (imported lazily)."""
    import chromadb
    from chromadb.config import Settings

    return chromadb.PersistentClient(path=str(directory),
                                     settings=Settings(anonymized_telemetry=False))


def write_vectors(directory: Path, ids: list[str], matrix: Any,
                  progress: Progress | None = None) -> None:
    """Add (or resume adding) vectors to the pack's chroma collection."""
    client = chroma_client(directory)
    col = _collection(client)
    done = _present(col)
    todo = [i for i, sid in enumerate(ids) if sid not in done]
    step = min(ADD_BATCH, client.get_max_batch_size())
    for start in range(0, len(todo), step):
        rows = todo[start:start + step]
        col.add(ids=[ids[i] for i in rows], embeddings=matrix[rows])
        if progress:
            progress("vector index", len(done) + start + len(rows), len(ids))


def embed_vectors(directory: Path, chunks: list[tuple[Document, Section]],
                  progress: Progress | None = None, step: int = 512) -> None:
    """Embed on this device the sections not yet in the vector index, adding each slice as it
    is done, so an interrupted run (Ctrl-C, power loss) resumes where it stopped."""
    from appliance.protocols.batch_embedding import embed_texts

    client = chroma_client(directory)
    col = _collection(client)
    ids = [s.section_id for _, s in chunks]
    done = _present(col)
    todo = [i for i, sid in enumerate(ids) if sid not in done]
    if progress:
        progress("embedding", len(done), len(ids))
    step = min(step, client.get_max_batch_size())
    for start in range(0, len(todo), step):
        rows = todo[start:start + step]
        vectors = embed_texts([embed_text(*chunks[i]) for i in rows], workers=1)
        col.add(ids=[ids[i] for i in rows], embeddings=vectors)
        if progress:
            progress("embedding", len(done) + start + len(rows), len(ids))


def _collection(client: Any) -> Any:
    # The HNSW graph is written to disk once per SYNC_THRESHOLD additions: chromadb's default
    # rewrites the whole growing graph many times over a large pack. The additions themselves
    # are logged in chromadb's SQLite as they come, so an interrupted fill resumes.
    return client.get_or_create_collection(
        COLLECTION, embedding_function=None,
        metadata={"hnsw:space": "cosine", "hnsw:sync_threshold": SYNC_THRESHOLD,
                  "hnsw:batch_size": ADD_BATCH})


def _present(col: Any) -> set[str]:
    return set(col.get(include=[])["ids"]) if col.count() else set()
