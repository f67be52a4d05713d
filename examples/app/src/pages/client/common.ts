/**
 * What the three pages share: finding elements, showing progress and errors in words a
 * person can act on, the session (GET /me, POST /logout) and JSON posts to the app.
 */
import {
  EcpError,
  LegacyPkcs12Error,
  NetworkError,
  RateLimitedError,
  RequestRejectedError,
  ServerError,
  UsernameTakenError,
} from '@ecp/browser';

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}

export function inside<T extends Element>(root: ParentNode, selector: string): T {
  const element = root.querySelector<T>(selector);
  if (!element) throw new Error(`the page has no ${selector}`);
  return element;
}

/** What the user needs to know about a failure, and which field to fix. */
export interface Explanation {
  lines: string[];
  /** A command to run, shown as code. */
  command?: string;
  /** The input the user should look at (focused and marked invalid). */
  field?: 'username' | 'password' | 'passphrase' | 'keyFile';
}

const sentence = (text: string): string => {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?:]$/.test(capital) ? capital : `${capital}.`;
};

const KEY_FILE_CODES = new Set([
  'ECP_NOT_A_KEY',
  'ECP_WRONG_CURVE',
  'ECP_UNSUPPORTED_FORMAT',
  'ECP_MALFORMED',
  'ECP_KEY_CERTIFICATE_MISMATCH',
  'ECP_INPUT_TOO_LARGE',
]);

export function explain(error: unknown): Explanation {
  if (!(error instanceof EcpError)) {
    return { lines: ['Something went wrong in this page. Reload it and try again.', `(${error instanceof Error ? error.message : String(error)})`] };
  }
  switch (error.code) {
    case 'ECP_WRONG_PASSPHRASE':
      return { lines: [sentence(error.message), 'It is the passphrase of the key file (chosen at registration), not your account password.'], field: 'passphrase' };
    case 'ECP_LEGACY_PKCS12':
      return {
        lines: [
          'This .p12 file uses old encryption (3DES or RC2) that browsers cannot read.',
          'Make a modern copy with OpenSSL 3 (it asks for the old passphrase, then for a passphrase for new.p12), then choose new.p12:',
        ],
        command: LegacyPkcs12Error.reexportCommand,
        field: 'keyFile',
      };
    case 'ECP_AUTH_FAILED':
      return {
        lines: [
          'The username, password or key file is wrong.',
          'For your safety the server does not say which. Check all three: the key file must be the one saved when this username registered.',
        ],
        field: 'username',
      };
    case 'ECP_USERNAME_TAKEN':
      return { lines: [sentence(error.message)], field: 'username' };
    default:
      if (KEY_FILE_CODES.has(error.code)) return { lines: [sentence(error.message)], field: 'keyFile' };
      return { lines: [sentence(error.message)] };
  }
}

export type FieldMap = Partial<Record<NonNullable<Explanation['field']>, HTMLInputElement>>;

/** The status line, error box and submit button of a form. */
export class FormFeedback {
  readonly #status: HTMLElement;
  readonly #error: HTMLElement;
  readonly #submit: HTMLButtonElement;
  readonly #fields: FieldMap;

  constructor(form: HTMLFormElement, fields: FieldMap) {
    this.#status = inside(form, '.status');
    this.#error = inside(form, '.error');
    this.#error.id ||= `${form.id}-error`;
    this.#submit = inside(form, 'button[type="submit"]');
    this.#fields = fields;
  }

  busy(text: string): void {
    this.#submit.disabled = true;
    this.#error.hidden = true;
    for (const input of Object.values(this.#fields)) {
      input?.removeAttribute('aria-invalid');
      input?.removeAttribute('aria-errormessage');
    }
    this.status(text);
  }

  status(text: string): void {
    this.#status.textContent = text;
  }

  idle(): void {
    this.#submit.disabled = false;
  }

  /** Shows what went wrong and puts the focus on the field to fix. */
  fail(error: unknown): void {
    this.show(explain(error));
  }

  /** A message about the form's own input, checked before anything is sent. */
  invalid(field: HTMLInputElement, message: string): void {
    this.show({ lines: [message] }, field);
  }

  show(explanation: Explanation, field = explanation.field ? this.#fields[explanation.field] : undefined): void {
    this.idle();
    this.status('');
    this.#error.replaceChildren(
      ...explanation.lines.map((line) => Object.assign(document.createElement('p'), { textContent: line })),
      ...(explanation.command ? [commandBlock(explanation.command)] : []),
    );
    this.#error.hidden = false;
    if (field) {
      field.setAttribute('aria-invalid', 'true');
      field.setAttribute('aria-errormessage', this.#error.id);
      field.focus();
    }
  }
}

function commandBlock(command: string): HTMLElement {
  const pre = document.createElement('pre');
  const code = document.createElement('code');
  // One step per line; the trailing && keeps it a single command when pasted into a shell.
  code.textContent = command.replace(/ && /g, ' &&\n');
  pre.append(code);
  return pre;
}

/** The logged-in username, or null (GET /me answers 401 without a session). */
export async function currentUser(): Promise<string | null> {
  const answer = await fetch('/me', { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (answer.status === 401) return null;
  if (!answer.ok) throw new ServerError(answer.status);
  const body = (await answer.json()) as { username?: unknown };
  return typeof body.username === 'string' ? body.username : null;
}

export async function logout(): Promise<void> {
  const answer = await fetch('/logout', { method: 'POST', credentials: 'same-origin' });
  if (!answer.ok) throw new ServerError(answer.status);
}

/** POST a JSON body to the app; the JSON answer, or the SDK's typed error for a failure. */
export async function postJson(path: string, body: Record<string, string>): Promise<Record<string, unknown>> {
  let answer: Response;
  try {
    answer = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new NetworkError(error);
  }
  const json = (await answer.json().catch(() => ({}))) as Record<string, unknown>;
  if (answer.ok) return json;
  const code = typeof json.code === 'string' ? json.code : undefined;
  if (answer.status === 409) throw new UsernameTakenError(code);
  if (answer.status === 429) throw new RateLimitedError();
  if (answer.status >= 400 && answer.status < 500) {
    throw new RequestRejectedError(typeof json.error === 'string' ? json.error : `the server refused the request (HTTP ${answer.status})`, answer.status, code);
  }
  throw new ServerError(answer.status, code);
}

/** Both passphrase fields must agree before a key file is locked with them. */
export function passphrasesMatch(feedback: FormFeedback, first: HTMLInputElement, second: HTMLInputElement): boolean {
  if (first.value === second.value) return true;
  feedback.invalid(second, 'The two passphrases differ: type the same passphrase in both fields.');
  return false;
}
