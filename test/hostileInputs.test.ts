import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterCatalog } from '../src/clustering/clusterCatalog.js';
import { InvalidLinkError, isUserError, UnknownSongError } from '../src/errors.js';
import { importCsv } from '../src/import/importCsv.js';
import { parseSpotifyRef, requireSpotifyRef } from '../src/spotify/links.js';
import type { SpotifyKind } from '../src/types.js';
import { hostileInputs, type HostileInput } from './corpus/hostile.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { catalogRows, type CatalogRows } from './helpers/catalogRows.js';
import { syntheticTracks, tracksToCsv } from './helpers/synthetic.js';

// The hostile-input corpus (test/corpus) against the core functions the `song` and `playlist`
// options reach, without Discord or Spotify: each input either works or fails with one of the
// typed user errors of src/errors.ts, quickly, and writes nothing.

const SPOTIFY_ID = /^[0-9A-Za-z]{22}$/;

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

function attempt(fn: () => unknown): Outcome {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    return { ok: false, error };
  }
}

async function attemptAsync(fn: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    return { ok: false, error };
  }
}

const describeError = (error: unknown) => (error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error));
const show = (text: string) => JSON.stringify(text).slice(0, 90);

describe('hostile inputs to the core functions', () => {
  let app: TestApp;
  let inputs: HostileInput[];
  let track: string;
  let before: CatalogRows;
  const counts = () =>
    app.database.sqlite
      .prepare('SELECT (SELECT count(*) FROM recommendations), (SELECT count(*) FROM track_clusters), (SELECT count(*) FROM cluster_models), (SELECT count(*) FROM seeds)')
      .raw()
      .get();
  let countsBefore: unknown;

  beforeAll(async () => {
    app = createTestApp({ CLUSTER_K: '6' });
    const tracks = syntheticTracks({ clusters: 6, perCluster: 80 });
    writeFileSync(join(app.dir, 'catalog.csv'), tracksToCsv(tracks));
    await importCsv(app.catalog, join(app.dir, 'catalog.csv'));
    clusterCatalog({ database: app.database, settings: app.config.clustering, logger: app.logger });
    track = tracks[17]!.spotifyId;
    inputs = hostileInputs({ track });
    before = catalogRows(app.database.sqlite);
    countsBefore = counts();
  });
  afterAll(() => app.dispose());

  it('the corpus holds at least 1,000 distinct inputs, the same ones every time', () => {
    expect(inputs.length).toBeGreaterThanOrEqual(1_000);
    expect(new Set(inputs.map((i) => i.text)).size).toBe(inputs.length);
    expect(hostileInputs({ track })).toEqual(inputs);
  });

  it('parseSpotifyRef and requireSpotifyRef: a reference of the asked kind, no reference for a plain name, or InvalidLinkError', () => {
    const problems: string[] = [];
    for (const { text, category } of inputs) {
      for (const kind of ['track', 'playlist'] as SpotifyKind[]) {
        const parsed = attempt(() => parseSpotifyRef(text, kind));
        const required = attempt(() => requireSpotifyRef(text, kind));
        for (const [name, outcome] of [['parseSpotifyRef', parsed], ['requireSpotifyRef', required]] as const) {
          if (!outcome.ok && !(outcome.error instanceof InvalidLinkError)) problems.push(`${name}(${show(text)}, ${kind}) threw ${describeError(outcome.error)}`);
          if (outcome.ok && outcome.value !== null) {
            const ref = outcome.value as { kind: string; id: string };
            // A reference is of the asked kind, a well-formed ID, and taken from the input itself.
            if (ref.kind !== kind || !SPOTIFY_ID.test(ref.id) || !text.includes(ref.id)) problems.push(`${name}(${show(text)}, ${kind}) → ${JSON.stringify(ref)}`);
          }
        }
        if (required.ok && required.value === null) problems.push(`requireSpotifyRef(${show(text)}, ${kind}) returned null`);
        if (parsed.ok !== required.ok && parsed.ok && parsed.value !== null) problems.push(`parse and require disagree on ${show(text)}`);
        // A link to another kind of thing is never taken for the asked kind.
        const linked = /^link\+query:(\w+)$/.exec(category)?.[1];
        if (linked && linked !== kind && parsed.ok && parsed.value !== null) problems.push(`${show(text)} (a ${linked} link) read as a ${kind}`);
        const called = { episode: 'podcast episode', show: 'podcast' }[linked ?? ''] ?? linked;
        if (linked && linked !== kind && !parsed.ok && (parsed.error as Error).message.startsWith('That is a Spotify') && !(parsed.error as Error).message.includes(` ${called} link`)) {
          problems.push(`${show(text)}: ${(parsed.error as Error).message}`);
        }
        // Web addresses that are not Spotify's are never a reference.
        if (/^\s*(?:https?:\/\/|www\.)/i.test(text) && !/^\s*(?:https?:\/\/)?(?:open|play)\.spotify\.com\//i.test(text) && parsed.ok && parsed.value !== null) {
          problems.push(`${show(text)} (not a Spotify address) read as ${JSON.stringify(parsed.value)}`);
        }
      }
    }
    expect(problems).toEqual([]);
    // The corpus does exercise every branch: references, plain names and wrong links.
    const outcomes = inputs.map(({ text }) => attempt(() => parseSpotifyRef(text, 'track')));
    expect(outcomes.filter((o) => o.ok && o.value !== null).length).toBeGreaterThan(50);
    expect(outcomes.filter((o) => o.ok && o.value === null).length).toBeGreaterThan(300);
    expect(outcomes.filter((o) => !o.ok).length).toBeGreaterThan(300);
  });

  it('odd query strings and fragments after a track link still name the track', () => {
    const links = inputs.filter((i) => i.category === 'link+query:track' && /^https:\/\/open\.spotify\.com\/(intl-fr\/)?track\/\w{22}(?:$|[?#/])/.test(i.text));
    expect(links.length).toBeGreaterThan(40);
    const misread = links.filter(({ text }) => {
      const outcome = attempt(() => parseSpotifyRef(text, 'track'));
      // Either the link is read as the track, or (whitespace, a second path segment) refused as malformed.
      return outcome.ok ? (outcome.value as { id: string } | null)?.id !== track : !(outcome.error instanceof InvalidLinkError);
    });
    expect(misread.map((l) => l.text)).toEqual([]);
  });

  it('a link in Discord\'s <…>, in quotes or with invisible characters around it is still the link', () => {
    const link = `https://open.spotify.com/track/${track}?si=abc`;
    const wrapped = [`<${link}>`, `"${link}"`, `\`spotify:track:${track}\``, `(${link})`, `\u200b${link}`, `\u202e${link}`, `\u2066${link}\u2069`, `<\u200b${link}>`, ` <'${link}'> `];
    expect(wrapped.map((text) => parseSpotifyRef(text, 'track'))).toEqual(wrapped.map(() => ({ kind: 'track', id: track })));
    expect(() => parseSpotifyRef(`<https://open.spotify.com/album/${track}>`, 'track')).toThrow('That is a Spotify album link; I need a track link.');
    expect(() => parseSpotifyRef('<https://spotify.link/AbCdEf>', 'track')).toThrow(/Short spotify\.link addresses/);
    // Names keep their brackets and quotes: only links are unwrapped.
    expect(parseSpotifyRef('(hed) p.e.', 'track')).toBeNull();
    expect(parseSpotifyRef('"Heroes"', 'track')).toBeNull();
  });

  it('search and resolve never throw, find only catalog tracks, and take no time even for junk', () => {
    const problems: string[] = [];
    const ids = new Set(app.database.sqlite.prepare('SELECT id FROM tracks').pluck().all() as number[]);
    let slowest = { ms: 0, text: '' };
    for (const { text } of inputs) {
      const started = performance.now();
      const outcomes = [
        attempt(() => app.search.search(text, { prefix: true, limit: 25 })),
        attempt(() => app.search.search(text)),
        attempt(() => app.search.resolve(text)),
      ];
      const ms = performance.now() - started;
      if (ms > slowest.ms) slowest = { ms, text };
      for (const outcome of outcomes) {
        if (!outcome.ok) {
          problems.push(`${show(text)}: ${describeError(outcome.error)}`);
          continue;
        }
        const value = outcome.value as { trackId: number }[] | { hit: { trackId: number } | null; suggestions: { trackId: number }[] };
        const hits = Array.isArray(value) ? value : [...(value.hit ? [value.hit] : []), ...value.suggestions];
        for (const hit of hits) if (!ids.has(hit.trackId)) problems.push(`${show(text)} found track ${hit.trackId}`);
      }
    }
    expect(problems).toEqual([]);
    // Typo correction once took seconds on one long gibberish word (quadratic in its length).
    expect(slowest.ms, `slowest: ${show(slowest.text)}`).toBeLessThan(1_000);
  });

  it('recommender.resolve and recommend (catalog only) give a track or a typed user error, and write nothing', async () => {
    const problems: string[] = [];
    let found = 0;
    for (const { text } of inputs) {
      const resolved = await attemptAsync(() => app.recommender.resolve(text));
      if (resolved.ok) found++;
      else if (!(resolved.error instanceof UnknownSongError || resolved.error instanceof InvalidLinkError)) {
        problems.push(`resolve(${show(text)}): ${describeError(resolved.error)}`);
      }
      const recommended = await attemptAsync(() => app.recommender.recommend(text, { dryRun: true }));
      if (!recommended.ok && !isUserError(recommended.error)) problems.push(`recommend(${show(text)}): ${describeError(recommended.error)}`);
      if (resolved.ok !== recommended.ok) problems.push(`resolve and recommend disagree on ${show(text)}`);
    }
    expect(problems).toEqual([]);
    expect(found, 'inputs that name a catalog song').toBeGreaterThan(50);
    expect(catalogRows(app.database.sqlite)).toEqual(before);
    expect(counts()).toEqual(countsBefore);
  });
});
