import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTOCOMPLETE_BUDGET } from '../bot/interactions.js';
import type { InteractionHandle } from './fakes/discord.js';
import { defaultGuildInput } from './fakes/discord-world.js';
import { createLogger } from '../src/logger.js';
import { startBotWorld, type BotWorld } from './helpers/botWorld.js';
import { captureLogs } from './helpers/logs.js';

// One member's flood of autocompletes (issue 17, item 1) must not keep anyone else waiting: the
// bot takes a member's autocompletes at typing speed and leaves the rest unanswered before any
// catalog or Spotify work, so another member's suggestions and another server's command still
// reach the fake Discord inside its 3 s window. Counts only: how long anything takes is the
// bench's (`npm run bench -- --only flood`).

const FLOOD = 300;
const flooder = { id: '820000000000000001', username: 'flooder' };

describe('one member\'s autocomplete flood', () => {
  let world: BotWorld;
  const logs = captureLogs();
  beforeAll(async () => {
    world = await startBotWorld({
      discord: { guilds: [defaultGuildInput(), { ...defaultGuildInput(), name: 'Another Server' }] },
      logger: createLogger({ level: 'warn', destination: logs.destination }),
    });
  });
  afterAll(() => world.dispose());

  /** The bot's interaction counter for one command, by outcome. */
  async function outcomes(command: string): Promise<Record<string, number>> {
    const { values } = await world.app.metrics.interactions.get();
    return Object.fromEntries(values.filter((v) => v.labels.command === command).map((v) => [String(v.labels.outcome), v.value]));
  }
  const refused = (handle: InteractionHandle) =>
    world.discord.calls.filter((c) => c.path.includes(`/interactions/${handle.id}/`) && (c.response as { code?: number } | undefined)?.code === RESTJSONErrorCodes.UnknownInteraction);

  it('is mostly left unanswered, with no catalog or Spotify work, while another member and another server are answered in time', async () => {
    const [first, second] = world.discord.guilds;
    const known = world.app.database.sqlite.prepare("SELECT name, spotify_id AS spotifyId FROM tracks WHERE length(name) >= 6 ORDER BY id LIMIT 1").get() as { name: string; spotifyId: string };
    const searchesBefore = world.spotify.count({ service: 'api', path: '/v1/search' });
    const started = performance.now();
    // Text the catalog lacks, three characters or more: each one would be a catalog search and a Spotify search.
    const flood = Array.from({ length: FLOOD }, (_, i) =>
      world.discord.autocomplete({ name: 'recommend', guildId: first!.id, focused: 'song', options: { song: `zq${i.toString(36)}x` }, user: flooder }),
    );
    // Behind the whole flood on the gateway.
    const neighbour = world.discord.autocomplete({
      name: 'recommend',
      guildId: first!.id,
      focused: 'song',
      options: { song: known.name.slice(0, 6) },
      user: { id: '820000000000000002', username: 'neighbour' },
    });
    const seedAdd = world.discord.command({
      name: 'seed',
      subcommand: 'add',
      guildId: second!.id,
      options: { playlist: world.spotifyCatalog.ids.playlists.mine },
      user: { id: '810000000000000001', username: 'moderator' },
      memberPermissions: ['ManageGuild'],
    });

    expect((await neighbour.choices()).map((c) => c.value)).toContain(`spotify:track:${known.spotifyId}`);
    expect(refused(neighbour)).toEqual([]);
    await seedAdd.reply();
    expect(refused(seedAdd)).toEqual([]);
    expect((await seedAdd.final({ until: (s) => /✅/.test(s.original?.embeds[0]?.title ?? ''), timeoutMs: 20_000 })).original!.embeds[0]!.title).toMatch(/✅/);

    // Every autocomplete of the flood is counted once: answered, left unanswered ("limited"), or too late.
    const counted = async () => Object.values(await outcomes('autocomplete:recommend')).reduce((a, b) => a + b, 0);
    await expect.poll(counted, { timeout: 20_000 }).toBeGreaterThanOrEqual(FLOOD + 1);
    const elapsedMs = performance.now() - started;
    const byOutcome = await outcomes('autocomplete:recommend');
    const answered = flood.filter((h) => h.state.choices !== undefined).length;
    // The budget: a burst, then one more per refill for as long as the flood lasted (however long that was).
    const allowed = AUTOCOMPLETE_BUDGET.burst + Math.ceil(elapsedMs / AUTOCOMPLETE_BUDGET.refillMs) + 1;
    expect(answered).toBeLessThanOrEqual(allowed);
    expect(answered).toBeLessThan(FLOOD / 2);
    expect(byOutcome.limited).toBe(FLOOD - answered - (byOutcome.late ?? 0));
    // The unanswered ones made no REST call at all.
    const floodIds = new Set(flood.filter((h) => h.state.choices === undefined).map((h) => h.id));
    expect(world.discord.calls.filter((c) => [...floodIds].some((id) => c.path.includes(`/interactions/${id}/`)))).toEqual([]);
    // Spotify saw at most the suggestions' own budget (four, then one a second).
    expect(world.spotify.count({ service: 'api', path: '/v1/search' }) - searchesBefore).toBeLessThanOrEqual(4 + Math.ceil(elapsedMs / 1_000) + 1);
  });

  it('counts an autocomplete answered too late for Discord, without a warning per keystroke', async () => {
    const user = { id: '820000000000000003', username: 'typist' };
    const before = (await outcomes('autocomplete:recommend')).late ?? 0;
    world.discord.failNext({ method: 'POST', path: /\/callback$/, status: 404, times: 3, body: { code: RESTJSONErrorCodes.UnknownInteraction, message: 'Unknown interaction' } });
    for (let i = 0; i < 3; i++) {
      const late = world.discord.autocomplete({ name: 'recommend', focused: 'song', options: { song: `piano ${i}` }, user });
      await world.discord.waitFor((c) => c.path.includes(`/interactions/${late.id}/`));
    }
    await expect.poll(async () => (await outcomes('autocomplete:recommend')).late ?? 0).toBe(before + 3);
    expect(logs.lines.join('')).not.toMatch(/autocomplete failed|Unknown interaction/);
  });
});
