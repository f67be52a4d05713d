/**
 * A TCP proxy in front of PostgreSQL that can make the database "go away": refuse new
 * connections and cut the open ones, either now or at the moment a chosen statement is
 * about to reach the server (the statement itself is never forwarded). That is how the
 * tests put an outage in the middle of a request, between two of its statements.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** The URL of `databaseUrl`'s database, through the proxy. */
  url: string;
  /** Cuts every connection now and refuses new ones until `restore()`. */
  cut(): void;
  /** Cuts everything when a client sends bytes containing `marker` (e.g. `insert into "ecp_certificates"`). */
  cutOn(marker: string): void;
  restore(): void;
  /** True once a cut happened. */
  readonly isDown: boolean;
  close(): Promise<void>;
}

export async function startTcpProxy(databaseUrl: string): Promise<TcpProxy> {
  const target = new URL(databaseUrl);
  const sockets = new Set<Socket>();
  let down = false;
  let marker: string | null = null;

  const cut = (): void => {
    down = true;
    marker = null;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };

  const server: Server = createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: target.hostname, port: Number(target.port || 5432) });
    sockets.add(client);
    sockets.add(upstream);
    const forget = () => {
      sockets.delete(client);
      sockets.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', forget).on('close', forget);
    upstream.on('error', forget).on('close', forget);
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    client.on('data', (chunk: Buffer) => {
      if (marker !== null && chunk.includes(marker)) {
        cut();
        return;
      }
      upstream.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(address.port);

  return {
    port: address.port,
    url: url.toString(),
    cut,
    cutOn(text) {
      marker = text;
    },
    restore() {
      down = false;
    },
    get isDown() {
      return down;
    },
    async close() {
      cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
