// The bundled sample service of `perf-gate demo`: a small payments API on node:http.
//
// Routes (every response is JSON and carries a Server-Timing header with its phases):
//   GET  /health                          control request: no I/O, no fee work                  → 200
//   GET  /api/quote?amount=&currency=[&merchantCategory=][&settle=]   fx (1 ms I/O + CPU), fees  → 200
//   POST /api/payments                    auth, JSON body, fees, db insert (3 ms)                 → 201
//   GET  /api/accounts/:id                db read (2 ms; 6 ms regressed), render; 1..1000 exist  → 200
// Errors: 400 bad input / bad JSON, 401 missing or wrong bearer token, 404 unknown route or account,
// 405 wrong method on a known route, 413 body over 64 KiB, 422 unknown or frozen account, 500 bug.
//
// The regressed variant differs in two places only: computeFee scans the fee rules quadratically
// (fees.ts, findFeeRuleLinear) and the account read takes 6 ms instead of 2 ms (db.ts).

import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { DemoDatabase } from './db.ts';
import type { QueryLatencies } from './db.ts';
import type { Currency, DemoVariant, MerchantCategory } from './fees.ts';
import { MAX_AMOUNT, computeFee, isCurrency, isMerchantCategory } from './fees.ts';
import { ServerTiming } from './server-timing.ts';

export type { DemoVariant } from './fees.ts';
export const DEMO_VARIANTS: readonly DemoVariant[] = ['baseline', 'regressed'];

/** The bearer token POST /api/payments accepts (`authorization: Bearer demo-token`). */
export const DEMO_API_TOKEN = 'demo-token';
/** Idle keep-alive sockets are kept this long (load generators reuse connections between trials). */
export const DEMO_KEEP_ALIVE_TIMEOUT_MS = 60_000;
const MAX_BODY_BYTES = 64 * 1024;

/** Path of the runnable entry (main.ts from source, main.js once built), for spawning the demo. */
export function demoMainPath(): string {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return fileURLToPath(new URL(`./main${ext}`, import.meta.url));
}

export interface DemoServiceOptions {
  variant: DemoVariant;
  /** Overrides of the simulated query latencies (tests). */
  latencies?: Partial<QueryLatencies>;
}

/** Units of `currency` per 1 EUR (mid rates of a fixed day; the demo never updates them). */
const FX_PER_EUR: Record<Currency, number> = { EUR: 1, USD: 1.0842, GBP: 0.8563, CHF: 0.9587, JPY: 162.31 };
/** Minor units per major unit. */
const MINOR_UNITS: Record<Currency, number> = { EUR: 100, USD: 100, GBP: 100, CHF: 100, JPY: 1 };

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: string[],
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'perf-gate-demo';
const EXPECTED_TOKEN_DIGEST = createHmac('sha256', TOKEN_KEY).update(DEMO_API_TOKEN).digest();

function authenticate(req: http.IncomingMessage): void {
  const header = req.headers.authorization;
  const match = header === undefined ? null : /^Bearer\s+(\S+)$/i.exec(header);
  if (match === null) throw new HttpError(401, 'unauthorized', 'missing bearer token');
  const digest = createHmac('sha256', TOKEN_KEY).update(match[1]!).digest();
  if (!timingSafeEqual(digest, EXPECTED_TOKEN_DIGEST)) {
    throw new HttpError(401, 'unauthorized', 'invalid bearer token');
  }
}

/** Converts minor units of `from` into minor units of `to` through EUR, rounding half away from zero. */
function convert(amountMinor: number, from: Currency, to: Currency): { amount: number; rate: number } {
  const rate = FX_PER_EUR[to] / FX_PER_EUR[from];
  const major = amountMinor / MINOR_UNITS[from];
  const amount = Math.round(major * rate * MINOR_UNITS[to]);
  return { amount, rate: Math.round(rate * 1e6) / 1e6 };
}

function parsePositiveInt(raw: string | null): number | undefined {
  if (raw === null || !/^[1-9][0-9]{0,9}$/.test(raw)) return undefined;
  return Number(raw);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) reject(new HttpError(413, 'payload_too_large', `body over ${MAX_BODY_BYTES} bytes`));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, body: unknown, timing: ServerTiming): void {
  const json = timing.timeSync('render', () => JSON.stringify(body));
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(json),
    'cache-control': 'no-store',
    'server-timing': timing.toHeader(),
  });
  res.end(json);
}

interface PaymentInput {
  accountId: number;
  amount: number;
  currency: Currency;
  merchantCategory: MerchantCategory;
  reference?: string;
}

function validatePayment(body: unknown): PaymentInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'invalid_request', 'body must be a JSON object');
  }
  const b = body as Record<string, unknown>;
  const details: string[] = [];
  const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
  if (!isInt(b.amount) || b.amount <= 0 || b.amount >= MAX_AMOUNT) {
    details.push(`amount: integer of minor units in 1..${MAX_AMOUNT - 1}`);
  }
  if (!isCurrency(b.currency)) details.push('currency: one of EUR, USD, GBP, CHF, JPY');
  if (!isMerchantCategory(b.merchantCategory)) details.push('merchantCategory: unknown category');
  if (!isInt(b.accountId) || b.accountId <= 0) details.push('accountId: positive integer');
  if (b.reference !== undefined && (typeof b.reference !== 'string' || b.reference.length > 140)) {
    details.push('reference: string of at most 140 characters');
  }
  if (details.length > 0) throw new HttpError(400, 'invalid_request', 'invalid payment', details);
  return b as unknown as PaymentInput;
}

type Handler = (req: http.IncomingMessage, url: URL, timing: ServerTiming) => Promise<[number, unknown]>;

function createHandlers(variant: DemoVariant, db: DemoDatabase, startedAt: number) {
  const health: Handler = async () => [
    200,
    { status: 'ok', variant, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) },
  ];

  const quote: Handler = async (_req, url, timing) => {
    const amount = parsePositiveInt(url.searchParams.get('amount'));
    const currency = url.searchParams.get('currency');
    const category = url.searchParams.get('merchantCategory') ?? 'general';
    const settle = url.searchParams.get('settle') ?? 'EUR';
    const details: string[] = [];
    if (amount === undefined || amount >= MAX_AMOUNT) details.push('amount: positive integer of minor units');
    if (!isCurrency(currency)) details.push('currency: one of EUR, USD, GBP, CHF, JPY');
    if (!isMerchantCategory(category)) details.push('merchantCategory: unknown category');
    if (!isCurrency(settle)) details.push('settle: one of EUR, USD, GBP, CHF, JPY');
    if (details.length > 0 || amount === undefined || !isCurrency(currency)) {
      throw new HttpError(400, 'invalid_request', 'invalid quote request', details);
    }
    const merchantCategory = category as MerchantCategory;
    const settleCurrency = settle as Currency;
    const fx = await timing.time(
      'fx',
      async () => {
        await db.query('fx.rates');
        return convert(amount, currency, settleCurrency);
      },
      'fx rates',
    );
    const fee = timing.timeSync(
      'fees',
      () => computeFee({ amount, currency, merchantCategory }, variant),
      'fee rules',
    );
    return [
      200,
      {
        amount,
        currency,
        merchantCategory,
        fee: fee.fee,
        feeRuleId: fee.ruleId,
        net: amount - fee.fee,
        settlement: {
          currency: settleCurrency,
          rate: fx.rate,
          amount: fx.amount,
          fee: convert(fee.fee, currency, settleCurrency).amount,
        },
      },
    ];
  };

  const createPayment: Handler = async (req, _url, timing) => {
    timing.timeSync('auth', () => authenticate(req), 'bearer token');
    const raw = await readBody(req);
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new HttpError(400, 'invalid_json', 'body is not valid JSON');
    }
    const input = validatePayment(parsed);
    if (!db.hasAccount(input.accountId)) {
      throw new HttpError(422, 'unknown_account', `account ${input.accountId} does not exist`);
    }
    const fee = timing.timeSync('fees', () => computeFee(input, variant), 'fee rules');
    const payment = await timing.time(
      'db',
      () =>
        db.insertPayment({
          accountId: input.accountId,
          amount: input.amount,
          currency: input.currency,
          merchantCategory: input.merchantCategory,
          fee: fee.fee,
          net: input.amount - fee.fee,
        }),
      'insert payment',
    );
    return [201, { ...payment, feeRuleId: fee.ruleId }];
  };

  const getAccount = async (id: string, timing: ServerTiming): Promise<[number, unknown]> => {
    const n = parsePositiveInt(id);
    if (n === undefined) throw new HttpError(404, 'not_found', `no account ${id}`);
    const account = await timing.time('db', () => db.getAccount(n), 'account by id');
    if (account === undefined) throw new HttpError(404, 'not_found', `no account ${id}`);
    return [200, account];
  };

  return { health, quote, createPayment, getAccount };
}

export function createDemoService(options: DemoServiceOptions): http.Server {
  const { variant } = options;
  if (!DEMO_VARIANTS.includes(variant)) throw new Error(`unknown demo variant: ${String(variant)}`);
  const db = new DemoDatabase(
    options.latencies === undefined ? { variant } : { variant, latencies: options.latencies },
  );
  const h = createHandlers(variant, db, Date.now());
  const ACCOUNT_PATH = /^\/api\/accounts\/([^/]+)$/;

  const route = (req: http.IncomingMessage, url: URL, timing: ServerTiming): Promise<[number, unknown]> => {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const only = (allowed: string, handler: Handler): Promise<[number, unknown]> => {
      if (method !== allowed) {
        throw new HttpError(405, 'method_not_allowed', `${method} not allowed on ${path}; use ${allowed}`);
      }
      return handler(req, url, timing);
    };
    if (path === '/health') return only('GET', h.health);
    if (path === '/api/quote') return only('GET', h.quote);
    if (path === '/api/payments') return only('POST', h.createPayment);
    const account = ACCOUNT_PATH.exec(path);
    if (account !== null) return only('GET', (_r, _u, t) => h.getAccount(account[1]!, t));
    throw new HttpError(404, 'not_found', `no route for ${method} ${path}`);
  };

  const server = http.createServer((req, res) => {
    const timing = new ServerTiming();
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://demo.invalid');
    } catch {
      send(res, 400, { error: 'invalid_request', message: 'malformed request target' }, timing);
      return;
    }
    const fail = (err: unknown): void => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof HttpError) {
        if (err.status === 405) res.setHeader('allow', allowedFor(url.pathname));
        const body: Record<string, unknown> = { error: err.code, message: err.message };
        if (err.details !== undefined) body.details = err.details;
        send(res, err.status, body, timing);
      } else {
        send(res, 500, { error: 'internal_error', message: 'unexpected error' }, timing);
      }
    };
    try {
      route(req, url, timing).then(([status, body]) => send(res, status, body, timing), fail);
    } catch (err) {
      fail(err);
    }
  });
  server.keepAliveTimeout = DEMO_KEEP_ALIVE_TIMEOUT_MS;
  // Must exceed keepAliveTimeout so an idle keep-alive socket is closed by the keep-alive timer first.
  server.headersTimeout = DEMO_KEEP_ALIVE_TIMEOUT_MS + 5_000;
  return server;
}

function allowedFor(path: string): string {
  return path === '/api/payments' ? 'POST' : 'GET';
}

export interface RunningDemoService {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  port: number;
  server: http.Server;
  /** Stops listening and destroys every connection, idle keep-alive ones included. Idempotent. */
  close(): Promise<void>;
}

export interface StartDemoServiceOptions extends DemoServiceOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
}

export async function startDemoService(options: StartDemoServiceOptions): Promise<RunningDemoService> {
  const { port = 0, host = '127.0.0.1' } = options;
  const server = createDemoService(options);
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.address.includes(':') ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    server,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err === undefined ? resolve() : reject(err)));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
