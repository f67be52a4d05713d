/**
 * /register, two ways:
 * - the server makes the key files (POST /register with key_password), then offers each
 *   once at /ecp/keys?file=...;
 * - this page makes the key (@ecp/browser's `enrol`: POST /register with a CSR), and the
 *   files are saved from memory as Blob downloads; the private key never leaves the page.
 */
import { enrol, type EnrolPhase } from '@ecp/browser';
import { FormFeedback, byId, inside, passphrasesMatch, postJson } from './common.js';

// --- tabs (WAI-ARIA tabs pattern: arrow keys move between tabs) -----------------------

const tabs = [byId<HTMLButtonElement>('tab-server'), byId<HTMLButtonElement>('tab-browser')];

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
if (location.hash === '#browser') selectTab(tabs[1]!);

function showResult(form: HTMLFormElement, result: HTMLElement): void {
  // The account exists now: the choice of tabs and its explanation are over.
  inside<HTMLElement>(document, '[role="tablist"]').hidden = true;
  inside<HTMLElement>(document, 'main > .lead').hidden = true;
  form.parentElement?.querySelector<HTMLElement>('.about')?.setAttribute('hidden', '');
  form.parentElement?.classList.add('done');
  form.hidden = true;
  result.hidden = false;
  inside<HTMLElement>(result, 'h2').focus();
  // A saved file gets a mark, so the user sees which ones are still to do.
  result.querySelectorAll('a[data-file]').forEach((link) => link.addEventListener('click', () => link.classList.add('saved')));
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
        showResult(form, byId('server-result'));
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

  const offer = (file: string, content: BlobPart, type: string): void => {
    const link = inside<HTMLAnchorElement>(result, `a[data-file="${file}"]`);
    link.href = URL.createObjectURL(new Blob([content], { type }));
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
        offer('private_key', enrolled.privateKeyPem, 'application/x-pem-file');
        offer('certificate', enrolled.certificatePem, 'application/x-pem-file');
        offer('pkcs12', enrolled.pkcs12 ?? new Uint8Array(0), 'application/x-pkcs12');
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
