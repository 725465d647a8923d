import { describe, expect, it } from 'vitest';
import { ACCOUNT_COUNT, DemoDatabase, MAX_STORED_PAYMENTS, QUERY_LATENCIES } from '../../src/demo/db.ts';

describe('DemoDatabase', () => {
  it('makes only the account read slower in the regressed variant (~3×)', () => {
    const { baseline, regressed } = QUERY_LATENCIES;
    expect(regressed['account.read']).toBe(3 * baseline['account.read']);
    expect(regressed['payment.insert']).toBe(baseline['payment.insert']);
    expect(regressed['fx.rates']).toBe(baseline['fx.rates']);
    expect(new DemoDatabase({ variant: 'regressed' }).latencies['account.read']).toBe(6);
    expect(new DemoDatabase().latencies['account.read']).toBe(2);
  });

  it('has accounts 1..1000', async () => {
    const db = new DemoDatabase({ latencies: { 'account.read': 0 } });
    expect(ACCOUNT_COUNT).toBe(1000);
    expect(await db.getAccount(1)).toMatchObject({ id: 1 });
    expect(await db.getAccount(1000)).toMatchObject({ id: 1000 });
    expect(await db.getAccount(0)).toBeUndefined();
    expect(await db.getAccount(1001)).toBeUndefined();
    expect(db.hasAccount(42)).toBe(true);
    expect(db.hasAccount(1001)).toBe(false);
    // Callers get copies.
    const a = (await db.getAccount(42))!;
    a.balance = -1;
    expect((await db.getAccount(42))!.balance).not.toBe(-1);
  });

  it('waits the configured latency', async () => {
    const db = new DemoDatabase({ latencies: { 'fx.rates': 10 } });
    const t0 = performance.now();
    await db.query('fx.rates');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(8);
  });

  it('stores payments with increasing ids and evicts the oldest beyond the cap', async () => {
    const db = new DemoDatabase({ latencies: { 'payment.insert': 0 } });
    const p = {
      accountId: 42,
      amount: 100,
      currency: 'EUR' as const,
      merchantCategory: 'fuel',
      fee: 3,
      net: 97,
    };
    const first = await db.insertPayment(p);
    expect(first).toMatchObject({ id: 'pay_00000001', status: 'accepted', ...p });
    expect(db.getPayment(first.id)).toEqual(first);
    for (let i = 0; i < MAX_STORED_PAYMENTS; i++) await db.insertPayment(p);
    expect(db.paymentCount).toBe(MAX_STORED_PAYMENTS);
    expect(db.getPayment(first.id)).toBeUndefined();
  });
});
