import { MessageFlags, type APIMessage } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APOLOGY } from '../bot/embeds/notices.js';
import { answerOf } from './fakes/discord.js';
import { startDatasetHost, type DatasetHost } from './fakes/datasetHost.js';
import { startBotWorld, type BotWorld } from './helpers/botWorld.js';
import { datasetSample } from './helpers/datasetSample.js';

// A first start as a newcomer makes it: an empty database and STARTER_DATASETS pointing at a
// dataset host. The bot logs in first, says "warming up" while it loads, then recommends.

const sample = datasetSample(3_000);
const isEphemeral = (message: APIMessage | null | undefined) => ((message?.flags ?? 0) & MessageFlags.Ephemeral) !== 0;

describe(`a first start on an empty catalog, from ${sample.real ? 'TidyTuesday rows' : 'generated tracks'} on a local dataset host`, () => {
  let host: DatasetHost;
  let world: BotWorld;
  let release: () => void;

  beforeAll(async () => {
    host = await startDatasetHost();
    host.put('/spotify_songs.csv', { body: sample.csv, gzip: true });
    // Held until the test has seen the bot answer while it waits for the download.
    release = host.hold('/spotify_songs.csv');
    world = await startBotWorld({
      catalog: 'empty',
      full: true,
      // A cooldown as long as the test: the "warming up" answers must not start it.
      settings: { STARTER_DATASETS: host.url('/spotify_songs.csv'), CLUSTER_K: '8', RECOMMEND_COOLDOWN_SECONDS: '600' },
    });
  });
  afterAll(async () => {
    release();
    await world.dispose();
    await host.close();
  });

  it('answers "warming up" privately while loading, then recommends from what it loaded, never apologising', async () => {
    expect(world.bot.client.isReady()).toBe(true);
    const early = await world.discord.command({ name: 'recommend', options: { song: 'Piano Man' } }).final();
    expect(isEphemeral(answerOf(early))).toBe(true);
    expect(answerOf(early)?.embeds[0]?.description).toBe('⏳ Warming up: downloading the starter catalog. Ask again in a minute or two.');
    const again = await world.discord.command({ name: 'recommend', options: { song: 'Piano Man' } }).final();
    expect(answerOf(again)?.embeds[0]?.description).toContain('Warming up');

    const choices = await world.discord.autocomplete({ name: 'recommend', focused: 'song', options: { song: 'Pia' } }).choices();
    expect(choices).toEqual([{ name: 'Warming up: downloading the starter catalog. Ask again in a minute or two.', value: 'Pia' }]);

    const stats = await world.discord.command({ name: 'stats' }).final();
    const field = stats.original?.embeds[0]?.fields?.find((f) => f.name === 'Starter catalog (warming up)');
    // Shown as text, not a link (a zero-width space after the scheme's colon).
    expect(field?.value).toContain(`• ${host.url('/spotify_songs.csv').replace('://', ':\u200b//')}: 0 rows`);

    release();
    await world.app.starter.settled();
    expect(world.app.starter.progress()).toBeNull();
    expect(world.app.models.activeModelId()).not.toBeNull();

    const song = world.app.database.sqlite.prepare('SELECT name FROM tracks ORDER BY id LIMIT 1 OFFSET 20').pluck().get() as string;
    const answer = await world.discord.command({ name: 'recommend', options: { song } }).final();
    expect(isEphemeral(answer.original)).toBe(false);
    expect(answer.original?.embeds[0]?.fields?.map((f) => f.name)).toEqual(['Cluster', 'Similarity', 'Why']);

    // Nothing the bot sent was an apology.
    const sent = JSON.stringify(world.discord.calls.map((c) => c.body));
    expect(sent).not.toContain(APOLOGY);
    // The fill was recorded as job runs, as /stats and `cli jobs` show them.
    const runs = world.app.database.sqlite.prepare("SELECT job, status FROM job_runs WHERE job IN ('starter-catalog', 'recluster') ORDER BY id").all();
    expect(runs).toEqual([
      { job: 'starter-catalog', status: 'ok' },
      { job: 'recluster', status: 'ok' },
    ]);
  });
});
