/**
 * `GET <prefix>/keys`: the key files of a registration, each downloadable once.
 * Without `file`: JSON with the PEM key and certificate, both then cleared. With
 * `?file=private_key|certificate|pkcs12`: that file as an attachment, then only it is cleared.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { badRequest, EcpHttpError, unauthenticated } from '../errors.js';
import { sessionIdentity } from '../session.js';
import type { EcpDownloads } from '../types.js';

type DownloadName = keyof EcpDownloads;

const FILES: Readonly<Record<DownloadName, { filename: string; contentType: string }>> = {
  private_key: { filename: 'private_key.pem', contentType: 'application/x-pem-file' },
  certificate: { filename: 'certificate.pem', contentType: 'application/x-pem-file' },
  pkcs12: { filename: 'credentials.p12', contentType: 'application/x-pkcs12' },
};

const nothingLeft = (): EcpHttpError => new EcpHttpError(404, 'ECP_NOT_FOUND', 'no key files left to download');

export async function keysRoute(scope: FastifyInstance): Promise<void> {
  scope.get('/keys', async (request: FastifyRequest, reply: FastifyReply) => {
    const query = request.query as Record<string, unknown>;
    const file = query.file;
    if (file !== undefined && !(typeof file === 'string' && Object.hasOwn(FILES, file))) {
      throw badRequest('unknown file: use private_key, certificate or pkcs12');
    }
    if (sessionIdentity(request) === null) throw unauthenticated();
    const enrolment = request.session.ecpEnrolment;
    const downloads: EcpDownloads = enrolment?.downloads ?? {};

    if (file === undefined) {
      const { private_key, certificate } = downloads;
      if (private_key === undefined && certificate === undefined) throw nothingLeft();
      clear(request, ['private_key', 'certificate']);
      return { ...(private_key === undefined ? {} : { private_key }), ...(certificate === undefined ? {} : { certificate }) };
    }

    const name = file as DownloadName;
    const content = downloads[name];
    if (content === undefined) throw nothingLeft();
    clear(request, [name]);
    const { filename, contentType } = FILES[name];
    reply.header('content-type', contentType).header('content-disposition', `attachment; filename="${filename}"`);
    return name === 'pkcs12' ? Buffer.from(content, 'base64') : content;
  });
}

/**
 * Removes downloaded items. The enrolment record itself stays (empty), so that a further
 * request is a 404 "nothing left" rather than a 401, and the user may still upload a
 * certificate. The session is saved before the response is sent (@fastify/session's onSend):
 * if that save fails, the client gets the error instead of the file, and the file stays.
 */
function clear(request: FastifyRequest, names: readonly DownloadName[]): void {
  const enrolment = request.session.ecpEnrolment;
  if (enrolment === undefined) return;
  const downloads: EcpDownloads = { ...enrolment.downloads };
  for (const name of names) delete downloads[name];
  // Reassigning (rather than mutating) makes @fastify/session see the change and save it.
  request.session.ecpEnrolment = { user: enrolment.user, downloads };
}
