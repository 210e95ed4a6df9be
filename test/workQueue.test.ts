import { describe, expect, it } from 'vitest';
import { WorkQueue } from '../bot/workQueue.js';

// The bot's CPU queue: one job per event-loop turn, in order, acknowledgements first.

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('work queue', () => {
  it('runs jobs one per turn, in arrival order, and says when it is busy', async () => {
    const queue = new WorkQueue();
    const ran: number[] = [];
    expect(queue.busy).toBe(false);
    const done = [1, 2, 3].map((n) => queue.run(() => ran.push(n)));
    expect(queue.busy).toBe(true);
    expect(ran).toEqual([]); // nothing runs in the caller's turn
    await turn();
    expect(ran).toEqual([1]);
    await Promise.all(done);
    expect(ran).toEqual([1, 2, 3]);
    expect(queue.busy).toBe(false);
  });

  it('passes results and errors through, and keeps going after an error', async () => {
    const queue = new WorkQueue();
    const failing = queue.run(() => {
      throw new Error('no such song');
    });
    const after = queue.run(() => 42);
    await expect(failing).rejects.toThrow('no such song');
    await expect(after).resolves.toBe(42);
    await expect(queue.run(() => Promise.resolve('async'))).resolves.toBe('async');
  });

  it('holds jobs while an acknowledgement is on its way, then runs them', async () => {
    const queue = new WorkQueue(10_000);
    let sent!: () => void;
    const acknowledged = queue.acknowledge(() => new Promise<void>((resolve) => (sent = resolve)));
    let ran = false;
    const job = queue.run(() => (ran = true));
    for (let i = 0; i < 5; i++) await turn();
    expect(ran).toBe(false);
    expect(queue.busy).toBe(true);
    sent();
    await acknowledged;
    await job;
    expect(ran).toBe(true);
  });

  it('holds jobs no longer than its limit when acknowledgements keep coming', async () => {
    const queue = new WorkQueue(30);
    void queue.acknowledge(() => new Promise<void>(() => undefined)); // never answered
    const started = Date.now();
    await queue.run(() => undefined);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });
});
