/**
 * The test page's script: the SDK's case functions, bundled by esbuild for Chromium and
 * exposed on `window` for page.evaluate.
 */
import { sdkCases } from './sdk-cases.js';

declare global {
  interface Window {
    ecpSdkCases: typeof sdkCases;
  }
}

window.ecpSdkCases = sdkCases;
document.title = 'ready';
