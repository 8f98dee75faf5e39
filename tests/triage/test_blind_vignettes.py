"""The blind vignettes: case histories written by helper sessions without reading or running the
engine, expected categories set first.

- ``tests/data/triage_vignettes_blind.jsonl`` (60, B01–B60). First run (2026-12-06): 33 of 60 —
  emergency 18/20, urgent 3/15, routine 7/10, self-care 5/15; after the first round of fixes
  50, after the second (session 7) 59.
- ``tests/data/triage_vignettes_blind2.jsonl`` (80, C01–C80, written in session 7 after the
  first set's fixes). First run: 55 of 80 — emergency 18/20, urgent 10/20, routine 16/20,
  self-care 11/20; after fixing the causes it showed, 68 (70 after the later sets' fixes, 71
  in session 8).
- ``tests/data/triage_vignettes_blind3.jsonl`` (60, D01–D60, session 7, in the style of
  published symptom-checker vignettes: American wording, °F). First run, after the second
  set's fixes: 39 of 60 — emergency 17/20, urgent 3/10, routine 7/10, self-care 12/20; after
  fixing the causes it showed, 52.
- ``tests/data/triage_vignettes_blind4.jsonl`` (80, E01–E80, session 7, UK paramedic notes, 999
  callers and ED notes with vitals inline). First run, after the third set's fixes: 56 of 80 —
  emergency 22/25, urgent 11/20, routine 14/15, self-care 9/20; after fixing the causes, 64.
- ``tests/data/triage_vignettes_blind5.jsonl`` (60, F01–F60, session 7: children, pregnancy,
  mental health, older adults). First run: 32 of 60 — emergency 16/18, urgent 8/16, routine
  6/12, self-care 2/14; after fixing the causes, 41 (self-care is where it is weakest: 6/14);
  44 after session 8 (a hangover, known BPPV, exam stress: self-care now), 47 in session 10.
- ``tests/data/triage_vignettes_blind6.jsonl`` (60, G01–G60, session 7, an ordinary day's mix,
  15 per category), written last, after all the fixes above: first run **53 of 60** —
  emergency 15/15, urgent 12/15, routine 13/15, self-care 13/15; after its causes, 57.
- ``tests/data/triage_vignettes_blind7.jsonl`` (60, B7-001–B7-060, session 8, symptom-checker
  stories weighted to self-care). First run: 43 of 60 — emergency 14/15, urgent 10/15, routine
  9/10, self-care 10/20; after fixing the causes it showed, 54 (55 after the eighth set's).
- ``tests/data/triage_vignettes_blind8.jsonl`` (60, B8-001–B8-060, session 8, half self-care:
  the benign and the near-miss). First run: 40 of 60 — emergency 5/5, urgent 4/10, routine
  10/15, self-care 21/30; after fixing the causes it showed, 53.
- ``tests/data/triage_vignettes_blind9.jsonl`` (80, B9-001–B9-080, session 8, written last: an
  ordinary mix in lay words, ED and paramedic shorthand with vital signs, and case histories;
  20 per category). First run: 62 of 80 — emergency 19/20, urgent 12/20, routine 17/20,
  self-care 14/20; after fixing the causes it showed, 68.
- ``tests/data/triage_vignettes_blind10.jsonl`` (80, B10-001–B10-080, session 9: ED front-desk
  shorthand with vital signs, and case histories). First run: 55 of 80 — emergency 16/20,
  urgent 11/20, routine 12/20, self-care 16/20; after fixing the causes it showed, 67.
- ``tests/data/triage_vignettes_blind11.jsonl`` (80, B11-001–B11-080, session 9: 111 calls,
  ambulance reports, non-UK ED notes, published-vignette style). First run: 51 of 80 —
  emergency 19/20, urgent 11/20, routine 13/20, self-care 8/20; after its causes, 58.
- ``tests/data/triage_vignettes_blind12.jsonl`` (80, B12-001–B12-080, session 9, written last:
  an ordinary day at the ED door and on the road). First run: 51 of 80 — emergency 19/20,
  urgent 12/20, routine 16/20, self-care 4/20; after its causes, 56 (57 after the next).
- ``tests/data/triage_vignettes_blind13.jsonl`` (80, B13-001–B13-080, session 9, written last:
  the public and clinicians, shuffled). First run: 56 of 80 — emergency 19/20, urgent 14/20,
  routine 10/20, self-care 13/20; after its causes, 59 (60 after the next).
- ``tests/data/triage_vignettes_blind14.jsonl`` (80, B14-001–B14-080, session 10: symptom-checker
  vignettes, ED desk notes and first-person messages). First run: 59 of 80 — emergency 19/20,
  urgent 16/20, routine 12/20, self-care 12/20; after its causes, 66.
- ``tests/data/triage_vignettes_blind15.jsonl`` (80, B15-001–B15-080, session 10: ED records
  where the observations decide, handovers, narratives). First run: 61 of 80 — emergency 20/20,
  urgent 16/20, routine 12/20, self-care 13/20; after its causes, 66 (67 after the next).
- ``tests/data/triage_vignettes_blind16.jsonl`` (80, B16-001–B16-080, session 10: histories in
  the style of published symptom-checker and telephone-triage evaluations, no observations).
  First run: 60 of 80 — emergency 17/20, urgent 17/20, routine 14/20, self-care 12/20; after
  its causes, 66.
- ``tests/data/triage_vignettes_blind17.jsonl`` (80, B17-001–B17-080, session 10, written last:
  care homes, district nurses, parents on the phone, minor injuries, mental health). First run:
  51 of 80 — emergency 20/20, urgent 12/20, routine 11/20, self-care 8/20; after its causes,
  62 (63 after the next).
- ``tests/data/triage_vignettes_blind19.jsonl`` (80, B19-001–B19-080, session 10: short texts of
  3–12 words as typed into a symptom checker). First run: 60 of 80 — emergency 16/20, urgent
  15/20, routine 15/20, self-care 14/20; after its causes, 70 (71 after the next).
- ``tests/data/triage_vignettes_blind18.jsonl`` (80, B18-001–B18-080, session 10, written last:
  North American, Australian and Asian ED triage notes, °F and mg/dL). First run, after the
  nineteenth set's fixes: 62 of 80 — emergency 20/20, urgent 16/20, routine 13/20, self-care
  13/20; after its causes, 67.
- ``tests/data/triage_vignettes_blind20.jsonl`` (80, B20-001–B20-080, session 10: adult ED
  records in the Korean (KTAS) style, "complaint / arrival / mental state / NRS /
  observations"). First run: 51 of 80 — emergency 16/20, urgent 8/20, routine 15/20,
  self-care 12/20; after its causes (the observations had gone unread), 64.
- ``tests/data/triage_vignettes_blind21.jsonl`` (80, B21-001–B21-080, session 10, written last:
  third-person vignettes in the style of symptom-checker audits). First run: 55 of 80 —
  emergency 17/20, urgent 12/20, routine 14/20, self-care 12/20; after its causes, 63 (64
  after the next).
- ``tests/data/triage_vignettes_blind22.jsonl`` (80, B22-001–B22-080, session 10: 30
  emergencies told by ordinary people without the textbook word, against 15 urgent, 15 routine
  and 20 self-care). First run: 54 of 80 — emergency 19/30, urgent 14/15, routine 9/15,
  self-care 12/20; after its causes, 69 (30/30).
- ``tests/data/triage_vignettes_blind23.jsonl`` (80, B23-001–B23-080, session 10, written last:
  UK ED triage notes and handovers in clinical shorthand, patients treated before arrival,
  chronic conditions at baseline). First run: 47 of 80 — emergency 20/20, urgent 9/20, routine
  10/20, self-care 8/20; after its causes, 53.
- ``tests/data/triage_vignettes_blind24.jsonl`` and ``…25.jsonl`` (80 each, B24-, B25-, session
  10, written last: seven everyday voices from a 111 caller to a pharmacist's referral; triage-
  accuracy-study vignettes where the modifiers decide). First runs: 46 of 80 (emergency 18/20,
  urgent 10/20, routine 11/20, self-care 7/20) and 61 of 80 (emergency 19/20); after their
  causes, 52 and 63.
- ``tests/data/triage_vignettes_blind26.jsonl`` and ``…27.jsonl`` (80 each, B26-, B27-, session
  11: ED front-desk records with observations near normal; an urgent treatment centre, out-of-
  hours GP and care-home calls). First runs: 58 of 80 (emergency 20/20) and 60 of 80
  (emergency 18/20); after their causes, 64 and 63 (68 and 66 after the next).
- ``tests/data/triage_vignettes_blind28.jsonl`` and ``…29.jsonl`` (80 each, B28-, B29-, session
  11, written last: children, pregnancy and mental health; symptom-checker texts, 111 calls and
  messages without observations). First runs: 57 of 80 (emergency 19/20) and 56 of 80
  (emergency 17/20); after their causes, 58 and 68.
- ``tests/data/triage_vignettes_blind30.jsonl`` and ``…31.jsonl`` (80 each, B30-, B31-, session
  11, written last: adults over 60 and their medicines; injuries and the environment). First
  runs: 58 of 80 (emergency 20/20) and 56 of 80 (emergency 19/20); after their causes, 60 and 63.
- ``tests/data/triage_vignettes_blind32.jsonl`` and ``…33.jsonl`` (80 each, B32-, B33-, session
  11, written last: adult ED visits as a hospital database records them, graded as the KTAS
  panel would; symptom-checker audit vignettes). First runs: 61 of 80 (emergency 19/20) and 51
  of 80 (emergency 17/20); after their causes, 64 and 60.
- ``tests/data/triage_vignettes_blind34.jsonl`` and ``…35.jsonl`` (80 each, B34-, B35-, session
  11, written last: 40 emergencies told without the medical word; clinicians' shorthand with
  "Ø" and "-ve"). First runs: 56 of 80 (emergency 33/40) and 38 of 80 (emergency 24/25); after
  their causes, 68 and 67.
- ``tests/data/triage_vignettes_blind36.jsonl`` and ``…37.jsonl`` (80 each, B36-, B37-, session
  11, written last: an ordinary 24 hours of 999, ED and 111; English as written outside the
  UK). First runs: 58 of 80 (emergency 17/20) and 59 of 80 (emergency 20/20); after their
  causes, 63 and 65.
- ``tests/data/triage_vignettes_blind38.jsonl`` and ``…39.jsonl`` (80 each, B38-, B39-, session
  11, the last measurement: a paramedic's and an outage's cross-section; ED records where the
  modifiers decide and study vignettes). First runs on the final code, nothing changed after:
  69 of 80 and 60 of 80, every emergency recognised (40/40); set 39 61 after session 12's
  head-injury grading.
- ``tests/data/triage_vignettes_blind40.jsonl`` and ``…41.jsonl`` (80 each, B40-, B41-, session
  12: ED desk records with observations, weighted to chronic and minor problems; the public's
  own words, weighted to what sounds worse than it is). First runs: 62 of 80 (emergency 20/20)
  and 59 of 80 (emergency 18/20); after their causes, 69 and 66.
- ``tests/data/triage_vignettes_blind42.jsonl`` (80, B42-, session 12: ambulance handovers,
  care homes, district nurses and out-of-hours GPs, half aged 65 or over, observations written
  NEWS2-style). First run, after sets 40 and 41's causes: 58 of 80 (emergency 20/20); after its
  causes, 64.
- ``tests/data/triage_vignettes_blind43.jsonl`` (80, B43-, session 12: a UK ED front door and
  111 line, a quarter each children, young adults, working age, older adults; presentations
  that share words but differ in urgency). First run, after set 42's causes: 63 of 80
  (emergency 16/20: a tearing back pain, a thunderclap headache told as a blow, a plan to take
  saved-up tablets, a ruptured ectopic told by its shoulder-tip pain); after its causes, 69
  (20/20).
- ``tests/data/triage_vignettes_blind44.jsonl`` (80, B44-, session 12: third-person vignettes
  in the style of symptom-checker audits, with their usual self-care conditions and emergencies
  told as stories). First run, after set 43's causes: 60 of 80 (emergency 20/20); after its
  causes, 71.
- ``tests/data/triage_vignettes_blind46.jsonl`` (80, B46-, session 12: children and young
  people only, parents, school nurses, health visitors, paediatric triage notes, teenagers).
  First run, after set 44's causes: 52 of 80 (emergency 17/20: a teenager's suicide plan, a
  swallowed remote-control battery, "took like 20 paracetamol"); after its causes, 62 (20/20).
- ``tests/data/triage_vignettes_blind45.jsonl`` and ``…47.jsonl`` (80 each, B45-, B47-,
  session 12, the last measurement: a day of everything when hospital IT is down, adults and
  children, every body system; adults' notes typed up from paper in an outage). First runs on
  the session's final triage code (commit ``97e7a6f``): 49 of 80 (emergency 16/20) and 57 of
  80 (emergency 20/20). Set 45's four missed emergencies were then fixed (a suicide plan with a
  rope in the car, a fall from an upstairs window, skin blistering and coming off on a new
  medicine, a collapse during sport with sudden death in the family): 53, 20/20; nothing else
  was tuned on either set.

- ``tests/data/triage_vignettes_blind48.jsonl`` to ``…51.jsonl`` (80 each, B48-–B51-, session
  13: crews' care-record notes and pre-alerts; the public's messages to an online form or a
  pharmacy chat; an ED streaming nurse's one-line notes; 111 and out-of-hours notes about
  children). First runs: 68, 63, 64 and 53 of 80 (emergencies 20, 17, 15 and 16 of 20); after
  their causes, 74, 73, 71 and 66 (every emergency).
- ``tests/data/triage_vignettes_blind53.jsonl`` to ``…55.jsonl`` (80 each, session 13, second
  round: people aged 75–100; mental health, substances, pregnancy and sexual health; ED
  registration lines with full observations). First runs: 64, 49 and 64 of 80 (emergencies
  20, 14 and 19 of 20); after their causes, 71, 65 and 68 (every emergency).
- ``tests/data/triage_vignettes_blind52.jsonl`` and ``…56.jsonl`` (80 each, session 13, the
  last measurement: a minor-injuries unit's day; symptom-checker audit vignettes). First runs
  on the session's final triage code (``2144c7a``): 64 and 70 of 80 (emergency 19/20 and
  20/20); set 52's missed emergency (chest pain told "across the chest") was then fixed: 65,
  20/20. Nothing else was tuned on either set.
- ``tests/data/triage_vignettes_blind57.jsonl`` and ``…58.jsonl`` (80 each, session 14, the
  last measurement: an out-of-hours GP service's call-back notes; patients' own online-form
  messages). First runs on the session's final triage code (``220fcaf``, after its helper's
  over-triage work; the session-start code scored the same): 61 and 64 of 80 (emergency 20/20
  and 18/20, one case two levels too low). The causes of set 58's misses were then fixed (an
  asthma attack told by the words that come out and a peak flow against the best; "little round
  batteries"; teeth that "went through the skin"): 67, 20/20, none two levels too low.
- ``tests/data/triage_vignettes_blind59.jsonl`` and ``…60.jsonl`` (80 each, session 15: a
  community pharmacist's Pharmacy First records; an event medical tent's log). First runs on
  the session-start code (``46f11fd``): 56 of 80 (emergency 17/20, three cases two levels too
  low) and 48 of 80 (emergency 19/20, one two levels too low). Set 60 was then diagnosed by the
  lead (chest pain told as a tight band, a baby kicking less, a used needle, the Ottawa findings
  in lay words, a race's minor problems): 56, 20/20; set 59's missed emergencies and cases two
  levels too low were fixed after it (words between breaths, a tearing pain, saliva that cannot
  be swallowed, "temps" and a °F range): 61, 20/20, none two levels too low.
- ``tests/data/triage_vignettes_blind61.jsonl`` and ``…62.jsonl`` (80 each, session 15: a
  school's medical-room log; a GP surgery's same-day list as receptionists type it). First
  runs on the session-start code and again after sets 59 and 60's causes: 46 and 61 of 80 both
  times (emergency 20/20 and 19/20, one case two levels too low in each); after their own causes
  (a glass test that faded, suicidal thoughts in the person's words, a limb not used after a
  fall, snoring with pauses in sleep, a pain moved to the right...), 50 and 66.
- ``tests/data/triage_vignettes_blind63.jsonl`` and ``…64.jsonl`` (80 each, session 15: a
  walk-in centre's self check-in kiosk in a university town; care-home and supported-living
  staff calling an advice line). First runs on the session-start code and after sets 59–62's
  causes alike: 59 and 53 of 80 (emergency 20/20 and 18/20, one case two levels too low in set
  63). After their causes (black stools and vomited blood in everyday words, a fever on
  clozapine, a tender scalp, a gastrostomy out, "BMs", the glass test read by its answer...),
  63 and 60.
- ``tests/data/triage_vignettes_blind65.jsonl`` and ``…66.jsonl`` (80 each, session 15, the
  last measurement: a police custody suite's healthcare notes; a parents' forum). First runs on
  the session's final triage code (after the helper's merge): 53 and 51 of 80 (emergency 20/20
  and 18/20, three cases two levels too low in set 66); the session-start code scored 53 and
  49. Set 66's missed emergencies and cases two levels too low were then fixed (a toddler found
  with a grandparent's tablets, a boy's "privates", a chickenpox spot gone red and hot, "none
  of"): 54, 20/20, none two levels too low; after both sets' other causes (a police arrest
  read as a cardiac arrest, a dental swelling getting bigger, "barely felt anything" late in
  pregnancy, mastitis in everyday words): 58 and 56.
- ``tests/data/triage_vignettes_blind67.jsonl`` and ``…68.jsonl`` (80 each, session 15, written
  last and scored first on the session's final code: a rural dispensing practice's duty list;
  people writing English as a second language). First runs: 57 and 47 of 80 (emergency 18/20
  and 15/20, two cases two levels too low in set 68); the session-start code scored 56 and 45.
  Their missed emergencies and cases two levels too low were then fixed (stroke signs and chest
  pain in plain words, shoulder-top pain, pre-eclampsia after a birth, an injury with a shock
  index over 1, a swallowed organophosphate): 59 and 51.
- ``tests/data/triage_vignettes_blind69.jsonl`` to ``…72.jsonl`` (80 each, session 16, written
  at its start: a construction-site first-aider's log, teenagers texting a school nurse, older
  people's online consultation forms, street-outreach notes). First runs on the session-start
  code: 51, 57, 62 and 56 (nine emergencies missed). Their missed emergencies were fixed (a
  temperature told as "its 38.3", purple dots under "the glass thing", a head injury's vomits
  "loads" and repeated questions, a whole pack taken, a rope, a shock by its voltage, a flash
  fire's airway signs) and the two helpers' causes merged: 55, 62, 66 and 57; then 56 and 67
  for sets 69 and 71 once a small closed cut and a "runny tummy" were read as self-care.
- ``tests/data/triage_vignettes_blind73.jsonl`` and ``…74.jsonl`` (80 each, session 16, written
  mid-session and held out: an urgent treatment centre's streaming notes; answerphone messages
  transcribed word for word). First runs: 66 and 61 on the session-start code, 66 and 61 on the
  session's code at the time. Set 74's one missed emergency (a night on the floor that left an
  older man cold, with a hip fracture) was then fixed: 66 and 62.
- ``tests/data/triage_vignettes_blind75.jsonl`` to ``…80.jsonl`` (80 each, session 17: a
  pharmacist's consultation notes; second-language messages; a festival and marathon first-aid
  log; school nurses and texting teenagers; dialect callers; a midwife's and health visitor's
  notes). First runs on the session-start code: 66, 56, 57, 55, 56 and 48; 77 and 78 held out
  to mid-session (58, 58), 79 held out to the end (59); after their causes 76, 73, 62, 68, 59
  and 77. Every emergency recognised.

Sets 5 and 16 were lowered by one in session 17: F17, a postnatal breast with a wedge-shaped red
area and a temperature, is now mastitis (urgent by the existing rules); B16-019, a band headache
"most days", goes to the GP (NHS tension headaches), as B70-035's writer graded the same. Set 66
too: B66-068, hair falling out in clumps, is the GP's (NHS hair loss). All three sets gained
elsewhere, so their floors rose.

Set 15's level was lowered by one in session 13: B15-027, burning and frequency in a woman
who says she is not pregnant, with no fever or loin pain, graded routine by its writer, is now a
pharmacist's (NHS Pharmacy First), as fifteen other writers' cases of the kind grade it.

Set 62's B62-053 (an 80-year-old who cannot put weight on her leg after a fall last night, in a
chair since) is urgent here, not the emergency its writer chose for want of a way to move her:
a suspected hip fracture at 65 or over is urgent in 20 of the 23 other cases of the kind across
these sets (two routine, one an emergency).

Set 64's B64-020 (a fall, unable to bear weight, at 73) and set 68's B68-058 (the same at 84, on
warfarin, still on the floor an hour later) are urgent here for the same reason, and
B64-034 (a sudden collapse while seated at 85, 30 seconds, recovered) is urgent as NICE CG109
grades it: a specialist cardiovascular assessment within 24 hours, its writer's emergency
notwithstanding.

Sets 40 and 50 were lowered by one in session 15: B40-025 and B50-017, bleeding with period-type
cramps at 10 and 6 weeks with normal observations, graded urgent by their writers (an early
pregnancy assessment the same day, NICE NG126), are now read as pregnancies ("10 wks preg",
"6/40"), and the pack grades bleeding with pain in early pregnancy very urgent until an ectopic
pregnancy is excluded, as the project's own case E048 does. Reading the gestation is kept: without
it, "36+2/40, constant tummy pain and some bleeding" was routine, two levels too low.

Set 46 was lowered by one in session 15: B46-048, a chickenpox spot gone red, hot and swollen in
a 4-year-old, is now urgent as the NHS website grades signs of infection around the spots (an
urgent GP appointment or 111); its writer graded it routine while writing "needs same-day GP
review".

Set 23's level was lowered by one in session 15: B23-040, a 73-year-old's rolled ankle with
malleolar tenderness and only two steps, graded routine by its writer (CTAS moderate peripheral
pain), now has the Ottawa findings read from its words, and a suspected fracture with weight
bearing lost at 65 or over is Urgent (a hip or pelvic fracture is not excluded from the note).

The causes each set showed were fixed for every text of their kind (docs/triage-evaluation.md);
these tests hold the level reached, every emergency recognised, and no case two levels too low.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from appliance.triage import assess
from appliance.triage.rules import RuleSet

DATA = Path(__file__).resolve().parents[1] / "data"
WANTED = {"emergency": (1, 2), "urgent": (3,), "routine": (4,), "self-care": (5,)}
# Session 17 (tri17) lowered three floors by one where a case now follows the public guidance
# against its label: F17 (a postnatal mastitis with 38.1 °C, now read as a breast problem, is
# urgent by the breast-fever discriminator and the CTAS temperature modifier), B16-019 (a band
# headache "most days" is a GP's, NHS website tension headaches) and B66-068 (hair "falling out
# in clumps" is a GP's, NHS website hair loss).
SETS = {"triage_vignettes_blind.jsonl": (60, 60), "triage_vignettes_blind2.jsonl": (80, 76),
        "triage_vignettes_blind3.jsonl": (60, 55), "triage_vignettes_blind4.jsonl": (80, 73),
        "triage_vignettes_blind5.jsonl": (60, 56), "triage_vignettes_blind6.jsonl": (60, 58),
        "triage_vignettes_blind7.jsonl": (60, 57),
        "triage_vignettes_blind8.jsonl": (60, 55),
        "triage_vignettes_blind9.jsonl": (80, 73),
        "triage_vignettes_blind10.jsonl": (80, 72),
        "triage_vignettes_blind11.jsonl": (80, 64),
        "triage_vignettes_blind12.jsonl": (80, 65),
        "triage_vignettes_blind13.jsonl": (80, 70),
        "triage_vignettes_blind14.jsonl": (80, 70),
        "triage_vignettes_blind15.jsonl": (80, 71),
        "triage_vignettes_blind16.jsonl": (80, 71),
        "triage_vignettes_blind17.jsonl": (80, 75),
        "triage_vignettes_blind18.jsonl": (80, 73),
        "triage_vignettes_blind19.jsonl": (80, 76),
        "triage_vignettes_blind20.jsonl": (80, 68),
        "triage_vignettes_blind21.jsonl": (80, 69),
        "triage_vignettes_blind22.jsonl": (80, 74),
        "triage_vignettes_blind23.jsonl": (80, 60),
        "triage_vignettes_blind24.jsonl": (80, 59),
        "triage_vignettes_blind25.jsonl": (80, 68),
        "triage_vignettes_blind26.jsonl": (80, 74),
        "triage_vignettes_blind27.jsonl": (80, 70),
        "triage_vignettes_blind28.jsonl": (80, 66),
        "triage_vignettes_blind29.jsonl": (80, 74),
        "triage_vignettes_blind30.jsonl": (80, 65),
        "triage_vignettes_blind31.jsonl": (80, 65),
        "triage_vignettes_blind32.jsonl": (80, 71),
        "triage_vignettes_blind33.jsonl": (80, 65),
        "triage_vignettes_blind34.jsonl": (80, 73),
        "triage_vignettes_blind35.jsonl": (80, 69),
        "triage_vignettes_blind36.jsonl": (80, 70),
        "triage_vignettes_blind37.jsonl": (80, 70),
        "triage_vignettes_blind38.jsonl": (80, 73),
        "triage_vignettes_blind39.jsonl": (80, 67),
        "triage_vignettes_blind40.jsonl": (80, 71), "triage_vignettes_blind41.jsonl": (80, 73),
        "triage_vignettes_blind42.jsonl": (80, 67), "triage_vignettes_blind43.jsonl": (80, 73),
        "triage_vignettes_blind44.jsonl": (80, 75), "triage_vignettes_blind46.jsonl": (80, 68),
        "triage_vignettes_blind45.jsonl": (80, 62), "triage_vignettes_blind47.jsonl": (80, 65),
        "triage_vignettes_blind48.jsonl": (80, 76), "triage_vignettes_blind49.jsonl": (80, 76),
        "triage_vignettes_blind50.jsonl": (80, 71), "triage_vignettes_blind51.jsonl": (80, 70),
        "triage_vignettes_blind52.jsonl": (80, 70), "triage_vignettes_blind53.jsonl": (80, 72),
        "triage_vignettes_blind54.jsonl": (80, 66), "triage_vignettes_blind55.jsonl": (80, 71),
        "triage_vignettes_blind56.jsonl": (80, 71),
        "triage_vignettes_blind57.jsonl": (80, 65), "triage_vignettes_blind58.jsonl": (80, 71),
        "triage_vignettes_blind59.jsonl": (80, 68), "triage_vignettes_blind60.jsonl": (80, 60),
        "triage_vignettes_blind61.jsonl": (80, 53), "triage_vignettes_blind62.jsonl": (80, 70),
        "triage_vignettes_blind63.jsonl": (80, 67), "triage_vignettes_blind64.jsonl": (80, 63),
        "triage_vignettes_blind65.jsonl": (80, 60), "triage_vignettes_blind66.jsonl": (80, 64),
        "triage_vignettes_blind67.jsonl": (80, 62), "triage_vignettes_blind68.jsonl": (80, 58),
        "triage_vignettes_blind69.jsonl": (80, 66), "triage_vignettes_blind70.jsonl": (80, 68),
        "triage_vignettes_blind71.jsonl": (80, 72), "triage_vignettes_blind72.jsonl": (80, 63),
        "triage_vignettes_blind73.jsonl": (80, 71), "triage_vignettes_blind74.jsonl": (80, 65),
        "triage_vignettes_blind75.jsonl": (80, 76), "triage_vignettes_blind76.jsonl": (80, 73),
        "triage_vignettes_blind77.jsonl": (80, 62), "triage_vignettes_blind78.jsonl": (80, 68),
        "triage_vignettes_blind79.jsonl": (80, 59), "triage_vignettes_blind80.jsonl": (80, 77)}


def _results(ruleset: RuleSet, name: str) -> list[tuple[dict[str, object], int]]:
    text = (DATA / name).read_text(encoding="utf-8")
    rows = [json.loads(line) for line in text.splitlines() if line]
    return [(v, assess({"complaint": v["text"], "age": v["age"], "sex": v["sex"]},
                       ruleset).level) for v in rows]


@pytest.mark.parametrize("name", sorted(SETS))
def test_every_blind_emergency_is_recognised(ruleset: RuleSet, name: str) -> None:
    results = _results(ruleset, name)
    assert len(results) == SETS[name][0]
    missed = [v["id"] for v, level in results if v["expected"] == "emergency" and level > 2]
    assert not missed


@pytest.mark.parametrize("name", sorted(SETS))
def test_the_blind_set_keeps_the_level_reached(ruleset: RuleSet, name: str) -> None:
    results = _results(ruleset, name)
    right = sum(level in WANTED[str(v["expected"])] for v, level in results)
    # no self-care or routine answer for an urgent case, two levels or more too low
    far_under = [v["id"] for v, level in results if level - max(WANTED[str(v["expected"])]) >= 2]
    assert right >= SETS[name][1], right
    assert not far_under
