#!/usr/bin/env bash
# Makes the X.509 certification-path corpus in this directory: cases/<id>/*.pem|der,
# corpus.json and README.md. Run it from anywhere: bash packages/test-vectors/chains/make-chains.sh
#
# Every certificate and CRL carries fixed dates (openssl ca -startdate/-enddate and
# -crl_lastupdate/-crl_nextupdate: OpenSSL 3.0 has no x509 -not_before), and every case names
# its evaluation time, so verdicts never change with the calendar. Keys are new on every run,
# so the files change, but the case list, the verdicts and OpenSSL's verdicts do not.
# Certificates openssl cannot make (byte surgery, odd issuer names) come from make_odd_certs.py.
#
# For each case the script runs `openssl verify` and records its verdict; it stops with an
# error when OpenSSL disagrees with the expected validity of a case that does not say why
# (differsFromOpenssl), or agrees with one that says it differs, so the corpus stays honest.
set -euo pipefail
export LC_ALL=C

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

ODD="$HERE/make_odd_certs.py"

die() { echo "make-chains.sh: $*" >&2; exit 1; }

command -v openssl >/dev/null || die "openssl is not on PATH"
[[ "$(openssl version)" == "OpenSSL 3."* ]] || die "needs OpenSSL 3.x, found: $(openssl version)"
command -v jq >/dev/null || die "jq is not on PATH (apt-get install jq)"
command -v python3 >/dev/null || die "python3 is not on PATH"
python3 -c 'import cryptography' 2>/dev/null \
  || die "python3 cannot import 'cryptography' (pip install cryptography); make_odd_certs.py needs it"
date -u -d '2030-01-01T00:00:00Z' +%s >/dev/null 2>&1 || die "needs GNU date (date -d)"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK"/{keys,csr,certs,crls,db/new}
: >"$WORK/db/index.txt"
echo 1000 >"$WORK/db/serial"
: >"$WORK/cases.tsv"
: >"$WORK/cases.sh"
: >"$WORK/odd.tsv"
CASES_DIR="$WORK/cases"
export CA_DB="$WORK/db"   # the issuing database; crl() points it elsewhere per CRL

# ---------------------------------------------------------------------------------------
# Fixed times
# ---------------------------------------------------------------------------------------
T_START=20200101000000Z        # notBefore of ordinary certificates
T_END=20491231235959Z          # notAfter (the last second a UTCTime can express)
AT=2030-01-01T00:00:00Z        # evaluation time of ordinary cases
REVOKED_AT=290101000000Z       # revocationDate in CRLs (before AT)
CRL_LAST=20290601000000Z       # CRL thisUpdate of ordinary CRLs
CRL_NEXT=20300601000000Z       # CRL nextUpdate of ordinary CRLs (after AT)

# ---------------------------------------------------------------------------------------
# openssl configuration: one shared issuing database (unique_subject = no, so the same
# subject can be issued many times); CRLs get their own database, written by crl().
# ---------------------------------------------------------------------------------------
CNF="$WORK/ca.cnf"
cat >"$CNF" <<'EOF'
[ ca ]
default_ca = corpus_ca
[ corpus_ca ]
database = $ENV::CA_DB/index.txt
serial = $ENV::CA_DB/serial
crlnumber = $ENV::CA_DB/crlnumber
new_certs_dir = $ENV::CA_DB/new
unique_subject = no
policy = policy_any
email_in_dn = no
default_md = default
[ policy_any ]
countryName = optional
organizationName = optional
organizationalUnitName = optional
commonName = optional
[ req ]
distinguished_name = req_dn
[ req_dn ]
[ crl_ext ]
authorityKeyIdentifier = keyid:always
EOF

# Extension profiles. Private OID arc 1.3.6.1.4.1.32473 is IANA's example enterprise
# number (RFC 5612), so the "unknown" extensions can never collide with a real one.
EXT="$WORK/ext.cnf"
cat >"$EXT" <<'EOF'
[ ca ]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ ca_pathlen0 ]
basicConstraints = critical,CA:true,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ ca_pathlen1 ]
basicConstraints = critical,CA:true,pathlen:1
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ ca_no_basic_constraints ]
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ ca_basic_constraints_false ]
basicConstraints = critical,CA:false
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ ca_ku_without_certsign ]
basicConstraints = critical,CA:true
keyUsage = critical,digitalSignature,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ ca_unknown_critical ]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
1.3.6.1.4.1.32473.1.1 = critical,ASN1:NULL
[ leaf ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ leaf_no_key_usage ]
basicConstraints = critical,CA:false
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ leaf_ku_key_agreement ]
basicConstraints = critical,CA:false
keyUsage = critical,keyAgreement
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ leaf_ku_non_repudiation ]
basicConstraints = critical,CA:false
keyUsage = critical,nonRepudiation
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ leaf_eku_server ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ leaf_eku_email ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = emailProtection
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ leaf_eku_any ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = anyExtendedKeyUsage
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ leaf_eku_none ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ leaf_eku_server_client ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth,clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ leaf_unknown_critical ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
1.3.6.1.4.1.32473.1.2 = critical,ASN1:NULL
[ leaf_unknown_noncritical ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
1.3.6.1.4.1.32473.1.3 = ASN1:UTF8String:ignore me
EOF

# ---------------------------------------------------------------------------------------
# Keys, certificates, CRLs
# ---------------------------------------------------------------------------------------
declare -A KEY_OF=()   # certificate name -> key name

# key NAME TYPE: a private key in $WORK/keys/NAME.key (TYPE: p256 p384 rsa2048 rsa1024 ed25519)
key() {
  local out="$WORK/keys/$1.key"
  case $2 in
    p256) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$out" ;;
    p384) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$out" ;;
    rsa2048) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$out" 2>/dev/null ;;
    rsa1024) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$out" 2>/dev/null ;;
    ed25519) openssl genpkey -algorithm ED25519 -out "$out" ;;
    *) die "unknown key type $2" ;;
  esac
}

# issue NAME SUBJECT KEY ISSUER PROFILE: certificate $WORK/certs/NAME.pem for key KEY,
# signed by certificate ISSUER (or "self"), extensions from PROFILE in ext.cnf.
# Optional environment: START END (validity), MD (digest), SIGOPTS (space-separated n:v).
issue() {
  local name=$1 subject=$2 keyname=$3 issuer=$4 profile=$5
  local csr="$WORK/csr/$keyname.csr" # only carries the public key: -subj sets the subject
  [[ -z "${KEY_OF[$name]:-}" ]] || die "certificate $name issued twice"
  [[ -f $csr ]] || openssl req -new -config "$CNF" -key "$WORK/keys/$keyname.key" -subj "/CN=request" -out "$csr"
  local args=(ca -batch -config "$CNF" -notext -preserveDN -in "$csr" -out "$WORK/certs/$name.pem"
    -subj "$subject" -extfile "$EXT" -extensions "$profile"
    -startdate "${START:-$T_START}" -enddate "${END:-$T_END}")
  if [[ $issuer == self ]]; then
    args+=(-selfsign -keyfile "$WORK/keys/$keyname.key")
  else
    [[ -n "${KEY_OF[$issuer]:-}" ]] || die "issuer $issuer of $name does not exist"
    args+=(-cert "$WORK/certs/$issuer.pem" -keyfile "$WORK/keys/${KEY_OF[$issuer]}.key")
  fi
  [[ -z "${MD:-}" ]] || args+=(-md "$MD")
  local opt
  for opt in ${SIGOPTS:-}; do args+=(-sigopt "$opt"); done
  CA_DB="$WORK/db" openssl "${args[@]}" >"$WORK/openssl.log" 2>&1 \
    || { cat "$WORK/openssl.log" >&2; die "openssl ca could not issue $name"; }
  KEY_OF[$name]=$keyname
}

# odd NAME KEYNAME|"" COMMAND ARGS...: queue certificate NAME for make_odd_certs.py, which
# runs once for the whole queue (run_odd) after every ordinary certificate exists; one
# python start-up instead of fifteen keeps the script at a few seconds.
odd() {
  local name=$1 keyname=$2; shift 2
  (IFS=$'\t'; echo "$*") >>"$WORK/odd.tsv"
  KEY_OF[$name]=${keyname:-none}
}
run_odd() {
  python3 "$ODD" batch "$WORK/odd.tsv" || die "make_odd_certs.py failed"
}

# certfile NAME: the file of certificate NAME (.pem, or .der for byte-surgery results)
certfile() {
  if [[ -f "$WORK/certs/$1.pem" ]]; then echo "$WORK/certs/$1.pem"
  elif [[ -f "$WORK/certs/$1.der" ]]; then echo "$WORK/certs/$1.der"
  else die "no certificate named $1"; fi
}

# crl NAME ISSUER LAST NEXT [REVOKED-CERT...]: $WORK/crls/NAME.pem signed by ISSUER, listing
# the serial numbers of the named certificates (revocationDate REVOKED_AT, keyCompromise).
crl() {
  local name=$1 issuer=$2 last=$3 next=$4; shift 4
  local db="$WORK/crldb/$name" cert serial
  mkdir -p "$db"
  : >"$db/index.txt"
  echo 01 >"$db/crlnumber"
  for cert in "$@"; do
    serial=$(openssl x509 -in "$(certfile "$cert")" -noout -serial)
    printf 'R\t491231235959Z\t%s,keyCompromise\t%s\tunknown\t/CN=%s\n' \
      "$REVOKED_AT" "${serial#serial=}" "$cert" >>"$db/index.txt"
  done
  CA_DB="$db" openssl ca -gencrl -batch -config "$CNF" -cert "$WORK/certs/$issuer.pem" \
    -keyfile "$WORK/keys/${KEY_OF[$issuer]}.key" -crl_lastupdate "$last" -crl_nextupdate "$next" \
    -crlexts crl_ext -out "$WORK/crls/$name.pem" >"$WORK/openssl.log" 2>&1 \
    || { cat "$WORK/openssl.log" >&2; die "openssl ca could not make CRL $name"; }
}

fingerprint() { # lower-case hex SHA-256 of a certificate's DER
  openssl x509 -in "$(certfile "$1")" -outform DER | openssl dgst -sha256 -r | cut -d' ' -f1
}

# ---------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------
REASONS=" expired not_yet_valid untrusted bad_signature not_a_ca path_length key_usage eku critical_extension revoked weak_algorithm malformed "
declare -A SEEN_ID=()

# add_case ID EXPECTED DESCRIPTION [leaf=CERT] [anchors="CERT..."] [inter="CERT..."]
#          [crls="CRL..."] [crl_scope=leaf|all] [deny="CERT..."] [at=ISO] [differs=TEXT]
# EXPECTED is "valid" or a reason code. The case is queued (with the current RULE) and made
# by make_case once every file exists.
add_case() {
  { printf '%q ' "RULE=$RULE" make_case "$@"; echo; } >>"$WORK/cases.sh"
}

# make_case (same arguments): copies the files into cases/ID, runs openssl verify from that
# directory and appends the case to cases.tsv, which becomes corpus.json.
make_case() {
  local id=$1 expected=$2 description=$3; shift 3
  local leaf="" anchors="" inter="" crls="" crl_scope=leaf deny="" at=$AT differs="" kv
  for kv in "$@"; do
    case $kv in
      leaf=*) leaf=${kv#*=} ;; anchors=*) anchors=${kv#*=} ;; inter=*) inter=${kv#*=} ;;
      crls=*) crls=${kv#*=} ;; crl_scope=*) crl_scope=${kv#*=} ;; deny=*) deny=${kv#*=} ;;
      at=*) at=${kv#*=} ;; differs=*) differs=${kv#*=} ;;
      *) die "$id: unknown case field $kv" ;;
    esac
  done
  [[ -z "${SEEN_ID[$id]:-}" ]] || die "duplicate case id $id"
  SEEN_ID[$id]=1
  [[ -n $leaf && -n $anchors ]] || die "$id: leaf and anchors are required"
  [[ $expected == valid || $REASONS == *" $expected "* ]] || die "$id: unknown reason $expected"

  local dir="$CASES_DIR/$id" src leaf_file c
  mkdir -p "$dir"
  src=$(certfile "$leaf")
  leaf_file="leaf.${src##*.}"
  cp "$src" "$dir/$leaf_file"
  local anchor_files=() inter_files=() crl_files=() fps=()
  for c in $anchors; do cp "$(certfile "$c")" "$dir/$c.pem"; anchor_files+=("$c.pem"); done
  for c in $inter; do cp "$(certfile "$c")" "$dir/$c.pem"; inter_files+=("$c.pem"); done
  for c in $crls; do cp "$WORK/crls/$c.pem" "$dir/$c.pem"; crl_files+=("$c.pem"); done
  for c in $deny; do fps+=("$(fingerprint "$c")"); done

  # OpenSSL's verdict. -CAfile takes one file, so several anchors are concatenated (in
  # order) into openssl-cafile.pem; -untrusted and -CRLfile may be repeated.
  local cafile="${anchor_files[0]}"
  if ((${#anchor_files[@]} > 1)); then
    cafile=openssl-cafile.pem
    (cd "$dir" && cat "${anchor_files[@]}" >"$cafile")
  fi
  local epoch cmd=()
  epoch=$(date -u -d "$at" +%s)
  cmd=(openssl verify -x509_strict -purpose sslclient -attime "$epoch" -no-CApath -no-CAstore -CAfile "$cafile")
  for c in "${inter_files[@]}"; do cmd+=(-untrusted "$c"); done
  if ((${#crl_files[@]} > 0)); then
    if [[ $crl_scope == all ]]; then cmd+=(-crl_check_all); else cmd+=(-crl_check); fi
    for c in "${crl_files[@]}"; do cmd+=(-CRLfile "$c"); done
  fi
  cmd+=("$leaf_file")
  local out rc=0 verdict error="" depth=""
  out=$(cd "$dir" && "${cmd[@]}" 2>&1) || rc=$?
  if ((rc == 0)) && grep -q ": OK$" <<<"$out"; then
    verdict=ok
  else
    verdict=error
    local first
    first=$(grep -m1 -E '^error [0-9]+ at [0-9]+ depth lookup: ' <<<"$out" || true)
    if [[ -n $first ]]; then
      error=${first#*depth lookup: }
      depth=$(sed -E 's/^error [0-9]+ at ([0-9]+) depth.*/\1/' <<<"$first")
    else # could not even load a file: keep openssl's own first line
      error=$(grep -m1 -vE '^[0-9A-F]+:error:' <<<"$out" || true)
    fi
  fi

  local expected_valid=false openssl_valid=false
  [[ $expected == valid ]] && expected_valid=true
  [[ $verdict == ok ]] && openssl_valid=true
  if [[ -z $differs && $expected_valid != "$openssl_valid" ]]; then
    die "$id: expected $expected but openssl says $verdict${error:+ ($error)}; fix the case or document differsFromOpenssl"
  fi
  if [[ -n $differs && $expected_valid == "$openssl_valid" ]]; then
    die "$id: differsFromOpenssl is set, yet openssl agrees ($verdict${error:+: $error})"
  fi

  local IFS=' '
  printf '%s\t' "$id" "${RULE:?}" "$description" "$leaf_file" "${anchor_files[*]}" "${inter_files[*]}" \
    "${crl_files[*]}" "${fps[*]}" "$at" "$expected" "$verdict" "$error" "$depth" "${cmd[*]}" >>"$WORK/cases.tsv"
  printf '%s\n' "$differs" >>"$WORK/cases.tsv"
}

# Reasons for differing from OpenSSL, shared by several cases
WHY_SHA1="openssl verify applies no security level unless -auth_level is given, so it accepts SHA-1 signatures (from -auth_level 1 on it rejects them: 'CA signature digest algorithm too weak'); we always reject them as weak_algorithm, SHA-1 collisions being practical."
WHY_MD5="openssl verify applies no security level unless -auth_level is given, so it accepts an MD5 signature (from -auth_level 1 on it rejects it); we always reject MD5 as weak_algorithm."
WHY_RSA1024="openssl verify applies no security level unless -auth_level is given, and even -auth_level 1 (80-bit security) accepts 1024-bit RSA; only level 2 rejects it. We require RSA keys of at least 2048 bits."
WHY_DENY="The SHA-256 fingerprint denylist is ours alone: openssl verify has no such option, so it accepts the certificate."
WHY_NAME_CANON="We chain names by comparing the DER of issuer and subject byte for byte (as pyca/cryptography's verifier does); OpenSSL compares canonicalised names (UTF-8, case-folded, spaces collapsed, in the spirit of RFC 5280 7.1), so it finds the issuer anyway. A CA copies its own subject into the issuer field, so different bytes mean a certificate that CA did not write."
WHY_NO_BACKTRACK="OpenSSL does not backtrack while building a path: it takes the first candidate issuer that matches by name and authorityKeyIdentifier, and fails on it, although another candidate gives a valid path."
WHY_BER="OpenSSL's decoder accepts this BER length encoding and checks the signature over the bytes as received, so the certificate verifies; we accept strict DER only (as the contract demands for ECDSA signatures), so that one certificate has exactly one encoding and one fingerprint."

# --- the PKI ----------------------------------------------------------------------------
for k in root-p256 int-p256 int2-p256 int3-p256 leaf-p256 other-root-p256 impostor-p256 twin-a twin-b \
  old-root new-root cross-int self-leaf alt-leaf; do key "$k" p256; done
for k in root-p384 int-p384 leaf-p384; do key "$k" p384; done
for k in root-rsa int-rsa leaf-rsa; do key "$k" rsa2048; done
for k in ca-rsa1024 leaf-rsa1024; do key "$k" rsa1024; done
for k in root-ed25519 int-ed25519 leaf-ed25519; do key "$k" ed25519; done

PKI="/O=Ecp Test PKI"
issue root-p256 "$PKI/CN=Ecp Test Root P-256" root-p256 self ca
issue int-p256 "$PKI/CN=Ecp Test Intermediate P-256" int-p256 root-p256 ca
issue int2-p256 "$PKI/CN=Ecp Test Second Intermediate P-256" int2-p256 int-p256 ca
issue other-root-p256 "/O=Someone Else/CN=Foreign Root" other-root-p256 self ca

MD=sha384 issue root-p384 "$PKI/CN=Ecp Test Root P-384" root-p384 self ca
MD=sha384 issue int-p384 "$PKI/CN=Ecp Test Intermediate P-384" int-p384 root-p384 ca
MD=sha256 issue root-rsa "$PKI/CN=Ecp Test Root RSA" root-rsa self ca
for md in sha256 sha384 sha512; do
  MD=$md issue "int-rsa-$md" "$PKI/CN=Ecp Test Intermediate RSA" int-rsa root-rsa ca
done
SIGOPTS="rsa_padding_mode:pss rsa_pss_saltlen:digest" MD=sha256 \
  issue root-rsa-pss "$PKI/CN=Ecp Test Root RSA-PSS" root-rsa self ca
SIGOPTS="rsa_padding_mode:pss rsa_pss_saltlen:digest" MD=sha256 \
  issue int-rsa-pss "$PKI/CN=Ecp Test Intermediate RSA-PSS" int-rsa root-rsa-pss ca
issue root-ed25519 "$PKI/CN=Ecp Test Root Ed25519" root-ed25519 self ca
issue int-ed25519 "$PKI/CN=Ecp Test Intermediate Ed25519" int-ed25519 root-ed25519 ca
MD=sha384 issue int-p384-under-rsa "$PKI/CN=Ecp Test Intermediate P-384 under RSA" int-p384 root-rsa ca

ALICE="/CN=alice"

# --- valid paths, one per signature algorithm --------------------------------------------
RULE="valid path"
issue leaf-root-direct "$ALICE" leaf-p256 root-p256 leaf
add_case valid-root-leaf-p256 valid "ECDSA P-256 root signs the leaf directly (ecdsa-with-SHA256)" \
  leaf=leaf-root-direct anchors=root-p256

issue leaf-p256 "$ALICE" leaf-p256 int-p256 leaf
add_case valid-one-intermediate-p256 valid "root -> intermediate -> leaf, all ECDSA P-256 with SHA-256" \
  leaf=leaf-p256 anchors=root-p256 inter=int-p256

issue leaf-under-int2 "$ALICE" leaf-p256 int2-p256 leaf
add_case valid-two-intermediates-p256 valid "root -> intermediate -> second intermediate -> leaf (P-256)" \
  leaf=leaf-under-int2 anchors=root-p256 inter="int-p256 int2-p256"
add_case valid-two-intermediates-reversed valid "as valid-two-intermediates-p256 with the intermediates listed leaf-side last: order of the untrusted pool must not matter" \
  leaf=leaf-under-int2 anchors=root-p256 inter="int2-p256 int-p256"

MD=sha384 issue leaf-p384 "$ALICE" leaf-p384 int-p384 leaf
add_case valid-p384-sha384 valid "root -> intermediate -> leaf, all ECDSA P-384 keys, ecdsa-with-SHA384 signatures" \
  leaf=leaf-p384 anchors=root-p384 inter=int-p384

for md in sha256 sha384 sha512; do
  MD=$md issue "leaf-rsa-$md" "$ALICE" leaf-rsa "int-rsa-$md" leaf
  add_case "valid-rsa2048-pkcs1-$md" valid "RSA-2048 root, intermediate and leaf; intermediate and leaf signed with PKCS#1 v1.5 ${md^^}" \
    leaf="leaf-rsa-$md" anchors=root-rsa inter="int-rsa-$md"
done

SIGOPTS="rsa_padding_mode:pss rsa_pss_saltlen:digest" MD=sha256 \
  issue leaf-under-pss "$ALICE" leaf-rsa int-rsa-pss leaf
add_case valid-rsa-pss-sha256 valid "RSA-2048 keys; root, intermediate and leaf signed with RSASSA-PSS (SHA-256, MGF1-SHA-256, salt 32)" \
  leaf=leaf-under-pss anchors=root-rsa-pss inter=int-rsa-pss

issue leaf-ed25519 "$ALICE" leaf-ed25519 int-ed25519 leaf
add_case valid-ed25519 valid "root -> intermediate -> leaf, all Ed25519 keys and Ed25519 signatures" \
  leaf=leaf-ed25519 anchors=root-ed25519 inter=int-ed25519

issue leaf-p256-under-ed25519 "$ALICE" leaf-p256 root-ed25519 leaf
add_case valid-ed25519-root-p256-leaf valid "Ed25519 root signs a P-256 leaf" \
  leaf=leaf-p256-under-ed25519 anchors=root-ed25519

MD=sha384 issue leaf-mixed "$ALICE" leaf-p256 int-p384-under-rsa leaf
add_case valid-mixed-rsa-p384-p256 valid "RSA-2048 root (SHA-384) -> P-384 intermediate (ecdsa-with-SHA384) -> P-256 leaf" \
  leaf=leaf-mixed anchors=root-rsa inter=int-p384-under-rsa

END=20600101000000Z issue leaf-generalized-time "$ALICE" leaf-p256 int-p256 leaf
add_case valid-notafter-generalizedtime valid "leaf notAfter 2060-01-01 (encoded as GeneralizedTime, after the UTCTime range)" \
  leaf=leaf-generalized-time anchors=root-p256 inter=int-p256

# --- validity period -----------------------------------------------------------------------
RULE="validity"
END=20250101000000Z issue leaf-expired "$ALICE" leaf-p256 int-p256 leaf
add_case expired-leaf expired "leaf notAfter 2025-01-01, evaluated 2030-01-01" \
  leaf=leaf-expired anchors=root-p256 inter=int-p256

START=20350101000000Z issue leaf-not-yet-valid "$ALICE" leaf-p256 int-p256 leaf
add_case not-yet-valid-leaf not_yet_valid "leaf notBefore 2035-01-01, evaluated 2030-01-01" \
  leaf=leaf-not-yet-valid anchors=root-p256 inter=int-p256

END=20250101000000Z issue int-expired "$PKI/CN=Ecp Test Intermediate P-256" int-p256 root-p256 ca
issue leaf-under-int-expired "$ALICE" leaf-p256 int-expired leaf
add_case expired-intermediate expired "intermediate notAfter 2025-01-01 (the leaf itself is in its validity period)" \
  leaf=leaf-under-int-expired anchors=root-p256 inter=int-expired

START=20350101000000Z issue int-not-yet-valid "$PKI/CN=Ecp Test Intermediate P-256" int-p256 root-p256 ca
issue leaf-under-int-not-yet-valid "$ALICE" leaf-p256 int-not-yet-valid leaf
add_case not-yet-valid-intermediate not_yet_valid "intermediate notBefore 2035-01-01" \
  leaf=leaf-under-int-not-yet-valid anchors=root-p256 inter=int-not-yet-valid

END=20250101000000Z issue root-expired "$PKI/CN=Ecp Test Expired Root" root-p256 self ca
issue leaf-under-root-expired "$ALICE" leaf-p256 root-expired leaf
add_case expired-trust-anchor expired "the trust anchor itself expired 2025-01-01: an expired anchor certificate is not used" \
  leaf=leaf-under-root-expired anchors=root-expired

START=20300601000000Z issue leaf-boundary-nb "$ALICE" leaf-p256 int-p256 leaf
add_case boundary-at-notbefore valid "evaluated exactly at the leaf's notBefore (2030-06-01T00:00:00Z): validity is inclusive" \
  leaf=leaf-boundary-nb anchors=root-p256 inter=int-p256 at=2030-06-01T00:00:00Z
add_case boundary-one-second-before-notbefore not_yet_valid "evaluated one second before the leaf's notBefore" \
  leaf=leaf-boundary-nb anchors=root-p256 inter=int-p256 at=2030-05-31T23:59:59Z

END=20300601000000Z issue leaf-boundary-na "$ALICE" leaf-p256 int-p256 leaf
add_case boundary-at-notafter valid "evaluated exactly at the leaf's notAfter (2030-06-01T00:00:00Z): RFC 5280 4.1.2.5 makes the period inclusive" \
  leaf=leaf-boundary-na anchors=root-p256 inter=int-p256 at=2030-06-01T00:00:00Z \
  differs="OpenSSL treats notAfter as exclusive (X509_cmp_time(notAfter, t) < 0 when they are equal) and reports 'certificate has expired' at exactly notAfter; RFC 5280 4.1.2.5 says the validity period includes notAfter."
add_case boundary-one-second-after-notafter expired "evaluated one second after the leaf's notAfter" \
  leaf=leaf-boundary-na anchors=root-p256 inter=int-p256 at=2030-06-01T00:00:01Z

# --- trust ---------------------------------------------------------------------------------
RULE="trust"
issue leaf-foreign "$ALICE" leaf-p256 other-root-p256 leaf
add_case untrusted-foreign-ca untrusted "leaf issued by a root that is not among the trust anchors" \
  leaf=leaf-foreign anchors=root-p256
add_case untrusted-foreign-ca-supplied untrusted "leaf issued by a foreign root, and that root is offered as an untrusted intermediate: a self-signed certificate in the pool is not an anchor" \
  leaf=leaf-foreign anchors=root-p256 inter=other-root-p256

issue leaf-self-signed "$ALICE" self-leaf self leaf
add_case untrusted-self-signed-leaf untrusted "self-signed client certificate that is not a trust anchor" \
  leaf=leaf-self-signed anchors=root-p256

add_case untrusted-missing-intermediate untrusted "root -> intermediate -> leaf, but the intermediate is not supplied" \
  leaf=leaf-p256 anchors=root-p256
add_case untrusted-missing-second-intermediate untrusted "root -> int -> int2 -> leaf with only int supplied" \
  leaf=leaf-under-int2 anchors=root-p256 inter=int-p256

# --- signatures ----------------------------------------------------------------------------
RULE="signature"
odd leaf-bad-sig "" corrupt-signature "$WORK/certs/leaf-p256.pem" "$WORK/certs/leaf-bad-sig.pem"
add_case bad-signature-leaf-ecdsa bad_signature "leaf's ECDSA signature value has one bit flipped (DER still well-formed)" \
  leaf=leaf-bad-sig anchors=root-p256 inter=int-p256

odd leaf-rsa-bad-sig "" corrupt-signature "$WORK/certs/leaf-rsa-sha256.pem" "$WORK/certs/leaf-rsa-bad-sig.pem"
add_case bad-signature-leaf-rsa bad_signature "leaf's RSA PKCS#1 v1.5 signature has one bit flipped" \
  leaf=leaf-rsa-bad-sig anchors=root-rsa inter=int-rsa-sha256

odd leaf-ed25519-bad-sig "" corrupt-signature "$WORK/certs/leaf-ed25519.pem" "$WORK/certs/leaf-ed25519-bad-sig.pem"
add_case bad-signature-leaf-ed25519 bad_signature "leaf's Ed25519 signature has one bit flipped" \
  leaf=leaf-ed25519-bad-sig anchors=root-ed25519 inter=int-ed25519

odd int-bad-sig "" corrupt-signature "$WORK/certs/int-p256.pem" "$WORK/certs/int-bad-sig.pem"
KEY_OF[int-bad-sig]=int-p256
add_case bad-signature-intermediate bad_signature "the intermediate's signature (by the root) has one bit flipped; the leaf is fine" \
  leaf=leaf-p256 anchors=root-p256 inter=int-bad-sig

issue impostor-int "$PKI/CN=Ecp Test Intermediate P-256" impostor-p256 self ca
issue leaf-by-impostor "$ALICE" leaf-p256 impostor-int leaf
add_case bad-signature-issuer-name-other-key bad_signature "leaf names the real intermediate as issuer but was signed by another key (an impostor CA with the same subject, not supplied). The name chain reaches an anchor, so the failure is the signature (reason bad_signature, not untrusted)" \
  leaf=leaf-by-impostor anchors=root-p256 inter=int-p256

# --- basicConstraints ----------------------------------------------------------------------
RULE="basicConstraints"
issue int-no-bc "$PKI/CN=Ecp Test Intermediate Without BC" int-p256 root-p256 ca_no_basic_constraints
issue leaf-under-int-no-bc "$ALICE" leaf-p256 int-no-bc leaf
add_case not-a-ca-no-basic-constraints not_a_ca "intermediate has keyUsage keyCertSign but no basicConstraints" \
  leaf=leaf-under-int-no-bc anchors=root-p256 inter=int-no-bc

issue int-bc-false "$PKI/CN=Ecp Test Intermediate CA False" int-p256 root-p256 ca_basic_constraints_false
issue leaf-under-int-bc-false "$ALICE" leaf-p256 int-bc-false leaf
add_case not-a-ca-basic-constraints-false not_a_ca "intermediate has basicConstraints cA=FALSE (and keyCertSign)" \
  leaf=leaf-under-int-bc-false anchors=root-p256 inter=int-bc-false

issue int-pathlen0 "$PKI/CN=Ecp Test Intermediate PathLen 0" int-p256 root-p256 ca_pathlen0
issue int2-under-pathlen0 "$PKI/CN=Ecp Test Second Intermediate P-256" int2-p256 int-pathlen0 ca
issue leaf-under-pathlen0-chain "$ALICE" leaf-p256 int2-under-pathlen0 leaf
add_case path-length-exceeded path_length "root -> int (pathLenConstraint 0) -> int2 -> leaf: one intermediate too many below int" \
  leaf=leaf-under-pathlen0-chain anchors=root-p256 inter="int-pathlen0 int2-under-pathlen0"

issue leaf-under-pathlen0 "$ALICE" leaf-p256 int-pathlen0 leaf
add_case path-length-zero-satisfied valid "root -> int (pathLenConstraint 0) -> leaf: the leaf does not count" \
  leaf=leaf-under-pathlen0 anchors=root-p256 inter=int-pathlen0

issue int-pathlen1 "$PKI/CN=Ecp Test Intermediate PathLen 1" int-p256 root-p256 ca_pathlen1
issue int2-pathlen0-under-1 "$PKI/CN=Ecp Test Second Intermediate P-256" int2-p256 int-pathlen1 ca_pathlen0
issue leaf-under-pathlen-ok "$ALICE" leaf-p256 int2-pathlen0-under-1 leaf
add_case path-length-satisfied valid "root -> int (pathLen 1) -> int2 (pathLen 0) -> leaf" \
  leaf=leaf-under-pathlen-ok anchors=root-p256 inter="int-pathlen1 int2-pathlen0-under-1"

issue int2-under-pathlen1 "$PKI/CN=Ecp Test Second Intermediate P-256" int2-p256 int-pathlen1 ca
issue int3-under-int2 "$PKI/CN=Ecp Test Third Intermediate P-256" int3-p256 int2-under-pathlen1 ca
issue leaf-under-int3 "$ALICE" leaf-p256 int3-under-int2 leaf
add_case path-length-exceeded-two-below path_length "root -> int (pathLen 1) -> int2 (no pathLen) -> int3 -> leaf: two intermediates below int" \
  leaf=leaf-under-int3 anchors=root-p256 inter="int-pathlen1 int2-under-pathlen1 int3-under-int2"

# --- keyUsage ------------------------------------------------------------------------------
RULE="keyUsage"
issue int-ku-no-certsign "$PKI/CN=Ecp Test Intermediate Without keyCertSign" int-p256 root-p256 ca_ku_without_certsign
issue leaf-under-int-ku "$ALICE" leaf-p256 int-ku-no-certsign leaf
add_case key-usage-ca-without-keycertsign key_usage "intermediate (cA=TRUE) has keyUsage digitalSignature+cRLSign, no keyCertSign" \
  leaf=leaf-under-int-ku anchors=root-p256 inter=int-ku-no-certsign

issue leaf-ku-non-repudiation "$ALICE" leaf-p256 int-p256 leaf_ku_non_repudiation
add_case key-usage-leaf-without-digital-signature key_usage "leaf keyUsage is nonRepudiation (contentCommitment) only, no digitalSignature" \
  leaf=leaf-ku-non-repudiation anchors=root-p256 inter=int-p256
issue leaf-ku-agreement "$ALICE" leaf-p256 int-p256 leaf_ku_key_agreement
add_case key-usage-leaf-key-agreement-only key_usage "leaf keyUsage is keyAgreement only: the holder cannot prove possession by signing" \
  leaf=leaf-ku-agreement anchors=root-p256 inter=int-p256 \
  differs="OpenSSL's sslclient purpose accepts keyAgreement in place of digitalSignature (for fixed-(EC)DH client certificates, which TLS 1.3 dropped); a client that proves possession by signing (TLS CertificateVerify, the ecp challenge) needs digitalSignature."

issue leaf-no-ku "$ALICE" leaf-p256 int-p256 leaf_no_key_usage
add_case key-usage-leaf-absent valid "leaf without a keyUsage extension (no restriction)" \
  leaf=leaf-no-ku anchors=root-p256 inter=int-p256

# --- extendedKeyUsage ------------------------------------------------------------------------
RULE="extendedKeyUsage"
issue leaf-eku-server "$ALICE" leaf-p256 int-p256 leaf_eku_server
add_case eku-server-auth-only eku "leaf EKU is serverAuth only" \
  leaf=leaf-eku-server anchors=root-p256 inter=int-p256
issue leaf-eku-email "$ALICE" leaf-p256 int-p256 leaf_eku_email
add_case eku-email-protection-only eku "leaf EKU is emailProtection only" \
  leaf=leaf-eku-email anchors=root-p256 inter=int-p256
add_case eku-client-auth valid "leaf EKU is clientAuth" \
  leaf=leaf-p256 anchors=root-p256 inter=int-p256
issue leaf-eku-any "$ALICE" leaf-p256 int-p256 leaf_eku_any
add_case eku-any valid "leaf EKU is anyExtendedKeyUsage only" \
  leaf=leaf-eku-any anchors=root-p256 inter=int-p256 \
  differs="OpenSSL's sslclient purpose requires the clientAuth OID whenever EKU is present and rejects anyExtendedKeyUsage ('unsuitable certificate purpose'); RFC 5280 4.2.1.12 defines anyExtendedKeyUsage as 'no restriction', and we accept it."
issue leaf-eku-none "$ALICE" leaf-p256 int-p256 leaf_eku_none
add_case eku-absent valid "leaf without an extendedKeyUsage extension" \
  leaf=leaf-eku-none anchors=root-p256 inter=int-p256
issue leaf-eku-both "$ALICE" leaf-p256 int-p256 leaf_eku_server_client
add_case eku-server-and-client valid "leaf EKU is serverAuth and clientAuth" \
  leaf=leaf-eku-both anchors=root-p256 inter=int-p256

# --- critical extensions -------------------------------------------------------------------
RULE="critical extension"
issue leaf-unknown-critical "$ALICE" leaf-p256 int-p256 leaf_unknown_critical
add_case critical-extension-leaf critical_extension "leaf carries an unknown extension (1.3.6.1.4.1.32473.1.2) marked critical" \
  leaf=leaf-unknown-critical anchors=root-p256 inter=int-p256
issue int-unknown-critical "$PKI/CN=Ecp Test Intermediate P-256" int-p256 root-p256 ca_unknown_critical
issue leaf-under-int-unknown-critical "$ALICE" leaf-p256 int-unknown-critical leaf
add_case critical-extension-intermediate critical_extension "intermediate carries an unknown extension (1.3.6.1.4.1.32473.1.1) marked critical" \
  leaf=leaf-under-int-unknown-critical anchors=root-p256 inter=int-unknown-critical
issue leaf-unknown-noncritical "$ALICE" leaf-p256 int-p256 leaf_unknown_noncritical
add_case noncritical-unknown-extension valid "leaf carries an unknown extension that is not critical: ignored" \
  leaf=leaf-unknown-noncritical anchors=root-p256 inter=int-p256

# --- revocation ----------------------------------------------------------------------------
RULE="revocation"
issue leaf-revoked "$ALICE" leaf-p256 int-p256 leaf
crl crl-int-revokes-leaf int-p256 "$CRL_LAST" "$CRL_NEXT" leaf-revoked
crl crl-int-empty int-p256 "$CRL_LAST" "$CRL_NEXT"
crl crl-int-lists-other int-p256 "$CRL_LAST" "$CRL_NEXT" leaf-expired leaf-eku-server
crl crl-int-stale int-p256 20280101000000Z 20290101000000Z
crl crl-int-future int-p256 20310101000000Z 20320101000000Z
cp "$WORK/crls/crl-int-empty.pem" "$WORK/crls/crl-int-bad-signature.src.pem"
odd crl-int-bad-signature "" corrupt-signature "$WORK/crls/crl-int-bad-signature.src.pem" "$WORK/crls/crl-int-bad-signature.pem"
crl crl-root-revokes-int root-p256 "$CRL_LAST" "$CRL_NEXT" int-p256
crl crl-root-empty root-p256 "$CRL_LAST" "$CRL_NEXT"
crl crl-foreign-same-serial other-root-p256 "$CRL_LAST" "$CRL_NEXT" leaf-p256

add_case crl-leaf-revoked revoked "the issuer's CRL lists the leaf's serial number" \
  leaf=leaf-revoked anchors=root-p256 inter=int-p256 crls=crl-int-revokes-leaf
add_case crl-leaf-not-listed valid "the issuer's CRL lists other serial numbers, not the leaf's" \
  leaf=leaf-p256 anchors=root-p256 inter=int-p256 crls=crl-int-lists-other
add_case crl-empty valid "the issuer's CRL is current and empty" \
  leaf=leaf-p256 anchors=root-p256 inter=int-p256 crls=crl-int-empty
add_case crl-bad-signature bad_signature "the issuer's CRL (empty) has a corrupted signature: a CRL that does not verify is an error, never silently skipped (fail closed)" \
  leaf=leaf-p256 anchors=root-p256 inter=int-p256 crls=crl-int-bad-signature
add_case crl-expired revoked "the issuer's CRL (empty) has nextUpdate 2029-01-01 < at: revocation status is unknown, so the path fails closed with reason revoked" \
  leaf=leaf-p256 anchors=root-p256 inter=int-p256 crls=crl-int-stale
add_case crl-not-yet-valid revoked "the issuer's CRL (empty) has thisUpdate 2031-01-01 > at: it cannot vouch for the status at 'at', so the path fails closed with reason revoked" \
  leaf=leaf-p256 anchors=root-p256 inter=int-p256 crls=crl-int-future
add_case crl-intermediate-revoked revoked "the root's CRL lists the intermediate; the intermediate's own CRL is empty" \
  leaf=leaf-p256 anchors=root-p256 inter=int-p256 crls="crl-root-revokes-int crl-int-empty" crl_scope=all
add_case crl-whole-chain-good valid "current, empty CRLs from the root and the intermediate" \
  leaf=leaf-p256 anchors=root-p256 inter=int-p256 crls="crl-root-empty crl-int-empty" crl_scope=all
add_case crl-none-from-leaf-issuer valid "only the root's CRL (empty) is given; the intermediate publishes none, so the leaf's revocation is not checked" \
  leaf=leaf-p256 anchors=root-p256 inter=int-p256 crls=crl-root-empty \
  differs="OpenSSL's -crl_check demands a CRL from the leaf's issuer ('unable to get certificate CRL'); we check revocation against the CRLs we are given: an issuer without a CRL is not checked, exactly as when no CRL is given at all."
add_case crl-other-issuer-same-serial valid "a foreign CA's CRL lists the leaf's serial number: a CRL only applies to certificates of its own issuer" \
  leaf=leaf-p256 anchors=root-p256 inter=int-p256 crls="crl-foreign-same-serial crl-int-empty"
add_case denylist-leaf revoked "the leaf's SHA-256 fingerprint is on the denylist" \
  leaf=leaf-p256 anchors=root-p256 inter=int-p256 deny=leaf-p256 differs="$WHY_DENY"
add_case denylist-intermediate revoked "the intermediate's SHA-256 fingerprint is on the denylist" \
  leaf=leaf-p256 anchors=root-p256 inter=int-p256 deny=int-p256 differs="$WHY_DENY"
add_case denylist-unrelated valid "the denylist holds fingerprints of other certificates only" \
  leaf=leaf-p256 anchors=root-p256 inter=int-p256 deny="leaf-expired leaf-revoked"

# --- weak algorithms -----------------------------------------------------------------------
RULE="weak algorithm"
MD=sha1 issue leaf-sha1 "$ALICE" leaf-rsa int-rsa-sha256 leaf
add_case weak-sha1-leaf-signature weak_algorithm "leaf signed with sha1WithRSAEncryption" \
  leaf=leaf-sha1 anchors=root-rsa inter=int-rsa-sha256 differs="$WHY_SHA1"
MD=sha1 issue int-sha1 "$PKI/CN=Ecp Test Intermediate RSA" int-rsa root-rsa ca
issue leaf-under-int-sha1 "$ALICE" leaf-rsa int-sha1 leaf
add_case weak-sha1-intermediate-signature weak_algorithm "intermediate signed by the root with sha1WithRSAEncryption" \
  leaf=leaf-under-int-sha1 anchors=root-rsa inter=int-sha1 differs="$WHY_SHA1"
MD=sha1 issue leaf-ecdsa-sha1 "$ALICE" leaf-p256 int-p256 leaf
add_case weak-ecdsa-sha1-leaf-signature weak_algorithm "leaf signed with ecdsa-with-SHA1" \
  leaf=leaf-ecdsa-sha1 anchors=root-p256 inter=int-p256 differs="$WHY_SHA1"
MD=md5 issue leaf-md5 "$ALICE" leaf-rsa int-rsa-sha256 leaf
add_case weak-md5-leaf-signature weak_algorithm "leaf signed with md5WithRSAEncryption" \
  leaf=leaf-md5 anchors=root-rsa inter=int-rsa-sha256 differs="$WHY_MD5"
issue leaf-rsa1024 "$ALICE" leaf-rsa1024 int-p256 leaf
add_case weak-rsa1024-leaf-key weak_algorithm "leaf has a 1024-bit RSA key (signed by a P-256 intermediate)" \
  leaf=leaf-rsa1024 anchors=root-p256 inter=int-p256 differs="$WHY_RSA1024"
issue int-rsa1024 "$PKI/CN=Ecp Test Intermediate RSA-1024" ca-rsa1024 root-p256 ca
issue leaf-under-rsa1024 "$ALICE" leaf-p256 int-rsa1024 leaf
add_case weak-rsa1024-ca weak_algorithm "intermediate has a 1024-bit RSA key and signs a P-256 leaf with SHA-256" \
  leaf=leaf-under-rsa1024 anchors=root-p256 inter=int-rsa1024 differs="$WHY_RSA1024"
MD=sha1 issue root-rsa-sha1-self "$PKI/CN=Ecp Test Root RSA SHA-1 Self-Signed" root-rsa self ca
issue leaf-under-sha1-root "$ALICE" leaf-p256 root-rsa-sha1-self leaf
add_case weak-self-signature-of-anchor-ignored valid "the trust anchor's own self-signature uses SHA-1; an anchor's self-signature is not part of the path, so it is not checked" \
  leaf=leaf-under-sha1-root anchors=root-rsa-sha1-self

# --- path building with alternatives --------------------------------------------------------
RULE="path building"
TWIN="$PKI/CN=Ecp Test Twin CA"
issue twin-root-a "$TWIN" twin-a self ca
issue twin-root-b "$TWIN" twin-b self ca
issue leaf-by-twin-b "$ALICE" leaf-p256 twin-root-b leaf
add_case alternatives-same-subject-anchors-wrong-first valid "two anchors share the subject name; the leaf's issuer is the second one" \
  leaf=leaf-by-twin-b anchors="twin-root-a twin-root-b"
add_case alternatives-same-subject-anchors-right-first valid "two anchors share the subject name; the leaf's issuer is the first one" \
  leaf=leaf-by-twin-b anchors="twin-root-b twin-root-a"

issue twin-int-a "$PKI/CN=Ecp Test Twin Intermediate" twin-a root-p256 ca
issue twin-int-b "$PKI/CN=Ecp Test Twin Intermediate" twin-b root-p256 ca
issue leaf-by-twin-int-b "$ALICE" leaf-p256 twin-int-b leaf
add_case alternatives-same-subject-intermediates-wrong-first valid "two intermediates share the subject name with different keys; only the second signed the leaf" \
  leaf=leaf-by-twin-int-b anchors=root-p256 inter="twin-int-a twin-int-b"
add_case alternatives-same-subject-intermediates-right-first valid "two intermediates share the subject name with different keys; only the first signed the leaf" \
  leaf=leaf-by-twin-int-b anchors=root-p256 inter="twin-int-b twin-int-a"

# Cross-signing: the intermediate exists twice (same subject, same key), once under an old
# root that has expired and once under a new root.
END=20250101000000Z issue old-root "$PKI/CN=Ecp Test Old Root" old-root self ca
issue new-root "$PKI/CN=Ecp Test New Root" new-root self ca
issue cross-int-by-old "$PKI/CN=Ecp Test Cross-Signed Intermediate" cross-int old-root ca
issue cross-int-by-new "$PKI/CN=Ecp Test Cross-Signed Intermediate" cross-int new-root ca
issue leaf-under-cross-int "$ALICE" leaf-p256 cross-int-by-new leaf
add_case cross-signed-old-root-expired-old-first valid "the intermediate is cross-signed by an old root (expired 2025) and a new root; both roots are anchors, the old-root copy is listed first. Valid via the new root" \
  leaf=leaf-under-cross-int anchors="old-root new-root" inter="cross-int-by-old cross-int-by-new" differs="$WHY_NO_BACKTRACK Here it takes the copy signed by the expired old root and reports 'certificate has expired'."
add_case cross-signed-old-root-expired-new-first valid "as cross-signed-old-root-expired-old-first with the new-root copy listed first" \
  leaf=leaf-under-cross-int anchors="old-root new-root" inter="cross-int-by-new cross-int-by-old"
add_case cross-signed-only-old-root-trusted expired "the intermediate is cross-signed, but only the old (expired) root is a trust anchor" \
  leaf=leaf-under-cross-int anchors=old-root inter="cross-int-by-old cross-int-by-new"

# A cross-certificate: the new root's key certified by a second, still valid, old root.
issue legacy-root "$PKI/CN=Ecp Test Legacy Root" root-p384 self ca
issue new-root-by-legacy "$PKI/CN=Ecp Test New Root" new-root legacy-root ca
add_case cross-certificate-to-legacy-root valid "only the legacy root is trusted; the path runs leaf -> intermediate -> new root (as a cross-certificate signed by the legacy root) -> legacy root" \
  leaf=leaf-under-cross-int anchors=legacy-root inter="cross-int-by-new new-root-by-legacy"

issue int-dup-expired-clone "$PKI/CN=Ecp Test Intermediate P-256" int-p256 root-p256 ca
END=20250101000000Z issue int-dup-expired "$PKI/CN=Ecp Test Intermediate P-256" int-p256 root-p256 ca
add_case duplicate-intermediate-first-expired valid "two copies of the intermediate (same subject and key); the first listed expired in 2025, the second is current" \
  leaf=leaf-p256 anchors=root-p256 inter="int-dup-expired int-dup-expired-clone"
add_case duplicate-intermediate-second-expired valid "as duplicate-intermediate-first-expired with the current copy listed first" \
  leaf=leaf-p256 anchors=root-p256 inter="int-dup-expired-clone int-dup-expired"

# --- strict DER / malformed -----------------------------------------------------------------
RULE="strict DER"
odd leaf-trailing "" trailing-bytes "$WORK/certs/leaf-p256.pem" "$WORK/certs/leaf-trailing.der"
add_case malformed-trailing-bytes malformed "leaf DER followed by two extra bytes (05 00) after the Certificate SEQUENCE" \
  leaf=leaf-trailing anchors=root-p256 inter=int-p256 \
  differs="OpenSSL reads the first certificate from the file and ignores what follows it; we require the input to be exactly one DER Certificate."
odd leaf-nonminimal-outer "" nonminimal-outer-length "$WORK/certs/leaf-p256.pem" "$WORK/certs/leaf-nonminimal-outer.der"
add_case malformed-nonminimal-length-outer malformed "the outer Certificate SEQUENCE length has a superfluous leading zero length octet (82 01 xx -> 83 00 01 xx); the signed TBS is untouched" \
  leaf=leaf-nonminimal-outer anchors=root-p256 inter=int-p256 differs="$WHY_BER"
odd leaf-nonminimal-serial "" nonminimal-serial-length "$WORK/certs/leaf-p256.pem" "$WORK/keys/int-p256.key" "$WORK/certs/leaf-nonminimal-serial.der"
add_case malformed-nonminimal-length-inner malformed "the serialNumber length inside the TBS is long-form (02 81 LL) where DER requires short form; the TBS is re-signed so the signature itself is valid" \
  leaf=leaf-nonminimal-serial anchors=root-p256 inter=int-p256 differs="$WHY_BER"
odd leaf-truncated "" truncate "$WORK/certs/leaf-p256.pem" "$WORK/certs/leaf-truncated.der"
add_case malformed-truncated malformed "the leaf DER cut in half" \
  leaf=leaf-truncated anchors=root-p256 inter=int-p256
odd leaf-sigalg-mismatch "" sigalg-mismatch "$WORK/certs/leaf-p256.pem" "$WORK/keys/int-p256.key" "$WORK/certs/leaf-sigalg-mismatch.der"
add_case malformed-signature-algorithm-mismatch malformed "TBSCertificate.signature says ecdsa-with-SHA384, Certificate.signatureAlgorithm says ecdsa-with-SHA256 (and the SHA-256 signature is valid); RFC 5280 4.1.1.2 requires them to be identical" \
  leaf=leaf-sigalg-mismatch anchors=root-p256 inter=int-p256

# --- name chaining --------------------------------------------------------------------------
RULE="name chaining"
for mode in lowercase extra-attribute reordered printable-string; do
  odd "leaf-issuer-$mode" "" issuer-name "$mode" "$WORK/certs/int-p256.pem" "$WORK/keys/int-p256.key" \
    "$WORK/keys/leaf-p256.key" "$WORK/certs/leaf-issuer-$mode.pem"
done
add_case name-issuer-differs-in-case untrusted "leaf issuer DN is the intermediate's subject in lower case (signature by the intermediate's key is valid)" \
  leaf=leaf-issuer-lowercase anchors=root-p256 inter=int-p256 differs="$WHY_NAME_CANON"
add_case name-issuer-extra-attribute untrusted "leaf issuer DN has an extra OU=Clients attribute compared with the intermediate's subject" \
  leaf=leaf-issuer-extra-attribute anchors=root-p256 inter=int-p256
add_case name-issuer-reordered untrusted "leaf issuer DN has the intermediate's RDNs in reverse order" \
  leaf=leaf-issuer-reordered anchors=root-p256 inter=int-p256
add_case name-issuer-string-type untrusted "leaf issuer DN has the same text as the intermediate's subject but as PrintableString instead of UTF8String" \
  leaf=leaf-issuer-printable-string anchors=root-p256 inter=int-p256 differs="$WHY_NAME_CANON"

# ---------------------------------------------------------------------------------------
# corpus.json and README.md
# ---------------------------------------------------------------------------------------
# ---------------------------------------------------------------------------------------
# Make the odd certificates, then every queued case
# ---------------------------------------------------------------------------------------
run_odd
# shellcheck disable=SC1091
source "$WORK/cases.sh"

jq -R -s '
  def list: if . == "" then [] else split(" ") end;
  split("\n") | map(select(length > 0) | split("\t")
  | {id: .[0], rule: .[1], description: .[2], leaf: .[3], trustAnchors: (.[4] | list),
     intermediates: (.[5] | list), crls: (.[6] | list), revokedFingerprints: (.[7] | list),
     at: .[8],
     expected: (if .[9] == "valid" then {valid: true} else {valid: false, reason: .[9]} end),
     openssl: ({verdict: .[10]}
       + (if .[11] == "" then {} else {error: .[11]} end)
       + (if .[12] == "" then {} else {depth: (.[12] | tonumber)} end)
       + {command: .[13]})}
    + (if .[14] == "" then {} else {differsFromOpenssl: .[14]} end))
' "$WORK/cases.tsv" >"$WORK/corpus.json"

# Every reason code must be exercised at least once.
for reason in $REASONS; do
  jq -e --arg r "$reason" 'any(.[]; .expected.reason == $r)' "$WORK/corpus.json" >/dev/null \
    || die "no case has reason $reason"
done

{
  cat <<'EOF'
# X.509 certification-path corpus

Test data for client-certificate path validation (`verifyCertificateChain` in `@ecp/core`,
`ecp verify-chain`). Everything in this directory except the two scripts is generated by
`make-chains.sh`; do not edit it by hand. `src/chains.ts` loads it (`loadChainCorpus()`).

## Making it

    bash packages/test-vectors/chains/make-chains.sh

needs OpenSSL 3.x, `jq`, GNU `date` and python3 with `cryptography` (for the certificates
openssl cannot make: `make_odd_certs.py`). It takes a few seconds, replaces `cases/`,
`corpus.json` and this file, and stops with an error, leaving the previous corpus in place,
if anything cannot be made or if OpenSSL's verdict contradicts a case that does not
explain why (`differsFromOpenssl`).

- Certificates come from `openssl ca` with fixed `-startdate/-enddate` (OpenSSL 3.0 has no
  `x509 -not_before`); CRLs from `openssl ca -gencrl` with fixed `-crl_lastupdate/-crl_nextupdate`.
  Ordinary certificates are valid 2020-01-01 to 2049-12-31T23:59:59Z and ordinary cases are
  evaluated at 2030-01-01T00:00:00Z, so no verdict depends on today's date.
- Keys are made afresh on every run, so the files change, but the cases, the expected
  verdicts and OpenSSL's verdicts do not.
- `make_odd_certs.py` does byte surgery (corrupted signatures, trailing bytes, non-minimal
  lengths, truncation, inner/outer signature algorithm mismatch) and writes issuer names
  openssl cannot (other case, other string type, other order). Byte-surgery leaves are
  stored as `leaf.der`.

## corpus.json

An array of cases: `id`, `rule` (the group in the table below), `description`, `leaf` (a
file in `cases/<id>/`), `trustAnchors`, `intermediates` (the untrusted pool, in the order a
verifier receives it), `crls`, `revokedFingerprints` (lower-case hex SHA-256 of the DER: the
denylist), `at` (evaluation time), `expected` (`{valid: true}` or `{valid: false, reason}`),
`openssl` (what `openssl verify` said: `verdict`, `error` and `depth` of its first error, and
the exact `command`, to be run from `cases/<id>/`), and `differsFromOpenssl` where our
verdict deliberately differs from OpenSSL's.

Reason codes: `expired`, `not_yet_valid`, `untrusted`, `bad_signature`, `not_a_ca`,
`path_length`, `key_usage`, `eku`, `critical_extension`, `revoked`, `weak_algorithm`,
`malformed`.

## Rules this corpus fixes

- Validity is inclusive at both ends (RFC 5280 4.1.2.5); every certificate of the path,
  the trust anchor included, must be within its validity period at `at`.
- Trust anchors are the certificates given as such; a self-signed certificate in the
  untrusted pool is not an anchor. An anchor's own self-signature is not checked (so a
  SHA-1 self-signature on an anchor is not a weak algorithm).
- Issuer and subject names chain by byte-identical DER (no case folding, no string-type
  conversion, no reordering): deliberately stricter than RFC 5280 7.1's StringPrep matching.
- Candidate issuers are found by name; authorityKeyIdentifier may order the candidates but
  never rules one out. When several candidates exist, the verifier tries them all: the order
  of anchors and intermediates never changes the verdict.
- When the name chain reaches an anchor but a signature on it does not verify, the reason
  is `bad_signature`, not `untrusted`. When every candidate path fails, the reason comes
  from a path that reached a trust anchor if there is one (e.g. `expired`), else `untrusted`.
- `anyExtendedKeyUsage` and an absent EKU both allow client authentication; an absent
  keyUsage allows everything; a present keyUsage must have digitalSignature (leaf) or
  keyCertSign (CA).
- A CRL applies to the certificates of its own issuer (same issuer name, signature verified
  with that issuer's key). A CRL that does not verify is `bad_signature`; a CRL that is not
  current at `at` (thisUpdate > at or nextUpdate < at) leaves the status unknown, and the
  path fails closed with `revoked`. An issuer without a CRL is not checked.
- The fingerprint denylist applies to every certificate of the path (reason `revoked`).
- SHA-1 and MD5 signatures and RSA keys under 2048 bits are `weak_algorithm`.
- Only strict DER is accepted: trailing data, non-minimal lengths, truncation, and an inner
  signature algorithm that differs from the outer one are `malformed`.

## Cases

EOF
  echo "| id | rule | expected | openssl | differs from openssl? |"
  echo "| --- | --- | --- | --- | --- |"
  jq -r '.[] | "| `\(.id)` | \(.rule) | \(if .expected.valid then "valid" else .expected.reason end) | \(if .openssl.verdict == "ok" then "ok" else "error: " + .openssl.error end) | \(if .differsFromOpenssl then "yes: " + .differsFromOpenssl else "" end) |"' "$WORK/corpus.json"
  echo
  echo "Cases per expected verdict:"
  echo
  jq -r 'group_by(if .expected.valid then "valid" else .expected.reason end)[]
    | "- \(if .[0].expected.valid then "valid" else .[0].expected.reason end): \(length)"' "$WORK/corpus.json"
} >"$WORK/README.md"

# Swap the new corpus in only now, so a failed run leaves the previous one intact.
rm -rf "$HERE/cases"
mv "$CASES_DIR" "$HERE/cases"
mv "$WORK/corpus.json" "$HERE/corpus.json"
mv "$WORK/README.md" "$HERE/README.md"
echo "make-chains.sh: $(jq length "$HERE/corpus.json") cases written to $HERE"
