import { readFileSync } from 'node:fs';
import { MessageFlags, type APIMessage } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobStore } from '../src/jobs/jobStore.js';
import { createLogger } from '../src/logger.js';
import { captureLogs } from './helpers/logs.js';
import { startBotWorld, type BotWorld } from './helpers/botWorld.js';

// From an outside probe: forged button IDs, a failed message with a picture, floods of the
// commands without a cooldown, and what /stats shows of other servers' jobs.

const ASKER = { id: '400000000000000001', username: 'asker' };
const OTHER = { id: '400000000000000002', username: 'other' };
const isEphemeral = (message: APIMessage | null | undefined) => ((message?.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
const customIds = (message: APIMessage) => (message.components ?? []).flatMap((row) => (row as { components: { custom_id?: string }[] }).components.map((c) => c.custom_id ?? ''));

describe('interactions a probe can forge or flood', () => {
  let world: BotWorld;
  const logs = captureLogs();
  let spotifyId: string;

  beforeAll(async () => {
    world = await startBotWorld({ logger: createLogger({ level: 'info', destination: logs.destination }), settings: { RECOMMEND_COOLDOWN_SECONDS: '60' } });
    spotifyId = world.app.database.sqlite.prepare('SELECT spotify_id FROM tracks ORDER BY id LIMIT 1 OFFSET 5').pluck().get() as string;
  });
  afterAll(() => world.dispose());

  it('a forged "Another one" naming the clicker does not rewrite another member\'s message: they get their own, privately', async () => {
    const asked = await world.discord.command({ name: 'recommend', options: { song: spotifyId }, user: ASKER }).final();
    const message = asked.original!;
    const real = customIds(message).find((id) => id.startsWith('rec:another:'))!;
    const before = JSON.stringify(world.discord.message(message.id)!.embeds);
    const forged = real.replace(`:${ASKER.id}`, `:${OTHER.id}`);
    expect(forged).not.toBe(real);
    const click = await world.discord.forgedButton({ customId: forged, onComponent: real, message: message.id, user: OTHER }).final();
    expect(click.callbacks[0]!.type).toBe(4); // a new (private) message, not UPDATE_MESSAGE
    expect(isEphemeral(click.original)).toBe(true);
    expect(JSON.stringify(world.discord.message(message.id)!.embeds)).toBe(before);
  });

  it('forged or unknown custom IDs count under a bounded set of metric labels', async () => {
    const asked = await world.discord.command({ name: 'recommend', options: { song: spotifyId }, user: { id: '400000000000000003', username: 'third' } }).final();
    const real = customIds(asked.original!).find((id) => id.startsWith('rec:another:'))!;
    for (let i = 0; i < 30; i++) {
      await world.discord.forgedButton({ customId: `x${i}:y${i}:z`, onComponent: real, message: asked.original!.id, user: { id: `5000000000000000${String(i).padStart(2, '0')}`, username: `p${i}` } }).final();
    }
    const labels = new Set((await world.app.metrics.interactions.get()).values.map((v) => String(v.labels.command)));
    expect([...labels].filter((l) => /x\d|y\d/.test(l))).toEqual([]);
    expect(labels.has('button:unknown')).toBe(true);
    expect(labels.size).toBeLessThan(20);
  });

  it('a message Discord refuses is logged by its size, not its body (no picture as an array of numbers)', async () => {
    logs.lines.length = 0;
    world.discord.failNext({ method: 'POST', path: /\/callback$/, status: 400, times: 2, body: { code: 50035, message: 'Invalid Form Body' } });
    world.discord.command({ name: 'recommend', options: { song: spotifyId }, user: { id: '400000000000000004', username: 'fourth' } });
    // The reply and the apology after it are both refused: the member never gets an answer here.
    while (!logs.lines.some((l) => l.includes('"interaction failed"'))) await new Promise((resolve) => setTimeout(resolve, 10));
    const failed = logs.lines.filter((l) => l.includes('Invalid Form Body'));
    expect(failed.length).toBeGreaterThan(0);
    for (const line of failed) {
      expect(line.length).toBeLessThan(10_000);
      expect(line).not.toMatch(/"data":\[\d+,\d+/);
    }
    expect(failed.join('\n')).toMatch(/"bytes":\d{3,}/);
  });

  it('/cluster, /stats and /taste have per-member cooldowns, each its own', async () => {
    const user = { id: '400000000000000005', username: 'flooder' };
    for (const command of [{ name: 'cluster', subcommand: 'map' }, { name: 'stats' }, { name: 'taste', subcommand: 'show' }]) {
      const first = await world.discord.command({ ...command, user }).final();
      expect(first.original?.embeds[0]?.description ?? '', command.name).not.toMatch(/Easy there/);
      const second = await world.discord.command({ ...command, user }).final();
      expect(isEphemeral(second.original)).toBe(true);
      expect(second.original?.embeds[0]?.description).toMatch(/^Easy there! You can ask again in \d+ s\.$/);
    }
  });

  it('/stats shows that a job failed, but not its text (another server\'s playlist IDs)', async () => {
    const jobs = new JobStore(world.app.database);
    jobs.finish(jobs.start('recrawl', Date.now()), 'failed', Date.now(), { error: 'Spotify refused playlist 37i9dQZF1DXcBWIGoYBM5M of guild 999' });
    const stats = await world.discord.command({ name: 'stats', user: { id: '400000000000000006', username: 'sixth' } }).final();
    const field = stats.original!.embeds[0]!.fields!.find((f) => f.name === 'Recent jobs')!;
    expect(field.value).toMatch(/recrawl: failed/);
    expect(field.value).not.toMatch(/37i9dQZF1DXcBWIGoYBM5M|999/);
  });

  it('the image\'s health server listens on loopback unless configured; compose publishes it on purpose', () => {
    const dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM ')).replace(/^#.*$/gm, '');
    expect(runtime).not.toMatch(/HEALTH_HOST\s*=\s*0\.0\.0\.0/);
    expect(runtime).toMatch(/HEALTHCHECK[\s\S]*127\.0\.0\.1/);
    const compose = readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8');
    expect(compose).toMatch(/HEALTH_HOST: 0\.0\.0\.0/);
    expect(compose).toMatch(/"127\.0\.0\.1:8080:8080"/);
  });
});
