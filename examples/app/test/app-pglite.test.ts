/** The example's routes on embedded PGlite, the database `pnpm start` uses by default. */
import { describeAppSuite } from './app-suite.js';
import { pgliteAppDb } from './helpers/app.js';

describeAppSuite('PGlite', pgliteAppDb);
