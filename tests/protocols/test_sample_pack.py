"""The committed sample pack is signed, complete, installs without model time, and is trusted
only where the DEMO key is trusted. An unsigned edit to any sample file fails here: re-sign with
``lifeboat protocols build appliance/protocols/sample_pack --key
appliance/protocols/sample_keys/sample_publisher_DEMO_ONLY.pem``."""

from __future__ import annotations

import pytest

from appliance.errors import PackError
from appliance.paths import Layout, layout
from appliance.protocols import index
from appliance.protocols.lifecycle import SAMPLE_PACK, install, status
from appliance.protocols.lifecycle import verify_source as verify
from appliance.protocols.trust import trust_sample_key

CONTRACT_IDS = """abcde-assessment news2 sepsis chest-pain-acs stroke-fast tia anaphylaxis
allergic-reaction-mild asthma-adult asthma-child copd-exacerbation breathlessness-assessment
airway-compromise choking cardiac-arrest-adult cardiac-arrest-child arrhythmias-af syncope seizures
reduced-consciousness hypoglycaemia dka-hyperglycaemia overdose-poisoning head-injury
major-haemorrhage burns fractures spinal-injury falls-older-adults abdominal-pain testicular-torsion
meningitis childbirth pregnancy-complications paediatric-normal-values febrile-child hypothermia
heat-illness mental-health-crisis suicidal-intent safeguarding major-incident-tst methane-report
triage-sieve handover-atmist handover-sbar infection-control pain-assessment oxygen-therapy
triage-priorities response-categories self-care-minor-injuries self-care-colds-flu
self-care-insect-stings self-care-back-pain self-care-sore-throat""".split()


@pytest.fixture
def demo() -> Layout:
    lay = layout()
    lay.ensure()
    trust_sample_key(lay)
    return lay


def test_committed_sample_pack_verifies(demo: Layout) -> None:
    pack = verify(demo, SAMPLE_PACK)
    assert pack.manifest.pack_id == "lifeboat-sample"
    assert sorted(d.id for d in pack.documents) == sorted(CONTRACT_IDS)
    assert all("sample content" in d.status.lower() for d in pack.documents)


def test_sample_pack_ships_embeddings_that_match_its_sections(demo: Layout) -> None:
    pack = verify(demo, SAMPLE_PACK)
    assert index.shipped_embeddings(SAMPLE_PACK, index.chunk_pack(pack.documents)) is not None


def test_install_sample_pack_is_ready_for_semantic_search(installed_sample_pack) -> None:
    pack = installed_sample_pack  # install_sample_pack, run once per session for every suite
    assert pack.vectors == "ready" and pack.record["documents"] == len(CONTRACT_IDS)
    overdue = [o["id"] for o in status(Layout(pack.directory.parent.parent))["active"]["overdue"]]
    assert "self-care-sore-throat" in overdue


def test_a_new_device_does_not_trust_the_demo_key(lifeboat_home) -> None:
    lay = layout()
    lay.ensure()
    with pytest.raises(PackError, match="(?i)unknown signer"):
        install(lay, SAMPLE_PACK)
