/**
 * CA mode of the example: when `ECP_CA_CERT` and `ECP_CA_KEY` are set, the plugin issues
 * users' certificates from that CA instead of self-signing them, and `credentials.p12`
 * carries the CA certificate too. The same file then logs in (signed nonce) and passes
 * nginx mTLS (`curl --cert credentials.p12:<passphrase> --cert-type P12`), and
 * `/mtls/whoami` trusts this CA when `ECP_CLIENT_CA` is not set.
 *
 * Environment:
 *   ECP_CA_CERT            PEM (or DER) file of the CA certificate (`ecp ca init` makes one)
 *   ECP_CA_KEY             its private key file (PKCS#8, SEC1 or PKCS#12; P-256)
 *   ECP_CA_KEY_PASSPHRASE  the key file's passphrase, if it is encrypted
 */
import { readFileSync } from 'node:fs';
import { EcpError, readPrivateKey } from '@ecp/core';
import type { EcpIssuerOptions } from '@ecp/fastify';
import { ConfigError } from './config.js';

export interface CaModeConfig {
  certificateFile: string;
  keyFile: string;
  keyPassphrase: string | undefined;
}

/** The CA-mode settings, or undefined when CA mode is off. Throws ConfigError when half-configured. */
export function readCaModeConfig(env: NodeJS.ProcessEnv = process.env): CaModeConfig | undefined {
  const value = (name: string): string | undefined => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  };
  const certificateFile = value('ECP_CA_CERT');
  const keyFile = value('ECP_CA_KEY');
  if (certificateFile === undefined && keyFile === undefined) return undefined;
  if (certificateFile === undefined || keyFile === undefined) throw new ConfigError('CA mode needs both ECP_CA_CERT and ECP_CA_KEY');
  // The passphrase is not trimmed: spaces may be part of it.
  const keyPassphrase = env.ECP_CA_KEY_PASSPHRASE === '' ? undefined : env.ECP_CA_KEY_PASSPHRASE;
  return { certificateFile, keyFile, keyPassphrase };
}

/** Reads the CA certificate and key for the plugin's `issuer` option. */
export async function loadIssuer(config: CaModeConfig): Promise<EcpIssuerOptions> {
  const read = (variable: string, file: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new ConfigError(`${variable}: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  };
  const certificate = read('ECP_CA_CERT', config.certificateFile);
  const keyBytes = read('ECP_CA_KEY', config.keyFile);
  try {
    const privateKey = await readPrivateKey(keyBytes, config.keyPassphrase);
    return { certificate: new Uint8Array(certificate), privateKey };
  } catch (error) {
    throw new ConfigError(`ECP_CA_KEY: ${error instanceof EcpError ? error.message : 'the key cannot be read'}`);
  }
}
