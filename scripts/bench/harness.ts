/**
 * The measuring tools behind `pnpm bench`. Every figure ecp reports is a ratio taken in one
 * run: the subject and its baseline alternate in short rounds, so a noisy neighbour slows
 * both, and the median round decides. All loops are bounded in time.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface Rate {
  label: string;
  opsPerSec: number;
}

export interface Comparison {
  name: string;
  subject: Rate;
  baseline: Rate;
  ratio: number;
  target?: number;
  note?: string;
}

export interface Figure {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

export interface BenchReport {
  comparisons: Comparison[];
  figures: Figure[];
}

/** Services a suite may ask for; each starts at most once per `pnpm bench` run. */
export interface BenchContext {
  /** URL of a fresh database on the run's throwaway PostgreSQL cluster. */
  postgresDatabase(): Promise<string>;
}

/** What each `packages/<pkg>/bench/*.bench.ts` default-exports. */
export interface BenchSuite {
  name: string;
  run(report: BenchReport, context: BenchContext): Promise<void>;
}

export type Op = () => unknown;

/** Operations per second of `op` over about `ms` milliseconds, with `concurrency` in flight. */
export async function rate(op: Op, ms: number, concurrency = 1): Promise<number> {
  const deadline = performance.now() + ms;
  let count = 0;
  const start = performance.now();
  const worker = async () => {
    while (performance.now() < deadline) {
      const r = op();
      if (r instanceof Promise) await r;
      count++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (count * 1000) / (performance.now() - start);
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The medians of alternated rounds as a Comparison. */
function comparison(
  name: string,
  subjectLabel: string,
  subjectRounds: number[],
  baselineLabel: string,
  baselineRounds: number[],
  options: { target?: number; note?: string },
): Comparison {
  const subject = median(subjectRounds);
  const baseline = median(baselineRounds);
  return {
    name,
    subject: { label: subjectLabel, opsPerSec: subject },
    baseline: { label: baselineLabel, opsPerSec: baseline },
    ratio: subject / baseline,
    ...(options.target !== undefined ? { target: options.target } : {}),
    ...(options.note !== undefined ? { note: options.note } : {}),
  };
}

export interface CompareOptions {
  rounds?: number;
  roundMs?: number;
  concurrency?: number;
  target?: number;
  note?: string;
}

/** Alternates subject and baseline for `rounds` rounds; reports medians and their ratio. */
export async function compare(
  name: string,
  subject: { label: string; op: Op },
  baseline: { label: string; op: Op },
  options: CompareOptions = {},
): Promise<Comparison> {
  const { rounds = 5, roundMs = 400, concurrency = 1 } = options;
  await rate(subject.op, 100, concurrency); // warm-up: JIT, caches, connections
  await rate(baseline.op, 100, concurrency);
  const s: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < rounds; i++) {
    s.push(await rate(subject.op, roundMs, concurrency));
    b.push(await rate(baseline.op, roundMs, concurrency));
  }
  return comparison(name, subject.label, s, baseline.label, b, options);
}

/** Milliseconds one call of `op` takes: the median of `runs` calls. */
export async function timeOnce(op: Op, runs = 3): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = op();
    if (r instanceof Promise) await r;
    times.push(performance.now() - t0);
  }
  return median(times);
}

export interface HttpLoadOptions {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  /** A fresh body per request (e.g. a new signed nonce each time). */
  body?: () => string | Promise<string>;
  connections?: number;
  ms?: number;
  /** Status codes that count as success; anything else is counted as an error. */
  ok?: (status: number) => boolean;
  /** Source address of the connections (e.g. `127.0.0.2`, to arrive as a trusted proxy). */
  localAddress?: string;
}

/**
 * A bounded loopback load: `connections` keep-alive connections send requests back to back
 * for `ms` milliseconds. Returns successful requests per second and the error count.
 */
export async function httpLoad(options: HttpLoadOptions): Promise<{ rps: number; errors: number }> {
  const { url, method = 'GET', headers = {}, body, connections = 16, ms = 1500, ok = (s) => s >= 200 && s < 300, localAddress } = options;
  const target = new URL(url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) throw new Error('loopback targets only');
  const agent = new Agent({ keepAlive: true, maxSockets: connections, ...(localAddress === undefined ? {} : { localAddress }) });
  const deadline = performance.now() + ms;
  let done = 0;
  let errors = 0;
  const one = (payload?: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        target,
        { method, agent, headers: payload === undefined ? headers : { 'content-type': 'application/json', ...headers, 'content-length': Buffer.byteLength(payload) } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  const start = performance.now();
  const worker = async () => {
    while (performance.now() < deadline) {
      try {
        const status = await one(body ? await body() : undefined);
        if (ok(status)) done++;
        else errors++;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = performance.now() - start;
  agent.destroy();
  return { rps: (done * 1000) / elapsed, errors };
}

/** Alternating HTTP loads of two targets, like `compare` for servers. */
export async function compareHttp(
  name: string,
  subject: { label: string } & HttpLoadOptions,
  baseline: { label: string } & HttpLoadOptions,
  options: { rounds?: number; target?: number; note?: string } = {},
): Promise<Comparison> {
  const rounds = options.rounds ?? 3;
  await httpLoad({ ...subject, ms: 300 });
  await httpLoad({ ...baseline, ms: 300 });
  const s: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const rs = await httpLoad(subject);
    const rb = await httpLoad(baseline);
    if (rs.errors || rb.errors) throw new Error(`${name}: ${rs.errors} + ${rb.errors} failed requests during the load`);
    s.push(rs.rps);
    b.push(rb.rps);
  }
  return comparison(name, subject.label, s, baseline.label, b, options);
}
