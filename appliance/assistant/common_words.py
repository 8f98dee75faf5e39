"""Words too common in questions and protocol lines to tell one answer from another: left out
when a question's terms are weighed, and when a long question's asking part is judged to say
enough to be looked up by itself."""

from __future__ import annotations

STOP = frozenset("""a about after all also am an and any are as at be been before being but by
can could did do does doing during each for from had has have having how i if in into is it its
just me my no nor not of off on once only or other our out over own same she should so some such
than that the their them then there these they this those through to too under until up very
was we were what when where which while who whom why will with would you your patient patients
pt pts give given get use used need needs someone person people whats much many long
gave gives giving gets got getting uses using needed needing ok okay he him his her hers
himself herself says said saying say tells told asks asked asking hi hello please thanks
thank just really obviously actually basically anyway""".split())
# Who the patient is, as a story tells it ("a 62 yr old man", "his wife", "the lady"): the age
# and group that choose an answer are read apart (appliance.assistant.question); as words, a
# pack seldom writes them, so they would weigh as its rarest.
PEOPLE = frozenset("""man men woman women male female lady ladies gentleman gent guy lad bloke
chap fella husband wife partner son daughter teenager teen teenage""".split())
