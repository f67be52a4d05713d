// Hex <-> bytes for test data. Vectors are kept as hex strings (as the Wycheproof JSON and
// the manifest store them) so that they stay plain JSON and can be handed to a browser
// page; tests turn them into bytes at the point of use.

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** Decodes a hex string (either case, even length; '' is the empty array). Throws on anything else. */
export function hexToBytes(hex: string): Uint8Array {
  if (!HEX.test(hex)) {
    throw new TypeError(`not an even-length hex string: ${JSON.stringify(hex.slice(0, 40))}`);
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  }
  return out;
}

/** Lower-case hex of the bytes. */
export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** True when `value` is an even-length hex string. */
export function isHex(value: unknown): value is string {
  return typeof value === 'string' && HEX.test(value);
}
