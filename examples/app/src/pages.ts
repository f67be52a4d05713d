/**
 * The example's HTML pages: register, download the key files, log in. Deliberately small:
 * each form posts JSON with a few lines of script (no inline script, a strict CSP). Login
 * by signing in the browser comes with @ecp/browser; until then the login page shows the
 * nonce and the openssl command that signs it.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ecp example</title>
<link rel="stylesheet" href="/assets/app.css">
<script type="module" src="/assets/app.js"></script>
</head>
<body>
<nav><a href="/">Home</a> <a href="/register">Register</a> <a href="/login">Log in</a></nav>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>
`;
}

const HOME = layout(
  'ecp example',
  `<p>Two factors: your password, and a signature made with your private key file.</p>
<p id="whoami" data-whoami>Checking your session…</p>
<form data-json-form action="/logout" data-empty><button type="submit">Log out</button></form>
<pre data-result></pre>`,
);

const REGISTER = layout(
  'Register',
  `<form data-json-form action="/register" data-downloads>
<label>Username <input name="username" required maxlength="64" autocomplete="username"></label>
<label>Password <input name="password" type="password" required autocomplete="new-password"></label>
<label>Key file passphrase <input name="key_password" type="password" required autocomplete="off"></label>
<button type="submit">Register and make my key</button>
</form>
<div data-download-links hidden>
<p>Save your files now: each can be downloaded once.</p>
<ul>
<li><a href="/ecp/keys?file=private_key" download>private_key.pem</a> (encrypted with your passphrase)</li>
<li><a href="/ecp/keys?file=certificate" download>certificate.pem</a></li>
<li><a href="/ecp/keys?file=pkcs12" download>credentials.p12</a> (for browsers and key stores)</li>
</ul>
</div>
<h2>Or bring your own key</h2>
<p>Make a key and a request with <code>openssl ecparam -name prime256v1 -genkey | openssl pkcs8 -topk8 -v2 aes-256-cbc -out private_key.pem</code>
and <code>openssl req -new -key private_key.pem -subj "/CN=USERNAME" -out request.csr</code>; the server never sees the key.</p>
<form data-json-form action="/register">
<label>Username <input name="username" required maxlength="64"></label>
<label>Password <input name="password" type="password" required autocomplete="new-password"></label>
<label>Certificate request (PEM) <textarea name="csr" rows="8" required></textarea></label>
<button type="submit">Register with my CSR</button>
</form>
<pre data-result></pre>`,
);

const LOGIN = layout(
  'Log in',
  `<form data-json-form action="/login">
<label>Username <input name="username" required autocomplete="username"></label>
<label>Password <input name="password" type="password" required autocomplete="current-password"></label>
<input name="nonce_id" type="hidden" data-nonce-id>
<p><button type="button" data-get-challenge>Get a challenge</button></p>
<p>Sign it with your key file:</p>
<pre data-sign-command>(get a challenge first)</pre>
<label>Signature (hex) <textarea name="signature" rows="3" required></textarea></label>
<button type="submit">Log in</button>
</form>
<pre data-result></pre>`,
);

const SCRIPT = `// Posts each [data-json-form] as JSON and shows the answer.
for (const form of document.querySelectorAll('form[data-json-form]')) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = form.hasAttribute('data-empty') ? undefined : JSON.stringify(Object.fromEntries(new FormData(form)));
    const response = await fetch(form.getAttribute('action'), {
      method: 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body,
    });
    const text = await response.text();
    document.querySelector('[data-result]').textContent = response.status + ' ' + text;
    if (response.status === 201 && form.hasAttribute('data-downloads')) {
      document.querySelector('[data-download-links]').hidden = false;
    }
  });
}

const challengeButton = document.querySelector('[data-get-challenge]');
if (challengeButton) {
  challengeButton.addEventListener('click', async () => {
    const response = await fetch('/ecp/challenge');
    const challenge = await response.json();
    if (!response.ok) {
      document.querySelector('[data-result]').textContent = response.status + ' ' + JSON.stringify(challenge);
      return;
    }
    document.querySelector('[data-nonce-id]').value = challenge.nonce_id;
    document.querySelector('[data-sign-command]').textContent =
      "printf '%s' " + challenge.nonce + " | openssl dgst -sha256 -sign private_key.pem | od -An -v -tx1 | tr -d ' \\\\n'";
  });
}

const whoami = document.querySelector('[data-whoami]');
if (whoami) {
  fetch('/me').then(async (response) => {
    whoami.textContent = response.ok ? 'Logged in as ' + (await response.json()).username : 'Not logged in.';
  });
}
`;

const STYLE = `body { font-family: system-ui, sans-serif; max-width: 42rem; margin: 2rem auto; padding: 0 1rem; }
nav a { margin-right: 1rem; }
label { display: block; margin: 0.75rem 0; }
input, textarea { display: block; width: 100%; box-sizing: border-box; font: inherit; }
pre { white-space: pre-wrap; word-break: break-all; background: #f4f4f4; padding: 0.5rem; }
`;

function html(reply: FastifyReply, page: string): FastifyReply {
  return reply.header('content-security-policy', CSP).header('x-content-type-options', 'nosniff').type('text/html; charset=utf-8').send(page);
}

export async function pageRoutes(app: FastifyInstance): Promise<void> {
  app.get('/', async (_request, reply) => html(reply, HOME));
  app.get('/register', async (_request, reply) => html(reply, REGISTER));
  app.get('/login', async (_request, reply) => html(reply, LOGIN));
  app.get('/assets/app.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('x-content-type-options', 'nosniff').send(SCRIPT));
  app.get('/assets/app.css', async (_request, reply) => reply.type('text/css; charset=utf-8').header('x-content-type-options', 'nosniff').send(STYLE));
}
