"""The words the history reader accepts as a medicine or an allergen.

A name is accepted from this list or from a generic-name ending ("-pril", "-olol", "-xaban"…);
"on" or "takes" followed by anything else ("on the floor", "on 2L", "takes a while") is not a
medication. Only an allergy cue ("allergic to X") accepts a first item outside the list.
"""

from __future__ import annotations

import re

_NAMED = (
    # anticoagulants and antiplatelets: the bleeding-risk modifier reads these
    "warfarin", "apixaban", "rivaroxaban", "edoxaban", "dabigatran", "heparin", "enoxaparin",
    "dalteparin", "tinzaparin", "clopidogrel", "ticagrelor", "prasugrel", "aspirin",
    "dipyridamole", "eliquis", "xarelto", "pradaxa", "coumadin", "clexane",
    # cardiovascular
    "bisoprolol", "atenolol", "metoprolol", "propranolol", "carvedilol", "sotalol", "ramipril",
    "lisinopril", "enalapril", "perindopril", "losartan", "candesartan", "valsartan",
    "irbesartan", "amlodipine", "nifedipine", "diltiazem", "verapamil", "digoxin", "amiodarone",
    "furosemide", "frusemide", "bumetanide", "bendroflumethiazide", "indapamide",
    "spironolactone", "doxazosin", "isosorbide mononitrate", "GTN", "nitroglycerin",
    "atorvastatin", "simvastatin", "rosuvastatin", "pravastatin", "hydralazine", "ivabradine",
    "sacubitril",
    # diabetes and endocrine
    "insulin", "metformin", "gliclazide", "glipizide", "sitagliptin", "linagliptin",
    "empagliflozin", "dapagliflozin", "canagliflozin", "semaglutide", "liraglutide",
    "dulaglutide", "pioglitazone", "levothyroxine", "thyroxine", "carbimazole",
    "hydrocortisone", "fludrocortisone", "prednisolone", "prednisone", "dexamethasone",
    "methylprednisolone",
    # respiratory
    "salbutamol", "albuterol", "ventolin", "terbutaline", "ipratropium", "tiotropium",
    "budesonide", "beclometasone", "fluticasone", "seretide", "symbicort", "montelukast",
    "theophylline", "home oxygen",
    # neurology and mental health
    "levetiracetam", "keppra", "sodium valproate", "valproate", "carbamazepine", "lamotrigine",
    "phenytoin", "gabapentin", "pregabalin", "topiramate", "clonazepam", "diazepam",
    "lorazepam", "midazolam", "temazepam", "zopiclone", "sertraline", "citalopram",
    "escitalopram", "fluoxetine", "paroxetine", "venlafaxine", "duloxetine", "mirtazapine",
    "amitriptyline", "nortriptyline", "lithium", "olanzapine", "quetiapine", "risperidone",
    "aripiprazole", "haloperidol", "clozapine", "methylphenidate", "donepezil", "memantine",
    "levodopa", "co-careldopa", "madopar", "sinemet", "sumatriptan",
    # pain
    "paracetamol", "acetaminophen", "ibuprofen", "naproxen", "diclofenac", "codeine",
    "co-codamol", "dihydrocodeine", "tramadol", "morphine", "oxycodone", "fentanyl",
    "buprenorphine", "methadone", "oramorph", "NSAIDs", "NSAID", "opiates", "opioids",
    # gut
    "omeprazole", "lansoprazole", "pantoprazole", "esomeprazole", "ranitidine", "famotidine",
    "metoclopramide", "ondansetron", "domperidone", "cyclizine", "loperamide", "lactulose",
    "senna", "laxido", "movicol", "mesalazine", "azathioprine",
    # infection and immunity
    "penicillin", "penicillins", "amoxicillin", "amoxycillin", "co-amoxiclav", "augmentin",
    "flucloxacillin", "phenoxymethylpenicillin", "benzylpenicillin", "cephalosporins",
    "cefalexin", "ceftriaxone", "cefuroxime", "erythromycin", "clarithromycin",
    "azithromycin", "doxycycline", "tetracycline", "trimethoprim", "nitrofurantoin",
    "ciprofloxacin", "levofloxacin", "metronidazole", "clindamycin", "vancomycin",
    "gentamicin", "co-trimoxazole", "septrin", "sulfa", "sulpha", "sulfonamides",
    "sulphonamides", "aciclovir", "fluconazole", "PCN", "methotrexate", "ciclosporin",
    "tacrolimus", "mycophenolate", "hydroxychloroquine", "rituximab", "adalimumab",
    "infliximab", "etanercept", "tamoxifen", "letrozole", "anastrozole",
    # other
    "allopurinol", "colchicine", "alendronic acid", "alendronate", "folic acid",
    "ferrous sulphate", "iron tablets", "vitamin D", "adcal", "tamsulosin", "finasteride",
    "oxybutynin", "sildenafil", "epipen", "adrenaline", "epinephrine", "naloxone",
    "contraceptive pill", "the pill", "HRT", "iodine", "contrast", "latex", "morphine sulfate",
)
#: classes and lay names: a medicine, but not which one
MEDICINE_CLASSES = (
    "blood thinners", "blood thinner", "anticoagulants", "anticoagulant", "anticoagulation",
    "antiplatelets", "steroids", "steroid", "inhalers", "inhaler", "water tablets",
    "water pills", "antibiotics", "antidepressants", "antihistamines", "painkillers",
    "chemotherapy", "chemo", "immunosuppressants", "immunosuppressant", "beta blockers",
    "ACE inhibitors", "statins", "insulin pump", "sleeping tablets", "heart tablets",
    "blood pressure tablets", "blood pressure pills", "diabetes tablets",
)
MEDICINES: tuple[str, ...] = _NAMED + MEDICINE_CLASSES
ALLERGENS = (
    "peanuts", "peanut", "nuts", "nut", "tree nuts", "shellfish", "prawns", "fish", "eggs",
    "egg", "milk", "dairy", "cows milk", "wheat", "gluten", "soy", "soya", "sesame",
    "strawberries", "kiwi", "bee stings", "bee sting", "bees", "wasp stings", "wasp sting",
    "wasps", "stings", "plasters", "elastoplast", "elastoplasts", "adhesive tape", "nickel",
    "pollen", "grass", "dust", "dust mites", "cats", "dogs", "animal hair", "hay fever",
    "chlorhexidine", "morphine", "codeine", "aspirin", "ibuprofen",
)
_ENDINGS = (r"pril|sartan|olol|statin|xaban|gatran|parin|cillin|mycin|floxacin|cycline|dipine|"
            r"zepam|zolam|oxetine|pramine|triptyline|prazole|tidine|gliptin|gliflozin|glutide|"
            r"formin|triptan|profen|coxib|semide|thiazide|lukast|olone|isone|asone|mab|tinib|"
            r"conazole|vir")
# Longest names first, so "sodium valproate" wins over "valproate".
_NAMES = sorted({n.lower() for n in (*MEDICINES, *ALLERGENS)}, key=len, reverse=True)
# Both run on lower-cased text (see appliance.text.hits.lowered).
MEDICINE_WORD = re.compile(
    r"(?:" + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in _NAMES if n in
                      {m.lower() for m in MEDICINES}) +
    rf"|[a-z]{{3,}}(?:{_ENDINGS}))(?![\w-])")
KNOWN_WORD = re.compile(
    r"(?:" + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in _NAMES) +
    rf"|[a-z]{{3,}}(?:{_ENDINGS}))(?![\w-])")


def tidy(name: str) -> str:
    """One spelling for a name: lower case unless written as an abbreviation ("PCN", "NSAIDs")."""
    name = re.sub(r"\s+", " ", name.strip())
    return name if sum(c.isupper() for c in name) >= 2 else name.lower()
