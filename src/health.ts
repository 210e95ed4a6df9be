import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from './app.js';
import { JobStore } from './jobs/jobStore.js';

// GET /healthz and GET /metrics for an operator's monitoring. The gateway's state comes from the
// bot through a callback: this module knows nothing of Discord.

/** One gateway shard: ready, or what it is doing instead (connecting, resuming, down, ...). */
export interface ShardHealth {
  id: number;
  status: string;
  pingMs: number | null;
  guilds: number | null;
  /** With a shard manager: the process that runs it. */
  process?: number;
}

/** A bot process the shard manager runs. */
export interface ProcessHealth {
  id: number;
  pid: number | null;
  shards: number[];
  /** running, starting, restarting (after a crash), stopped (restarts used up), or not answering. */
  state: string;
  restarts: number;
  /** The cluster model it answers from. */
  servingModel: number | null;
}

export interface GatewayStatus {
  /** Logged in, and every shard ready. */
  connected: boolean;
  pingMs: number | null;
  shards: ShardHealth[];
  /** With a shard manager. */
  processes?: ProcessHealth[];
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  gateway: GatewayStatus;
  database: { writable: boolean };
  /** The active cluster model, and the one this process answers from (they differ while a new one loads). */
  model: { active: number | null; serving: number | null };
  jobs: Record<string, { status: string; startedAt: number; finishedAt: number | null; error: string | null }>;
}

/** Can we write? A short busy timeout: a check must not hang behind a long import in another process. */
function databaseWritable(app: App): boolean {
  const { sqlite } = app.database;
  const previous = sqlite.pragma('busy_timeout', { simple: true }) as number;
  try {
    sqlite.pragma('busy_timeout = 500');
    sqlite.prepare('BEGIN IMMEDIATE').run();
    sqlite.prepare('ROLLBACK').run();
    return true;
  } catch {
    return false;
  } finally {
    sqlite.pragma(`busy_timeout = ${previous}`);
  }
}

/** The gateway's state; a shard manager asks its processes, so it may take a moment. */
export type GatewayProbe = () => GatewayStatus | Promise<GatewayStatus>;

export async function healthReport(app: App, gateway: GatewayProbe): Promise<HealthReport> {
  const jobs: HealthReport['jobs'] = {};
  for (const run of new JobStore(app.database).recent(50)) {
    if (jobs[run.job] || run.status === 'skipped') continue;
    jobs[run.job] = { status: run.status, startedAt: run.startedAt, finishedAt: run.finishedAt, error: run.error };
  }
  const report: Omit<HealthReport, 'status'> = {
    gateway: await gateway(),
    database: { writable: databaseWritable(app) },
    model: { active: app.models.activeModelId(), serving: app.recommender.servingModelId },
    jobs,
  };
  return { status: report.gateway.connected && report.database.writable ? 'ok' : 'degraded', ...report };
}

export interface HealthServer {
  url: string;
  close(): Promise<void>;
}

export async function startHealthServer(app: App, gateway: GatewayProbe, port: number, host: string): Promise<HealthServer> {
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (request.method !== 'GET') {
      response.writeHead(405, { Allow: 'GET' }).end();
    } else if (path === '/healthz') {
      healthReport(app, gateway)
        .then((report) => response.writeHead(report.status === 'ok' ? 200 : 503, { 'Content-Type': 'application/json' }).end(JSON.stringify(report)))
        .catch((error: unknown) => {
          app.logger.error({ err: error }, 'health check failed');
          response.writeHead(500).end();
        });
    } else if (path === '/metrics') {
      app.metrics.registry
        .metrics()
        .then((text) => response.writeHead(200, { 'Content-Type': app.metrics.registry.contentType }).end(text))
        .catch((error: unknown) => {
          app.logger.error({ err: error }, 'metrics failed');
          response.writeHead(500).end();
        });
    } else {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found: try /healthz or /metrics\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  app.logger.info({ port: address.port, host }, 'health server listening');
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
