/**
 * The SDK API's test cases (login, generateCredentials, enrol, buildPkcs12) as plain async
 * functions over JSON in and JSON out, so that the same cases run in Node's WebCrypto and, bundled
 * by esbuild, inside headless Chromium (page.evaluate). They only drive the SDK and report
 * what happened; the assertions are made in Node (sdk-suite.ts), where @ecp/core and OpenSSL
 * can check the files the SDK wrote.
 */
import { copyBytes, fromBase64, p1363ToDer, toBase64 } from '@ecp/core/portable';
import * as sdk from '../src/index.js';
import {
  buildPkcs12,
  EcpError,
  EcpHttpClientError,
  enrol,
  generateCredentials,
  KeyFileError,
  login,
  RateLimitedError,
  type LoginPhase,
} from '../src/index.js';

/**
 * The SDK's error classes by name: `kinds` (the classes an error is an instance of) is checked
 * alongside `name`, which each class sets itself so that it survives minification.
 */
const ERROR_CLASSES: Record<string, abstract new (...args: never[]) => Error> = {
  LoginFailedError: sdk.LoginFailedError,
  RateLimitedError: sdk.RateLimitedError,
  UsernameTakenError: sdk.UsernameTakenError,
  RequestRejectedError: sdk.RequestRejectedError,
  ServerError: sdk.ServerError,
  NetworkError: sdk.NetworkError,
  WrongPassphraseError: sdk.WrongPassphraseError,
  PassphraseRequiredError: sdk.PassphraseRequiredError,
  LegacyPkcs12Error: sdk.LegacyPkcs12Error,
  WrongCurveError: sdk.WrongCurveError,
  NotAKeyFileError: sdk.NotAKeyFileError,
  UnsupportedKeyFormatError: sdk.UnsupportedKeyFormatError,
  KeyCertificateMismatchError: sdk.KeyCertificateMismatchError,
  MalformedInputError: sdk.MalformedInputError,
};

/** A key file handed in from Node: PEM text, or bytes as base64. */
export interface FileInput {
  text?: string;
  base64?: string;
  /** Give it to the SDK as a Blob (what <input type=file> yields) instead of a string/ArrayBuffer. */
  asBlob?: boolean;
}

export interface ErrorFacts {
  name: string;
  /** The SDK error classes the error is an instance of (see ERROR_CLASSES). */
  kinds: string[];
  code: string;
  message: string;
  isEcpError: boolean;
  status?: number;
  serverCode?: string;
  advice?: string;
  retryAfter?: number;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ErrorFacts };

function facts(error: unknown): ErrorFacts {
  if (!(error instanceof Error)) return { name: typeof error, kinds: [], code: '', message: String(error), isEcpError: false };
  const out: ErrorFacts = {
    name: error.name,
    kinds: Object.entries(ERROR_CLASSES)
      .filter(([, type]) => error instanceof type)
      .map(([name]) => name),
    code: error instanceof EcpError ? error.code : '',
    message: error.message,
    isEcpError: error instanceof EcpError,
  };
  if (error instanceof EcpHttpClientError) {
    out.status = error.status;
    if (error.serverCode !== undefined) out.serverCode = error.serverCode;
  }
  if (error instanceof KeyFileError) out.advice = error.advice;
  if (error instanceof RateLimitedError && error.retryAfter !== undefined) out.retryAfter = error.retryAfter;
  return out;
}

async function outcome<T>(run: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    return { ok: false, error: facts(error) };
  }
}

// Vectors cross into the page as base64; core's byte helpers are browser-safe.
const bytesOf = (base64: string): Uint8Array<ArrayBuffer> => copyBytes(fromBase64(base64));
const base64Of = toBase64;

const hexOf = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

function keyFile(file: FileInput): Blob | ArrayBuffer | string {
  const content = file.text ?? bytesOf(file.base64 ?? '').buffer;
  return file.asBlob ? new Blob([content]) : content;
}

export interface LoginInput {
  baseUrl: string;
  username: string;
  password: string;
  file: FileInput;
  passphrase?: string;
  prefix?: string;
}

async function loginCase(input: LoginInput): Promise<Outcome<{ username: string; phases: LoginPhase[] }>> {
  const phases: LoginPhase[] = [];
  return outcome(async () => {
    const result = await login({
      baseUrl: input.baseUrl,
      username: input.username,
      password: input.password,
      keyFile: keyFile(input.file),
      ...(input.passphrase !== undefined && { passphrase: input.passphrase }),
      ...(input.prefix !== undefined && { prefix: input.prefix }),
      onProgress: (phase) => phases.push(phase),
    });
    return { ...result, phases };
  });
}

export interface GenerateInput {
  username: string;
  passphrase: string;
  iterations?: number;
}

async function generateCase(input: GenerateInput) {
  const phases: string[] = [];
  return outcome(async () => {
    const started = performance.now();
    const made = await generateCredentials({ ...input, onProgress: (phase) => phases.push(phase) });
    const elapsedMs = performance.now() - started;
    return {
      privateKeyPem: made.privateKeyPem,
      csrPem: made.csrPem,
      publicKeyRawHex: hexOf(new Uint8Array(await crypto.subtle.exportKey('raw', made.publicKey))),
      key: { extractable: made.key.extractable, usages: made.key.usages, type: made.key.type, algorithm: made.key.algorithm },
      // The key really signs, and verifies under the public half.
      keySigns: await crypto.subtle.verify(
        { name: 'ECDSA', hash: 'SHA-256' },
        made.publicKey,
        await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, made.key, new TextEncoder().encode('x')),
        new TextEncoder().encode('x'),
      ),
      phases,
      elapsedMs,
    };
  });
}

export interface EnrolInput {
  baseUrl: string;
  username: string;
  password: string;
  passphrase: string;
  iterations?: number;
  pkcs12?: boolean;
  /** Then log in three ways: with the returned CryptoKey, the PEM, and the .p12. */
  thenLogin?: boolean;
}

async function enrolCase(input: EnrolInput) {
  const phases: string[] = [];
  return outcome(async () => {
    const enrolled = await enrol({
      baseUrl: input.baseUrl,
      username: input.username,
      password: input.password,
      passphrase: input.passphrase,
      ...(input.iterations !== undefined && { iterations: input.iterations }),
      ...(input.pkcs12 !== undefined && { pkcs12: input.pkcs12 }),
      onProgress: (phase) => phases.push(phase),
    });
    const logins: Outcome<{ username: string; phases: LoginPhase[] }>[] = [];
    if (input.thenLogin) {
      const common = { baseUrl: input.baseUrl, username: input.username, password: input.password };
      logins.push(await outcome(async () => ({ ...(await login({ ...common, keyFile: enrolled.key })), phases: [] })));
      logins.push(await loginCase({ ...common, file: { text: enrolled.privateKeyPem }, passphrase: input.passphrase }));
      if (enrolled.pkcs12) logins.push(await loginCase({ ...common, file: { base64: base64Of(enrolled.pkcs12), asBlob: true }, passphrase: input.passphrase }));
    }
    return {
      username: enrolled.username,
      certificatePem: enrolled.certificatePem,
      privateKeyPem: enrolled.privateKeyPem,
      ...(enrolled.pkcs12 && { pkcs12Base64: base64Of(enrolled.pkcs12) }),
      keyExtractable: enrolled.key.extractable,
      phases,
      logins,
    };
  });
}

export interface BuildPkcs12Input {
  privateKeyPem: string;
  passphrase: string;
  certificatePem: string;
  friendlyName?: string;
}

async function buildPkcs12Case(input: BuildPkcs12Input) {
  return outcome(async () => base64Of(await buildPkcs12(input)));
}

/** One Wycheproof r‖s vector as the page sees it. */
export interface P1363Outcome {
  tcId: number;
  /** The platform's own WebCrypto verdict on the r‖s signature (null: the key did not import). */
  webCrypto: boolean | null;
  /** p1363ToDer's output as signChallenge sends it, or null when it refused the input. */
  derHex: string | null;
}

/**
 * The r‖s → DER step of signChallenge over Wycheproof's ECDSA P-256 P1363 vectors. The DER is
 * then checked in Node (strict DER verification), the WebCrypto verdict next to it.
 */
async function p1363Case(input: { groups: { publicKeyDer: string; tests: { tcId: number; msg: string; sig: string }[] }[] }): Promise<P1363Outcome[]> {
  const bytes = (hex: string): Uint8Array<ArrayBuffer> => new Uint8Array((hex.match(/../g) ?? []).map((h) => parseInt(h, 16)));
  const out: P1363Outcome[] = [];
  for (const group of input.groups) {
    const key = await crypto.subtle
      .importKey('spki', bytes(group.publicKeyDer), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify'])
      .catch(() => null);
    for (const test of group.tests) {
      const sig = bytes(test.sig);
      const webCrypto = key ? await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, sig, bytes(test.msg)).catch(() => false) : null;
      let derHex: string | null = null;
      try {
        derHex = hexOf(p1363ToDer(sig, 'P-256'));
      } catch {
        derHex = null;
      }
      out.push({ tcId: test.tcId, webCrypto, derHex });
    }
  }
  return out;
}

/** Every case, by name: the Chromium page exposes this object as `window.ecpSdkCases`. */
export const sdkCases = {
  p1363: p1363Case,
  login: loginCase,
  generateCredentials: generateCase,
  enrol: enrolCase,
  buildPkcs12: buildPkcs12Case,
};

export type SdkCases = typeof sdkCases;
export type SdkCaseName = keyof SdkCases;
