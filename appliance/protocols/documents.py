"""Protocol documents: ``+++`` TOML front matter, Markdown body, and section chunks.

A document is split into sections at ``##`` and ``###`` headings; each section keeps its heading
path (title > section > subsection) so search results and citations say where they come from.
Text before the first ``##`` heading becomes the document's introduction section.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
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


def parse_document(relpath: str, raw: bytes) -> Document:
    """Parse and validate one ``docs/<id>.md`` file; PackError names the file and the field."""
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
    return _validate(relpath, meta, "\n".join(lines[end + 1:]).strip() + "\n")


def _validate(relpath: str, meta: dict[str, Any], body: str) -> Document:
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
    if category not in CATEGORIES:
        raise PackError(f"{relpath}: malformed front matter: unknown category {category!r}.",
                        hint=f"Use one of: {', '.join(CATEGORIES)}.")
    audience = _strings(relpath, meta, "audience")
    if not audience or any(a not in AUDIENCES for a in audience):
        raise PackError(f"{relpath}: malformed front matter: audience must list some of "
                        f"{', '.join(AUDIENCES)}.")
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
