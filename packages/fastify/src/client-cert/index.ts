/** TLS client-certificate authentication: the preHandler, its header decoders and its types. */
import './types.js';

export {
  createClientCertificatePreHandler,
  type ClientCertificateMapping,
  type ClientCertificateOptions,
  type ClientCertificatePreHandler,
} from './prehandler.js';
export type { ClientCertificate, ClientCertificateUser, ClientCertificateUserTypes } from './types.js';
export { ClientCertificateError, type ClientCertificateErrorBody, type ClientCertificateErrorCode } from './errors.js';
export {
  CERTIFICATE_HEADER_FORMATS,
  decodeCertificateHeader,
  MAX_CERTIFICATE_HEADER_LENGTH,
  type CertificateHeaderFormat,
} from './header-decoding.js';
export { DEFAULT_CERTIFICATE_HEADER } from './sources.js';
export { CACHE_DEFAULTS as CLIENT_CERTIFICATE_CACHE_DEFAULTS, type AcceptedCertificateCacheOptions } from './cache.js';
export { parseDenylist } from './revocation-sources.js';
