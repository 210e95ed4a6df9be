import type { Database } from '../catalog/database.js';
import { primaryArtistOfKey } from '../catalog/normalize.js';

// Per matrix row, the two keys the recommender's exclusions use (the work, i.e. the song across
// its versions, and the folded primary artist) as small integers, so a baseline can apply the
// same rules inside a tight loop.

export interface TrackKeys {
  work: Int32Array;
  artist: Int32Array;
}

export function loadTrackKeys(database: Database, trackIds: Int32Array): TrackKeys {
  const workKeyOf = database.sqlite.prepare<[number], string>('SELECT work_key FROM tracks WHERE id = ?').pluck();
  const works = new Map<string, number>();
  const artists = new Map<string, number>();
  const intern = (map: Map<string, number>, key: string) => {
    let code = map.get(key);
    if (code === undefined) map.set(key, (code = map.size));
    return code;
  };
  const work = new Int32Array(trackIds.length);
  const artist = new Int32Array(trackIds.length);
  trackIds.forEach((id, row) => {
    const workKey = workKeyOf.get(id)!;
    work[row] = intern(works, workKey);
    artist[row] = intern(artists, primaryArtistOfKey(workKey));
  });
  return { work, artist };
}
