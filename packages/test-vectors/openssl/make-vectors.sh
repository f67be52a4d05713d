#!/usr/bin/env bash
# Regenerates the project's own interop vectors: openssl/files/* and openssl/manifest.json.
#
# Every file is made by the tools users actually have (the openssl CLI, and Python
# `cryptography` when it is installed), and every expected value in the manifest is read
# back from openssl itself, so the manifest says what OpenSSL says.
#
# Deterministic where the tools allow: fixed private keys (from fixed scalars / seeds,
# except the RSA key and the `ecparam -genkey` key), fixed subjects, serials, passphrases,
# iteration counts, messages and, for the `openssl ca` certificates, fixed dates.
# Salts, IVs, ECDSA nonces (so signatures and certificate signatures) and the dates of the
# `req -x509` certificates change on every run: OpenSSL 3.0 offers no way to fix them.
# Idempotent: everything is built in a temporary directory and then replaces files/ and
# manifest.json as a whole, so a run never leaves a mix of old and new files.
#
# usage: bash packages/test-vectors/openssl/make-vectors.sh
set -euo pipefail
export LC_ALL=C

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
die() { echo "make-vectors: $*" >&2; exit 1; }
for tool in openssl jq od xxd sha256sum sha384sum date; do
  command -v "$tool" >/dev/null || die "needs '$tool' on PATH"
done

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
OUT=$WORK/files # becomes openssl/files
TMP=$WORK/scratch # intermediate material that is not a vector
mkdir -p "$OUT" "$TMP"
ENTRIES=$WORK/entries.jsonl
: >"$ENTRIES"

# Test passphrases only.
PASS='ecp-test-passphrase'
WRONG='not-the-passphrase'
UPASS='pässwörd-日本-🔑' # non-ASCII: PBES2 takes UTF-8 bytes, the PKCS#12 MAC a BMPString
ITER=2048

# ---------------------------------------------------------------- helpers

hex_of() { od -An -v -tx1 | tr -d ' \n'; }

# js TEXT -> a JSON string literal. Entries are assembled as JSON text in bash (one jq per
# entry cost seconds); the final jq call parses, validates and pretty-prints the result.
js() {
  local s=$1
  [[ "$s" != *[[:cntrl:]]* ]] || die "control character in a manifest string"
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "$s"
}

# SubjectPublicKeyInfo (DER, hex) of a private key file, as `openssl pkey -pubout` says.
spki_of_key() { openssl pkey -in "$1" -passin "pass:$2" -pubout -outform DER | hex_of; }

# key_json SPKI_HEX TYPE [CURVE] -> {"type","curve"?,"publicKeyHex"?,"spkiDerHex"}
# publicKeyHex: EC uncompressed point (04||x||y), Ed25519 raw 32 bytes; none for RSA.
key_json() {
  local spki=$1 type=$2 curve=${3:-} pub=''
  case "$type/$curve" in
    ec/P-256) pub=${spki: -130} ;;
    ec/P-384) pub=${spki: -194} ;;
    ed25519/) pub=${spki: -64} ;;
  esac
  printf '{"type":"%s"' "$type"
  [[ -z "$curve" ]] || printf ',"curve":"%s"' "$curve"
  [[ -z "$pub" ]] || printf ',"publicKeyHex":"%s"' "$pub"
  printf ',"spkiDerHex":"%s"}' "$spki"
}

# cert_json FILE -> what a certificate reader must report.
cert_json() {
  local f=$1 subject issuer serial nb na sha1 sha256 spki pub
  subject=$(openssl x509 -in "$f" -noout -subject -nameopt RFC2253 | sed -n 's/^subject=.*CN=\([^,]*\).*$/\1/p')
  issuer=$(openssl x509 -in "$f" -noout -issuer -nameopt RFC2253 | sed -n 's/^issuer=.*CN=\([^,]*\).*$/\1/p')
  serial=$(openssl x509 -in "$f" -noout -serial | cut -d= -f2)
  nb=$(date -u -d "$(openssl x509 -in "$f" -noout -startdate | cut -d= -f2)" +%Y-%m-%dT%H:%M:%SZ)
  na=$(date -u -d "$(openssl x509 -in "$f" -noout -enddate | cut -d= -f2)" +%Y-%m-%dT%H:%M:%SZ)
  sha1=$(openssl x509 -in "$f" -noout -fingerprint -sha1 | cut -d= -f2)
  sha256=$(openssl x509 -in "$f" -noout -fingerprint -sha256 | cut -d= -f2)
  spki=$(openssl x509 -in "$f" -noout -pubkey | openssl pkey -pubin -outform DER | hex_of)
  printf '{"subjectCN":%s,"issuerCN":%s,"serialHex":"%s","notBefore":"%s","notAfter":"%s",' \
    "$(js "$subject")" "$(js "$issuer")" "$serial" "$nb" "$na"
  printf '"sha1Fingerprint":"%s","sha256Fingerprint":"%s","spkiDerHex":"%s"}' "$sha1" "$sha256" "$spki"
}

OK='{"result":"ok"}'
err() { printf '{"result":"error","errorCode":"%s"}' "$1"; }
pbes2() { printf '{"scheme":"PBES2","cipher":"%s","prf":"%s","iterations":%d}' "$1" "$2" "$3"; }

# add ID FILE KIND READ_AS DESCRIPTION PRODUCED_BY FIELDS_JSON
# FILE is relative to files/; the encoding follows from its extension.
add() {
  local encoding
  case "$2" in
    *.pem) encoding=pem ;;
    *.txt) encoding=text ;;
    *.der | *.p12 | *.bin) encoding=der ;;
    *) die "no encoding known for $2" ;;
  esac
  [[ -f "$OUT/$2" ]] || die "entry $1: files/$2 was not written"
  [[ "$7" == \{* ]] || die "entry $1: fields must be a JSON object"
  printf '{"id":%s,"path":"files/%s","kind":"%s","encoding":"%s","readAs":"%s","description":%s,"producedBy":%s,%s\n' \
    "$(js "$1")" "$2" "$3" "$encoding" "$4" "$(js "$5")" "$(js "$6")" "${7#\{}" >>"$ENTRIES"
}

# fields PASSPHRASE|- EXPECT_JSON [KEY_JSON|null] [ENCRYPTION_JSON|null]
fields() {
  local out=''
  [[ "$1" == - ]] || out+="\"passphrase\":$(js "$1"),"
  [[ "${4:-null}" == null ]] || out+="\"encryption\":$4,"
  out+="\"expect\":$2"
  [[ "${3:-null}" == null ]] || out+=",\"key\":$3"
  printf '{%s}' "$out"
}

# cert_fields CERT_JSON KEY_JSON: a certificate file that parses.
cert_fields() { printf '{"expect":%s,"certificates":[%s],"key":%s}' "$OK" "$1" "$2"; }

# A key from a fixed scalar: SEC1 ECPrivateKey DER without the public key, which
# `openssl ec` computes and writes. $1 = curve OID DER (hex), $2 = scalar (hex).
sec1_from_scalar() {
  local oid=$1 d=$2 len=$((${#2} / 2))
  local body
  body=$(printf '020101%02x%02x%sa0%02x%s' 4 "$len" "$d" $((${#oid} / 2)) "$oid")
  printf '30%02x%s' $((${#body} / 2)) "$body" | xxd -r -p
}
P256_OID=06082a8648ce3d030107
P384_OID=06052b81040022
scalar256() { printf %s "$1" | sha256sum | cut -c1-64; }
scalar384() { printf %s "$1" | sha384sum | cut -c1-96; }

cd "$WORK"

# ---------------------------------------------------------------- P-256 keys

sec1_from_scalar "$P256_OID" "$(scalar256 'ecp test-vectors: alice P-256')" >"$TMP/alice.der"
openssl ec -inform DER -in "$TMP/alice.der" -check -out "$OUT/p256-sec1.pem" 2>/dev/null
sec1_from_scalar "$P256_OID" "$(scalar256 'ecp test-vectors: bob P-256')" >"$TMP/bob.der"
openssl ec -inform DER -in "$TMP/bob.der" -check -out "$TMP/bob.pem" 2>/dev/null
ALICE_KEY=$(key_json "$(spki_of_key "$OUT/p256-sec1.pem" '')" ec P-256)
BOB_KEY=$(key_json "$(spki_of_key "$TMP/bob.pem" '')" ec P-256)

add p256-sec1 p256-sec1.pem sec1 private-key \
  "alice's P-256 key as SEC1 'EC PRIVATE KEY' (what 'openssl ec' writes)" \
  'openssl ec -inform DER -in <ECPrivateKey from a fixed scalar> -out p256-sec1.pem' \
  "$(fields - "$OK" "$ALICE_KEY")"

openssl ecparam -name prime256v1 -genkey -out "$OUT/p256-ecparam-genkey.pem"
add p256-ecparam-genkey p256-ecparam-genkey.pem sec1 private-key \
  "a fresh P-256 key exactly as 'openssl ecparam -genkey' writes it: an 'EC PARAMETERS' block, then the 'EC PRIVATE KEY' block" \
  'openssl ecparam -name prime256v1 -genkey -out p256-ecparam-genkey.pem' \
  "$(fields - "$OK" "$(key_json "$(spki_of_key "$OUT/p256-ecparam-genkey.pem" '')" ec P-256)")"

openssl pkey -in "$OUT/p256-sec1.pem" -out "$OUT/p256-pkcs8.pem"
add p256-pkcs8 p256-pkcs8.pem pkcs8-plain private-key \
  "alice's P-256 key as unencrypted PKCS#8 'PRIVATE KEY'" \
  'openssl pkey -in p256-sec1.pem -out p256-pkcs8.pem' \
  "$(fields - "$OK" "$ALICE_KEY")"

for cipher in aes-128-cbc aes-192-cbc aes-256-cbc; do
  for prf in hmacWithSHA1 hmacWithSHA224 hmacWithSHA256 hmacWithSHA384 hmacWithSHA512; do
    bits=${cipher#aes-}
    bits=${bits%-cbc}
    hash=$(printf %s "${prf#hmacWith}" | tr 'A-Z' 'a-z')
    id="p256-pkcs8-aes${bits}-${hash}"
    openssl pkcs8 -topk8 -in "$OUT/p256-pkcs8.pem" -v2 "$cipher" -v2prf "$prf" -iter "$ITER" \
      -passout "pass:$PASS" -out "$OUT/$id.pem"
    add "$id" "$id.pem" pkcs8-encrypted private-key \
      "alice's P-256 key, encrypted PKCS#8, PBES2 with PBKDF2-$prf and $cipher" \
      "openssl pkcs8 -topk8 -v2 $cipher -v2prf $prf -iter $ITER -passout pass:<passphrase>" \
      "$(fields "$PASS" "$OK" "$ALICE_KEY" "$(pbes2 "$cipher" "$prf" "$ITER")")"
  done
done

add p256-pkcs8-wrong-passphrase p256-pkcs8-aes256-sha256.pem pkcs8-encrypted private-key \
  "the AES-256/HMAC-SHA256 encrypted key with a passphrase that is not its own" \
  '(same file as p256-pkcs8-aes256-sha256)' \
  "$(fields "$WRONG" "$(err ECP_WRONG_PASSPHRASE)" null "$(pbes2 aes-256-cbc hmacWithSHA256 "$ITER")")"

openssl pkcs8 -topk8 -in "$OUT/p256-pkcs8.pem" -passout "pass:$PASS" -out "$OUT/p256-pkcs8-openssl-default.pem"
add p256-pkcs8-openssl-default p256-pkcs8-openssl-default.pem pkcs8-encrypted private-key \
  "alice's P-256 key encrypted with the defaults of 'openssl pkcs8 -topk8' on OpenSSL 3 (PBES2, AES-256-CBC, HMAC-SHA256, 2048 iterations)" \
  'openssl pkcs8 -topk8 -passout pass:<passphrase>' \
  "$(fields "$PASS" "$OK" "$ALICE_KEY" "$(pbes2 aes-256-cbc hmacWithSHA256 2048)")"

openssl pkcs8 -topk8 -in "$OUT/p256-pkcs8.pem" -v2 aes-256-cbc -v2prf hmacWithSHA256 -iter "$ITER" \
  -passout "pass:$UPASS" -out "$OUT/p256-pkcs8-unicode-passphrase.pem"
add p256-pkcs8-unicode-passphrase p256-pkcs8-unicode-passphrase.pem pkcs8-encrypted private-key \
  "alice's P-256 key, encrypted PKCS#8 under a non-ASCII passphrase (PBKDF2 takes its UTF-8 bytes)" \
  "openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256 -iter $ITER -passout pass:<unicode passphrase>" \
  "$(fields "$UPASS" "$OK" "$ALICE_KEY" "$(pbes2 aes-256-cbc hmacWithSHA256 "$ITER")")"

openssl ec -in "$OUT/p256-sec1.pem" -aes256 -passout "pass:$PASS" -out "$OUT/p256-sec1-legacy-pem-encryption.pem" 2>/dev/null
add p256-sec1-legacy-pem-encryption p256-sec1-legacy-pem-encryption.pem sec1-encrypted-legacy private-key \
  "alice's key as SEC1 with the old OpenSSL PEM encryption (Proc-Type/DEK-Info headers): not a format the readers support" \
  'openssl ec -aes256 -passout pass:<passphrase>' \
  "$(fields "$PASS" "$(err ECP_UNSUPPORTED_FORMAT)" "$ALICE_KEY")"

# A truncated download: valid armor around the first 100 bytes of the DER, and a PEM
# text cut after its second line (no END line).
sed '1d;$d' "$OUT/p256-pkcs8-aes256-sha256.pem" | openssl base64 -d >"$TMP/enc.der"
{
  echo '-----BEGIN ENCRYPTED PRIVATE KEY-----'
  head -c 100 "$TMP/enc.der" | openssl base64
  echo '-----END ENCRYPTED PRIVATE KEY-----'
} >"$OUT/p256-pkcs8-truncated-der.pem"
add p256-pkcs8-truncated-der p256-pkcs8-truncated-der.pem pkcs8-encrypted private-key \
  "the first 100 bytes of the DER of p256-pkcs8-aes256-sha256, in valid PEM armor" \
  'head -c 100 <DER> | openssl base64, between ENCRYPTED PRIVATE KEY lines' \
  "$(fields "$PASS" "$(err ECP_MALFORMED)")"
head -n 3 "$OUT/p256-pkcs8-aes256-sha256.pem" >"$OUT/p256-pkcs8-truncated-pem.pem"
add p256-pkcs8-truncated-pem p256-pkcs8-truncated-pem.pem pkcs8-encrypted private-key \
  "the first 3 lines of p256-pkcs8-aes256-sha256 (a cut-off download: no END line)" \
  'head -n 3 p256-pkcs8-aes256-sha256.pem' \
  "$(fields "$PASS" "$(err ECP_MALFORMED)")"

# ---------------------------------------------------------------- other key types

sec1_from_scalar "$P384_OID" "$(scalar384 'ecp test-vectors: carol P-384')" >"$TMP/carol.der"
openssl ec -inform DER -in "$TMP/carol.der" -check -out "$TMP/carol-sec1.pem" 2>/dev/null
openssl pkey -in "$TMP/carol-sec1.pem" -out "$OUT/p384-pkcs8.pem"
CAROL_KEY=$(key_json "$(spki_of_key "$OUT/p384-pkcs8.pem" '')" ec P-384)
add p384-pkcs8 p384-pkcs8.pem pkcs8-plain private-key \
  "carol's P-384 key, unencrypted PKCS#8: the login scheme is P-256 only" \
  'openssl pkey -in <P-384 SEC1 from a fixed scalar> -out p384-pkcs8.pem' \
  "$(fields - "$(err ECP_WRONG_CURVE)" "$CAROL_KEY")"
openssl pkcs8 -topk8 -in "$OUT/p384-pkcs8.pem" -v2 aes-256-cbc -v2prf hmacWithSHA256 -iter "$ITER" \
  -passout "pass:$PASS" -out "$OUT/p384-pkcs8-encrypted.pem"
add p384-pkcs8-encrypted p384-pkcs8-encrypted.pem pkcs8-encrypted private-key \
  "carol's P-384 key, encrypted PKCS#8 (right passphrase): decrypts, then refused for its curve" \
  "openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256 -iter $ITER -passout pass:<passphrase>" \
  "$(fields "$PASS" "$(err ECP_WRONG_CURVE)" "$CAROL_KEY" "$(pbes2 aes-256-cbc hmacWithSHA256 "$ITER")")"

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$OUT/rsa2048-pkcs8.pem" 2>/dev/null
add rsa2048-pkcs8 rsa2048-pkcs8.pem pkcs8-plain private-key \
  "an RSA-2048 key (a fresh one on every run), unencrypted PKCS#8" \
  'openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048' \
  "$(fields - "$(err ECP_WRONG_CURVE)" "$(key_json "$(spki_of_key "$OUT/rsa2048-pkcs8.pem" '')" rsa)")"

printf '302e020100300506032b657004220420%s' "$(scalar256 'ecp test-vectors: Ed25519')" | xxd -r -p \
  | openssl pkey -inform DER -out "$OUT/ed25519-pkcs8.pem"
add ed25519-pkcs8 ed25519-pkcs8.pem pkcs8-plain private-key \
  "an Ed25519 key (fixed seed), unencrypted PKCS#8" \
  'openssl pkey -inform DER -in <PKCS#8 from a fixed seed> -out ed25519-pkcs8.pem' \
  "$(fields - "$(err ECP_WRONG_CURVE)" "$(key_json "$(spki_of_key "$OUT/ed25519-pkcs8.pem" '')" ed25519)")"

# ---------------------------------------------------------------- not keys

printf 'This is not a key file.\nIt is a shopping list: eggs, milk, bread.\n' >"$OUT/garbage-text.txt"
add garbage-text garbage-text.txt garbage private-key \
  "plain text with no PEM block" 'printf' "$(fields "$PASS" "$(err ECP_NOT_A_KEY)")"

for i in 0 1 2 3; do printf 'ecp garbage %d' "$i" | openssl dgst -sha512 -binary; done >"$OUT/garbage-binary.bin"
add garbage-binary garbage-binary.bin garbage private-key \
  "256 pseudo-random bytes (SHA-512 of fixed labels): neither PEM nor DER nor PKCS#12" \
  "for i in 0 1 2 3; do printf 'ecp garbage %d' \$i | openssl dgst -sha512 -binary; done" \
  "$(fields "$PASS" "$(err ECP_NOT_A_KEY)")"

printf -- '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg***not*base64***\n-----END PRIVATE KEY-----\n' \
  >"$OUT/garbage-bad-base64.pem"
add garbage-bad-base64 garbage-bad-base64.pem garbage private-key \
  "a 'PRIVATE KEY' PEM block whose body is not valid base64" 'printf' \
  "$(fields - "$(err ECP_MALFORMED)")"

# ---------------------------------------------------------------- certificates and CSR

openssl req -x509 -new -key "$OUT/p256-sec1.pem" -subj /CN=alice -days 7300 -set_serial 0x0A11CE \
  -out "$OUT/cert-alice.pem"
ALICE_CERT=$(cert_json "$OUT/cert-alice.pem")
add cert-alice cert-alice.pem certificate certificate \
  "alice's self-signed P-256 certificate, CN=alice, 20 years from the day it was made (req -x509 defaults: v3_ca extensions)" \
  'openssl req -x509 -new -key p256-sec1.pem -subj /CN=alice -days 7300 -set_serial 0x0A11CE' \
  "$(cert_fields "$ALICE_CERT" "$ALICE_KEY")"

add cert-as-key cert-alice.pem certificate private-key \
  "alice's certificate given where a private key is expected" '(same file as cert-alice)' \
  "$(fields "$PASS" "$(err ECP_NOT_A_KEY)")"

openssl req -x509 -new -key "$TMP/bob.pem" -subj /CN=bob -days 7300 -set_serial 0x0B0B -out "$OUT/cert-bob.pem"
BOB_CERT=$(cert_json "$OUT/cert-bob.pem")
add cert-bob cert-bob.pem certificate certificate \
  "bob's self-signed P-256 certificate, CN=bob (wrong CN for alice; bob's key signs nothing of alice's)" \
  'openssl req -x509 -new -key <bob key> -subj /CN=bob -days 7300 -set_serial 0x0B0B' \
  "$(cert_fields "$BOB_CERT" "$BOB_KEY")"

openssl req -x509 -new -key "$TMP/carol-sec1.pem" -subj /CN=carol -days 7300 -set_serial 0x0CA201 \
  -out "$OUT/cert-carol-p384.pem"
CAROL_CERT=$(cert_json "$OUT/cert-carol-p384.pem")
add cert-carol-p384 cert-carol-p384.pem certificate certificate \
  "carol's self-signed P-384 certificate, CN=carol (ECDSA-SHA256 signature by a P-384 key)" \
  'openssl req -x509 -new -key <carol P-384 key> -subj /CN=carol -days 7300 -set_serial 0x0CA201' \
  "$(cert_fields "$CAROL_CERT" "$CAROL_KEY")"

openssl req -new -key "$OUT/p256-sec1.pem" -subj /CN=alice -out "$OUT/csr-alice.pem"
add csr-alice csr-alice.pem csr csr \
  "a PKCS#10 request for CN=alice signed by alice's key (what POST /register with a csr receives)" \
  'openssl req -new -key p256-sec1.pem -subj /CN=alice' \
  "$(printf '{"expect":%s,"csr":{"subjectCN":"alice"},"key":%s}' "$OK" "$ALICE_KEY")"

# `openssl ca -selfsign` is the one OpenSSL 3.0 command that takes arbitrary dates.
mkdir -p "$TMP/ca/new"
: >"$TMP/ca/index.txt"
cat >"$TMP/ca/ca.cnf" <<EOF
[ ca ]
default_ca = test_ca
[ test_ca ]
database = $TMP/ca/index.txt
new_certs_dir = $TMP/ca/new
serial = $TMP/ca/serial
default_md = sha256
policy = policy_any
unique_subject = no
email_in_dn = no
x509_extensions = leaf_ext
[ policy_any ]
commonName = supplied
[ leaf_ext ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
EOF
selfsign_dated() { # OUT SERIAL START END
  echo "$2" >"$TMP/ca/serial"
  openssl ca -batch -config "$TMP/ca/ca.cnf" -selfsign -keyfile "$OUT/p256-sec1.pem" -in "$OUT/csr-alice.pem" \
    -startdate "$3" -enddate "$4" -notext -out "$1" 2>/dev/null
}
selfsign_dated "$OUT/cert-alice-expired.pem" 0E0001 20200101000000Z 20210101000000Z
add cert-alice-expired cert-alice-expired.pem certificate certificate \
  "alice's key, CN=alice, valid 2020-01-01 to 2021-01-01 only (expired; UTCTime dates)" \
  'openssl ca -selfsign -startdate 20200101000000Z -enddate 20210101000000Z (serial 0E0001)' \
  "$(cert_fields "$(cert_json "$OUT/cert-alice-expired.pem")" "$ALICE_KEY")"
selfsign_dated "$OUT/cert-alice-not-yet-valid.pem" 0E0002 20990101000000Z 21000101000000Z
add cert-alice-not-yet-valid cert-alice-not-yet-valid.pem certificate certificate \
  "alice's key, CN=alice, valid 2099-01-01 to 2100-01-01 (not yet valid; GeneralizedTime dates)" \
  'openssl ca -selfsign -startdate 20990101000000Z -enddate 21000101000000Z (serial 0E0002)' \
  "$(cert_fields "$(cert_json "$OUT/cert-alice-not-yet-valid.pem")" "$ALICE_KEY")"

# ---------------------------------------------------------------- PKCS#12

# p12_fields PASSPHRASE EXPECT KEY_JSON KEY_CERT_INDEX ENCRYPTION CERT_JSON...
p12_fields() {
  local pass=$1 expect=$2 key=$3 index=$4 enc=$5
  shift 5
  local IFS=,
  printf '{"passphrase":%s,"encryption":%s,"expect":%s,"key":%s,"certificates":[%s],"keyCertificateIndex":%d}' \
    "$(js "$pass")" "$enc" "$expect" "$key" "$*" "$index"
}
P12_DEFAULT='{"scheme":"PKCS12-PBES2","cipher":"aes-256-cbc","prf":"hmacWithSHA256","iterations":2048,"mac":"SHA-256"}'

openssl pkcs12 -export -inkey "$OUT/p256-sec1.pem" -in "$OUT/cert-alice.pem" -name alice \
  -passout "pass:$PASS" -out "$OUT/p12-openssl-default.p12"
add p12-openssl-default p12-openssl-default.p12 pkcs12 private-key \
  "alice's key and certificate, 'openssl pkcs12 -export' with OpenSSL 3 defaults (PBES2 AES-256-CBC, PBKDF2-SHA256, SHA-256 MAC, 2048 iterations)" \
  'openssl pkcs12 -export -inkey p256-sec1.pem -in cert-alice.pem -name alice -passout pass:<passphrase>' \
  "$(p12_fields "$PASS" "$OK" "$ALICE_KEY" 0 "$P12_DEFAULT" "$ALICE_CERT")"

add p12-wrong-passphrase p12-openssl-default.p12 pkcs12 private-key \
  "p12-openssl-default with a passphrase that is not its own (the MAC check fails)" \
  '(same file as p12-openssl-default)' \
  "$(fields "$WRONG" "$(err ECP_WRONG_PASSPHRASE)" null "$P12_DEFAULT")"

openssl pkcs12 -export -inkey "$OUT/p256-sec1.pem" -in "$OUT/cert-alice.pem" -name alice \
  -passout pass: -out "$OUT/p12-empty-passphrase.p12"
add p12-empty-passphrase p12-empty-passphrase.p12 pkcs12 private-key \
  "as p12-openssl-default, with the empty passphrase" \
  'openssl pkcs12 -export ... -passout pass:' \
  "$(p12_fields '' "$OK" "$ALICE_KEY" 0 "$P12_DEFAULT" "$ALICE_CERT")"

openssl pkcs12 -export -inkey "$OUT/p256-sec1.pem" -in "$OUT/cert-alice.pem" -name alice \
  -keypbe NONE -certpbe NONE -passout "pass:$PASS" -out "$OUT/p12-unencrypted-bags.p12"
add p12-unencrypted-bags p12-unencrypted-bags.p12 pkcs12 private-key \
  "alice's key and certificate in plain (unencrypted) bags; the passphrase only keys the SHA-256 MAC" \
  'openssl pkcs12 -export ... -keypbe NONE -certpbe NONE -passout pass:<passphrase>' \
  "$(p12_fields "$PASS" "$OK" "$ALICE_KEY" 0 '{"scheme":"none","mac":"SHA-256"}' "$ALICE_CERT")"

openssl pkcs12 -export -inkey "$OUT/p256-sec1.pem" -in "$OUT/cert-alice.pem" -name alice \
  -nomac -passout "pass:$PASS" -out "$OUT/p12-nomac.p12"
add p12-nomac p12-nomac.p12 pkcs12 private-key \
  "OpenSSL 3 default encryption but no MAC at all (a wrong passphrase shows only as a bad decryption)" \
  'openssl pkcs12 -export ... -nomac -passout pass:<passphrase>' \
  "$(p12_fields "$PASS" "$OK" "$ALICE_KEY" 0 '{"scheme":"PKCS12-PBES2","cipher":"aes-256-cbc","prf":"hmacWithSHA256","iterations":2048,"mac":"none"}' "$ALICE_CERT")"

cat "$OUT/cert-bob.pem" "$OUT/cert-alice.pem" >"$TMP/bob-then-alice.pem"
# openssl reports "key values mismatch" while it looks for the key's certificate; quiet
# unless the command fails.
openssl pkcs12 -export -inkey "$OUT/p256-sec1.pem" -in "$TMP/bob-then-alice.pem" -name alice \
  -passout "pass:$PASS" -out "$OUT/p12-two-certs.p12" 2>"$TMP/two-certs.err" || { cat "$TMP/two-certs.err" >&2; die "p12-two-certs"; }
add p12-two-certs p12-two-certs.p12 pkcs12 private-key \
  "alice's key with bob's and alice's certificates given in that order; OpenSSL writes the key's own certificate (alice, with localKeyId) first" \
  'openssl pkcs12 -export -inkey p256-sec1.pem -in <cert-bob.pem + cert-alice.pem> -passout pass:<passphrase>' \
  "$(p12_fields "$PASS" "$OK" "$ALICE_KEY" 0 "$P12_DEFAULT" "$ALICE_CERT" "$BOB_CERT")"

openssl pkcs12 -export -inkey "$OUT/p256-sec1.pem" -in "$OUT/cert-alice.pem" -name alice \
  -passout "pass:$UPASS" -out "$OUT/p12-unicode-passphrase.p12"
add p12-unicode-passphrase p12-unicode-passphrase.p12 pkcs12 private-key \
  "OpenSSL 3 defaults under a non-ASCII passphrase (MAC key from its BMPString, PBES2 key from its UTF-8 bytes)" \
  'openssl pkcs12 -export ... -passout pass:<unicode passphrase>' \
  "$(p12_fields "$UPASS" "$OK" "$ALICE_KEY" 0 "$P12_DEFAULT" "$ALICE_CERT")"

openssl pkcs12 -export -inkey "$TMP/carol-sec1.pem" -in "$OUT/cert-carol-p384.pem" -name carol \
  -passout "pass:$PASS" -out "$OUT/p12-p384.p12"
add p12-p384 p12-p384.p12 pkcs12 private-key \
  "carol's P-384 key and certificate, OpenSSL 3 defaults: opens, then refused for its curve" \
  'openssl pkcs12 -export -inkey <carol P-384 key> -in cert-carol-p384.pem -passout pass:<passphrase>' \
  "$(p12_fields "$PASS" "$(err ECP_WRONG_CURVE)" "$CAROL_KEY" 0 "$P12_DEFAULT" "$CAROL_CERT")"

# OpenSSL 3.0 writes legacy PKCS#12 itself when its legacy provider is installed
# (Debian ships ossl-modules/legacy.so).
openssl pkcs12 -export -legacy -inkey "$OUT/p256-sec1.pem" -in "$OUT/cert-alice.pem" -name alice \
  -passout "pass:$PASS" -out "$OUT/p12-legacy.p12" ||
  die "'openssl pkcs12 -export -legacy' failed: the OpenSSL legacy provider is needed"
add p12-legacy p12-legacy.p12 pkcs12 private-key \
  "legacy PKCS#12 as OpenSSL 1.x wrote it: key in pbeWithSHA1And3-KeyTripleDES-CBC, certificates in pbeWithSHA1And40BitRC2-CBC, SHA-1 MAC" \
  'openssl pkcs12 -export -legacy ... -passout pass:<passphrase> (OpenSSL 3.0 legacy provider)' \
  "$(p12_fields "$PASS" "$(err ECP_LEGACY_PKCS12)" "$ALICE_KEY" 0 \
    '{"scheme":"PKCS12-legacy","keyCipher":"pbeWithSHA1And3-KeyTripleDES-CBC","certCipher":"pbeWithSHA1And40BitRC2-CBC","iterations":2048,"mac":"SHA-1"}' \
    "$ALICE_CERT")"

head -c 200 "$OUT/p12-openssl-default.p12" >"$OUT/p12-truncated.p12"
add p12-truncated p12-truncated.p12 pkcs12 private-key \
  "the first 200 bytes of p12-openssl-default" 'head -c 200 p12-openssl-default.p12' \
  "$(fields "$PASS" "$(err ECP_MALFORMED)")"

# ---------------------------------------------------------------- Python `cryptography`

PY_VERSION=null
if python3 -c 'import cryptography' 2>/dev/null; then
  PY_VERSION=$(python3 -c 'import cryptography, json; print(json.dumps(cryptography.__version__))')
  python3 "$HERE/make-python-vectors.py" "$OUT" "$OUT/p256-sec1.pem" "$OUT/cert-alice.pem" "$OUT/cert-bob.pem" "$PASS"
  add p256-pkcs8-python-best-available p256-pkcs8-python-best-available.pem pkcs8-encrypted private-key \
    "alice's P-256 key as Python cryptography writes it: PKCS8 + BestAvailableEncryption (PBES2, AES-256-CBC, HMAC-SHA256)" \
    'private_bytes(Encoding.PEM, PrivateFormat.PKCS8, BestAvailableEncryption(passphrase))' \
    "$(fields "$PASS" "$OK" "$ALICE_KEY" "$(pbes2 aes-256-cbc hmacWithSHA256 2048)")"
  add p12-python-best-available p12-python-best-available.p12 pkcs12 private-key \
    "alice's key and certificate from Python cryptography's pkcs12.serialize_key_and_certificates with BestAvailableEncryption" \
    'pkcs12.serialize_key_and_certificates(b"alice", key, cert, None, BestAvailableEncryption(passphrase))' \
    "$(p12_fields "$PASS" "$OK" "$ALICE_KEY" 0 \
      '{"scheme":"PKCS12-PBES2","cipher":"aes-256-cbc","prf":"hmacWithSHA256","iterations":20000,"mac":"SHA-256"}' "$ALICE_CERT")"
  add p12-python-key-matches-second p12-python-key-matches-second.p12 pkcs12 private-key \
    "alice's key with bob's certificate first and alice's second, no localKeyId: the reader must pick the certificate whose public key matches" \
    'pkcs12.serialize_key_and_certificates(None, key, None, [bob, alice], PBESv2SHA256AndAES256CBC, SHA-256 MAC, 2048 rounds)' \
    "$(p12_fields "$PASS" "$OK" "$ALICE_KEY" 1 "$P12_DEFAULT" "$BOB_CERT" "$ALICE_CERT")"
  add p12-legacy-python-3des p12-legacy-python-3des.p12 pkcs12 private-key \
    "legacy PKCS#12 from Python cryptography: key and certificates in pbeWithSHA1And3-KeyTripleDES-CBC, SHA-1 MAC" \
    'pkcs12.serialize_key_and_certificates(..., KeySetting PBES.PBESv1SHA1And3KeyTripleDESCBC, SHA-1 MAC, 2048 rounds)' \
    "$(p12_fields "$PASS" "$(err ECP_LEGACY_PKCS12)" "$ALICE_KEY" 0 \
      '{"scheme":"PKCS12-legacy","keyCipher":"pbeWithSHA1And3-KeyTripleDES-CBC","certCipher":"pbeWithSHA1And3-KeyTripleDES-CBC","iterations":2048,"mac":"SHA-1"}' \
      "$ALICE_CERT")"
else
  echo "make-vectors: python3 'cryptography' not importable: the Python-made files are left out" >&2
fi

# ---------------------------------------------------------------- signatures

P256_HALF_N=7FFFFFFF800000007FFFFFFFFFFFFFFFDE737D56D38BCF4279DCE5617E3192A8
# is_high_s SIG_DER_FILE: s > n/2 (a signature that lowS-only verifiers wrongly refuse).
is_high_s() {
  local s
  s=$(openssl asn1parse -inform DER -in "$1" | sed -n 's/.*INTEGER *:\([0-9A-F]*\)$/\1/p' | tail -n 1)
  s=$(printf '%64s' "$s" | tr ' ' 0)
  [[ "$s" > "$P256_HALF_N" ]]
}
sign() { printf %s "$1" | openssl dgst -sha256 -sign "$OUT/p256-sec1.pem" -out "$2"; }

# sig_add ID FILE MESSAGE CERT_ID KEY_JSON_OF_THAT_CERT VALID DESCRIPTION
sig_add() {
  local high=false
  is_high_s "$OUT/$2" && high=true
  local sighex msghex
  sighex=$(hex_of <"$OUT/$2")
  msghex=$(printf %s "$3" | hex_of)
  add "$1" "$2" signature signature "$7" \
    "printf %s <message> | openssl dgst -sha256 -sign p256-sec1.pem" \
    "$(printf '{"expect":%s,"signature":{"message":%s,"messageHex":"%s","hash":"SHA-256","signatureHex":"%s","certificateId":"%s","publicKeyHex":"%s","valid":%s,"highS":%s}}' \
      "$OK" "$(js "$3")" "$msghex" "$sighex" "$4" "$(sed -n 's/.*"publicKeyHex":"\([0-9a-f]*\)".*/\1/p' <<<"$5")" "$6" "$high")"
}

NONCE=$(printf %s 'ecp test-vectors: nonce' | sha256sum | cut -c1-64)
# OpenSSL's nonces are random, so keep signing until one low-S and one high-S signature of
# the nonce exist (each is 1/2 likely per try; 64 tries fail with probability 2^-63).
have_low=false have_high=false
for try in $(seq 1 64); do
  sign "$NONCE" "$TMP/try.der"
  if is_high_s "$TMP/try.der"; then
    $have_high || { cp "$TMP/try.der" "$OUT/sig-nonce-high-s.der"; have_high=true; }
  else
    $have_low || { cp "$TMP/try.der" "$OUT/sig-nonce-low-s.der"; have_low=true; }
  fi
  $have_low && $have_high && break
done
$have_low && $have_high || die "no low-S/high-S pair after 64 signatures"

sig_add sig-nonce-low-s sig-nonce-low-s.der "$NONCE" cert-alice "$ALICE_KEY" true \
  "alice's DER signature of a 64-hex-char nonce, s <= n/2"
sig_add sig-nonce-high-s sig-nonce-high-s.der "$NONCE" cert-alice "$ALICE_KEY" true \
  "alice's DER signature of the same nonce with s > n/2 (valid: ECDSA does not require low S)"
sign '' "$OUT/sig-empty.der"
sig_add sig-empty sig-empty.der '' cert-alice "$ALICE_KEY" true "alice's DER signature of the empty message"
UNICODE_MSG='héllo wörld — ✓ 日本語 🔑'
sign "$UNICODE_MSG" "$OUT/sig-unicode.der"
sig_add sig-unicode sig-unicode.der "$UNICODE_MSG" cert-alice "$ALICE_KEY" true \
  "alice's DER signature of a non-ASCII message (its UTF-8 bytes are signed)"
LONG_MSG=$(for i in $(seq 1 16); do printf %s "$NONCE"; done)
sign "$LONG_MSG" "$OUT/sig-long.der"
sig_add sig-long sig-long.der "$LONG_MSG" cert-alice "$ALICE_KEY" true \
  "alice's DER signature of a 1024-character message"
# Negative cases reuse the low-S nonce signature.
OTHER_NONCE=${NONCE%?}$([[ ${NONCE: -1} == 0 ]] && echo 1 || echo 0)
cp "$OUT/sig-nonce-low-s.der" "$OUT/sig-wrong-message.der"
sig_add sig-wrong-message sig-wrong-message.der "$OTHER_NONCE" cert-alice "$ALICE_KEY" false \
  "the signature of sig-nonce-low-s checked against a nonce that differs in its last character: must not verify"
cp "$OUT/sig-nonce-low-s.der" "$OUT/sig-wrong-key.der"
sig_add sig-wrong-key sig-wrong-key.der "$NONCE" cert-bob "$BOB_KEY" false \
  "alice's signature of the nonce checked against bob's certificate: must not verify"

# ---------------------------------------------------------------- manifest

jq -s -e 'map(.id) | (length == (unique | length))' "$ENTRIES" >/dev/null || die "duplicate entry ids"
jq -n --arg openssl "$(openssl version)" --argjson py "$PY_VERSION" \
  --arg pass "$PASS" --arg wrong "$WRONG" --arg upass "$UPASS" --slurpfile entries "$ENTRIES" \
  '{format: 1,
    generator: "packages/test-vectors/openssl/make-vectors.sh",
    tools: {openssl: $openssl, pythonCryptography: $py},
    passphrases: {default: $pass, wrong: $wrong, unicode: $upass},
    entries: $entries}' >"$WORK/manifest.json"

rm -rf "$HERE/files"
mv "$OUT" "$HERE/files"
mv "$WORK/manifest.json" "$HERE/manifest.json"
echo "make-vectors: $(jq '.entries | length' "$HERE/manifest.json") entries, $(ls "$HERE/files" | wc -l) files in $HERE"
