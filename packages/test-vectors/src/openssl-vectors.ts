// Node-side loader of the project's own interop vectors (openssl/manifest.json and
// openssl/files/, committed in this package and made by openssl/make-vectors.sh).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type {
  ManifestEntry,
  OpensslManifest,
  OpensslVector,
  OpensslVectorKind,
  PortableOpensslVector,
  ReadAs,
} from './openssl-manifest-types.js';
import { TestVectorsError } from './wycheproof.js';

/** Absolute path of the openssl/ directory of this package. */
export const OPENSSL_VECTORS_DIR = fileURLToPath(new URL('../openssl/', import.meta.url));
const MANIFEST = `${OPENSSL_VECTORS_DIR}manifest.json`;
const REGENERATE = 'bash packages/test-vectors/openssl/make-vectors.sh';

const KINDS: ReadonlySet<OpensslVectorKind> = new Set<OpensslVectorKind>([
  'sec1',
  'sec1-encrypted-legacy',
  'pkcs8-plain',
  'pkcs8-encrypted',
  'pkcs12',
  'certificate',
  'csr',
  'signature',
  'garbage',
]);
const READERS: ReadonlySet<ReadAs> = new Set<ReadAs>(['private-key', 'certificate', 'csr', 'signature']);

/** The manifest, checked: format 1, unique ids, known kinds and readers, every file present. */
export function loadOpensslManifest(): OpensslManifest {
  if (!existsSync(MANIFEST)) throw new TestVectorsError(`${MANIFEST} is missing; run ${REGENERATE}`);
  const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as OpensslManifest;
  if (manifest.format !== 1 || !Array.isArray(manifest.entries)) {
    throw new TestVectorsError(`${MANIFEST}: not a format-1 manifest`);
  }
  const ids = new Set<string>();
  for (const e of manifest.entries) {
    if (ids.has(e.id)) throw new TestVectorsError(`${MANIFEST}: id ${e.id} appears twice`);
    ids.add(e.id);
    if (!KINDS.has(e.kind)) throw new TestVectorsError(`${MANIFEST}: ${e.id} has unknown kind ${e.kind}`);
    if (!READERS.has(e.readAs)) throw new TestVectorsError(`${MANIFEST}: ${e.id} has unknown readAs ${e.readAs}`);
    if (!existsSync(absolutePath(e))) {
      throw new TestVectorsError(`${absolutePath(e)} (entry ${e.id}) is missing; run ${REGENERATE}`);
    }
  }
  return manifest;
}

function absolutePath(entry: ManifestEntry): string {
  return `${OPENSSL_VECTORS_DIR}${entry.path}`;
}

function withFile(entry: ManifestEntry): OpensslVector {
  const path = absolutePath(entry);
  const bytes = new Uint8Array(readFileSync(path));
  const vector: OpensslVector = { ...entry, absolutePath: path, bytes };
  if (entry.encoding !== 'der') vector.text = new TextDecoder().decode(bytes);
  return vector;
}

/** Every entry with its file read, optionally filtered (e.g. by kind or readAs). */
export function loadOpensslVectors(filter: (entry: ManifestEntry) => boolean = () => true): OpensslVector[] {
  return loadOpensslManifest().entries.filter(filter).map(withFile);
}

/** One entry by id; throws if there is none. */
export function opensslVector(id: string): OpensslVector {
  const entry = loadOpensslManifest().entries.find((e) => e.id === id);
  if (!entry) throw new TestVectorsError(`no entry ${id} in ${MANIFEST}`);
  return withFile(entry);
}

/** The JSON-serializable form (bytes as base64) to pass into a browser page. */
export function toPortable(vector: OpensslVector): PortableOpensslVector {
  const { bytes, absolutePath: _path, ...rest } = vector;
  return { ...rest, base64: Buffer.from(bytes).toString('base64') };
}
