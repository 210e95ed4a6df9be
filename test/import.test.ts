import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dailyPostMessage } from '../bot/embeds/daily.js';
import { coverThumbnail } from '../bot/embeds/format.js';
import { Catalog } from '../src/catalog/catalog.js';
import { clusterCatalog } from '../src/clustering/clusterCatalog.js';
import { ImportFormatError, InputFileError } from '../src/errors.js';
import { importCsv, nextBatchRows } from '../src/import/importCsv.js';
import { catalogSnapshot, createTestApp, type TestApp } from './helpers/app.js';
import { dataset, DATASETS } from './helpers/datasets.js';
import { syntheticTracks, tracksToCsv, writeCsv } from './helpers/synthetic.js';

const A = '1dtKN6wwlolkM8XZy2y9C1';
const B = '5hjsmSnUefdUqzsDogisiX';
const FEATURES = { danceability: 0.5, energy: 0.6, key: 3, loudness: -7.5, mode: 1, speechiness: 0.04, acousticness: 0.3, instrumentalness: 0, liveness: 0.1, valence: 0.7, tempo: 120.5 };
const F = FEATURES;

const snapshot = (app: TestApp) => catalogSnapshot(app);

describe('CSV import', () => {
  let app: TestApp;
  beforeEach(() => {
    app = createTestApp();
  });
  afterEach(() => app.dispose());
  const file = (name: string) => join(app.dir, name);

  describe('maps the widely used layouts by header', () => {
    it('Spotify Hit Predictor (uri column, single artist)', async () => {
      const path = writeCsv(file('hits.csv'),
        ['track', 'artist', 'uri', 'danceability', 'energy', 'key', 'loudness', 'mode', 'speechiness', 'acousticness', 'instrumentalness', 'liveness', 'valence', 'tempo', 'duration_ms', 'time_signature', 'chorus_hit', 'sections', 'target'],
        [['Jealous Kind', 'Garland Green', `spotify:track:${A}`, F.danceability, F.energy, F.key, F.loudness, F.mode, F.speechiness, F.acousticness, F.instrumentalness, F.liveness, F.valence, F.tempo, 173533, 3, 32.9, 9, 1]]);
      const report = await importCsv(app.catalog, path);
      expect(report.layout).toBe('Spotify Hit Predictor');
      const track = app.catalog.getTrackBySpotifyId(A);
      expect(track).toMatchObject({ name: 'Jealous Kind', artists: ['Garland Green'], durationMs: 173533 });
      expect(track?.features).toMatchObject({ ...FEATURES, timeSignature: 3, durationMs: 173533 });
      expect(track?.featuresProvider).toBe('dataset:hits.csv');
    });

    it('TidyTuesday "Spotify Songs" (no time_signature; genres and playlists kept)', async () => {
      const header = ['track_id', 'track_name', 'track_artist', 'track_popularity', 'track_album_id', 'track_album_name', 'track_album_release_date', 'playlist_name', 'playlist_id', 'playlist_genre', 'playlist_subgenre', 'danceability', 'energy', 'key', 'loudness', 'mode', 'speechiness', 'acousticness', 'instrumentalness', 'liveness', 'valence', 'tempo', 'duration_ms'];
      const row = (playlist: string, genre: string) => [A, 'Some Song', 'Some Artist', 66, '2oCs0DGTsRO98Gh5ZSl2Cx', 'Some Album', '2019-06-14', 'Pop Remix', playlist, genre, 'dance pop', F.danceability, F.energy, F.key, F.loudness, F.mode, F.speechiness, F.acousticness, F.instrumentalness, F.liveness, F.valence, F.tempo, 194754];
      const path = writeCsv(file('tidy.csv'), header, [row('37i9dQZF1DXcZDD7cfEKhW', 'pop'), row('3xMQTDLOIGvj3lWH5e5x6F', 'edm')]);
      const report = await importCsv(app.catalog, path);
      // The second row is the same track in another playlist: repeated in the file, not "unchanged".
      expect(report).toMatchObject({ layout: 'TidyTuesday "Spotify Songs"', rowsRead: 2, tracksAdded: 1, tracksUnchanged: 0, repeatedInFile: 1 });
      expect(await importCsv(app.catalog, path)).toMatchObject({ tracksAdded: 0, tracksUnchanged: 2, repeatedInFile: 0 });
      const track = app.catalog.getTrackBySpotifyId(A);
      expect(track).toMatchObject({ album: 'Some Album', releaseYear: 2019, popularity: 66 });
      expect(track?.features?.timeSignature).toBeNull();
      const labels = app.database.sqlite.prepare('SELECT kind, value FROM track_labels ORDER BY kind, value').all();
      expect(labels).toEqual([
        { kind: 'genre', value: 'edm' },
        { kind: 'genre', value: 'pop' },
        { kind: 'playlist', value: '37i9dQZF1DXcZDD7cfEKhW' },
        { kind: 'playlist', value: '3xMQTDLOIGvj3lWH5e5x6F' },
        { kind: 'subgenre', value: 'dance pop' },
      ]);
    });

    it('MusicOSet ("; " between artists, artist IDs)', async () => {
      const path = writeCsv(file('musicoset.csv'),
        ['track_id', 'track_name', 'artists', 'artist_ids', 'main_genre', 'popularity', 'explicit', 'song_type', 'album_id', 'release_date', 'danceability', 'energy', 'key', 'loudness', 'mode', 'speechiness', 'acousticness', 'instrumentalness', 'liveness', 'valence', 'tempo', 'duration_ms', 'time_signature'],
        [[A, 'thank u, next', 'Ariana Grande; Someone Else', '66CXWjxzNUsdJxJ2JdwvnR; 0Y5tJX1MQlPlqiwlOH1tJY', 'dance pop', 86, 'True', 'Collaboration', '2fYhqwDWXjbpjaIJPEfKFw', '2019-02-08', F.danceability, F.energy, F.key, F.loudness, F.mode, F.speechiness, F.acousticness, F.instrumentalness, F.liveness, F.valence, F.tempo, 207320, 4]]);
      const report = await importCsv(app.catalog, path);
      expect(report.layout).toBe('MusicOSet');
      expect(app.catalog.getTrackBySpotifyId(A)).toMatchObject({ name: 'thank u, next', artists: ['Ariana Grande', 'Someone Else'], releaseYear: 2019, popularity: 86 });
      const ids = app.database.sqlite.prepare('SELECT artist_ids FROM tracks').pluck().get();
      expect(JSON.parse(ids as string)).toEqual(['66CXWjxzNUsdJxJ2JdwvnR', '0Y5tJX1MQlPlqiwlOH1tJY']);
    });

    it('Kaggle "SpotifyAudioFeaturesApril2019"', async () => {
      const path = writeCsv(file('april.csv'),
        ['artist_name', 'track_id', 'track_name', 'acousticness', 'danceability', 'duration_ms', 'energy', 'instrumentalness', 'key', 'liveness', 'loudness', 'mode', 'speechiness', 'tempo', 'time_signature', 'valence', 'popularity'],
        [['YG', A, 'Big Bank', F.acousticness, F.danceability, 237000, F.energy, F.instrumentalness, F.key, F.liveness, F.loudness, F.mode, F.speechiness, F.tempo, 4, F.valence, 2]]);
      expect((await importCsv(app.catalog, path)).layout).toBe('Kaggle "SpotifyAudioFeaturesApril2019"');
      expect(app.catalog.getTrackBySpotifyId(A)?.features).toMatchObject(FEATURES);
    });

    it('Kaggle "spotify-tracks-dataset" (unnamed index column, ";" between artists, track_genre)', async () => {
      const path = writeCsv(file('tracks.csv'),
        ['', 'track_id', 'artists', 'album_name', 'track_name', 'popularity', 'duration_ms', 'explicit', 'danceability', 'energy', 'key', 'loudness', 'mode', 'speechiness', 'acousticness', 'instrumentalness', 'liveness', 'valence', 'tempo', 'time_signature', 'track_genre'],
        [[0, A, 'Gen Hoshino;Other', 'Comedy', 'Comedy', 73, 230666, 'False', F.danceability, F.energy, F.key, F.loudness, F.mode, F.speechiness, F.acousticness, F.instrumentalness, F.liveness, F.valence, F.tempo, 4, 'acoustic']]);
      expect((await importCsv(app.catalog, path)).layout).toBe('Kaggle "spotify-tracks-dataset"');
      expect(app.catalog.getTrackBySpotifyId(A)).toMatchObject({ artists: ['Gen Hoshino', 'Other'], album: 'Comedy' });
    });

    it('Kaggle "SpotifyFeatures" (key as a note name, mode as a word, time signature as 4/4)', async () => {
      const path = writeCsv(file('features.csv'),
        ['genre', 'artist_name', 'track_name', 'track_id', 'popularity', 'acousticness', 'danceability', 'duration_ms', 'energy', 'instrumentalness', 'key', 'liveness', 'loudness', 'mode', 'speechiness', 'tempo', 'time_signature', 'valence'],
        [['Movie', 'Henri Salvador', "C'est beau", A, 0, F.acousticness, F.danceability, 99373, F.energy, F.instrumentalness, 'C#', F.liveness, F.loudness, 'Minor', F.speechiness, F.tempo, '4/4', F.valence]]);
      expect((await importCsv(app.catalog, path)).layout).toBe('Kaggle "SpotifyFeatures"');
      expect(app.catalog.getTrackBySpotifyId(A)?.features).toMatchObject({ key: 1, mode: 0, timeSignature: 4 });
    });

    it('Exportify exports (commas between artists), with and without audio features', async () => {
      const base = ['Track URI', 'Track Name', 'Artist URI(s)', 'Artist Name(s)', 'Album URI', 'Album Name', 'Album Release Date', 'Album Image URL', 'Track Duration (ms)', 'Explicit', 'Popularity', 'Added At'];
      const features = ['Danceability', 'Energy', 'Key', 'Loudness', 'Mode', 'Speechiness', 'Acousticness', 'Instrumentalness', 'Liveness', 'Valence', 'Tempo', 'Time Signature'];
      const meta = (id: string, name: string) => [`spotify:track:${id}`, name, 'spotify:artist:0OdUWJ0sBjDrqHygGUXeCF,spotify:artist:66CXWjxzNUsdJxJ2JdwvnR', 'Band of Horses,Ariana Grande', 'spotify:album:2fYhqwDWXjbpjaIJPEfKFw', 'Album', '2006-03-21', 'https://i.scdn.co/image/abc', 200000, 'false', 50, '2020-01-01T00:00:00Z'];
      const withFeatures = writeCsv(file('exportify.csv'), [...base, ...features], [[...meta(A, 'Song A'), F.danceability, F.energy, F.key, F.loudness, F.mode, F.speechiness, F.acousticness, F.instrumentalness, F.liveness, F.valence, F.tempo, 4]]);
      expect((await importCsv(app.catalog, withFeatures)).layout).toBe('Exportify export');
      expect(app.catalog.getTrackBySpotifyId(A)).toMatchObject({ artists: ['Band of Horses', 'Ariana Grande'], coverUrl: 'https://i.scdn.co/image/abc', releaseYear: 2006 });

      const without = writeCsv(file('exportify-2025.csv'), base, [meta(B, 'Song B')]);
      const report = await importCsv(app.catalog, without);
      expect(report).toMatchObject({ tracksAdded: 1, featuresAdded: 0, skipped: 0 });
      expect(app.catalog.getTrackBySpotifyId(B)?.features).toBeNull();
    });
  });

  it('drops a cover that is not an http(s) address (javascript:, data:, relative) and keeps the track; the embeds ignore one already stored', async () => {
    const header = ['Track URI', 'Track Name', 'Artist Name(s)', 'Album Image URL', 'Danceability', 'Energy', 'Key', 'Loudness', 'Mode', 'Speechiness', 'Acousticness', 'Instrumentalness', 'Liveness', 'Valence', 'Tempo'];
    const covers = ['javascript:alert(1)', 'data:image/png;base64,AAAA', '/images/x.png', 'ftp://example.com/x.png', 'https://i.scdn.co/image/ok', 'http://example.com/a b.png'];
    const ids = covers.map((_, i) => `${'0123456789abcdefghijk'}${String.fromCharCode(65 + i)}`);
    const f = [F.danceability, F.energy, F.key, F.loudness, F.mode, F.speechiness, F.acousticness, F.instrumentalness, F.liveness, F.valence, F.tempo];
    const path = writeCsv(file('covers.csv'), header, covers.map((cover, i) => [`spotify:track:${ids[i]}`, `Song ${i}`, 'Artist', cover, ...f]));
    expect(await importCsv(app.catalog, path)).toMatchObject({ tracksAdded: covers.length, skipped: 0 });
    expect(ids.map((id) => app.catalog.getTrackBySpotifyId(id)?.coverUrl)).toEqual([null, null, null, null, 'https://i.scdn.co/image/ok', null]);

    // A database written before this check (or by another path) may hold one: the embed leaves the thumbnail out.
    const track = app.catalog.getTrackBySpotifyId(ids[4]!)!;
    for (const cover of ['javascript:alert(1)', 'data:image/png;base64,AAAA', '']) {
      expect(coverThumbnail(cover)).toEqual({});
      const pick = { ...track, coverUrl: cover };
      expect(dailyPostMessage({ modelId: 1, cluster: { id: 0, label: 'x', size: 1, profile: null as never, traits: [] }, track: pick }).embeds![0]!.thumbnail).toBeUndefined();
    }
    expect(coverThumbnail('https://i.scdn.co/image/ok')).toEqual({ thumbnail: { url: 'https://i.scdn.co/image/ok' } });
  });

  it('fails on a missing required column, listing what it needs and what it found', async () => {
    const path = writeCsv(file('bad.csv'), ['id', 'danceability', 'energy'], [[A, 0.1, 0.2]]);
    const attempt = importCsv(app.catalog, path);
    await expect(attempt).rejects.toBeInstanceOf(ImportFormatError);
    await expect(importCsv(app.catalog, path)).rejects.toThrow(
      'The CSV header is missing required column(s): track_name (or name, track); artists (or artist_name, track_artist); loudness; speechiness; acousticness; instrumentalness; liveness; valence; tempo. Found: id, danceability, energy.',
    );
    expect(app.catalog.counts().tracks).toBe(0);
  });

  it('needs only the features the recommender compares on, and says which used one is missing', async () => {
    const { key: _key, mode: _mode, ...used } = FEATURES;
    const tracks = syntheticTracks({ clusters: 3, perCluster: 30 });
    const path = writeCsv(file('no-key-mode.csv'), ['track_id', 'track_name', 'artists', ...Object.keys(used)],
      tracks.map((t) => [t.spotifyId, t.name, t.artists[0]!, ...Object.keys(used).map((f) => t.features[f as keyof typeof used])]));
    const report = await importCsv(app.catalog, path);
    expect(report).toMatchObject({ tracksAdded: 90, skipped: 0, missingColumns: ['duration_ms'] });
    expect(app.catalog.getTrackBySpotifyId(tracks[0]!.spotifyId)?.features).toMatchObject({ key: null, mode: null, durationMs: null, timeSignature: null });
    // Such a catalog clusters and recommends like any other.
    clusterCatalog({ database: app.database, settings: { ...app.config.clustering, k: 3 }, logger: app.logger });
    expect((await app.recommender.recommend(tracks[0]!.name)).pick.name).toMatch(/^Synthetic Song 0-/);
  });

  it('skips malformed rows whole and reports their count, reasons and line numbers', async () => {
    const good = (id: string, name: string) => [id, name, 'Artist', ...Object.values(FEATURES)];
    const header = ['track_id', 'track_name', 'artists', ...Object.keys(FEATURES)];
    const path = file('messy.csv');
    const lines = [
      header.join(','),
      good(A, 'Good One').join(','), // line 2
      good('not-an-id', 'Bad Id').join(','), // line 3
      [B, 'Loud', 'Artist', F.danceability, F.energy, F.key, 99, F.mode, F.speechiness, F.acousticness, F.instrumentalness, F.liveness, F.valence, F.tempo].join(','), // 4
      `${B},Truncated,Artist,0.5,0.6`, // line 5
      [B, 'Dance > 1', 'Artist', 1.5, ...Object.values(FEATURES).slice(1)].join(','), // 6
      [B, '', 'Artist', ...Object.values(FEATURES)].join(','), // 7: no name
      '\u0000\u0001\u00ff\ufffd binary junk \u0007', // 8
      [B, 'Bad Mode', 'Artist', F.danceability, F.energy, F.key, F.loudness, 7, F.speechiness, F.acousticness, F.instrumentalness, F.liveness, F.valence, F.tempo].join(','), // 9
      '', // blank line: ignored
      good(B, 'Good Two').join(','), // 11
    ];
    writeFileSync(path, `${lines.join('\n')}\n`);
    const report = await importCsv(app.catalog, path);
    expect(report.tracksAdded).toBe(2);
    expect(report.skipped).toBe(7);
    expect(report.skippedLines).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(report.skippedReasons).toEqual({
      'invalid Spotify track ID': 1,
      'loudness out of range': 1,
      'wrong number of columns': 2,
      'danceability out of range': 1,
      'missing name': 1,
      'mode out of range': 1,
    });
    // Nothing of a skipped row was written.
    expect(app.catalog.counts()).toMatchObject({ tracks: 2, withFeatures: 2 });
    expect(app.database.sqlite.prepare('SELECT name FROM tracks ORDER BY id').pluck().all()).toEqual(['Good One', 'Good Two']);
  });

  it('is idempotent: importing the same file twice changes nothing', async () => {
    const path = file('synthetic.csv');
    writeFileSync(path, tracksToCsv(syntheticTracks({ clusters: 3, perCluster: 40 })));
    const first = await importCsv(app.catalog, path);
    const before = snapshot(app);
    const second = await importCsv(app.catalog, path);
    expect(first.tracksAdded).toBe(120);
    expect(second).toMatchObject({ tracksAdded: 0, tracksUpdated: 0, mergedDuplicates: 0, featuresAdded: 0, labelsAdded: 0, tracksUnchanged: 120 });
    expect(snapshot(app)).toEqual(before);
  });

  it('merges duplicates by Spotify ID and by normalised title and primary artist', async () => {
    const header = ['track_id', 'track_name', 'artists', 'popularity', ...Object.keys(FEATURES)];
    const values = Object.values(FEATURES);
    const path = writeCsv(file('dupes.csv'), header, [
      [A, 'Piano Man', 'Billy Joel', '', ...values],
      [A, 'Piano Man', 'Billy Joel', 80, ...values], // same ID: fills the missing popularity
      [B, 'Piano Man - Remastered 2004', 'BILLY JOEL', 70, ...values], // same recording, other ID
    ]);
    const report = await importCsv(app.catalog, path);
    expect(report).toMatchObject({ tracksAdded: 1, tracksUpdated: 1, mergedDuplicates: 1 });
    expect(app.catalog.counts()).toMatchObject({ tracks: 1, aliases: 1 });
    // The merged ID still finds the track.
    expect(app.catalog.getTrackBySpotifyId(B)).toMatchObject({ spotifyId: A, popularity: 80 });
  });

  it('reads gzip by content, whatever the file is called', async () => {
    const csv = tracksToCsv(syntheticTracks({ clusters: 1, perCluster: 5 }));
    writeFileSync(file('really-gzip.csv'), gzipSync(csv));
    expect((await importCsv(app.catalog, file('really-gzip.csv'))).tracksAdded).toBe(5);
  });

  it('reports progress while streaming', async () => {
    const path = file('progress.csv');
    writeFileSync(path, tracksToCsv(syntheticTracks({ clusters: 4, perCluster: 3_000 })));
    const seen: number[] = [];
    const report = await importCsv(app.catalog, path, { onProgress: (p) => seen.push(p.rowsRead) });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toBe(12_000);
    // The time spent writing is part of the whole.
    expect(report.writeMs).toBeGreaterThan(0);
    expect(report.writeMs).toBeLessThanOrEqual(report.elapsedMs);
  });

  it("does not blame the file for the catalog's own errors", async () => {
    const path = file('fine.csv');
    writeFileSync(path, tracksToCsv(syntheticTracks({ clusters: 1, perCluster: 5 })));
    const readonly = new BetterSqlite3(app.database.path, { readonly: true });
    try {
      const error = await importCsv(new Catalog({ ...app.database, sqlite: readonly }), path).catch((e: unknown) => e);
      expect(error).not.toBeInstanceOf(InputFileError);
      expect(error).toMatchObject({ code: 'SQLITE_READONLY' });
    } finally {
      readonly.close();
    }
  });

  it('explains unreadable and empty files', async () => {
    await expect(importCsv(app.catalog, file('missing.csv'))).rejects.toThrow(InputFileError);
    await expect(importCsv(app.catalog, file('missing.csv'))).rejects.toThrow(/missing\.csv: no such file\.$/);
    await expect(importCsv(app.catalog, app.dir)).rejects.toThrow(/is not a file/);
    writeFileSync(file('empty.csv'), '');
    await expect(importCsv(app.catalog, file('empty.csv'))).rejects.toThrow(/empty/);
  });

  it('commits small imports every 5,000 rows and big ones in batches that grow to 50,000', () => {
    expect([0, 5_000, 20_000, 40_000, 100_000, 1_000_000].map(nextBatchRows)).toEqual([5_000, 5_000, 5_000, 10_000, 25_000, 50_000]);
  });

  it('leaves the catalog and the next import clean when a batch fails half-way', async () => {
    const tracks = syntheticTracks({ clusters: 2, perCluster: 150 });
    writeFileSync(file('first.csv'), tracksToCsv(tracks.slice(0, 150)));
    writeFileSync(file('second.csv'), tracksToCsv(tracks.slice(150)));
    // Storing features fails, after the batch's tracks were written and with rows still queued.
    app.database.sqlite.exec(`CREATE TEMP TRIGGER fail_features BEFORE INSERT ON audio_features
      BEGIN SELECT RAISE(ABORT, 'disk trouble'); END`);
    await expect(importCsv(app.catalog, file('first.csv'))).rejects.toThrow(/disk trouble/);
    expect(app.catalog.counts().tracks).toBe(0);
    app.database.sqlite.exec('DROP TRIGGER fail_features');
    // Nothing queued by the failed batch reaches the next one.
    await importCsv(app.catalog, file('second.csv'));
    const counts = app.catalog.counts();
    expect([counts.tracks, counts.withFeatures]).toEqual([150, 150]);
  });

  const tidy = dataset(DATASETS.tidyTuesday);
  describe.skipIf(!tidy.path)(`a sample of the real TidyTuesday dataset${tidy.note}`, () => {
    it('imports the first 3,000 rows with genres, playlists and features', async () => {
      const { gunzipSync } = await import('node:zlib');
      const lines = gunzipSync(readFileSync(tidy.path!)).toString().split('\n').slice(0, 3_001);
      writeFileSync(file('tidy-sample.csv'), `${lines.join('\n')}\n`);
      const report = await importCsv(app.catalog, file('tidy-sample.csv'));
      expect(report.layout).toBe('TidyTuesday "Spotify Songs"');
      expect(report.rowsRead).toBe(3_000);
      expect(report.skipped).toBeLessThan(10);
      const counts = app.catalog.counts();
      expect(counts.tracks).toBeGreaterThan(2_000);
      expect(counts.withoutFeatures).toBe(0);
      const genres = app.database.sqlite.prepare("SELECT COUNT(DISTINCT value) FROM track_labels WHERE kind = 'genre'").pluck().get();
      expect(genres).toBeGreaterThanOrEqual(1);
    });
  });
});
