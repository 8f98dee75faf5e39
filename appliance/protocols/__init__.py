"""Signed protocol packs: format, verification, install lifecycle, and offline hybrid search.

Public entry points (all headless; the TUI and the assistant call these):

- :class:`appliance.protocols.library.Library`: the active pack's documents and sections.
- :class:`appliance.protocols.search.Searcher`: FTS5 + vector search, fused by weighted
  reciprocal rank (:mod:`appliance.protocols.fusion`).
- :mod:`appliance.protocols.lifecycle`: verify, install, activate, rollback, remove, status,
  ``verify_active_quick`` (start-up check) and ``install_sample_pack`` (demo set-up).
- :mod:`appliance.protocols.build`: make and sign a pack from a folder of Markdown.

Heavy libraries (chromadb, numpy, tokenizers) are imported lazily inside functions.
"""
