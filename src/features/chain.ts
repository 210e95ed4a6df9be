import { isUserError } from '../errors.js';
import type { Caller } from '../http/httpClient.js';
import type { Logger } from '../logger.js';
import type { AudioFeatures } from '../types.js';
import type { FeatureProvider } from './provider.js';

export interface FeatureResult {
  features: AudioFeatures;
  provider: string;
}

export interface ChainOutcome {
  found: Map<string, FeatureResult>;
  /** Requests made, per provider. */
  requests: Record<string, number>;
  /** Providers that failed (down past retries) during this call; their IDs fell through. */
  failures: string[];
}

/**
 * Asks each provider in order for the IDs still without features, in the provider's own batch
 * size. A provider that is switched off or down passes its IDs to the next; whatever no provider
 * knows comes back absent (the caller stores those tracks and retries later).
 */
export class FeatureProviderChain {
  constructor(
    readonly providers: FeatureProvider[],
    private readonly logger: Logger,
  ) {}

  async fetch(spotifyIds: string[], caller: Caller = {}): Promise<ChainOutcome> {
    const outcome: ChainOutcome = { found: new Map(), requests: {}, failures: [] };
    let remaining = [...new Set(spotifyIds)];
    for (const provider of this.providers) {
      if (remaining.length === 0) break;
      if (!provider.available()) continue;
      const missed: string[] = [];
      for (let start = 0; start < remaining.length; start += provider.batchSize) {
        const batch = remaining.slice(start, start + provider.batchSize);
        if (!provider.available()) {
          missed.push(...remaining.slice(start));
          break;
        }
        try {
          outcome.requests[provider.name] = (outcome.requests[provider.name] ?? 0) + 1;
          const found = await provider.fetch(batch, caller);
          for (const id of batch) {
            const features = found.get(id);
            if (features) outcome.found.set(id, { features, provider: provider.name });
            else missed.push(id);
          }
        } catch (error) {
          // A caller who gave up wants no answer from any provider.
          if (caller.signal?.aborted) throw error;
          // An outage of one provider is not the end: the rest of the chain gets these IDs.
          if (isUserError(error)) this.logger.warn({ provider: provider.name, err: error }, 'feature provider failed; falling through');
          else this.logger.error({ provider: provider.name, err: error }, 'feature provider failed unexpectedly; falling through');
          if (!outcome.failures.includes(provider.name)) outcome.failures.push(provider.name);
          missed.push(...remaining.slice(start));
          break;
        }
      }
      remaining = missed;
    }
    return outcome;
  }
}
