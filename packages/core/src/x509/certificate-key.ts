/**
 * A certificate's public key without the rest of the parse, for code that only pairs a
 * certificate with a private key: the certificates of a .p12, and the one the server returns
 * to the browser SDK at enrolment (which keeps the full X.509 parser, a third of the SDK's
 * size, out of the browser bundle).
 *
 * The Certificate structure is still walked strictly, with the one DER reader: a single DER
 * element, the TBSCertificate's fields in order with their tags, nothing after them, the
 * inner and outer signature algorithms byte-identical, the subjectPublicKeyInfo decoded.
 * Names, validity and extensions are checked for their tag only, not decoded: wherever a
 * certificate is used for what it says (verified, validated, shown), parseCertificate
 * parses it in full.
 */
import { bytesEqual } from '../bytes.js';
import { MalformedInputError } from '../errors.js';
import * as OID from '../der/oid-list.js';
import * as TAG from '../der/tags.js';
import { contextConstructed, contextPrimitive, decodeDer, readOctetAlignedBits, readOid, sequence } from '../der/reader.js';
import { readAlgorithm } from '../keys/algorithm.js';
import { readCertificateInput } from './certificate.js';

export interface CertificateKey {
  /** The whole certificate DER. */
  readonly der: Uint8Array;
  /** The uncompressed P-256 point of an ECDSA P-256 key; absent for any other key type or curve. */
  readonly p256Point?: Uint8Array;
}

function readCertificateKeyDer(input: Uint8Array): CertificateKey {
  const outer = sequence(decodeDer(input, 'Certificate'), 'Certificate');
  const tbs = sequence(outer.next(TAG.SEQUENCE, 'tbsCertificate'), 'TBSCertificate');
  const outerAlgorithm = outer.next(TAG.SEQUENCE, 'signatureAlgorithm');
  readOctetAlignedBits(outer.next(TAG.BIT_STRING, 'signatureValue'), 'signatureValue');
  outer.end();

  tbs.optional(contextConstructed(0)); // version
  tbs.next(TAG.INTEGER, 'serialNumber');
  if (!bytesEqual(tbs.next(TAG.SEQUENCE, 'signature').bytes, outerAlgorithm.bytes)) {
    throw new MalformedInputError('the TBSCertificate signature algorithm differs from the outer signatureAlgorithm');
  }
  for (const field of ['issuer', 'validity', 'subject']) tbs.next(TAG.SEQUENCE, field);
  const spki = sequence(tbs.next(TAG.SEQUENCE, 'subjectPublicKeyInfo'), 'SubjectPublicKeyInfo');
  tbs.optional(contextPrimitive(1)); // issuerUniqueID
  tbs.optional(contextPrimitive(2)); // subjectUniqueID
  tbs.optional(contextConstructed(3)); // extensions
  tbs.end();

  const algorithm = readAlgorithm(spki.next(TAG.SEQUENCE, 'algorithm'), 'SubjectPublicKeyInfo algorithm');
  const key = readOctetAlignedBits(spki.next(TAG.BIT_STRING, 'subjectPublicKey'), 'SubjectPublicKeyInfo key');
  spki.end();
  const curve = algorithm.parameters?.tag === TAG.OID ? readOid(algorithm.parameters, 'EC curve') : undefined;
  return algorithm.oid === OID.ecPublicKey && curve === OID.prime256v1 ? { der: input, p256Point: key } : { der: input };
}

/**
 * The DER and, for a P-256 key, the public point of a certificate given as DER or PEM.
 * Throws {@link InvalidCertificateError} for anything that is not a DER Certificate.
 */
export const readCertificateKey = (input: Uint8Array | string): CertificateKey => readCertificateInput(input, readCertificateKeyDer);
