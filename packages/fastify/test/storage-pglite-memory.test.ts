import { describeStorageSuite } from './storage-suite.js';
import { pgliteBackend } from './storage-helpers.js';

describeStorageSuite(pgliteBackend('memory'));
