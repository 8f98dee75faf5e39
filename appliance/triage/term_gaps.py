"""The words a term may span without changing what it names ("calf has been swollen" is "calf
swollen"), and those it never may: the gaps :func:`appliance.triage.lexicon.find_concepts`
allows inside a term."""

from __future__ import annotations

#: words that join a thing to what is wrong with it, skipped inside a term ("calf has been
#: swollen" is "calf swollen", "lips are looking a bit blue" is "lips blue"): auxiliaries,
#: copulas, intensifiers, articles and possessives, nothing with meaning
LINKING = frozenset({"has", "have", "had", "been", "is", "was", "are", "were", "be", "being",
                     "become", "became", "got", "gone", "getting", "feels", "felt", "looks",
                     "looked", "looking", "very", "really", "quite", "so", "bit", "little",
                     "more", "all", "a", "an", "the", "his", "her", "their", "my", "its",
                     # who does it: "stings when she does a wee" is "stings when weeing"
                     "i", "he", "she", "they", "you", "does", "do", "did",
                     # hedges: "looks kind of bent" is "looks bent"
                     "kind", "sort", "kinda", "sorta"})
#: how much or how long, skipped like linking words ("period is about two weeks late" is
#: "period weeks late"): a quantity never changes what the term names
QUANTITY = frozenset({"about", "around", "approx", "approximately", "nearly", "almost", "over",
                      "one", "two", "three", "four", "five", "six", "few", "couple", "several",
                      "lots", "loads", "lot", "load", "large", "small", "amount", "amounts"})
#: "and" joining two places or two things wrong ("calf and ankle swollen", "back and leg pain")
#: is skipped like a linking word; the word it joins counts as the one unrelated word allowed
JOINING = frozenset({"and", "&", "+"})
#: words that turn what follows into its opposite without being a negation cue ("can hardly
#: put weight on it" cannot bear weight; "can hardly breathe" is still breathless): never
#: skipped inside a term
BARELY = frozenset({"hardly", "barely", "scarcely"})
#: signs told as a list with commas ("red, hot, swollen knee", "pale, cold, clammy"): a comma
#: between two of them does not end the term they make
#: ("cold" is not one: "a cold, sore throat" is a cold and a sore throat, not a cold sore)
LISTED_SIGNS = frozenset({"red", "hot", "warm", "swollen", "painful", "tender", "itchy", "sore",
                          "stiff", "pale", "clammy", "sweaty", "grey", "blue", "mottled",
                          "floppy", "drowsy", "shiny", "puffy", "bruised"})
