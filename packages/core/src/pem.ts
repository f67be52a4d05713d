/**
 * PEM (RFC 7468) in the lax-but-safe way OpenSSL reads it: any text around the blocks,
 * several blocks, CRLF or LF, indentation and blank lines inside the base64. Labels must
 * match between BEGIN and END, and the base64 itself is decoded strictly.
 */
import { fromBase64, toBase64 } from './bytes.js';
import { InputTooLargeError, MalformedInputError } from './errors.js';

export interface PemBlock {
  readonly label: string;
  /** RFC 1421 headers (`Proc-Type`, `DEK-Info`) of legacy OpenSSL-encrypted keys, if any. */
  readonly headers: Readonly<Record<string, string>>;
  readonly der: Uint8Array;
}

/** Bound on PEM text ecp parses; key files and certificates are a few kilobytes. */
export const MAX_PEM_LENGTH = 1 << 20;

const BEGIN = '-----BEGIN ';
const END = '-----END ';
const DASHES = '-----';

/** The first `-----` at or after `from` on the same line (no CR or LF before it), or -1. */
function dashesOnLine(text: string, from: number): number {
  const at = text.indexOf(DASHES, from);
  if (at === -1) return -1;
  for (let i = from; i < at; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return -1;
  }
  return at;
}

interface RawBlock {
  readonly label: string;
  readonly body: string;
  readonly endLabel: string;
}

/**
 * The blocks `-----BEGIN label-----body-----END label-----` in order: each label the shortest
 * run of one line closed by `-----`, each body running to the first `-----END ` whose line
 * closes it. Written as a scan rather than a regular expression: the lazy-quantifier regex
 * this replaces backtracked cubically (16 KB of "-----BEGIN -----" took ~30 s), on text that
 * arrives from the network. Every character is examined a bounded number of times.
 */
function* scanBlocks(text: string): Generator<RawBlock> {
  let from = 0;
  for (;;) {
    const begin = text.indexOf(BEGIN, from);
    if (begin === -1) return;
    const labelStart = begin + BEGIN.length;
    const labelEnd = dashesOnLine(text, labelStart);
    if (labelEnd === -1) {
      from = begin + 1;
      continue;
    }
    const bodyStart = labelEnd + DASHES.length;
    let end = text.indexOf(END, bodyStart);
    let endLabelEnd = -1;
    while (end !== -1 && (endLabelEnd = dashesOnLine(text, end + END.length)) === -1) end = text.indexOf(END, end + 1);
    // No END closes this block, so none closes any later one either.
    if (end === -1) return;
    yield {
      label: text.slice(labelStart, labelEnd),
      body: text.slice(bodyStart, end),
      endLabel: text.slice(end + END.length, endLabelEnd),
    };
    from = endLabelEnd + DASHES.length;
  }
}

export function decodePemBlocks(text: string, limit = MAX_PEM_LENGTH): PemBlock[] {
  if (text.length > limit) throw new InputTooLargeError('PEM text', limit);
  const blocks: PemBlock[] = [];
  for (const { label, body, endLabel } of scanBlocks(text)) {
    if (label !== endLabel) {
      throw new MalformedInputError(`PEM block "BEGIN ${label}" ends with "END ${endLabel}"`);
    }
    const headers: Record<string, string> = {};
    const base64Lines: string[] = [];
    for (const rawLine of body.split(/\r?\n|\r/)) {
      const line = rawLine.trim();
      if (line === '') continue;
      const header = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
      if (header && base64Lines.length === 0) headers[header[1]!] = header[2]!;
      else base64Lines.push(line);
    }
    let der: Uint8Array;
    try {
      der = fromBase64(base64Lines.join('').replace(/\s+/g, ''));
    } catch {
      throw new MalformedInputError(`PEM block "${label}" has invalid base64`);
    }
    blocks.push({ label, headers, der });
  }
  return blocks;
}

/**
 * The first block whose label is one of `labels`. Fails with a message naming what was
 * expected and what was found, so a user who picked the wrong file learns which it was.
 */
export function decodePem(text: string, labels: string | readonly string[]): PemBlock {
  const wanted = typeof labels === 'string' ? [labels] : labels;
  const blocks = decodePemBlocks(text);
  const found = blocks.find((b) => wanted.includes(b.label));
  if (found) return found;
  const expected = wanted.map((l) => `"${l}"`).join(' or ');
  if (blocks.length === 0) throw new MalformedInputError(`no PEM block found (expected ${expected})`);
  throw new MalformedInputError(`expected a PEM ${expected} block, found ${blocks.map((b) => `"${b.label}"`).join(', ')}`);
}

export function encodePem(label: string, der: Uint8Array): string {
  const base64 = toBase64(der);
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += 64) lines.push(base64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** True when the bytes look like PEM text rather than binary DER/PKCS#12. */
export function looksLikePem(input: Uint8Array | string): boolean {
  if (typeof input === 'string') return input.slice(0, 4096).includes('-----BEGIN ');
  // Searching the bytes finds the same ASCII marker as decoding them first would (UTF-8
  // never turns non-ASCII bytes into ASCII), without a TextDecoder per call: this runs on
  // every certificate parsed from DER, e.g. each client certificate a server validates.
  const head = input.subarray(0, 4096);
  const last = head.length - PEM_MARKER.length;
  outer: for (let i = head.indexOf(PEM_MARKER[0]!); i !== -1 && i <= last; i = head.indexOf(PEM_MARKER[0]!, i + 1)) {
    for (let j = 1; j < PEM_MARKER.length; j++) if (head[i + j] !== PEM_MARKER[j]) continue outer;
    return true;
  }
  return false;
}

/** `-----BEGIN ` in ASCII. */
const PEM_MARKER = Uint8Array.from('-----BEGIN ', (c) => c.charCodeAt(0));
