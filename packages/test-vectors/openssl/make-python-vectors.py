#!/usr/bin/env python3
"""Key files written by Python `cryptography`, for interop with the keys and clients of
the Python original. Called by make-vectors.sh (which records the manifest entries);
it only writes files.

usage: make-python-vectors.py OUT_DIR ALICE_KEY_PEM ALICE_CERT_PEM BOB_CERT_PEM PASSPHRASE
"""
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    PrivateFormat,
    pkcs12,
)


def main() -> None:
    out_dir, key_path, alice_cert_path, bob_cert_path, passphrase = sys.argv[1:6]
    password = passphrase.encode("utf-8")
    with open(key_path, "rb") as f:
        key = serialization.load_pem_private_key(f.read(), None)
    with open(alice_cert_path, "rb") as f:
        alice = x509.load_pem_x509_certificate(f.read())
    with open(bob_cert_path, "rb") as f:
        bob = x509.load_pem_x509_certificate(f.read())

    def write(name: str, data: bytes) -> None:
        with open(f"{out_dir}/{name}", "wb") as f:
            f.write(data)

    # What the Python original wrote for private_key.pem.
    write(
        "p256-pkcs8-python-best-available.pem",
        key.private_bytes(
            serialization.Encoding.PEM, PrivateFormat.PKCS8, BestAvailableEncryption(password)
        ),
    )

    write(
        "p12-python-best-available.p12",
        pkcs12.serialize_key_and_certificates(
            b"alice", key, alice, None, BestAvailableEncryption(password)
        ),
    )

    # The OpenSSL CLI always puts the key's own certificate first; this file lists
    # bob's certificate first and carries no localKeyId, so a reader must match the
    # key to a certificate by its public key, not by position.
    openssl3_like = (
        PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(2048)
        .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
        .hmac_hash(hashes.SHA256())
        .build(password)
    )
    write(
        "p12-python-key-matches-second.p12",
        pkcs12.serialize_key_and_certificates(None, key, None, [bob, alice], openssl3_like),
    )

    # Legacy PKCS#12 with 3DES for both key and certificates and a SHA-1 MAC (what
    # Windows and older Java wrote); readers must refuse it with a clear error.
    legacy = (
        PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(2048)
        .key_cert_algorithm(pkcs12.PBES.PBESv1SHA1And3KeyTripleDESCBC)
        .hmac_hash(hashes.SHA1())
        .build(password)
    )
    write(
        "p12-legacy-python-3des.p12",
        pkcs12.serialize_key_and_certificates(b"alice", key, alice, None, legacy),
    )


if __name__ == "__main__":
    main()
