"""Reading private keys from PEM files: the one loader for device, hub and pack-signing keys.

Each caller names what the key is and which error to raise, so a paramedic or an IT admin reads
"The device key … is missing" rather than a cryptography traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, overload

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from appliance.errors import LifeboatError

Kind = Literal["Ed25519", "X25519"]
_CLASSES: dict[str, type[Ed25519PrivateKey] | type[X25519PrivateKey]] = {
    "Ed25519": Ed25519PrivateKey, "X25519": X25519PrivateKey}


@overload
def load_private_key(path: Path, kind: Literal["Ed25519"], *, what: str,
                     error: type[LifeboatError], missing_hint: str | None = None,
                     corrupt_hint: str | None = None) -> Ed25519PrivateKey: ...


@overload
def load_private_key(path: Path, kind: Literal["X25519"], *, what: str,
                     error: type[LifeboatError], missing_hint: str | None = None,
                     corrupt_hint: str | None = None) -> X25519PrivateKey: ...


def load_private_key(path: Path, kind: Kind, *, what: str, error: type[LifeboatError],
                     missing_hint: str | None = None, corrupt_hint: str | None = None,
                     ) -> Ed25519PrivateKey | X25519PrivateKey:
    """The unencrypted PEM private key of type ``kind`` in ``path``.

    ``what`` names the key in messages ("The device key"); problems raise ``error`` with the
    driver's exception kept as the cause.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise error(f"{what} {path} is missing.", hint=missing_hint) from None
    except OSError as exc:
        raise error(f"{what} {path} cannot be read: {exc.strerror or exc}.") from exc
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise error(f"{what} {path} is corrupt or not an unencrypted PEM private key.",
                    hint=corrupt_hint) from exc
    if isinstance(key, Ed25519PrivateKey | X25519PrivateKey) and isinstance(key, _CLASSES[kind]):
        return key
    raise error(f"{what} {path} is not an {kind} private key.", hint=corrupt_hint)
