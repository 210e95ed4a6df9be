import { foldText } from '../catalog/normalize.js';
import { SHIPPED_PRIOR, TrackSearch } from '../catalog/search.js';
import { locateDataset, SEARCH_CHECK_DATASETS } from './datasets.js';
import { openCombinedCatalog } from './evalCatalog.js';
import { FAMOUS_SONGS } from './famousSongs.js';
import { checkSearch, type SearchCheck } from './searchCheck.js';
import { chartedTitles, chartedTop1, tunePrior } from './searchTuning.js';

// The search section of `npm run eval`: every shared dataset imported together into one catalog,
// the famous titles typed alone, and the titles the datasets answer themselves. With `tune`, the
// prior's settings are searched first (on both sets of titles) and the best printed.

export async function searchSection(onProgress: (message: string) => void, options: { tune?: boolean } = {}): Promise<SearchCheck | { missing: string }> {
  const paths = new Map<string, string>();
  for (const dataset of SEARCH_CHECK_DATASETS) {
    const found = locateDataset(dataset);
    if (!('path' in found)) return { missing: found.missing };
    paths.set(dataset.name, found.path);
  }
  onProgress(`search check: importing ${[...paths.keys()].join(', ')} together`);
  const { app, dispose } = await openCombinedCatalog([...paths.values()]);
  try {
    const about = { datasets: [...paths.keys()], catalogTracks: app.catalog.counts().tracks };
    const charted = await chartedTitles(
      app,
      { musicoset: paths.get('MusicOSet')!, hitPredictor: paths.get('Spotify Hit Predictor')! },
      new Set(FAMOUS_SONGS.map((song) => foldText(song.title))),
    );
    if (options.tune) {
      const tried = tunePrior(
        (prior) => checkSearch(new TrackSearch(app.database, prior), FAMOUS_SONGS, about).share + chartedTop1(new TrackSearch(app.database, prior), charted),
        SHIPPED_PRIOR,
        onProgress,
      );
      onProgress(`search tuning: best ${JSON.stringify(tried[0]!.prior)} (famous + charted shares ${tried[0]!.share.toFixed(3)})`);
    }
    const check = checkSearch(app.search, FAMOUS_SONGS, about);
    return { ...check, charted: { titles: charted.length, share: chartedTop1(app.search, charted) } };
  } finally {
    dispose();
  }
}
