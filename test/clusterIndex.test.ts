import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterCatalog } from '../src/clustering/clusterCatalog.js';
import { createLogger } from '../src/logger.js';
import { ClusterIndex } from '../src/recommender/clusterIndex.js';
import type { ClusterModel } from '../src/types.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { syntheticTracks } from './helpers/synthetic.js';

// The in-memory index the recommender answers from: members stored cluster by cluster, handed
// out nearest first in rounds. Checked against a plain full sort of every member.

describe('cluster index', () => {
  let app: TestApp;
  let model: ClusterModel;
  let index: ClusterIndex;
  const membersOf = (cluster: number) =>
    app.database.sqlite.prepare('SELECT track_id FROM track_clusters WHERE model_id = ? AND cluster = ? ORDER BY track_id').pluck().all(model.id, cluster) as number[];

  /** Every member by distance (ties in the order they joined: track ID for loaded ones, then additions). */
  const bruteForce = (vector: Float32Array, members: number[]) =>
    members
      .map((trackId, order) => {
        const v = index.vectorOf(trackId)!;
        let d = 0;
        for (let j = 0; j < v.length; j++) d += (v[j]! - vector[j]!) ** 2;
        return { trackId, distance: Math.sqrt(d), order };
      })
      .sort((a, b) => a.distance - b.distance || a.order - b.order)
      .map(({ trackId, distance }) => ({ trackId, distance }));

  beforeAll(() => {
    app = createTestApp();
    // Big enough clusters for several rounds (64, 256, 1,024…), and exact copies for ties.
    const tracks = syntheticTracks({ clusters: 3, perCluster: 600, seed: 4 });
    app.catalog.transaction(() => {
      tracks.forEach((t, i) => {
        const { trackId } = app.catalog.upsertTrack({ spotifyId: t.spotifyId, name: t.name, artists: t.artists }, 'test');
        app.catalog.setFeatures(trackId, i % 5 === 0 && i > 0 ? tracks[i - 1]!.features : t.features, 'test');
      });
    });
    clusterCatalog({ database: app.database, settings: { k: 3, kMin: 3, kMax: 3, seed: 1 }, logger: createLogger({ level: 'silent' }) });
    model = app.models.active()!;
    index = ClusterIndex.load(app.database, model);
  });
  afterAll(() => app.dispose());

  it('hands out every member of a cluster, nearest first, exactly as a full sort would', () => {
    expect(index.trackCount).toBe(1_800);
    for (let cluster = 0; cluster < 3; cluster++) {
      const members = membersOf(cluster);
      expect(index.clusterSize(cluster)).toBe(members.length);
      const seed = index.vectorOf(members[7]!)!;
      expect([...index.nearest(seed, cluster)]).toEqual(bruteForce(seed, members));
    }
  });

  it('hands out the first round in one pass exactly as a full sort would, from many seeds, and goes on past it', () => {
    // The first 64 come from a one-pass selection that drops rows early (for the shipped 12
    // dimensions); past them, a full pass.
    expect(index.d).toBe(12);
    let tiesAtTheEdge = 0;
    for (let cluster = 0; cluster < 3; cluster++) {
      const members = membersOf(cluster);
      for (let m = 0; m < members.length; m += 3) {
        const seed = index.vectorOf(members[m]!)!;
        const expected = bruteForce(seed, members);
        // Every 21st seed, and every one whose 64th and 65th nearest tie (exact copies).
        const tie = expected[63]!.distance === expected[64]!.distance;
        if (m % 21 !== 0 && !tie) continue;
        if (tie) tiesAtTheEdge++;
        const scan = index.nearest(seed, cluster);
        const got = [];
        for (let i = 0; i < 70; i++) got.push(scan.next().value);
        scan.return(undefined);
        expect(got).toEqual(expected.slice(0, 70));
      }
    }
    expect(tiesAtTheEdge).toBeGreaterThan(0);
  });

  it('orders the whole catalog too, with weights per dimension, as a full sort would', () => {
    const all = app.database.sqlite.prepare('SELECT track_id FROM track_clusters WHERE model_id = ? ORDER BY track_id').pluck().all(model.id) as number[];
    const seed = index.vectorOf(all[42]!)!;
    const weights = Float32Array.from({ length: index.d }, (_, j) => (j % 2 === 0 ? 2 : 0.5));
    const weighted = all
      .map((trackId, order) => {
        const v = index.vectorOf(trackId)!;
        let d = 0;
        for (let j = 0; j < v.length; j++) d += weights[j]! * (v[j]! - seed[j]!) ** 2;
        return { trackId, distance: Math.sqrt(d), order };
      })
      .sort((a, b) => a.distance - b.distance || a.order - b.order)
      .map(({ trackId, distance }) => ({ trackId, distance }));
    expect([...index.nearestInCatalog(seed)]).toEqual(bruteForce(seed, all));
    expect([...index.nearestInCatalog(seed, weights)]).toEqual(weighted);
    const along = Float32Array.from({ length: index.d }, (_, j) => (j === 0 ? 1 : j === 1 ? -0.5 : 0));
    const dots = all.map((trackId) => {
      const v = index.vectorOf(trackId)!;
      return along.reduce((sum, a, j) => sum + a * v[j]!, 0);
    });
    const range = index.rangeAlong(along);
    expect(range.min).toBeCloseTo(Math.min(...dots), 5);
    expect(range.max).toBeCloseTo(Math.max(...dots), 5);
  });

  it('keeps two lazy scans apart, and stops early without sorting the rest', () => {
    const a = membersOf(0);
    const b = membersOf(1);
    const first = index.nearest(index.vectorOf(a[0]!)!, 0);
    const second = index.nearest(index.vectorOf(b[0]!)!, 1);
    const fromFirst = [];
    const fromSecond = [];
    for (let i = 0; i < 100; i++) {
      fromFirst.push(first.next().value);
      fromSecond.push(second.next().value);
    }
    expect(fromFirst).toEqual(bruteForce(index.vectorOf(a[0]!)!, a).slice(0, 100));
    expect(fromSecond).toEqual(bruteForce(index.vectorOf(b[0]!)!, b).slice(0, 100));
    first.return(undefined);
    second.return(undefined);
  });

  it('places, adds and finds tracks that came after the model, and loads the same in the background', async () => {
    const members = membersOf(2);
    expect(index.place(app.catalog.getTrack(members[3]!)!.features!).cluster).toBe(2);
    // A late copy of members[3]: the same vector.
    const placed = { cluster: 2, vector: index.vectorOf(members[3]!)!.slice() };
    const { trackId } = app.catalog.upsertTrack({ spotifyId: 'LATE000000000000000001', name: 'Late', artists: ['Q'] }, 'test');
    index.add(trackId, placed);
    index.add(trackId, placed); // a second add is ignored
    expect(index.clusterSize(2)).toBe(members.length + 1);
    const located = index.locate(trackId)!;
    expect(located.cluster).toBe(2);
    located.vector[0] = 99; // a copy: the index is unchanged
    expect(index.vectorOf(trackId)![0]).toBe(placed.vector[0]);
    // The copy of members[3] sorts after members[3] itself (same distance, joined later).
    const order = [...index.nearest(placed.vector, 2)].map((c) => c.trackId);
    expect(order.indexOf(trackId)).toBeGreaterThan(order.indexOf(members[3]!));
    expect(order).toEqual(bruteForce(placed.vector, [...members, trackId]).map((c) => c.trackId));

    const background = await ClusterIndex.loadInBackground(app.database, model);
    expect(background.trackCount).toBe(1_800);
    const seed = index.vectorOf(members[0]!)!;
    expect([...background.nearest(seed, 2)]).toEqual(bruteForce(seed, members));
    expect(background.sample(50, 3)).toEqual(ClusterIndex.load(app.database, model).sample(50, 3));
  });

  it('picks up tracks another process placed (catch-up)', () => {
    const fresh = ClusterIndex.load(app.database, model);
    const { trackId } = app.catalog.upsertTrack({ spotifyId: 'LATE000000000000000002', name: 'Later', artists: ['R'] }, 'test');
    app.catalog.setFeatures(trackId, app.catalog.getTrack(membersOf(1)[0]!)!.features!, 'test');
    app.models.assign(model.id, trackId, 1, 0.5);
    expect(fresh.catchUp(app.database)).toBe(1);
    expect(fresh.locate(trackId)?.cluster).toBe(1);
    expect(fresh.catchUp(app.database)).toBe(0);
  });
});
