/**
 * The text form of `ecp inspect`: the `--json` objects written as aligned `label: value`
 * lines, nested sections indented, extensions one line each as `openssl x509 -text` users
 * expect (`keyUsage: critical, digitalSignature`). Nulls are left out of the text.
 */
import type { JsonObject, JsonValue } from './certificate-report.js';

const LABELS: Readonly<Record<string, string>> = {
  common_name: 'common name',
  not_before: 'not before',
  not_after: 'not after',
  key_type: 'key type',
  signature_algorithm: 'signature',
  signature_valid: 'signature valid',
  public_key_fingerprints: 'public key',
  requested_extensions: 'requested extensions',
  private_key: 'private key',
  salt_length: 'salt length',
};

const EXTENSION_LABELS: Readonly<Record<string, string>> = {
  basic_constraints: 'basicConstraints',
  key_usage: 'keyUsage',
  extended_key_usage: 'extendedKeyUsage',
  subject_alt_name: 'subjectAltName',
  subject_key_identifier: 'subjectKeyIdentifier',
  authority_key_identifier: 'authorityKeyIdentifier',
};

const isObject = (value: JsonValue): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

function scalar(value: JsonValue): string {
  if (Array.isArray(value)) return value.map(scalar).join(', ');
  if (isObject(value)) return JSON.stringify(value);
  return String(value);
}

function extensionLine(key: string, value: JsonValue): string {
  if (!isObject(value)) return scalar(value);
  const parts: string[] = value.critical === true ? ['critical'] : [];
  if (key === 'basic_constraints') {
    parts.push(value.ca === true ? 'CA:TRUE' : 'CA:FALSE');
    if (typeof value.path_length === 'number') parts.push(`pathlen:${value.path_length}`);
  } else if (Array.isArray(value.usages)) parts.push(scalar(value.usages));
  else if (Array.isArray(value.names)) parts.push(scalar(value.names));
  return parts.join(', ');
}

function extensionLines(extensions: JsonObject, indent: string): string[] {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(extensions)) {
    if (key === 'other' && Array.isArray(value)) {
      for (const other of value) {
        if (isObject(other)) lines.push(`${indent}${scalar(other.name ?? null)}${other.critical === true ? ': critical' : ''}`);
      }
    } else lines.push(`${indent}${EXTENSION_LABELS[key] ?? key}: ${extensionLine(key, value)}`);
  }
  return lines.length ? lines : [`${indent}(none)`];
}

function objectLines(object: JsonObject, indent: string): string[] {
  const entries = Object.entries(object).filter(([, value]) => value !== null);
  const width = Math.max(0, ...entries.map(([key]) => (LABELS[key] ?? key).length)) + 2;
  const lines: string[] = [];
  for (const [key, value] of entries) {
    const label = `${LABELS[key] ?? key}:`;
    if (key === 'extensions' || key === 'requested_extensions') {
      lines.push(`${indent}${label}`, ...extensionLines(value as JsonObject, `${indent}  `));
    } else if (isObject(value)) {
      lines.push(`${indent}${label}`, ...objectLines(value, `${indent}  `));
    } else if (Array.isArray(value) && value.some(isObject)) {
      if (value.length === 0) continue;
      value.forEach((item, index) => {
        lines.push(`${indent}${LABELS[key] ?? key} [${index + 1}]:`);
        if (isObject(item)) lines.push(...objectLines(item, `${indent}  `));
      });
    } else if (!(Array.isArray(value) && value.length === 0)) {
      lines.push(`${indent}${label.padEnd(width)}${scalar(value)}`);
    }
  }
  return lines;
}

export function renderText(report: JsonObject): string {
  if (report.type === 'bundle' && Array.isArray(report.items)) {
    return report.items.map((item) => (isObject(item) ? objectLines(item, '').join('\n') : '')).join('\n\n') + '\n';
  }
  return `${objectLines(report, '').join('\n')}\n`;
}
