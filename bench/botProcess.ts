import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { PROJECT_ROOT } from '../src/paths.js';

// The bot as `npm start` runs it (the compiled build, its own process), for figures that belong to
// the bot and not to the bench: its memory, and how fast it answers while the bench plays Discord.
// For A/B runs, BENCH_BOT_CWD and BENCH_BOT_ARGS start another checkout's bot instead (for example
// `BENCH_BOT_CWD=../old BENCH_BOT_ARGS="--import tsx bot/main.ts"`), and BENCH_BOT_NODE_ARGS adds
// Node flags (`--cpu-prof`).

export interface BotProcess {
  pid: number;
  /** GET /metrics of the bot's health server. */
  metrics(): Promise<Map<string, number>>;
  /** The kernel's view of the bot's memory, in MB (/proc/<pid>/status and smaps). */
  memory(databasePath: string): ProcessMemory;
  /** CPU time the bot has used so far (user + system, all its threads), in seconds. */
  cpuSeconds(): number;
  /** Log lines (parsed pino JSON) seen so far. */
  readonly logs: { msg: string; level: number; [key: string]: unknown }[];
  stop(): Promise<number | null>;
}

export interface ProcessMemory {
  rss: number;
  /** Anonymous memory: the JS heap, typed arrays, SQLite's page cache, native allocations. */
  anonymous: number;
  /** File pages mapped and touched: the catalog via SQLite's mmap, Node's own binary and libraries. */
  file: number;
  /** Of `file`, the catalog database (SQLite's memory-mapped reads). */
  databaseMapped: number;
  shared: number;
}

const MB = 1024 * 1024;

function statusField(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

/** Resident kB of the mappings of one file (summed over its mappings in /proc/<pid>/smaps). */
function mappedFileMb(pid: number, path: string): number {
  const smaps = readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n');
  let total = 0;
  let inFile = false;
  for (const line of smaps) {
    if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) inFile = line.trimEnd().endsWith(path);
    else if (inFile && line.startsWith('Rss:')) total += Number(/(\d+)/.exec(line)![1]);
  }
  return total / 1024;
}

/** Starts dist/bot/main.js with `env`; resolves once it is logged in (and, with `withIndex`, its index is loaded). */
export async function startBotProcess(env: NodeJS.ProcessEnv, withIndex = true, timeoutMs = 180_000): Promise<BotProcess> {
  const words = (value: string | undefined): string[] => (value ? value.split(' ').filter(Boolean) : []);
  const args = [...words(process.env.BENCH_BOT_NODE_ARGS), ...(process.env.BENCH_BOT_ARGS ? words(process.env.BENCH_BOT_ARGS) : ['--enable-source-maps', 'dist/bot/main.js'])];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: process.env.BENCH_BOT_CWD ?? PROJECT_ROOT,
    env: { ...process.env, CLUSTER_DJ_IGNORE_DOTENV: '1', LOG_LEVEL: 'info', HEALTH_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: BotProcess['logs'] = [];
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  let healthPort = 0;
  const ready = new Promise<void>((resolve, reject) => {
    let loggedIn = false;
    let indexLoaded = !withIndex;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: BotProcess['logs'][number];
      try {
        entry = JSON.parse(line) as BotProcess['logs'][number];
      } catch {
        return;
      }
      logs.push(entry);
      if (entry.msg === 'health server listening') healthPort = entry.port as number;
      if (entry.msg === 'loaded cluster index') indexLoaded = true;
      if (entry.msg === 'could not load the cluster index') reject(new Error(`the bot could not load its index: ${JSON.stringify(entry.err)}`));
      if (entry.msg.startsWith('ready: logged in')) loggedIn = true;
      if (loggedIn && indexLoaded && healthPort) resolve();
    });
    void exited.then((code) => reject(new Error(`the bot exited (${code}) before it was ready: ${stderr.trim().split('\n').at(-1) ?? ''}`)));
    setTimeout(() => reject(new Error(`the bot was not ready after ${timeoutMs} ms; its last lines: ${logs.slice(-6).map((l) => l.msg).join(' / ')} ${stderr.trim()}`)), timeoutMs).unref();
  });
  try {
    await ready;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const pid = child.pid!;
  return {
    pid,
    logs,
    async metrics() {
      const text = await (await fetch(`http://127.0.0.1:${healthPort}/metrics`)).text();
      const out = new Map<string, number>();
      for (const line of text.split('\n')) {
        const match = /^([a-z_]+(?:\{[^}]*\})?) (\S+)$/.exec(line);
        if (match) out.set(match[1]!, Number(match[2]));
      }
      return out;
    },
    cpuSeconds() {
      // Fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 a second on Linux).
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    memory(databasePath: string) {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      return {
        rss: statusField(status, 'VmRSS'),
        anonymous: statusField(status, 'RssAnon'),
        file: statusField(status, 'RssFile'),
        shared: statusField(status, 'RssShmem'),
        databaseMapped: mappedFileMb(pid, databasePath),
      };
    },
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

export { MB };
