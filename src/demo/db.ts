// A simulated database for the demo payments API: in-memory accounts and payments behind an async query
// whose latency is a timer (I/O wait, no CPU). The regressed variant makes the account read slow
// (2 ms → 6 ms: "the PR dropped the index on accounts.id").

import { setTimeout as sleep } from 'node:timers/promises';
import type { Currency, DemoVariant } from './fees.ts';
import { CURRENCIES } from './fees.ts';

export type QueryKind = 'account.read' | 'payment.insert' | 'fx.rates';

/** Simulated latency of each query kind, milliseconds. */
export type QueryLatencies = Record<QueryKind, number>;

export const QUERY_LATENCIES: Record<DemoVariant, QueryLatencies> = {
  baseline: { 'account.read': 2, 'payment.insert': 3, 'fx.rates': 1 },
  regressed: { 'account.read': 6, 'payment.insert': 3, 'fx.rates': 1 },
};

/** Accounts 1..ACCOUNT_COUNT exist. */
export const ACCOUNT_COUNT = 1000;
/** Payments kept in memory; older ones are evicted so a long load test does not grow the heap. */
export const MAX_STORED_PAYMENTS = 10_000;

export interface Account {
  id: number;
  name: string;
  currency: Currency;
  /** Minor units. */
  balance: number;
  status: 'active' | 'frozen';
  createdAt: string;
}

export interface Payment {
  id: string;
  accountId: number;
  amount: number;
  currency: Currency;
  merchantCategory: string;
  fee: number;
  net: number;
  status: 'accepted';
  createdAt: string;
}

const FIRST_NAMES = [
  'Ada',
  'Alan',
  'Grace',
  'Edsger',
  'Barbara',
  'Donald',
  'Margaret',
  'Ken',
  'Radia',
  'Niklaus',
];
const LAST_NAMES = ['Lovelace', 'Turing', 'Hopper', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton', 'Thompson'];

function seedAccounts(): Map<number, Account> {
  const accounts = new Map<number, Account>();
  const epoch = Date.UTC(2024, 0, 1);
  for (let id = 1; id <= ACCOUNT_COUNT; id++) {
    accounts.set(id, {
      id,
      name: `${FIRST_NAMES[id % FIRST_NAMES.length]} ${LAST_NAMES[(id * 7) % LAST_NAMES.length]}`,
      currency: CURRENCIES[id % CURRENCIES.length]!,
      balance: (id * 7919) % 1_000_000,
      status: id % 97 === 0 ? 'frozen' : 'active',
      createdAt: new Date(epoch + id * 3_600_000).toISOString(),
    });
  }
  return accounts;
}

export interface DemoDatabaseOptions {
  variant?: DemoVariant;
  /** Overrides of the variant's latencies (tests). */
  latencies?: Partial<QueryLatencies>;
}

export class DemoDatabase {
  readonly latencies: QueryLatencies;
  private readonly accounts = seedAccounts();
  private readonly payments = new Map<string, Payment>();
  private nextPaymentId = 1;

  constructor(options: DemoDatabaseOptions = {}) {
    this.latencies = { ...QUERY_LATENCIES[options.variant ?? 'baseline'], ...options.latencies };
  }

  /** Waits the simulated latency of one query (`ms` overrides the configured one). */
  async query(kind: QueryKind, ms: number = this.latencies[kind]): Promise<void> {
    if (ms > 0) await sleep(ms);
  }

  async getAccount(id: number): Promise<Account | undefined> {
    await this.query('account.read');
    const account = this.accounts.get(id);
    return account === undefined ? undefined : { ...account };
  }

  /** Synchronous existence check (a cached lookup; no simulated I/O). */
  hasAccount(id: number): boolean {
    return this.accounts.has(id);
  }

  async insertPayment(payment: Omit<Payment, 'id' | 'createdAt' | 'status'>): Promise<Payment> {
    await this.query('payment.insert');
    const stored: Payment = {
      id: `pay_${String(this.nextPaymentId++).padStart(8, '0')}`,
      ...payment,
      status: 'accepted',
      createdAt: new Date().toISOString(),
    };
    this.payments.set(stored.id, stored);
    if (this.payments.size > MAX_STORED_PAYMENTS) {
      const oldest = this.payments.keys().next().value;
      if (oldest !== undefined) this.payments.delete(oldest);
    }
    return { ...stored };
  }

  getPayment(id: string): Payment | undefined {
    const p = this.payments.get(id);
    return p === undefined ? undefined : { ...p };
  }

  get paymentCount(): number {
    return this.payments.size;
  }
}
