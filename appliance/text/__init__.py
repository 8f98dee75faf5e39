"""Deterministic, model-free readers of clinical free text.

Vital signs, demographics, pregnancy, allergies and medications read by precompiled regular
expressions, each value tied to the words it came from. The triage engine and the assistant's
extraction both build on this package, so it imports neither of them.

Use ``appliance.text.patterns``:

- ``find_all(text) -> list[Hit]``: every value found, ``Hit(field, value, span, start, end,
  note)``. Fields: ``age`` (years; 6 months is 0.5), ``sex`` ("M"/"F"), ``pregnant``,
  ``pain_score``, ``mechanism``, ``gcs``, ``vitals.<name>`` with the triage names of
  ``appliance/triage/vitals.py`` in triage units (°C, mmHg, mmol/L), one hit per item for
  ``allergies`` and ``medications``, and ``no_known_allergies``. A vital sign read twice ("BP
  120/80 initially, now 80/40") gives a hit for each reading, the first listed first and the
  others noted "another reading in the note".
- ``triage_fields(hits)``: the triage case among them (plausible only; of several readings
  of a vital sign the most concerning, of other fields the first).
- ``without_history(text, hits)``: the text with the allergy history blanked out, for complaint
  matching ("allergic to penicillin" is history, not an allergic reaction).
"""
