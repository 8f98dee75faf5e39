"""Other names of a medicine: the generic name of a UK brand ("nurofen" → ibuprofen) and the
class a generic name belongs to ("apixaban" → anticoagulant), so that a question naming a
medicine the way a patient or a label does meets a protocol that names it another way.

General pharmacology, not any pack's wording: :mod:`appliance.assistant.answer_terms` uses these
only for a word the installed pack never uses itself.
"""

from __future__ import annotations

import re

BRANDS: dict[str, str] = {
    "nurofen": "ibuprofen", "brufen": "ibuprofen", "calpol": "paracetamol",
    "panadol": "paracetamol", "disprin": "aspirin", "ventolin": "salbutamol",
    "atrovent": "ipratropium", "epipen": "adrenaline", "jext": "adrenaline",
    "emerade": "adrenaline", "buccolam": "midazolam", "epistatus": "midazolam",
    "stesolid": "diazepam", "diazemuls": "diazepam", "valium": "diazepam",
    "ativan": "lorazepam", "narcan": "naloxone", "prenoxad": "naloxone", "nyxoid": "naloxone",
    "glucagen": "glucagon", "glucogel": "glucose gel", "hypostop": "glucose gel",
    "piriton": "chlorphenamine", "zirtek": "cetirizine", "clarityn": "loratadine",
    "eliquis": "apixaban", "xarelto": "rivaroxaban", "pradaxa": "dabigatran",
    "lixiana": "edoxaban", "coumadin": "warfarin", "clexane": "enoxaparin",
    "fragmin": "dalteparin", "plavix": "clopidogrel", "brilique": "ticagrelor",
    "keppra": "levetiracetam", "epilim": "sodium valproate", "tegretol": "carbamazepine",
    "lamictal": "lamotrigine", "augmentin": "co-amoxiclav", "entonox": "nitrous oxide",
    "penthrox": "methoxyflurane", "cyklokapron": "tranexamic acid", "zofran": "ondansetron",
    "maxolon": "metoclopramide", "lasix": "furosemide", "oramorph": "morphine",
    "zomorph": "morphine", "oxycontin": "oxycodone", "tramal": "tramadol",
    "solpadeine": "co-codamol", "voltarol": "diclofenac", "naprosyn": "naproxen",
    "lipitor": "atorvastatin", "zocor": "simvastatin", "glucophage": "metformin",
    "diamicron": "gliclazide", "prozac": "fluoxetine", "lustral": "sertraline",
    "cipramil": "citalopram", "priadel": "lithium", "camcolit": "lithium",
    "viagra": "sildenafil", "cialis": "tadalafil", "seretide": "fluticasone",
    "symbicort": "budesonide", "flixotide": "fluticasone", "pulmicort": "budesonide",
    "becotide": "beclometasone", "clenil": "beclometasone",
}
"""UK brand names and the generic name each stands for."""

ELSEWHERE: dict[str, str] = {
    # names used outside the UK for the same medicine: US adopted names and the older British
    # names the UK changed to the international ones (MHRA, "Medicines with changed names";
    # BNF) — the pack may write either
    "epinephrine": "adrenaline", "norepinephrine": "noradrenaline", "albuterol": "salbutamol",
    "acetaminophen": "paracetamol", "dextrose": "glucose", "lignocaine": "lidocaine",
    "frusemide": "furosemide", "nitroglycerin": "glyceryl trinitrate",
    "meperidine": "pethidine", "glyburide": "glibenclamide", "cephalexin": "cefalexin",
    # brands common where many UK staff trained
    "tylenol": "paracetamol", "advil": "ibuprofen", "motrin": "ibuprofen",
    "benadryl": "diphenhydramine", "solumedrol": "methylprednisolone",
    # glucose solutions by strength ("D50", "D10": dextrose 50%, 10%)
    "d50": "glucose", "d25": "glucose", "d10": "glucose", "d5": "glucose",
    # normal saline, "NS" (sodium chloride 0.9%), a crystalloid
    "ns": "sodium chloride", "nss": "sodium chloride",
    # ward shorthand for a medicine or a class
    "abx": "antibiotic", "benpen": "benzylpenicillin", "fluclox": "flucloxacillin",
    "mgso4": "magnesium sulphate",
}
"""Other names of a medicine, and the name the UK uses for it."""

_CLASS_BY_ENDING: tuple[tuple[str, str], ...] = (
    (r"xaban|gatran", "anticoagulant"), (r"parin", "anticoagulant"),
    (r"olol", "beta-blocker"), (r"pril", "ace inhibitor"), (r"sartan", "angiotensin"),
    (r"zepam|zolam|azepam", "benzodiazepine"), (r"statin", "statin"),
    (r"profen|fenac|proxen", "nsaid"), (r"triptyline|pramine", "tricyclic"),
    (r"gliclazide|glipizide|glibenclamide|glimepiride", "sulphonylurea"),
    (r"dipine", "calcium channel blocker"), (r"prazole", "proton pump inhibitor"),
    (r"oxetine|citalopram|sertraline", "ssri"), (r"cillin", "penicillin"),
    (r"afil", "phosphodiesterase-5 inhibitor"),
)
_CLASS_NAMED = {
    "warfarin": "anticoagulant", "heparin": "anticoagulant", "aspirin": "antiplatelet",
    "clopidogrel": "antiplatelet", "ticagrelor": "antiplatelet", "prasugrel": "antiplatelet",
    "morphine": "opioid", "codeine": "opioid", "oxycodone": "opioid", "fentanyl": "opioid",
    "tramadol": "opioid", "methadone": "opioid", "heroin": "opioid", "buprenorphine": "opioid",
    "dihydrocodeine": "opioid", "insulin": "insulin", "metformin": "diabetes",
    "prednisolone": "steroid", "dexamethasone": "steroid", "hydrocortisone": "steroid",
    "ibuprofen": "nsaid", "naproxen": "nsaid", "diclofenac": "nsaid",
    "verapamil": "calcium channel blocker", "diltiazem": "calcium channel blocker",
    "chlorphenamine": "antihistamine", "cetirizine": "antihistamine",
    "loratadine": "antihistamine", "amitriptyline": "tricyclic",
    "sodium chloride": "crystalloid",
}


CLASSES = frozenset({c for _, c in _CLASS_BY_ENDING} | set(_CLASS_NAMED.values()))
"""The class names :func:`other_names` gives: a class names no medicine's dose."""


def other_names(word: str) -> list[str]:
    """The generic name a brand stands for and the class of the medicine (lower case; [] for a
    word that names no medicine known here)."""
    word = word.lower()
    generic = BRANDS.get(word) or ELSEWHERE.get(word, word)
    out = [generic] if generic != word else []
    cls = _CLASS_NAMED.get(generic)
    if cls is None:
        cls = next((c for ending, c in _CLASS_BY_ENDING
                    if re.fullmatch(rf"[a-z]{{3,}}(?:{ending})|{ending}", generic)), None)
    if cls is not None and cls != generic:
        out.append(cls)
    return out
