/**
 * What `login` and `enrol` throw when the server (or the network) says no. Key-file
 * problems (wrong passphrase, legacy .p12, wrong curve...) are @ecp/core's KeyFileErrors and
 * are thrown before anything is sent.
 */
import { EcpError, type EcpErrorCode, type EcpErrorOptions } from '@ecp/core/portable';

/**
 * Base of the errors that come from an HTTP answer; `status` is 0 when none arrived.
 * Each class names itself in a static field, as EcpError's do, so that `name` survives minification.
 */
export class EcpHttpClientError extends EcpError {
  static override name = 'EcpHttpClientError';
  constructor(
    message: string,
    code: EcpErrorCode,
    readonly status: number,
    /** The `code` of the server's `{error, code}` body, when it sent one. */
    readonly serverCode?: string,
    options?: EcpErrorOptions,
  ) {
    super(message, code, options);
  }
}

/**
 * The uniform 401 of `POST /login`. The server deliberately does not say which factor failed,
 * so neither can we: the username, the password or the key file is wrong (or the key's
 * certificate has expired).
 */
export class LoginFailedError extends EcpHttpClientError {
  static override name = 'LoginFailedError';
  constructor(serverCode?: string) {
    super('the username, password or key file is wrong', 'ECP_AUTH_FAILED', 401, serverCode);
  }
}

/** 429: too many challenges from this address. `retryAfter` in seconds when the server said. */
export class RateLimitedError extends EcpHttpClientError {
  static override name = 'RateLimitedError';
  constructor(readonly retryAfter?: number) {
    super(`too many attempts: wait ${retryAfter === undefined ? 'a minute' : `${retryAfter} seconds`} and try again`, 'ECP_RATE_LIMITED', 429);
  }
}

/** 409 from `POST /register`. */
export class UsernameTakenError extends EcpHttpClientError {
  static override name = 'UsernameTakenError';
  constructor(serverCode?: string) {
    super('this username is taken: choose another one', 'ECP_USERNAME_TAKEN', 409, serverCode);
  }
}

/** Another 4xx: the server refused the request; the message is the server's own explanation. */
export class RequestRejectedError extends EcpHttpClientError {
  static override name = 'RequestRejectedError';
  constructor(serverMessage: string, status: number, serverCode?: string) {
    super(serverMessage, 'ECP_BAD_REQUEST', status, serverCode);
  }
}

/** 5xx, or an answer that is not what the route promises. */
export class ServerError extends EcpHttpClientError {
  static override name = 'ServerError';
  constructor(status: number, serverCode?: string) {
    super(`the server could not complete the request (HTTP ${status}): try again later`, 'ECP_SERVER_ERROR', status, serverCode);
  }
}

/** fetch itself failed: offline, DNS, CORS, TLS. */
export class NetworkError extends EcpHttpClientError {
  static override name = 'NetworkError';
  constructor(cause: unknown) {
    super('the server could not be reached: check the connection and try again', 'ECP_NETWORK', 0, undefined, { cause });
  }
}
