"""Which words of a complaint a negation reaches, on the lexicon's tokens.

Negation cues ("no", "denies", "without", …) negate the terms that follow them in the same
clause; trailing cues ("chest pain: denied") negate what precedes. Commas and "and" end a
negation's reach: "no cough, SOB" and "no fever and a cough" report the second as present,
because missing a symptom (under-triage) harms more than over-reading one; a list closed by "or"
("no headache, chest pain or vision problems") is negated whole. Words a term itself holds
("not breathing") are claimed by the term and are not cues.
"""

from __future__ import annotations

import re

#: tokens that end a clause: a term never spans one, a negation never reaches past one
BREAKS = {".", ";", ":", "!", "?", "\n"}
#: words that end a negation's reach (a new clause), besides punctuation
_SCOPE_ENDERS = {",", "but", "however", "although", "though", "except", "apart", "now",
                 "aside", "yet", "whereas", "still", "which", "who", "and"}
_PRE_NEGATIONS: tuple[tuple[str, ...], ...] = tuple(tuple(p.split()) for p in (
    "no", "not", "nil", "denies", "denied", "deny", "denying", "without", "never",
    "negative for", "free of", "absence of", "no sign of", "no signs of", "no evidence of",
    "doesnt have", "does not have", "didnt have", "did not have", "hasnt had", "has not had",
    "isnt", "wasnt", "no history of", "ruled out", "family history of", "fh of", "fh",
    "nor", "neither", "didnt", "hasnt", "hadnt", "havent", "doesnt", "dont", "wont", "cannot",
    "nothing", "nobody", "no one", "noone", "none of", "none",
))
_POST_NEGATIONS = {"denied", "absent", "nil", "none", "negative", "excluded", "neg"}
#: said straight after what they describe, these say it is well ("testicles fine", "bowels
#: normal"); a word later they may describe something else ("headache and feels fine")
_POST_WELL = {"fine", "normal", "ok", "okay", "nad"}
#: negation words that do not negate: "no improvement", "not sure", "no longer"; "it didn't
#: stop bleeding", "won't settle": the failure is the finding
_PSEUDO = {("no", "improvement"), ("no", "better"), ("no", "relief"), ("not", "sure"),
           ("no", "change"), ("not", "only"), ("no", "longer"), ("not", "improving"),
           ("not", "settling"), ("no", "response"), ("didnt", "stop"), ("doesnt", "stop"),
           ("wont", "stop"), ("hasnt", "stopped"), ("cannot", "stop"), ("didnt", "settle"),
           ("wont", "settle"), ("hasnt", "settled"), ("didnt", "help"), ("hasnt", "helped"),
           ("didnt", "work"), ("dont", "know"), ("didnt", "improve"), ("hasnt", "improved"),
           ("nothing", "helps"), ("nothing", "helped"), ("nothing", "works"), ("nothing", "worked"),
           ("nothing", "eases"), ("nothing", "stops"), ("nothing", "settles"),
           ("nothing", "but"), ("nothing", "except")}
_NEGATION_REACH = 8  # tokens
#: single words that negate, and contractions that read as negations: never skipped inside a
#: term (its negation would then go unread)
NEGATING_WORDS = frozenset({c[0] for c in _PRE_NEGATIONS if len(c) == 1}
                           | {"arent", "werent", "cant"})


def _is_negation_at(tokens: list[str], i: int) -> int:
    """Length of the negation cue starting at ``i`` (0 when there is none)."""
    for cue in _PRE_NEGATIONS:
        n = len(cue)
        if tuple(tokens[i:i + n]) == cue:
            if n == 1 and i + 1 < len(tokens) and (tokens[i], tokens[i + 1]) in _PSEUDO:
                return 0
            return n
    return 0


def negated_positions(tokens: list[str], claimed: list[bool]) -> set[int]:
    """Token positions a preceding cue negates (``claimed``: tokens a matched term holds)."""
    negated: set[int] = set()
    i = 0
    while i < len(tokens):
        n = 0 if claimed[i] else _is_negation_at(tokens, i)
        if n == 0:
            i += 1
            continue
        j = i + n
        reach = i + n + _NEGATION_REACH
        listed = 0  # the end of a negated list this cue reaches to, once one is found
        while j < len(tokens) and j < reach:
            ends = (_list_end(tokens, j, tokens[i] in _LISTING_CUES)
                    if tokens[j] == "," and j >= listed else 0)
            if ends:
                reach = listed = max(reach, ends)
            elif tokens[j] == "," and j < listed:
                pass  # an inner comma of that list
            elif tokens[j] in BREAKS or tokens[j] in _SCOPE_ENDERS:
                break
            elif not claimed[j] and _is_negation_at(tokens, j):
                break  # a second cue starts its own reach ("no rash and no trouble breathing")
            negated.add(j)
            j += 1
        i = j
    return negated


_LISTING_CUES = frozenset({"denies", "denied", "deny", "denying", "nil", "negative"})
_LIST_ITEM_WORDS = 4  # longer, and the words are a new clause rather than an item
_NOT_A_LIST = frozenset({"so", "more", "less", "longer", "two", "three", "worse", "not"})


def _list_end(tokens: list[str], comma: int, listing: bool = False) -> int:
    """Where a negated list that carries on past this comma ends (0 when it does not): "no
    headache, chest pain or problems with his vision" negates all three, as it reads; "no
    cough, SOB" does not (a list has its "or", or three items or more to its sentence's end),
    because missing a symptom harms more than over-reading one."""
    k = comma + 1
    commas, item = 1, 0
    while k < len(tokens) and tokens[k] not in BREAKS:
        word = tokens[k]
        following = tokens[k + 1] if k + 1 < len(tokens) else ""
        if word in ("or", "nor") and following not in _NOT_A_LIST and not following.isdigit():
            end = k + 1
            while end < len(tokens) and tokens[end] not in BREAKS and tokens[end] != ",":
                end += 1
            return _later_or(tokens, end)
        if (word in _SCOPE_ENDERS and word != ",") or _is_negation_at(tokens, k):
            return 0
        if word == ",":
            commas, item = commas + 1, 0
        else:
            item += 1
            if item > _LIST_ITEM_WORDS:
                return 0
        k += 1
    # a note's list after "denies" or "nil" of three or more short items, run to the end of its
    # sentence ("Denies saddle anaesthesia, bladder/bowel change, leg weakness, fever.") is
    # negated whole; after "no" it is not ("no blood, drinking fluids, passing urine")
    return k if listing and commas >= 2 and item else 0


def _later_or(tokens: list[str], end: int) -> int:
    """The end of a negated list that has a second "or" item further on ("no leg weakness,
    numbness, bladder or bowel changes, fever or weight loss"): short items to a later item
    with its own "or" belong to the list; with none, the list ended at ``end``."""
    best, at = end, end
    while at < len(tokens) and tokens[at] == ",":
        nxt, words, has_or = at + 1, 0, False
        while nxt < len(tokens) and tokens[nxt] not in BREAKS and tokens[nxt] != ",":
            if (tokens[nxt] in _SCOPE_ENDERS and tokens[nxt] != ",") or \
                    _is_negation_at(tokens, nxt):
                return best
            has_or = has_or or tokens[nxt] in ("or", "nor")
            words += 1
            nxt += 1
        if not words or words > _LIST_ITEM_WORDS + 2:
            return best
        if has_or:
            best = nxt
        at = nxt
    return best


def post_negated(tokens: list[str], last: int, well_negates: bool = True) -> bool:
    """Whether a trailing cue ("chest pain: denied") negates the term ending at ``last``;
    ``well_negates``: whether "fine" or "normal" straight after does (not for a context, which
    "playing fine" only confirms)."""
    j = last + 1
    if well_negates and j < len(tokens) and tokens[j] in _POST_WELL:
        return True
    while j < len(tokens) and j <= last + 3:
        tok = tokens[j]
        if tok in _POST_NEGATIONS:
            return True
        if tok in BREAKS - {":"} or tok == ",":
            return False
        j += 1
    return False


_CLAUSE_CUE = re.compile(r"\b(?:no|not|nil|denies|denied|without|never)\b", re.IGNORECASE)


def negated_before(text: str, start: int) -> bool:
    """A negation cue earlier in the clause in which ``start`` stands ("no tightness in the
    chest", "denies black stools"), for the readers that take a concept from a note's wording.
    Only that clause is searched: punctuation ends a negation's reach."""
    clause = max(text.rfind(c, 0, start) for c in ".;,\n") + 1
    return _CLAUSE_CUE.search(text, clause, start) is not None
