"""Clinical English a pack may not list: what a question's short forms and plain phrases mean.

A pack's synonym list holds the abbreviations and lay words its authors thought of; a clinician
trained elsewhere asks in others ("code blue", "NPA", "cc"). These are general
terms of emergency care, used only for a word or phrase the installed pack never writes itself
(:mod:`appliance.assistant.answer_terms`); nothing here knows a particular pack or document.
"""

from __future__ import annotations

PHRASES: dict[str, set[str]] = {
    # a patient's position in plain words ("hold him face down" is prone restraint)
    "face down": {"prone"}, "face up": {"supine"}, "on his back": {"supine"},
    "on her back": {"supine"}, "on their back": {"supine"},
    # the hospital call for a cardiac arrest (US, Middle East, South Asia, Philippines)
    "code blue": {"cardiac arrest"}, "crash call": {"cardiac arrest"},
}
"""Phrases of a question and the pack's words for them (each word of the phrase stands for
them)."""

EASED = frozenset("better settled settling settle eased easing resolved resolving "
                  "subsided".split())
"""Words telling that a symptom has eased ("pain much better now", "it has settled"): a
protocol warns about that in any of them ("settling does not exclude torsion")."""

ABBREVIATIONS: dict[str, str] = {
    "npa": "nasopharyngeal airway", "opa": "oropharyngeal airway",
    "bvm": "bag valve mask", "lma": "laryngeal mask airway", "igel": "supraglottic airway",
    "ett": "endotracheal tube", "nrb": "non-rebreather mask", "nrbm": "non-rebreather mask",
    "abg": "arterial blood gas", "vbg": "venous blood gas", "rosc": "return of spontaneous "
    "circulation", "cpr": "cardiopulmonary resuscitation", "aed": "defibrillator",
}
"""Short forms of equipment and tests, and the words a protocol writes them in."""

TYPED_SHORT: dict[str, str] = {
    # units and times as typed short ("2nd dose", "how many hrs"), and a unit by another name
    "hr": "hour", "hrs": "hours", "min": "minute", "mins": "minutes", "sec": "second",
    "secs": "seconds", "1st": "first", "2nd": "second", "wk": "week", "wks": "weeks",
    "mcg": "micrograms", "ug": "micrograms", "cc": "ml", "ccs": "ml", "mls": "ml",
}
"""Words written as a pack writes them, when it does not use the form typed itself."""
