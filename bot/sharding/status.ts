import type { ShardState } from '../start.js';

// What the shard manager asks its processes over IPC, and what they answer.

export const STATUS_REQUEST = 'cluster-dj:status';

export interface ProcessStatus {
  pid: number;
  shards: ShardState[];
  servingModel: number | null;
}

/**
 * A shard process's exit code when Discord closed its gateway for good or a setting is wrong
 * (EX_CONFIG): the manager stops every process and exits instead of restarting it.
 */
export const CLOSED_FOR_GOOD = 78;
