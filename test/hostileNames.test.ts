import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIEmbed } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterMessage } from '../bot/embeds/clusters.js';
import { dailyPostMessage } from '../bot/embeds/daily.js';
import { link, safe } from '../bot/embeds/format.js';
import { mixMessage } from '../bot/embeds/mix.js';
import { errorMessage, successMessage, unknownSongMessage } from '../bot/embeds/notices.js';
import { recommendationMessage } from '../bot/embeds/recommendation.js';
import { seedListMessage } from '../bot/embeds/seeds.js';
import { statsMessage } from '../bot/embeds/stats.js';
import { tasteMessage } from '../bot/embeds/taste.js';
import type { MessageData } from '../bot/embeds/types.js';
import { voteAck } from '../bot/embeds/votes.js';
import { clusterCatalog } from '../src/clustering/clusterCatalog.js';
import { pickDaily } from '../src/daily/dailyPick.js';
import { NoFeaturesError, UnknownSongError } from '../src/errors.js';
import { importCsv } from '../src/import/importCsv.js';
import { clusterDetails } from '../src/recommender/clusterDetails.js';
import { catalogStats } from '../src/stats.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { syntheticTracks, tracksToCsv } from './helpers/synthetic.js';

// Names from a hostile dataset or playlist (track, artist, album, playlist, cluster label) through
// every renderer that shows a name: none may render as a link or break out of the bot's own
// `[name](spotify-url)` links, under either reading of Discord's rules (escapes honoured, as in
// plain Markdown, or ignored, as inside masked links).

const HOSTILE = [
  '[Free Nitro](https://evil.example/login)',
  'x](https://evil.example/phish) [y',
  'x\\](https://evil.example/phish) \\[y',
  'a\\',
  'https://evil.example/login',
  '<https://evil.example/>',
  'steam://evil.example/run',
  '[x](<https://evil.example>)',
  '[[nested](https://evil.example)]',
  ']( https://evil.example )',
  '\\\\[z](https://evil.example)',
  '**bold** __u__ ~~s~~ ||spoiler|| `code` # heading',
  '@everyone <@123456789012345678> <#123456789012345678> <@&42> </cmd:1> <:e:1>',
  '`[code](https://evil.example)`',
];

interface Link {
  text: string;
  url: string;
  bare?: true;
}

// Discord's masked-link rule (simple-markdown's), and its bare-URL rule.
const MASKED = /^\[((?:\[[^\]]*\]|[^[\]]|\](?=[^[]*\]))*)\]\(\s*<?((?:\([^)]*\)|[^\s\\])*?)>?(?:\s+['"]([\s\S]*?)['"])?\s*\)/;
/** A mention, channel, command, emoji or timestamp tag: inside a masked link it breaks the link. */
const TAG = /<(?:@[!&]?\d|#\d|\/[\w-]+:\d|a?:\w+:\d|t:\d)/;
const BARE = /^<?([a-z][a-z\d+.-]*:\/\/[^\s<]+[^<.,:;"')\]\s])/i;

/** Every link `text` renders as, reading it left to right like Discord does. */
function linksIn(text: string, honourEscapes: boolean): Link[] {
  const links: Link[] = [];
  for (let i = 0; i < text.length; i++) {
    const rest = text.slice(i);
    if (honourEscapes && rest[0] === '\\' && /^\\[^\da-z\s]/i.test(rest)) {
      i++;
      continue;
    }
    const masked = rest[0] === '[' ? MASKED.exec(rest) : null;
    if (masked) {
      links.push({ text: masked[1]!, url: masked[2]! });
      i += masked[0].length - 1;
      continue;
    }
    const bare = (i === 0 || /\W/.test(text[i - 1]!)) && BARE.exec(rest);
    if (bare) {
      links.push({ text: bare[1]!, url: bare[1]!, bare: true });
      i += bare[0].length - 1;
    }
  }
  return links;
}

/** Strings a message shows as Markdown (not URLs, custom IDs, or select options, which are plain). */
function markdownOf(message: MessageData): string[] {
  return (message.embeds ?? []).flatMap((e: APIEmbed) => [e.title ?? '', e.description ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value])]);
}

/** What is wrong with a message: a link to anywhere but Spotify, or one of the bot's links whose text holds a URL or tag. */
function problems(message: MessageData): string[] {
  const found: string[] = [];
  for (const text of markdownOf(message)) {
    for (const honourEscapes of [true, false]) {
      for (const l of linksIn(text, honourEscapes)) {
        const where = `${honourEscapes ? 'escaped' : 'raw'} ${JSON.stringify(text.slice(0, 120))}`;
        if (!/^https:\/\/open\.spotify\.com\/(track|playlist)\/\w+$/.test(l.url)) found.push(`link to ${l.url} in ${where}`);
        else if (!l.bare && (/:\/\/|\]\(/.test(l.text) || TAG.test(l.text))) found.push(`link text ${JSON.stringify(l.text)} in ${where}`);
      }
    }
  }
  return found;
}

describe('hostile names through the real renderers', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = createTestApp({ CLUSTER_K: '4' });
    const tracks = syntheticTracks({ clusters: 4, perCluster: 40 }).map((t, i) => ({
      ...t,
      name: `${HOSTILE[i % HOSTILE.length]} ${i}`,
      artists: [HOSTILE[(i + 3) % HOSTILE.length]!, `Artist ${i}`],
    }));
    writeFileSync(join(app.dir, 'catalog.csv'), tracksToCsv(tracks));
    await importCsv(app.catalog, join(app.dir, 'catalog.csv'));
    clusterCatalog({ database: app.database, settings: app.config.clustering, logger: app.logger });
  });
  afterAll(() => app.dispose());

  it('the checker sees the links the old escaping let through', () => {
    expect(linksIn('[Free Nitro](https://evil.example/login)', true)).toEqual([{ text: 'Free Nitro', url: 'https://evil.example/login' }]);
    expect(linksIn('[x](https://evil.example/phish) [y](https://open.spotify.com/track/1)', false).map((l) => l.url)).toContain('https://evil.example/phish');
    expect(linksIn('see https://evil.example/x', true).map((l) => l.url)).toEqual(['https://evil.example/x']);
  });

  it('safe() and link() leave no link but the bot\'s own, for every hostile name', () => {
    for (const name of HOSTILE) {
      expect(linksIn(safe(name), true), name).toEqual([]);
      expect(linksIn(safe(name), false), name).toEqual([]);
      const own = `• ${link(name, 'https://open.spotify.com/track/abc', 100)} — ${safe(name, 100)}`;
      for (const honourEscapes of [true, false]) {
        const links = linksIn(own, honourEscapes);
        expect(links.map((l) => l.url), `${name} → ${own}`).toEqual(['https://open.spotify.com/track/abc']);
        expect(links[0]!.text).not.toMatch(/:\/\/|\\/);
      }
    }
    // Names keep their characters: brackets become round ones in link text, escapes are invisible elsewhere.
    expect(link('Song [Live]', 'https://open.spotify.com/track/abc', 100)).toBe('[Song (Live)](https://open.spotify.com/track/abc)');
    expect(safe('Song (Live)')).toBe('Song \\(Live\\)');
  });

  it('/recommend, the daily post, /cluster show, /mix, /taste, /stats and /seed list show no foreign link', () => {
    const messages: [string, MessageData][] = [];
    const ids = app.database.sqlite.prepare('SELECT id FROM tracks ORDER BY id LIMIT 14').pluck().all() as number[];
    for (const [i, id] of ids.entries()) {
      const r = app.recommender.recommendForTrack(id, { userId: `u${i}`, guildId: 'g1' });
      const alternatives = [0, 1, 2].map((k) => ({ trackId: 1000 + k, name: HOSTILE[(i + k) % HOSTILE.length]!, artists: [HOSTILE[(i + k + 1) % HOSTILE.length]!], releaseYear: 2001 }));
      const hostileAlbum = { ...r, pick: { ...r.pick, album: HOSTILE[i % HOSTILE.length]! }, alternatives };
      messages.push([`recommend ${i}`, recommendationMessage({ recommendation: hostileAlbum, query: HOSTILE[i]!, requesterId: '1' })]);
    }
    const daily = pickDaily(app, 'g1')!;
    messages.push(['daily', dailyPostMessage({ ...daily, cluster: { ...daily.cluster, label: HOSTILE[0]! } })]);
    for (let c = 0; c < 4; c++) messages.push([`cluster ${c}`, clusterMessage({ ...clusterDetails(app, c), label: HOSTILE[c]! })]);
    messages.push(['mix', mixMessage(app.mixer.mixTracks(ids.slice(0, 3), { userId: 'u', guildId: 'g1' }))]);
    const tracks = ids.map((id) => app.catalog.getTrack(id)!);
    const tally = HOSTILE.map((label, cluster) => ({ cluster, label, count: 1 }));
    messages.push(['taste', tasteMessage({ liked: tally, disliked: tally, likedTracks: tracks, dislikedTracks: tracks }, [], '1', 'here')]);
    for (let i = 0; i < HOSTILE.length; i++) app.seeds.add('g1', `playlist${String(i).padStart(14, '0')}`, { expandArtists: false });
    app.database.sqlite.prepare("UPDATE seeds SET name = (SELECT value FROM json_each(?) WHERE key = seeds.id % ?)").run(JSON.stringify(HOSTILE), HOSTILE.length);
    const seeds = app.seeds.list('g1');
    messages.push(['seed list', seedListMessage(seeds)]);
    messages.push([
      'stats',
      statsMessage({
        stats: catalogStats(app),
        seeds,
        daily: null,
        recentJobs: HOSTILE.map((detail) => ({ name: 'recrawl', status: 'failed', finishedAt: 0, detail })),
        favourites: { clusters: tally, tracks: tracks.map((t) => ({ ...t, likes: 1 })) },
      }),
    ]);
    for (const name of HOSTILE) {
      messages.push([`unknown ${name}`, unknownSongMessage(new UnknownSongError(name, [name]))]);
      messages.push([`error ${name}`, errorMessage(new NoFeaturesError(name).message)]);
      messages.push([`vote ${name}`, successMessage(voteAck(safe(name, 150), 1, 'new'))]);
    }
    const found = messages.flatMap(([what, message]) => problems(message).map((p) => `${what}: ${p}`));
    expect(found).toEqual([]);
    // The bot's own links are still there: one per example song, seed and mix entry.
    expect(linksIn(markdownOf(messages.find(([w]) => w === 'seed list')![1]).join('\n'), false)).toHaveLength(HOSTILE.length);
    expect(linksIn(markdownOf(messages.find(([w]) => w === 'cluster 0')![1]).join('\n'), false).length).toBeGreaterThan(0);
  });
});
