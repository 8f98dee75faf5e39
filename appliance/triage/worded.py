"""Concepts read from how a note tells something rather than from a lexicon term: a pain by
its place, fluids kept down, a measured fever, a bite's site, a peak flow against the best,
how far on a pregnancy is, how long a nosebleed went on, a recorded INR, tummy cramps told with
a bowel upset, the days since a birth, the Ottawa findings, a used needle, a baby moving less,
words between breaths, a tearing pain, a tummy pain moved to the right, black stools or vomited
blood, the glass test's answer, a young child found with medicines, emergency signs in plain
or second-language English, an electric shock by its voltage, a fire's signs in the airway,
a breathlessness on exertion that came on over weeks, a turned ankle and bones that do not hurt
when pressed, a burn's size in palms, an asthmatic's tight chest, the morning after drink, a
mind changed after a birth, a baby growing along its centile, a newborn's harmless spots and its
mother's hormones, a blood pressure told normal, pain told absent.
Each reader is its own module; this gathers them for the assessment."""

from __future__ import annotations

from collections.abc import Container, Mapping
from typing import Any

from appliance.triage.asthma_chest import asthma_tightness
from appliance.triage.bite_sites import bite_sites
from appliance.triage.bleed_time import nosebleed_over_first_aid
from appliance.triage.bp_told import blood_pressure_normal
from appliance.triage.breath_words import too_breathless_to_talk
from appliance.triage.burn_size import burn_larger_than_hand
from appliance.triage.child_ingestion import possible_child_ingestion
from appliance.triage.exertion_course import long_standing_exertional
from appliance.triage.fetal_movements import reduced_movements
from appliance.triage.fire_airway import airway_burn
from appliance.triage.gastro import counted_upset, gastro_cramps
from appliance.triage.gestation import gestation_concepts
from appliance.triage.gi_blood import gut_bleeding
from appliance.triage.glass_test import glass_test
from appliance.triage.hangover_words import hangover_told
from appliance.triage.infant_growth import growing_well
from appliance.triage.inr import inr_reading
from appliance.triage.kept_down import fluids_kept_down
from appliance.triage.measured import fever_going_on, measured_fever
from appliance.triage.moving_pain import pain_moved_to_the_right
from appliance.triage.newborn_signs import newborn_signs
from appliance.triage.no_pain import no_pain_told
from appliance.triage.pain_sites import pains_by_place
from appliance.triage.peak_flow import peak_flow_band
from appliance.triage.plain_signs import plain_signs
from appliance.triage.postnatal import first_two_weeks_after_birth
from appliance.triage.postnatal_mind import postpartum_psychosis
from appliance.triage.sharps import needle_stick
from appliance.triage.sprain_story import sprain_story
from appliance.triage.tearing import tearing_pain
from appliance.triage.voltage import electric_contact
from appliance.triage.weight_bearing import ottawa_positive


def worded_concepts(complaint: str, vitals: Mapping[str, Any], known: Container[str],
                    age: float | None = None) -> frozenset[str]:
    return (pains_by_place(complaint, known) | fluids_kept_down(complaint, known)
            | measured_fever(vitals, known) | fever_going_on(complaint, known)
            | bite_sites(complaint, known)
            | peak_flow_band(complaint, known) | gestation_concepts(complaint, known, age)
            | nosebleed_over_first_aid(complaint, known) | inr_reading(complaint, known)
            | gastro_cramps(complaint, known) | counted_upset(complaint, known)
            | first_two_weeks_after_birth(complaint, known) | postpartum_psychosis(complaint, known)
            | ottawa_positive(complaint, known) | needle_stick(complaint, known)
            | reduced_movements(complaint, age, known)
            | too_breathless_to_talk(complaint, known) | tearing_pain(complaint, known)
            | pain_moved_to_the_right(complaint, known) | gut_bleeding(complaint, known)
            | glass_test(complaint, known) | possible_child_ingestion(complaint, age, known)
            | plain_signs(complaint, known) | electric_contact(complaint, known)
            | airway_burn(complaint, known) | long_standing_exertional(complaint, known)
            | sprain_story(complaint, known) | burn_larger_than_hand(complaint, known)
            | asthma_tightness(complaint, age, known) | hangover_told(complaint, age, known)
            | growing_well(complaint, age, known) | newborn_signs(complaint, age, known)
            | blood_pressure_normal(complaint, vitals, known) | no_pain_told(complaint, known))
