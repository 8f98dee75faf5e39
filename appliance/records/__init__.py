"""Patient records: patients, encounters, observations, interventions, notes, amendments.

Every function takes a signed-in :class:`~appliance.session.Session`; writes go through
``Session.write`` (event + state + outbox + audit in one transaction), reads of patient data are
audited.
"""
