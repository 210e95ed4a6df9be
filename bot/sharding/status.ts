import type { ShardState } from '../start.js';

// What the shard manager asks its processes over IPC, and what they answer.

export const STATUS_REQUEST = 'cluster-dj:status';

export interface ProcessStatus {
  pid: number;
  shards: ShardState[];
  servingModel: number | null;
}
