import { ChildProcess } from 'node:child_process';
import type { Worker } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';
import type { APIGatewayBotInfo } from 'discord-api-types/v10';
import { ClusterManager, HeartbeatManager, type Cluster } from 'discord-hybrid-sharding';
import type { App } from '../../src/app.js';
import { ConfigError, TOKEN_REJECTED } from '../../src/config.js';
import { startHealthServer, type GatewayStatus, type HealthServer, type ProcessHealth, type ShardHealth } from '../../src/health.js';
import { nodeEntry } from '../../src/nodeEntry.js';
import { describeShards } from './plan.js';
import { CLOSED_FOR_GOOD, STATUS_REQUEST, type ProcessStatus } from './status.js';

// `npm start` with DISCORD_SHARDS_PER_PROCESS: discord-hybrid-sharding's ClusterManager runs one
// bot process per group of shards (each a discord.js Client with several internal shards, and one
// catalog index for all of them), restarts one that dies or stops answering, and this process
// serves /healthz for all of them. It holds no Discord connection and no index itself.

const ENTRY = nodeEntry('bot/sharding/shardProcess');
// Discord lets max_concurrency IDENTIFYs through per 5 s; the next process starts this long after
// the previous one is ready, so its first IDENTIFY never lands in a window already used.
const IDENTIFY_WINDOW_MS = 5_500;
// A process loads the catalog index before it says ready: minutes at most, even for a big catalog.
const READY_TIMEOUT_MS = 10 * 60_000;
// Past this many restarts in an hour a process stays down (a bug, not a blip): /healthz says so.
const RESTARTS = { max: 5, interval: 3_600_000, current: 0 };
const STATUS_TIMEOUT_MS = 2_000;

export interface ShardManager {
  health: HealthServer | null;
  /** Every process's shards, in the order they start. */
  processes: number[][];
  /** Settles when a process exited because a setting must be fixed first (its own line said which). */
  closedForGood: Promise<ConfigError>;
  /** Stops restarting, sends SIGTERM to every process and waits for them (bounded), then closes. */
  shutdown(): Promise<void>;
}

/**
 * GET /gateway/bot: the recommended shard count, and how many may IDENTIFY at once. One request
 * through our HTTP client, so that this process needs no discord.js (it holds no connection).
 */
async function gatewayBot(app: App, token: string): Promise<APIGatewayBotInfo> {
  const response = await app.http.fetch(
    `${app.config.discord.apiUrl}/v10/gateway/bot`,
    // Discord asks bots for a User-Agent of this form.
    { headers: { Authorization: `Bot ${token}`, 'User-Agent': 'DiscordBot (https://github.com/cluster-dj, 0.1.0)' } },
    { service: 'Discord' },
  );
  if (response.status === 401) throw new ConfigError(TOKEN_REJECTED);
  if (!response.ok) throw new Error(`Discord answered ${response.status} to GET /gateway/bot`);
  return (await response.json()) as APIGatewayBotInfo;
}

/** The process behind a cluster (mode "process": always a child process). */
function childOf(thread: ChildProcess | Worker | null | undefined): ChildProcess | null {
  return thread instanceof ChildProcess ? thread : null;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function runShardManager(app: App, token: string): Promise<ShardManager> {
  const log = app.logger.child({ service: 'shard-manager' });
  const settings = app.config.discord.shards;
  const gateway = await gatewayBot(app, token);
  const count = settings.count === 'auto' ? gateway.shards : settings.count;
  const ids = settings.ids ?? Array.from({ length: count }, (_, id) => id);
  const perProcess = settings.perProcess ?? ids.length;
  const manager = new ClusterManager(ENTRY.file, {
    totalShards: count,
    shardList: ids,
    shardsPerClusters: perProcess,
    mode: 'process',
    token,
    execArgv: ENTRY.execArgv,
    respawn: true,
    restarts: { ...RESTARTS },
    // We start the processes one after another ourselves (below), each once the one before is ready.
    queue: { auto: false },
  });
  manager.extend(new HeartbeatManager({ interval: 20_000, maxMissedHeartbeats: 5 }));
  let stopping = false;
  let closeForGood: (error: ConfigError) => void = () => undefined;
  const closedForGood = new Promise<ConfigError>((resolve) => (closeForGood = resolve));
  manager.on('debug', (message: string) => log.debug(message));
  manager.on('clusterCreate', (cluster: Cluster) => {
    const about = { process: cluster.id, shards: cluster.shardList };
    cluster.on('spawn', (thread) => log.info({ ...about, pid: childOf(thread)?.pid }, `started the process for ${describeShards({ ids: cluster.shardList, count })}`));
    cluster.on('ready', () => log.info(about, `${describeShards({ ids: cluster.shardList, count })} ready`));
    cluster.on('death', (_cluster, thread) => {
      const child = childOf(thread);
      const code = child?.exitCode ?? null;
      const signal = child?.signalCode ?? null;
      if (stopping) log.info({ ...about, code, signal }, 'shard process stopped');
      else if (code === CLOSED_FOR_GOOD) {
        log.error({ ...about, code }, 'a shard process cannot run until a setting is fixed; stopping every process');
        manager.respawn = false;
        closeForGood(new ConfigError('Cluster DJ stopped: a shard process cannot run until the setting named above is fixed.'));
      } else if (cluster.restarts.current < cluster.restarts.max) log.warn({ ...about, code, signal }, 'shard process died; restarting it');
      else log.error({ ...about, code, signal }, `shard process died ${RESTARTS.max} times within an hour; leaving it stopped`);
    });
  });
  manager.on('error', (error: unknown) => log.error({ err: error }, 'shard manager error'));

  // Queues every process (nothing runs yet in manual mode), then starts them in turn.
  void manager.spawn({ amount: count, delay: 7_000, timeout: READY_TIMEOUT_MS });
  const groups = manager.shardClusterList.map((group) => [...group]);
  log.info(
    { shardCount: count, recommended: gateway.shards, maxConcurrency: gateway.session_start_limit.max_concurrency, processes: groups },
    `running ${describeShards({ ids, count })} in ${groups.length} process(es) of up to ${perProcess} shard(s)`,
  );
  const stopped = new AbortController();
  const starting = (async () => {
    while (manager.queue.queue.length > 0 && !stopping) {
      try {
        await manager.queue.next();
      } catch (error) {
        log.error({ err: error }, 'a shard process did not become ready; it is restarted, and the next one starts');
      }
      if (manager.queue.queue.length > 0) await sleep(IDENTIFY_WINDOW_MS, undefined, { signal: stopped.signal }).catch(() => undefined);
    }
  })();

  const { port, host } = app.config.health;
  const health = port === null ? null : await startHealthServer(app, () => managerStatus(manager, groups), port, host);

  return {
    health,
    processes: groups,
    closedForGood,
    async shutdown() {
      stopping = true;
      stopped.abort();
      manager.respawn = false;
      manager.queue.stop();
      for (const beat of manager.heartbeat?.clusters.values() ?? []) beat.stop();
      await health?.close();
      // Each process stops its jobs at a safe point (SHUTDOWN_TIMEOUT_SECONDS) and logs out.
      const grace = app.config.jobs.shutdownTimeoutMs + 10_000;
      await Promise.all(
        [...manager.clusters.values()].map(async (cluster) => {
          const child = childOf(cluster.thread?.process);
          if (!child) return;
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), grace);
          await exited(child);
          clearTimeout(timer);
        }),
      );
      // A process that was starting has died with the others, which ends the start-up loop.
      await starting;
      app.close();
    },
  };
}

/** Every process and shard as /healthz shows them: the manager asks each process (briefly). */
async function managerStatus(manager: ClusterManager, groups: number[][]): Promise<GatewayStatus> {
  const processes: ProcessHealth[] = [];
  const shards: ShardHealth[] = [];
  await Promise.all(
    groups.map(async (group, id) => {
      const cluster = manager.clusters.get(id);
      const entry: ProcessHealth = { id, pid: null, shards: group, state: 'starting', restarts: cluster?.restarts.current ?? 0, servingModel: null };
      let states: ShardHealth[] | null = null;
      if (cluster && !cluster.thread) entry.state = cluster.restarts.current < cluster.restarts.max && manager.respawn ? 'restarting' : 'stopped';
      else if (cluster?.ready) {
        try {
          const status = (await cluster.request({ kind: STATUS_REQUEST, options: { timeout: STATUS_TIMEOUT_MS } })) as ProcessStatus;
          Object.assign(entry, { state: 'running', pid: status.pid, servingModel: status.servingModel });
          states = status.shards.map((s) => ({ ...s, process: id }));
        } catch {
          entry.state = 'not answering';
        }
      }
      processes[id] = entry;
      shards.push(...(states ?? group.map((shard) => ({ id: shard, status: entry.state === 'running' ? 'unknown' : entry.state, pingMs: null, guilds: null, process: id }))));
    }),
  );
  shards.sort((a, b) => a.id - b.id);
  const pings = shards.map((s) => s.pingMs).filter((p): p is number => p !== null);
  const connected = shards.length > 0 && shards.every((s) => s.status === 'ready');
  return {
    connected,
    pingMs: connected && pings.length > 0 ? Math.round(pings.reduce((a, b) => a + b, 0) / pings.length) : null,
    shards,
    processes,
  };
}
