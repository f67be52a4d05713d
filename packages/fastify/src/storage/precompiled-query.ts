/**
 * A Kysely query compiled once and then run with new values each time. Building and
 * compiling a query with Kysely's builder costs tens of microseconds, a large share of a
 * request that runs one short statement; the SQL of a hot-path query never changes, only
 * its values, so the compiled statement is reused and only its parameters are swapped.
 *
 * The query is compiled with one marker value per parameter and the place each marker lands
 * is read back, so the parameter order is whatever the dialect and the db's plugins make it
 * (never assumed from the builder calls). Compiling is deferred to the first run, so a
 * construction never touches Kysely's compiler.
 */
import { EcpError } from '@ecp/core';
import { createQueryId, type Compilable, type CompiledQuery, type QueryResult } from 'kysely';

/** What runs the statement: any `Kysely<DB>` (its plugins then transform the result rows). */
export interface CompiledQueryExecutor {
  executeQuery<R>(query: CompiledQuery<R>): Promise<QueryResult<R>>;
}

export class PrecompiledQuery<Values extends unknown[], Row> {
  readonly #db: CompiledQueryExecutor;
  readonly #what: string;
  readonly #markers: Values;
  readonly #build: (...markers: Values) => Compilable<Row>;
  #compiled: { template: CompiledQuery<Row>; order: readonly number[] } | undefined;

  /**
   * @param what names the query (`NonceStore: the nonce INSERT`) in the error thrown when a
   *   marker is not a parameter.
   * @param markers one value per parameter, each distinct (by `===`) from the others and
   *   from any constant in the query, and of the column's type (a `Date` for a timestamp).
   * @param build builds the query from the markers, in their order.
   */
  constructor(db: CompiledQueryExecutor, what: string, markers: Values, build: (...markers: Values) => Compilable<Row>) {
    this.#db = db;
    this.#what = what;
    this.#markers = markers;
    this.#build = build;
  }

  /** Runs the statement with `values` in place of the markers (same positions); its rows. */
  async execute(...values: Values): Promise<Row[]> {
    this.#compiled ??= this.#compile();
    const { template, order } = this.#compiled;
    const parameters = order.map((index) => values[index]);
    const result = await this.#db.executeQuery<Row>({ query: template.query, sql: template.sql, queryId: createQueryId(), parameters });
    return result.rows;
  }

  /** The first row, or undefined: what Kysely's `executeTakeFirst` returns. */
  async takeFirst(...values: Values): Promise<Row | undefined> {
    const [row] = await this.execute(...values);
    return row;
  }

  #compile(): { template: CompiledQuery<Row>; order: readonly number[] } {
    const markers: readonly unknown[] = this.#markers;
    const template = this.#build(...this.#markers).compile();
    const order = template.parameters.map((parameter) => markers.indexOf(parameter));
    if (order.length !== markers.length || order.some((index) => index === -1) || new Set(order).size !== markers.length) {
      throw new EcpError(`${this.#what} does not carry its ${markers.length} values as parameters`);
    }
    return { template, order };
  }
}
