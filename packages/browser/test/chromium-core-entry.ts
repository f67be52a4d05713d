/**
 * The crypto core's case functions (cases.ts) bundled for the Chromium page and exposed on
 * `window` for page.evaluate.
 */
import { keyCases } from './cases.js';

declare global {
  interface Window {
    ecpKeyCases: typeof keyCases;
  }
}

window.ecpKeyCases = keyCases;
document.title = 'ready';
