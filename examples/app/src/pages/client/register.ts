/**
 * /register, three ways:
 * - the server makes the key files (POST /register with key_password), then offers each
 *   once at /ecp/keys?file=...;
 * - this page makes the key (@ecp/browser's `enrol`: POST /register with a CSR), and the
 *   files are saved from memory as Blob downloads; the private key never leaves the page;
 * - the user made the key (OpenSSL) and pastes a CSR; the certificate is saved as a Blob.
 */
import { enrol, type EnrolPhase } from '@ecp/browser';
import { FormFeedback, byId, inside, passphrasesMatch, postJson } from './common.js';

// --- tabs (WAI-ARIA tabs pattern: arrow keys move between tabs) -----------------------

const tabs = Array.from(document.querySelectorAll<HTMLButtonElement>('[role="tab"]'));

function selectTab(selected: HTMLButtonElement): void {
  for (const tab of tabs) {
    const active = tab === selected;
    tab.setAttribute('aria-selected', String(active));
    tab.tabIndex = active ? 0 : -1;
    byId(tab.getAttribute('aria-controls')!).hidden = !active;
  }
}

for (const [index, tab] of tabs.entries()) {
  tab.addEventListener('click', () => selectTab(tab));
  tab.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const next = tabs[(index + (event.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length]!;
    selectTab(next);
    next.focus();
  });
}
const fromHash = tabs.find((tab) => `#${tab.id.replace('tab-', '')}` === location.hash);
if (fromHash) selectTab(fromHash);

function showResult(form: HTMLFormElement, result: HTMLElement): void {
  // The account exists now: the choice of tabs and its explanation are over.
  inside<HTMLElement>(document, '[role="tablist"]').hidden = true;
  inside<HTMLElement>(document, 'main > .lead').hidden = true;
  // In the panel, only the result stays: the explanation, the commands and the form are done.
  const panel = form.parentElement!;
  for (const child of Array.from(panel.children)) (child as HTMLElement).hidden = child !== result;
  panel.classList.add('done');
  inside<HTMLElement>(result, 'h2').focus();
}

/** A file the page holds, saved with a Blob download; saved files get a mark. */
function offerFromMemory(result: HTMLElement, file: string, content: BlobPart, type: string): void {
  const link = inside<HTMLAnchorElement>(result, `a[data-file="${file}"]`);
  link.href = URL.createObjectURL(new Blob([content], { type }));
  link.addEventListener('click', () => link.classList.add('saved'));
}

/**
 * The server hands out each file once. Fetching it here and saving it from memory means a
 * second click saves the same file again, instead of saving the server's "nothing left"
 * answer under the file's name.
 */
function offerOnce(link: HTMLAnchorElement, errorBox: HTMLElement): void {
  let saved = false;
  link.addEventListener('click', (event) => {
    if (saved) return; // the link now points at the copy in memory
    event.preventDefault();
    errorBox.hidden = true;
    fetch(link.href, { credentials: 'same-origin' })
      .then(async (answer) => {
        if (answer.status === 404) throw new Error('The server has already handed out this file: it gives each file once. If you do not have it, register again under another username.');
        if (answer.status === 401) throw new Error('Your registration session has ended, so the server no longer offers this file. Register again under another username.');
        if (!answer.ok) throw new Error(`The server could not send this file (HTTP ${answer.status}). Try again.`);
        link.href = URL.createObjectURL(await answer.blob());
        saved = true;
        link.classList.add('saved');
        link.click();
      })
      .catch((error: unknown) => {
        errorBox.textContent = error instanceof Error ? error.message : String(error);
        errorBox.hidden = false;
      });
  });
}

// --- the server makes the key files ------------------------------------------------

{
  const form = byId<HTMLFormElement>('server-form');
  const username = byId<HTMLInputElement>('server-username');
  const password = byId<HTMLInputElement>('server-password');
  const passphrase = byId<HTMLInputElement>('server-passphrase');
  const again = byId<HTMLInputElement>('server-passphrase2');
  const feedback = new FormFeedback(form, { username, password, passphrase });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!passphrasesMatch(feedback, passphrase, again)) return;
    feedback.busy('The server is making your key and certificate and locking the key file…');
    postJson('/register', { username: username.value, password: password.value, key_password: passphrase.value })
      .then(() => {
        feedback.idle();
        const result = byId('server-result');
        const errorBox = inside<HTMLElement>(result, '.error');
        result.querySelectorAll<HTMLAnchorElement>('a[data-file]').forEach((link) => offerOnce(link, errorBox));
        showResult(form, result);
      })
      .catch((error: unknown) => feedback.fail(error));
  });
}

// --- this page makes the key ---------------------------------------------------------

{
  const form = byId<HTMLFormElement>('browser-form');
  const username = byId<HTMLInputElement>('browser-username');
  const password = byId<HTMLInputElement>('browser-password');
  const passphrase = byId<HTMLInputElement>('browser-passphrase');
  const again = byId<HTMLInputElement>('browser-passphrase2');
  const result = byId('browser-result');
  const feedback = new FormFeedback(form, { username, password, passphrase });

  const PHASES: Record<EnrolPhase, string> = {
    'deriving-key': 'Locking the key with your passphrase. This takes a moment on purpose: it makes guessing passphrases slow.',
    encrypting: 'Writing the key file…',
    decrypting: 'Packing key and certificate into credentials.p12…',
    registering: 'Sending the certificate request to the server…',
    done: 'Done.',
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!passphrasesMatch(feedback, passphrase, again)) return;
    feedback.busy('Making your key…');
    enrol({
      username: username.value,
      password: password.value,
      passphrase: passphrase.value,
      pkcs12: true,
      onProgress: (phase) => feedback.status(PHASES[phase]),
    })
      .then((enrolled) => {
        offerFromMemory(result, 'private_key', enrolled.privateKeyPem, 'application/x-pem-file');
        offerFromMemory(result, 'certificate', enrolled.certificatePem, 'application/x-pem-file');
        offerFromMemory(result, 'pkcs12', enrolled.pkcs12 ?? new Uint8Array(0), 'application/x-pkcs12');
        feedback.idle();
        showResult(form, result);
      })
      .catch((error: unknown) => feedback.fail(error));
  });

  // The key exists only here until it is saved: warn before it is thrown away.
  window.addEventListener('beforeunload', (event) => {
    if (!result.hidden && result.querySelectorAll('a.saved').length === 0) event.preventDefault();
  });
}

// --- the user made the key and sends a CSR ----------------------------------------------

{
  const form = byId<HTMLFormElement>('csr-form');
  const username = byId<HTMLInputElement>('csr-username');
  const password = byId<HTMLInputElement>('csr-password');
  const csr = byId<HTMLTextAreaElement>('csr-text');
  const result = byId('csr-result');
  const feedback = new FormFeedback(form, { username, password });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    feedback.busy('Sending your certificate request…');
    postJson('/register', { username: username.value, password: password.value, csr: csr.value.trim() })
      .then((answer) => {
        if (typeof answer.certificate !== 'string') throw new Error('the server answered without a certificate');
        offerFromMemory(result, 'certificate', answer.certificate, 'application/x-pem-file');
        feedback.idle();
        showResult(form, result);
      })
      .catch((error: unknown) => feedback.fail(error));
  });
}
