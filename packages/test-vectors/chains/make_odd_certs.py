#!/usr/bin/env python3
"""Certificates for the chain corpus that the openssl CLI cannot produce.

make-chains.sh calls it once, as `make_odd_certs.py batch FILE` (one command per line,
arguments separated by tabs); each command can also be run on its own. Each reads ordinary
certificates and keys that openssl made and writes one file:

  corrupt-signature IN OUT           flip one bit in the last signature byte (cert or CRL),
                                     the DER stays well-formed
  trailing-bytes IN OUT              the certificate DER followed by an extra TLV (05 00)
  nonminimal-outer-length IN OUT     the outer SEQUENCE length re-encoded with one extra
                                     length byte (the signed TBS is untouched)
  nonminimal-serial-length IN CA_KEY OUT
                                     the serialNumber length inside the TBS re-encoded as
                                     81 LL, the TBS re-signed so only the encoding is wrong
  truncate IN OUT                    the first half of the certificate DER
  sigalg-mismatch IN CA_KEY OUT      TBS.signature says ecdsa-with-SHA384, the outer
                                     signatureAlgorithm says ecdsa-with-SHA256, and the
                                     signature is a valid SHA-256 one
  issuer-name MODE CA_CERT CA_KEY LEAF_KEY OUT
                                     a client leaf whose issuer DN is the CA's subject
                                     changed by MODE: lowercase | extra-attribute |
                                     reordered | printable-string

Byte surgery works on the known layout of certificates this corpus makes (ECDSA P-256
issuers, short serials): every offset is asserted before it is used, so a layout change
fails loudly instead of producing a silently different file.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

try:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
except ImportError as exc:  # the corpus must never be half-made: stop here, say why
    sys.exit(
        "make_odd_certs.py: the python 'cryptography' package is required "
        f"(pip install cryptography): {exc}"
    )

# ecdsa-with-SHA256 / ecdsa-with-SHA384 AlgorithmIdentifiers (RFC 5758: parameters absent)
ALG_ECDSA_SHA256 = bytes.fromhex("300a06082a8648ce3d040302")
ALG_ECDSA_SHA384 = bytes.fromhex("300a06082a8648ce3d040303")
VERSION_V3 = bytes.fromhex("a003020102")

NOT_BEFORE = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
NOT_AFTER = datetime.datetime(2049, 12, 31, 23, 59, 59, tzinfo=datetime.timezone.utc)


def fail(message: str) -> None:
    sys.exit(f"make_odd_certs.py: {message}")


# --- DER writing (encoding only; the corpus never needs to walk arbitrary DER) ---------

def der_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def tlv(tag: int, content: bytes) -> bytes:
    return bytes([tag]) + der_length(len(content)) + content


def header_length(total: int) -> int:
    """Length of a minimal DER header whose TLV is `total` bytes long in all."""
    for hl in (2, 3, 4, 5):
        if len(der_length(total - hl)) == hl - 1:
            return hl
    fail(f"no DER header fits a {total}-byte element")
    raise AssertionError  # unreachable, for type checkers


def certificate(tbs: bytes, alg: bytes, signature: bytes) -> bytes:
    bit_string = tlv(0x03, b"\x00" + signature)
    return tlv(0x30, tbs + alg + bit_string)


# --- file helpers --------------------------------------------------------------------

def read_der(path: str, pem_label: str = "CERTIFICATE") -> bytes:
    data = Path(path).read_bytes()
    if data.startswith(b"-----BEGIN"):
        if pem_label == "CERTIFICATE":
            return x509.load_pem_x509_certificate(data).public_bytes(serialization.Encoding.DER)
        return x509.load_pem_x509_crl(data).public_bytes(serialization.Encoding.DER)
    return data


def write_pem(path: str, der: bytes, label: str) -> None:
    import base64

    body = base64.b64encode(der).decode("ascii")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    Path(path).write_text(f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n")


def load_key(path: str):
    return serialization.load_pem_private_key(Path(path).read_bytes(), password=None)


def ecdsa_sign(key_path: str, tbs: bytes, hash_alg: hashes.HashAlgorithm) -> bytes:
    key = load_key(key_path)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        fail(f"{key_path}: byte-surgery cases expect an ECDSA issuer key")
    return key.sign(tbs, ec.ECDSA(hash_alg))


def split_ecdsa_sha256_cert(der: bytes) -> tuple[bytes, bytes]:
    """(tbs, signature) of a certificate signed with ecdsa-with-SHA256, layout checked."""
    cert = x509.load_der_x509_certificate(der)
    tbs = cert.tbs_certificate_bytes
    hl = header_length(len(der))
    if der[hl : hl + len(tbs)] != tbs:
        fail("the TBSCertificate is not where a minimal DER header puts it")
    if der[hl + len(tbs) : hl + len(tbs) + len(ALG_ECDSA_SHA256)] != ALG_ECDSA_SHA256:
        fail("expected an ecdsa-with-SHA256 certificate")
    return tbs, cert.signature


# --- sub-commands --------------------------------------------------------------------

def corrupt_signature(src: str, dst: str) -> None:
    is_crl = b"X509 CRL" in Path(src).read_bytes()[:40]
    label = "X509 CRL" if is_crl else "CERTIFICATE"
    der = bytearray(read_der(src, label))
    # The signature BIT STRING is the last element; its last byte is part of the value
    # (RSA: the big-endian signature; ECDSA: the last byte of INTEGER s), so flipping a
    # low bit keeps every length and tag intact.
    der[-1] ^= 0x01
    if is_crl:
        x509.load_der_x509_crl(bytes(der))
    else:
        x509.load_der_x509_certificate(bytes(der))
    write_pem(dst, bytes(der), label)


def trailing_bytes(src: str, dst: str) -> None:
    Path(dst).write_bytes(read_der(src) + bytes.fromhex("0500"))


def nonminimal_outer_length(src: str, dst: str) -> None:
    der = read_der(src)
    hl = header_length(len(der))
    content = der[hl:]
    body = len(content).to_bytes((len(content).bit_length() + 7) // 8, "big")
    padded = b"\x00" + body  # one leading zero length octet: BER-legal, DER-forbidden
    Path(dst).write_bytes(bytes([0x30, 0x80 | len(padded)]) + padded + content)


def nonminimal_serial_length(src: str, ca_key: str, dst: str) -> None:
    tbs, _ = split_ecdsa_sha256_cert(read_der(src))
    thl = header_length(len(tbs))
    at = thl + len(VERSION_V3)
    if tbs[thl:at] != VERSION_V3 or tbs[at] != 0x02 or tbs[at + 1] >= 0x80:
        fail("expected version v3 followed by a short-form serialNumber")
    serial_len = tbs[at + 1]
    inner = tbs[thl:at] + bytes([0x02, 0x81, serial_len]) + tbs[at + 2 :]
    new_tbs = tlv(0x30, inner)
    sig = ecdsa_sign(ca_key, new_tbs, hashes.SHA256())
    Path(dst).write_bytes(certificate(new_tbs, ALG_ECDSA_SHA256, sig))


def truncate(src: str, dst: str) -> None:
    der = read_der(src)
    Path(dst).write_bytes(der[: len(der) // 2])


def sigalg_mismatch(src: str, ca_key: str, dst: str) -> None:
    tbs, _ = split_ecdsa_sha256_cert(read_der(src))
    if tbs.count(ALG_ECDSA_SHA256) != 1:
        fail("expected exactly one ecdsa-with-SHA256 AlgorithmIdentifier inside the TBS")
    new_tbs = tbs.replace(ALG_ECDSA_SHA256, ALG_ECDSA_SHA384)  # same length: no re-framing
    sig = ecdsa_sign(ca_key, new_tbs, hashes.SHA256())
    Path(dst).write_bytes(certificate(new_tbs, ALG_ECDSA_SHA256, sig))


def changed_issuer(mode: str, subject: x509.Name) -> x509.Name:
    rdns = list(subject.rdns)
    if mode == "lowercase":
        def lower(attr: x509.NameAttribute) -> x509.NameAttribute:
            return x509.NameAttribute(attr.oid, str(attr.value).lower(), attr._type)
        return x509.Name([x509.RelativeDistinguishedName([lower(a) for a in rdn]) for rdn in rdns])
    if mode == "extra-attribute":
        extra = x509.RelativeDistinguishedName([x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Clients")])
        return x509.Name(rdns[:-1] + [extra] + rdns[-1:])
    if mode == "reordered":
        return x509.Name(list(reversed(rdns)))
    if mode == "printable-string":
        def printable(attr: x509.NameAttribute) -> x509.NameAttribute:
            return x509.NameAttribute(attr.oid, str(attr.value), x509.name._ASN1Type.PrintableString)
        return x509.Name([x509.RelativeDistinguishedName([printable(a) for a in rdn]) for rdn in rdns])
    fail(f"unknown issuer-name mode {mode!r}")
    raise AssertionError


def issuer_name(mode: str, ca_cert: str, ca_key: str, leaf_key: str, dst: str) -> None:
    ca = x509.load_pem_x509_certificate(Path(ca_cert).read_bytes())
    issuer = changed_issuer(mode, ca.subject)
    if issuer.public_bytes() == ca.subject.public_bytes():
        fail(f"mode {mode} left the issuer DN byte-identical to the CA subject")
    signing_key = load_key(ca_key)
    public_key = load_key(leaf_key).public_key()
    ca_ski = ca.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "alice")]))
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
    )
    if isinstance(signing_key, ed25519.Ed25519PrivateKey):
        cert = builder.sign(signing_key, None)
    elif isinstance(signing_key, (ec.EllipticCurvePrivateKey, rsa.RSAPrivateKey)):
        cert = builder.sign(signing_key, hashes.SHA256())
    else:
        fail(f"{ca_key}: unsupported issuer key type")
        raise AssertionError
    Path(dst).write_bytes(cert.public_bytes(serialization.Encoding.PEM))


COMMANDS = {
    "corrupt-signature": (corrupt_signature, 2),
    "trailing-bytes": (trailing_bytes, 2),
    "nonminimal-outer-length": (nonminimal_outer_length, 2),
    "nonminimal-serial-length": (nonminimal_serial_length, 3),
    "truncate": (truncate, 2),
    "sigalg-mismatch": (sigalg_mismatch, 3),
    "issuer-name": (issuer_name, 5),
}


def run(args: list[str]) -> None:
    if not args or args[0] not in COMMANDS:
        fail("usage: make_odd_certs.py <" + "|".join(COMMANDS) + "> ARGS...  or  batch FILE")
    handler, arity = COMMANDS[args[0]]
    if len(args) - 1 != arity:
        fail(f"{args[0]} takes {arity} arguments, got {len(args) - 1}")
    handler(*args[1:])


def main(argv: list[str]) -> None:
    # "batch FILE": one command per line, arguments separated by tabs (one python start-up
    # for the whole corpus instead of one per certificate).
    if len(argv) == 3 and argv[1] == "batch":
        for line in Path(argv[2]).read_text().splitlines():
            if line:
                run(line.split("\t"))
        return
    run(argv[1:])


if __name__ == "__main__":
    main(sys.argv)
