/** The urlencoded body parser the plugin adds (no @fastify/formbody needed). */
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { addFormParser, parseForm } from '../src/form-body.js';

describe('parseForm', () => {
  it('decodes fields, keeps "+" as space per the form encoding, and lists repeated fields', () => {
    const body = parseForm('username=al%C3%AFce&password=a+b%2Bc&x=1&x=2&x=3&empty=');
    expect(body).toEqual({ username: 'alïce', password: 'a b+c', x: ['1', '2', '3'], empty: '' });
    expect(Object.getPrototypeOf(body)).toBeNull();
  });

  it('cannot be used to reach the prototype', () => {
    const body = parseForm('__proto__=x&constructor=y');
    expect(body.__proto__).toBe('x');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('refuses more than 64 fields', () => {
    const many = Array.from({ length: 65 }, (_, i) => `f${i}=1`).join('&');
    expect(() => parseForm(many)).toThrow(/more than 64 fields/);
  });
});

describe('addFormParser', () => {
  it('parses form posts and enforces its body limit', async () => {
    const app = Fastify();
    addFormParser(app, 1_024);
    app.post('/echo', async (request) => request.body);
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    expect((await app.inject({ method: 'POST', url: '/echo', headers, payload: 'a=1&b=2' })).json()).toEqual({ a: '1', b: '2' });
    const tooBig = await app.inject({ method: 'POST', url: '/echo', headers, payload: `a=${'x'.repeat(2_000)}` });
    expect(tooBig.statusCode).toBe(413);
    const tooMany = await app.inject({ method: 'POST', url: '/echo', headers, payload: Array.from({ length: 65 }, (_, i) => `f${i}=1`).join('&') });
    expect(tooMany.statusCode).toBe(400);
    await app.close();
  });
});
