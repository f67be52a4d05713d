/**
 * /login: username, password, key file and passphrase → @ecp/browser's `login` (the key file
 * is read and the challenge signed in this page), then the session from GET /me.
 */
import { login, type LoginPhase } from '@ecp/browser';
import { FormFeedback, byId, currentUser, logout } from './common.js';

const form = byId<HTMLFormElement>('login-form');
const username = byId<HTMLInputElement>('username');
const password = byId<HTMLInputElement>('password');
const keyFile = byId<HTMLInputElement>('key-file');
const passphrase = byId<HTMLInputElement>('passphrase');
const progress = form.querySelector<HTMLElement>('.progress')!;
const session = byId('session');
const feedback = new FormFeedback(form, { username, password, keyFile, passphrase });

const PHASES: Record<LoginPhase, string> = {
  'deriving-key': 'Unlocking the key file with your passphrase. This takes a moment on purpose: it makes guessing passphrases slow.',
  decrypting: 'Reading the key…',
  'requesting-challenge': 'Asking the server for a one-time challenge…',
  signing: 'Signing the challenge with your key…',
  'logging-in': 'Sending the signature and your password…',
  done: 'Logged in.',
};

async function showSession(): Promise<boolean> {
  const user = await currentUser();
  const response = byId('me-response');
  response.textContent = user === null ? '' : JSON.stringify({ username: user });
  byId('session-user').textContent = user ?? '';
  session.hidden = user === null;
  form.hidden = user !== null;
  byId('no-account').hidden = user !== null;
  byId('title').textContent = user === null ? 'Log in' : 'You are logged in';
  return user !== null;
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const file = keyFile.files?.[0];
  if (!file) {
    feedback.invalid(keyFile, 'Choose your key file: private_key.pem or credentials.p12.');
    return;
  }
  feedback.busy('Starting…');
  progress.hidden = false;
  login({
    username: username.value,
    password: password.value,
    keyFile: file,
    passphrase: passphrase.value,
    onProgress: (phase) => feedback.status(PHASES[phase]),
  })
    .then(async () => {
      progress.hidden = true;
      feedback.idle();
      form.reset();
      await showSession();
      byId('title').focus();
    })
    .catch((error: unknown) => {
      progress.hidden = true;
      feedback.fail(error);
    });
});

byId('logout').addEventListener('click', () => {
  logout()
    .then(showSession)
    .then(() => {
      feedback.status('You are logged out.');
      username.focus();
    })
    .catch((error: unknown) => feedback.fail(error));
});

showSession().catch((error: unknown) => feedback.fail(error));
