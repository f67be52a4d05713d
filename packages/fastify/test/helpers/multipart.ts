/** Builds multipart/form-data bodies by hand, so tests control every byte (sizes, duplicates). */
import { randomBytes } from 'node:crypto';

export interface Part {
  name: string;
  content: string | Buffer;
  /** Makes it a file part. */
  filename?: string;
}

export function multipartBody(parts: readonly Part[]): { body: Buffer; contentType: string } {
  const boundary = `----ecp${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
    const type = part.filename === undefined ? '' : 'Content-Type: application/x-pem-file\r\n';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`), Buffer.from(part.content), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
