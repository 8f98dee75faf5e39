"""Device → hub sync, and the hub itself.

Device side (no web framework): :mod:`sync.outbox` (pending events, applying receipts),
:mod:`sync.client` (``SyncClient.sync_now`` and the background ``SyncAgent``), :mod:`sync.usb`
(encrypted, signed bundles and receipt files), :mod:`sync.updates` (resumable, verified pack and
model downloads), :mod:`sync.apply_updates` (activating the newer ones through the pack installer
and the model registry) and :mod:`sync.hublink` (the hub pinned at enrolment, kept in
``hub.json`` next to ``config.toml``; a non-empty ``[sync] hub_url`` overrides its address, and a
non-empty ``[sync] hub_public_key`` must equal the pinned key), :mod:`sync.failover` (retrying
a connection problem with back-off, then the hub's next address) and :mod:`sync.hub_urls` (an IT
admin setting those addresses). :mod:`sync.retry` is the bounded, jittered back-off both sides
use.

Hub side (:mod:`sync.hub`): storage on SQLite or PostgreSQL behind one interface, the merge rules,
the hub's identity in its database, the Starlette app, FHIR R4 export, distribution (files kept in
the database, so several hub processes serve the same bytes) and the fleet view's data. The wire
format and its checks live in :mod:`sync.protocol`.
"""
