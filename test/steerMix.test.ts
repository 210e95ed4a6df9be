import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterCatalog } from '../src/clustering/clusterCatalog.js';
import { SteerUnavailableError } from '../src/errors.js';
import { PERSONAL_SCOPE } from '../src/feedback/scope.js';
import { agreement, flowDimensions, orderForFlow } from '../src/recommender/mix.js';
import { formatSteerChange } from '../src/recommender/format.js';
import { amountAlong, steerAxis, steerStep } from '../src/recommender/steer.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { syntheticTracks, tracksToCsv } from './helpers/synthetic.js';
import { importCsv } from '../src/import/importCsv.js';
import { steerSection } from '../src/eval/soundSections.js';
import { steeringLines } from '../src/eval/report.js';
import type { ImportReport } from '../src/types.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_FEATURE_SPEC } from '../src/clustering/featureSpec.js';

// The core of steering, mixing and blocks, without Discord.

describe('steering, mixing and "not for me" in the core', () => {
  let app: TestApp;
  let ids: number[];
  let imported: ImportReport;

  beforeAll(async () => {
    app = createTestApp();
    const path = join(app.dir, 'tracks.csv');
    writeFileSync(path, tracksToCsv(syntheticTracks({ clusters: 6, perCluster: 120 })));
    imported = await importCsv(app.catalog, path);
    // Release years for older / newer: spread over 30 years, independent of the sound.
    app.database.sqlite.prepare('UPDATE tracks SET release_year = 1990 + (id * 7) % 30').run();
    clusterCatalog({ database: app.database, settings: { ...app.config.clustering, k: 6 }, logger: app.logger });
    ids = app.database.sqlite.prepare('SELECT id FROM tracks ORDER BY id').pluck().all() as number[];
  });
  afterAll(() => app.dispose());

  it('steers along the quality asked, and says so in listener words', () => {
    for (const id of ids.slice(0, 20)) {
      const plain = app.recommender.recommendForTrack(id, { dryRun: true });
      for (const [steer, feature, sign] of [['happier', 'valence', 1], ['calmer', 'energy', -1], ['faster', 'tempo', 1], ['slower', 'tempo', -1]] as const) {
        let steered;
        try {
          steered = app.recommender.recommendForTrack(id, { dryRun: true }, { steer });
        } catch (error) {
          if (error instanceof SteerUnavailableError) continue;
          throw error;
        }
        expect(sign * (steered.pick.features![feature] - plain.seed.features![feature])).toBeGreaterThan(0);
        expect(steered.steer?.direction).toBe(steer);
        expect(steered.steer?.changes[0]?.quality).toBe(feature);
      }
    }
    expect(formatSteerChange({ quality: 'valence', from: 0.4, to: 0.58 })).toBe('+18 % happier');
    expect(formatSteerChange({ quality: 'tempo', from: 120, to: 122 })).toBe('same tempo');
    expect(formatSteerChange({ quality: 'releaseYear', from: 2010, to: 2014 })).toBe('4 years newer');
    expect(formatSteerChange({ quality: 'energy', from: 0.7, to: 0.5 })).toBe('+20 % calmer');
  });

  it('steers "more electronic" as less acoustic and more instrumental, never one traded for the other', () => {
    const index = app.recommender.currentIndex();
    const axis = steerAxis(index.model.spec, 'electronic');
    if (axis?.kind !== 'sound') throw new Error('the shipped spec steers electronic in the sound space');
    expect(axis.components.map(({ feature, sign }) => [feature, sign])).toEqual([
      ['acousticness', -1],
      ['instrumentalness', 1],
    ]);
    let steeredCount = 0;
    for (const id of ids.filter((_, i) => i % 12 === 0)) {
      let steered;
      try {
        steered = app.recommender.recommendForTrack(id, { dryRun: true }, { steer: 'electronic' });
      } catch (error) {
        if (error instanceof SteerUnavailableError) continue;
        throw error;
      }
      steeredCount++;
      const seed = steered.seed.features!;
      const pick = steered.pick.features!;
      expect(pick.acousticness).toBeLessThanOrEqual(seed.acousticness);
      expect(pick.instrumentalness).toBeGreaterThanOrEqual(seed.instrumentalness);
      // The eval's measure is the steer's own: the amount along its axis rose by at least the
      // step's minimum (or half of what the catalog has left that way).
      const from = amountAlong(axis, index.vectorOf(id)!);
      const moved = amountAlong(axis, index.vectorOf(steered.pick.id)!) - from;
      const room = index.rangeAlong(axis.along).max - from;
      expect(moved).toBeGreaterThanOrEqual(Math.min(steerStep('electronic').minShift, room / 2) - 1e-6);
      expect(steered.steer!.changes.map((c) => c.quality)).toEqual(['acousticness', 'instrumentalness', 'tempo']);
    }
    expect(steeredCount).toBeGreaterThan(30);
    // The card names both features: less acoustic alone is electric (a rock band), not electronic.
    expect(formatSteerChange({ quality: 'acousticness', from: 0.3, to: 0.18 })).toBe('+12 % less acoustic');
    expect(formatSteerChange({ quality: 'instrumentalness', from: 0.1, to: 0.3 })).toBe('+20 % more instrumental');
    expect(formatSteerChange({ quality: 'instrumentalness', from: 0, to: 0.02 })).toBe('as instrumental');
  });

  it('steers "newer" to the newest of the nearest new-enough songs, with its own measured pool', () => {
    expect(steerStep('newer').yearPool).toBeGreaterThan(steerStep('older').yearPool);
    expect(steerStep('newer', { yearPool: 3 }).yearPool).toBe(3);
    const years = app.database.sqlite.prepare('SELECT id, release_year FROM tracks').all() as { id: number; release_year: number }[];
    const yearOf = new Map(years.map((row) => [row.id, row.release_year]));
    const latest = Math.max(...yearOf.values());
    let steeredCount = 0;
    for (const id of ids.slice(0, 20)) {
      let steered;
      try {
        steered = app.recommender.recommendForTrack(id, { dryRun: true }, { steer: 'newer' });
      } catch (error) {
        if (error instanceof SteerUnavailableError) continue;
        throw error;
      }
      steeredCount++;
      // At least 5 years newer, or half of what the catalog has left that way.
      const room = latest - yearOf.get(id)!;
      expect(yearOf.get(steered.pick.id)! - yearOf.get(id)!).toBeGreaterThanOrEqual(Math.max(1, Math.min(5, Math.floor(room / 2))));
      expect(steered.steer!.changes[0]!.quality).toBe('releaseYear');
    }
    expect(steeredCount).toBeGreaterThan(10);
  });

  it('weighs the dimensions the seeds agree on, and orders a set in small steps', () => {
    const { centre, weights } = agreement([Float32Array.from([0, 1]), Float32Array.from([0, -1])], 0.25);
    expect([...centre]).toEqual([0, 0]);
    expect(weights[0]).toBeGreaterThan(weights[1]! * 4);
    const points = [5, 1, 4, 2, 3, 0].map((x) => Float32Array.from([x, x]));
    const order = orderForFlow(points, [0, 1]);
    expect(order.map((i) => points[i]![0])).toEqual([0, 1, 2, 3, 4, 5]);
    expect(flowDimensions(DEFAULT_FEATURE_SPEC).map((j) => DEFAULT_FEATURE_SPEC.features[j]!.feature)).toEqual(['energy', 'tempo']);
  });

  it('mixes without the seeds, with at most two songs per artist, and leaves out what a member blocked', () => {
    const seeds = ids.slice(0, 3);
    const mix = app.mixer.mixTracks(seeds, { userId: 'u1' }, { size: 25 });
    expect(mix.tracks).toHaveLength(25);
    expect(mix.tracks.some((t) => seeds.includes(t.id))).toBe(false);
    const counts = new Map<string, number>();
    for (const t of mix.tracks) counts.set(t.artists[0]!, (counts.get(t.artists[0]!) ?? 0) + 1);
    expect(Math.max(...counts.values())).toBeLessThanOrEqual(2);
    const victim = mix.tracks[0]!;
    expect(app.blocks.blockArtist(PERSONAL_SCOPE, 'u1', victim.artists[0]!, victim)).toBe('new');
    expect(app.blocks.blockArtist(PERSONAL_SCOPE, 'u1', victim.artists[0]!.toUpperCase(), victim)).toBe('same');
    const again = app.mixer.mixTracks(seeds, { userId: 'u1' }, { size: 25 });
    expect(again.tracks.some((t) => t.artists.includes(victim.artists[0]!))).toBe(false);
    // Another member, and the same member in a server, are not affected.
    expect(app.mixer.mixTracks(seeds, { userId: 'u2' }, { size: 25 }).tracks.some((t) => t.artists.includes(victim.artists[0]!))).toBe(true);
    expect(app.mixer.mixTracks(seeds, { userId: 'u1', guildId: '123456789012345678' }, { size: 25 }).tracks.some((t) => t.artists.includes(victim.artists[0]!))).toBe(true);
    const [block] = app.blocks.list(PERSONAL_SCOPE, 'u1');
    expect(app.blocks.unblock(PERSONAL_SCOPE, 'u2', block!.id)).toBeNull();
    expect(app.blocks.unblock(PERSONAL_SCOPE, 'u1', block!.id)?.label).toBe(victim.artists[0]);
  });

  it('measures each steer on its own axis over a seeded sample, and checks a several-feature steer against the genres', () => {
    const evaluation = steerSection({ app, imported, dispose: () => {} }, { name: 'Synthetic', file: 'tracks.csv', measures: ['genre'] }, () => {}, { queries: 60, seed: 1 });
    expect(evaluation).toMatchObject({ queries: 60, catalogSize: ids.length, sampleSeed: 1 });
    const electronic = evaluation.directions.find((d) => d.direction === 'electronic')!;
    expect(electronic.step).toEqual(steerStep('electronic'));
    expect(electronic.meanChanges.map((c) => c.quality)).toEqual(['acousticness', 'instrumentalness']);
    expect(electronic.meanChanges[0]!.steered).toBeLessThan(0);
    expect(electronic.meanChanges[1]!.steered).toBeGreaterThan(0);
    expect(electronic.genres!.reduce((sum, g) => sum + g.steered, 0)).toBeCloseTo(1, 6);
    const text = steeringLines(evaluation).join('\n');
    expect(text).toContain("A seeded sample of 60 of the catalog's 720 tracks (seed 1)");
    expect(text).toContain('| more electronic | 0.6 sd aimed, ≥ 0.4 |');
    // Faster and slower keep the default aim with a lower floor (measured after tempo gained the octave).
    expect(text).toContain('| faster | 0.8 sd aimed, ≥ 0.4 |');
    expect(text).toContain('| slower | 0.8 sd aimed, ≥ 0.4 |');
    expect(text).toContain('| happier | 0.8 sd aimed, ≥ 0.5 |');
    // Each steer's row ends PASS or MISS, as the quality targets do.
    const rows = text.split('\n').filter((line) => /^\| (happier|slower|newer) \|/.test(line));
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row).toMatch(/\| (PASS|MISS) \|$/);
    expect(text).toContain('**more electronic**, checked against the playlists');
    expect(text).not.toContain('**happier**, checked');
  });
});
