/** AlgorithmIdentifier as the key-file readers need it: the OID and the parameters element. */
import * as TAG from '../der/tags.js';
import { readOid, sequence, type DerElement } from '../der/reader.js';

export interface KeyFileAlgorithm {
  readonly oid: string;
  readonly parameters?: DerElement;
}

export function readAlgorithm(element: DerElement, what: string): KeyFileAlgorithm {
  const fields = sequence(element, what);
  const oid = readOid(fields.next(TAG.OID, 'algorithm'), what);
  const parameters = fields.done ? undefined : fields.next(undefined, 'parameters');
  fields.end();
  return parameters ? { oid, parameters } : { oid };
}
