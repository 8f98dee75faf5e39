"""Protocol documents: ``+++`` TOML front matter, Markdown body, and section chunks.

A document is split into sections at ``##`` and ``###`` headings; each section keeps its heading
path (title > section > subsection) so search results and citations say where they come from.
Text before the first ``##`` heading becomes the document's introduction section.

A pack checks all its documents in one pass (:func:`parse_documents`) so a publisher sees every
bad document at once. ``CATEGORIES`` apply unless the pack declares its own list.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from appliance.errors import PackError

CATEGORIES = ("assessment", "medical", "cardiac", "respiratory", "neurological", "trauma",
              "environmental", "obstetric", "paediatric", "mental-health", "safeguarding",
              "major-incident", "handover", "infection-control", "self-care", "reference")
AUDIENCES = ("paramedic", "hospital", "any")
REQUIRED = ("id", "title", "category", "audience", "version", "review_date", "sources",
            "keywords", "status")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
_CATEGORY = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
MAX_CATEGORIES = 200
_VARIABLE = re.compile(r"'[^']*'|\[[^\]]*\]|\d+")
REPORT_LINES = 200
"""Most invalid documents named one by one in an error; the rest are counted by reason."""
_HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*#*\s*$")
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Document:
    """One protocol document: validated front matter plus its Markdown body."""

    id: str
    title: str
    category: str
    audience: tuple[str, ...]
    version: str
    review_date: dt.date
    sources: tuple[str, ...]
    keywords: tuple[str, ...]
    status: str
    body: str

    def overdue(self, today: dt.date | None = None) -> bool:
        """True when the document is past its review date."""
        return self.review_date < (today or dt.date.today())


@dataclass(frozen=True)
class Section:
    """A searchable chunk: one ``##``/``###`` section of a document."""

    section_id: str
    doc_id: str
    ordinal: int
    heading_path: tuple[str, ...]
    text: str

    @property
    def heading(self) -> str:
        return self.heading_path[-1]


def check_categories(value: Any, where: str) -> tuple[str, ...]:
    """A pack's own category list: non-empty, distinct, lower-case slugs (used in the UI)."""
    if (not isinstance(value, list) or not value or len(value) > MAX_CATEGORIES
            or not all(isinstance(v, str) for v in value)):
        raise PackError(f"{where}: 'categories' must be a list of 1 to {MAX_CATEGORIES} "
                        "category names.", hint='For example: categories = ["leaflet", "drug"]')
    bad = [v for v in value if not _CATEGORY.match(v)]
    if bad:
        raise PackError(f"{where}: category {bad[0]!r} is not allowed: use lower-case letters, "
                        "digits and hyphens (at most 40, starting with a letter or digit).")
    dupes = sorted({v for v in value if value.count(v) > 1})
    if dupes:
        raise PackError(f"{where}: category {dupes[0]!r} is listed twice.")
    return tuple(value)


def parse_documents(items: Iterable[tuple[str, Callable[[], bytes]]], *,
                    categories: tuple[str, ...] = CATEGORIES) -> tuple[Document, ...]:
    """Parse every document of a pack, then refuse the pack naming every invalid one.

    ``items`` yields (relpath, read) pairs so a large pack is read one file at a time.
    """
    documents: list[Document] = []
    problems: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    total = 0
    for relpath, read in items:
        total += 1
        try:
            doc = parse_document(relpath, read(), categories)
        except PackError as exc:
            problems.append((_reason_kind(exc.message), exc.message))
            continue
        if doc.id in seen:
            problems.append(("duplicate id", f"{relpath}: id {doc.id!r} is also used by "
                                             f"{seen[doc.id]}."))
            continue
        seen[doc.id] = relpath
        documents.append(doc)
    if problems:
        raise PackError(_report(problems, total),
                        hint="Fix every document listed, then build or install again.")
    return tuple(documents)


def _reason_kind(message: str) -> str:
    """The part of a document error that is the same for every document with that fault."""
    tail = message.split(": ", 1)[-1].removeprefix("malformed front matter: ")
    return _VARIABLE.sub("…", tail)


def _report(problems: list[tuple[str, str]], total: int) -> str:
    n = len(problems)
    lines = [f"{n} of {total} document{'s' if total != 1 else ''} "
             f"{'is' if n == 1 else 'are'} invalid:"]
    lines += [f"  {message}" for _, message in problems[:REPORT_LINES]]
    if n > REPORT_LINES:
        kinds: dict[str, int] = {}
        for kind, _ in problems[REPORT_LINES:]:
            kinds[kind] = kinds.get(kind, 0) + 1
        lines.append(f"  … and {n - REPORT_LINES} more:")
        lines += [f"    {count} × {kind}" for kind, count in
                  sorted(kinds.items(), key=lambda kv: -kv[1])]
    return "\n".join(lines)


def parse_document(relpath: str, raw: bytes,
                   categories: tuple[str, ...] = CATEGORIES) -> Document:
    """Parse and validate one ``docs/<id>.md`` file; PackError names the file and the field."""
    meta, body = front_matter(relpath, raw)
    return _validate(relpath, meta, body, categories)


def front_matter(relpath: str, raw: bytes) -> tuple[dict[str, Any], str]:
    """A document's ``+++`` TOML front matter (not yet validated) and its Markdown body;
    PackError names the file when either cannot be read."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackError(f"{relpath}: not UTF-8 text ({exc}).") from exc
    lines = text.splitlines()
    if not lines or lines[0].strip() != "+++":
        raise PackError(f"{relpath}: malformed front matter: the file must start with '+++'.",
                        hint="Put the TOML front matter between two '+++' lines at the top.")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "+++")
    except StopIteration:
        raise PackError(f"{relpath}: malformed front matter: no closing '+++' line.") from None
    try:
        meta = tomllib.loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as exc:
        raise PackError(f"{relpath}: malformed front matter: {exc}.") from exc
    return meta, "\n".join(lines[end + 1:]).strip() + "\n"


def _validate(relpath: str, meta: dict[str, Any], body: str,
              categories: tuple[str, ...]) -> Document:
    missing = [k for k in REQUIRED if k not in meta]
    if missing:
        raise PackError(f"{relpath}: malformed front matter: missing field(s) "
                        f"{', '.join(missing)}.")
    stem = relpath.rsplit("/", 1)[-1].removesuffix(".md")
    doc_id = _string(relpath, meta, "id")
    if not _ID.match(doc_id):
        raise PackError(f"{relpath}: malformed front matter: id {doc_id!r} must be lower-case "
                        "letters, digits and hyphens.")
    if doc_id != stem:
        raise PackError(f"{relpath}: malformed front matter: id {doc_id!r} does not match the "
                        f"file name {stem!r}.")
    category = _string(relpath, meta, "category")
    if category not in categories:
        raise PackError(f"{relpath}: malformed front matter: unknown category {category!r} "
                        f"(allowed: {', '.join(categories)}).",
                        hint="Use one of the allowed categories, or declare the pack's own in "
                             "pack.toml: categories = [...]")
    audience = _strings(relpath, meta, "audience")
    if not audience or any(a not in AUDIENCES for a in audience):
        raise PackError(f"{relpath}: malformed front matter: audience must list some of "
                        f"{', '.join(AUDIENCES)} (got {list(audience)}).")
    return Document(id=doc_id, title=_string(relpath, meta, "title"), category=category,
                    audience=audience, version=_string(relpath, meta, "version"),
                    review_date=_date(relpath, meta["review_date"]),
                    sources=_strings(relpath, meta, "sources"),
                    keywords=_strings(relpath, meta, "keywords"),
                    status=_string(relpath, meta, "status"), body=body)


def _string(relpath: str, meta: dict[str, Any], key: str) -> str:
    value = meta[key]
    if not isinstance(value, str) or not value.strip():
        raise PackError(f"{relpath}: malformed front matter: '{key}' must be a non-empty string.")
    return value.strip()


def _strings(relpath: str, meta: dict[str, Any], key: str) -> tuple[str, ...]:
    value = meta[key]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PackError(f"{relpath}: malformed front matter: '{key}' must be a list of strings.")
    return tuple(v.strip() for v in value if v.strip())


def _date(relpath: str, value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise PackError(f"{relpath}: malformed front matter: review_date {value!r} is not a date "
                    "(YYYY-MM-DD).")


def split_sections(doc: Document) -> list[Section]:
    """Chunk ``doc`` at ``##``/``###`` headings, keeping each chunk's heading path."""
    sections: list[Section] = []
    path: list[str] = [doc.title]
    buf: list[str] = []
    in_fence = False

    def flush() -> None:
        text = "\n".join(buf).strip()
        buf.clear()
        if text or len(path) > 1:
            n = len(sections)
            slug = _SLUG.sub("-", path[-1].lower()).strip("-")[:40] or "intro"
            sections.append(Section(f"{doc.id}#{n}-{slug}", doc.id, n, tuple(path), text))

    for line in doc.body.splitlines():
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(line)
        if match is None:
            buf.append(line)
            continue
        level, heading = len(match.group(1)), match.group(2).strip()
        if level == 1:  # the document title repeated in the body
            continue
        flush()
        path = [doc.title, heading] if level == 2 else path[:2] + [heading]
    flush()
    return [s for s in sections if s.text or s.ordinal == 0] or [
        Section(f"{doc.id}#0-intro", doc.id, 0, (doc.title,), doc.title)]
