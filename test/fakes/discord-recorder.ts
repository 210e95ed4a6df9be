import { EventEmitter } from 'node:events';
import type { UploadedFile } from './discord-http.js';
import { waitUntil, type WaitOptions } from './discord-wait.js';

export type RecordedFile = UploadedFile;

/** One REST request as the fake saw and answered it. */
export interface RecordedCall {
  method: string;
  /** Decoded path below the version prefix, e.g. `/webhooks/1/tok/messages/@original`. */
  path: string;
  /** 10 for `/api/v10/...`; null for unversioned paths. */
  apiVersion: number | null;
  query: Record<string, string>;
  headers: { authorization?: string; userAgent?: string; contentType?: string };
  /** Parsed JSON body, or the parsed `payload_json` part of a multipart body. */
  body: unknown;
  files: RecordedFile[];
  status: number;
  /** JSON the fake answered with; undefined for 204s. */
  response: unknown;
  /** Set when the answer came from failNext() rather than the route. */
  injected: boolean;
  at: number;
}

export class CallRecorder {
  readonly calls: RecordedCall[] = [];
  /** Fires 'change' after every recorded call or state change, driving all waits. */
  readonly events = new EventEmitter();

  constructor() {
    this.events.setMaxListeners(0);
  }

  record(call: RecordedCall): void {
    this.calls.push(call);
    this.changed();
  }

  changed(): void {
    this.events.emit('change');
  }

  /** The first call (past or future) that matches. */
  async waitFor(predicate: (call: RecordedCall) => boolean, options?: WaitOptions): Promise<RecordedCall> {
    return waitUntil(this.events, 'change', () => this.calls.find(predicate), 'a matching REST call', () => this.describe(), options);
  }

  /** Waits until `count` calls match, then returns all of them. */
  async waitForCount(predicate: (call: RecordedCall) => boolean, count: number, options?: WaitOptions): Promise<RecordedCall[]> {
    return waitUntil(
      this.events,
      'change',
      () => {
        const matching = this.calls.filter(predicate);
        return matching.length >= count ? matching : undefined;
      },
      `${count} matching REST calls`,
      () => this.describe(),
      options,
    );
  }

  describe(): string {
    if (this.calls.length === 0) return '  (no REST calls)';
    return this.calls.map((c) => `  ${c.status} ${c.method} ${c.path}${c.injected ? ' [injected]' : ''}`).join('\n');
  }
}
