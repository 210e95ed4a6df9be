import type { EventEmitter } from 'node:events';

export interface WaitOptions {
  /** How long to wait before failing the test with a description of what was seen; default 5000 ms. */
  timeoutMs?: number;
}

export const DEFAULT_WAIT_MS = 5_000;

/**
 * Resolves with the first non-undefined `check()` result, re-checking whenever `emitter` fires `event`.
 * Bounded and event-driven, so tests never sleep for a fixed time.
 */
export async function waitUntil<T>(
  emitter: EventEmitter,
  event: string,
  check: () => T | undefined,
  what: string,
  describe: () => string,
  options: WaitOptions = {},
): Promise<T> {
  const first = check();
  if (first !== undefined) return first;
  const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
  return new Promise<T>((resolve, reject) => {
    const onChange = (): void => {
      let value: T | undefined;
      try {
        value = check();
      } catch (error) {
        cleanup();
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      if (value === undefined) return;
      cleanup();
      resolve(value);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}. Seen so far:\n${describe()}`));
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      emitter.off(event, onChange);
    };
    emitter.on(event, onChange);
  });
}
