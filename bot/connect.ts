import { setTimeout as sleep } from 'node:timers/promises';
import { DiscordjsErrorCodes, Events, type Client } from 'discord.js';
import { ConfigError, TOKEN_REJECTED } from '../src/config.js';
import type { Logger } from '../src/logger.js';

// The first connection to Discord, watched: what it is waiting for is logged as it goes, and it
// gives up after DISCORD_CONNECT_TIMEOUT_SECONDS with what it waited for, instead of waiting on
// discord.js's own retries (a stalled GET /gateway/bot took 63 s to end in "This operation was aborted").

const DESTROY_WAIT_MS = 2_000;

/** The first connection did not finish in time; says what it was waiting for. */
export class DiscordConnectError extends Error {
  constructor(stage: string, seconds: number, cause?: unknown) {
    super(
      `no connection to Discord after ${seconds} s (DISCORD_CONNECT_TIMEOUT_SECONDS), while ${stage}: check the network and DISCORD_API_URL, or raise the timeout for many shards.`,
      { cause },
    );
    this.name = 'DiscordConnectError';
  }
}

export interface ConnectOptions {
  token: string;
  timeoutMs: number;
  logger: Logger;
  /** A close Discord sent that no retry can fix (4004...), if one came while connecting. */
  closedForGood: () => ConfigError | null;
}

// discord.js's debug lines that mark the steps of a start (they only move the words logged on).
const STAGES: [RegExp, string][] = [
  [/Fetched Gateway Information/, 'opening the gateway connection'],
  [/Identifying/, 'waiting for Discord to accept the session (READY)'],
];

/** Logs in and resolves once every shard of this client is ready. */
export async function connectClient(client: Client, options: ConnectOptions): Promise<Client<true>> {
  const started = Date.now();
  const seconds = () => Math.round((Date.now() - started) / 1000);
  let stage = 'asking Discord for the gateway address (GET /gateway/bot)';
  const onDebug = (message: string) => {
    const next = STAGES.find(([pattern]) => pattern.test(message))?.[1];
    if (next) stage = next;
  };
  let shardsReady = 0;
  const onShardReady = () => (shardsReady += 1);
  client.on(Events.Debug, onDebug);
  client.on(Events.ShardReady, onShardReady);
  // At least a few progress lines before giving up, and one every 10 s on a long wait.
  const progress = setInterval(
    () => options.logger.info({ stage, seconds: seconds(), shardsReady }, `still connecting to Discord: ${stage} (${seconds()} s)`),
    Math.min(10_000, options.timeoutMs / 3),
  );
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DiscordConnectError(stage, Math.round(options.timeoutMs / 1000))), options.timeoutMs);
  });
  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  const login = client.login(options.token).then(() => ready);
  login.catch(() => undefined); // it may still settle after a timeout has ended the wait
  try {
    return await Promise.race([login, timedOut]);
  } catch (error) {
    // A socket that never said HELLO may never finish closing either: do not wait on it for long.
    await Promise.race([client.destroy(), sleep(DESTROY_WAIT_MS)]);
    const fatal = options.closedForGood();
    if (fatal) throw fatal;
    if (error instanceof Error && 'code' in error && error.code === DiscordjsErrorCodes.TokenInvalid) throw new ConfigError(TOKEN_REJECTED);
    // discord.js's REST gave up on a request that never answered.
    if (error instanceof Error && error.name === 'AbortError') throw new DiscordConnectError(stage, seconds(), error);
    throw error;
  } finally {
    clearInterval(progress);
    clearTimeout(timer);
    client.off(Events.Debug, onDebug);
    client.off(Events.ShardReady, onShardReady);
  }
}
