"""Wire-format invariants: canonical bytes, content hashes, request signatures."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from appliance.errors import SyncError
from appliance.ids import new_id
from sync import protocol as p

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**9, 10**9),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20))


@given(st.dictionaries(st.text(max_size=10), scalars, max_size=8), st.text(max_size=10))
def test_event_hash_equals_the_hash_of_canonical_json(payload: dict[str, Any],
                                                      user: str) -> None:
    event = {"id": new_id(), "device_id": new_id(), "user_id": user or None,
             "recorded_at": "2024-05-01T10:00:00Z", "type": "note.added", "entity": "note",
             "entity_id": "N", "payload": payload}
    assert p.event_hash(event) == hashlib.sha256(p.canonical(event)).hexdigest()


@given(st.lists(st.text(alphabet="0123456789ABCDEFGHJKMNPQRSTVWXYZ", min_size=26,
                        max_size=26), max_size=20))
def test_the_id_digest_ignores_order(ids: list[str]) -> None:
    assert p.ids_digest(ids) == p.ids_digest(list(reversed(ids)))


def test_a_signature_covers_method_path_device_nonce_time_and_body() -> None:
    key, device = Ed25519PrivateKey.generate(), new_id()
    body = b'{"v":1}'
    headers = p.sign_request(key, device, "POST", "/v1/sync", body)
    auth = p.parse_auth_headers(headers)
    p.verify_request(key.public_key(), auth, "POST", "/v1/sync", body, headers[p.H_TIMESTAMP])
    for method, path, data in (("GET", "/v1/sync", body), ("POST", "/v1/other", body),
                               ("POST", "/v1/sync", b'{"v":2}')):
        with pytest.raises(SyncError, match="does not verify"):
            p.verify_request(key.public_key(), auth, method, path, data,
                             headers[p.H_TIMESTAMP])


def test_malformed_headers_are_refused_before_any_crypto() -> None:
    good = p.sign_request(Ed25519PrivateKey.generate(), new_id(), "POST", "/v1/sync", b"")
    for field, value, words in ((p.H_DEVICE, "x", "device id"), (p.H_NONCE, "zz", "nonce"),
                                (p.H_TIMESTAMP, "yesterday", "timestamp"),
                                (p.H_TIMESTAMP, "2024-05-01T10:00:00", "time zone"),
                                (p.H_SIGNATURE, "!!", "base64")):
        with pytest.raises(SyncError, match=words):
            p.parse_auth_headers(dict(good, **{field: value}))
