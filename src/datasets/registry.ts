// Public datasets the catalog can start from, by name (`import tidytuesday`, STARTER_DATASETS).
// Only datasets whose download URL, licence and column layout were checked on their own pages
// are offered; what could not be checked is listed apart, with why.

export interface PublicDataset {
  name: string;
  title: string;
  description: string;
  /** Data rows in the file, and distinct tracks among them. */
  rows: number;
  tracks: number;
  /** Size of the uncompressed CSV. */
  bytes: number;
  licence: string;
  /** The page that says what the dataset is and how it may be used. */
  homepage: string;
  defaultUrl: string;
  /** The setting that overrides the URL (a mirror, or a local copy in tests). */
  urlSetting: 'DATASET_TIDYTUESDAY_URL';
  /** Labels it carries, kept for the quality evaluation (the recommender never sees them). */
  carries: { genres: boolean; playlists: boolean };
  /** Where its URL, licence and columns were checked. */
  checked: string;
}

export const PUBLIC_DATASETS = [
  {
    name: 'tidytuesday',
    title: 'TidyTuesday 2020-01-21 "Spotify Songs"',
    description:
      'Songs from 471 Spotify playlists in six genres (EDM, Latin, pop, R&B, rap, rock), with audio features, popularity, album and release date; collected with the spotifyr R package.',
    rows: 32_833,
    tracks: 28_356,
    bytes: 7_971_379,
    licence: 'MIT (the rfordatascience/tidytuesday repository); the data itself comes from the Spotify Web API',
    homepage: 'https://github.com/rfordatascience/tidytuesday/blob/main/data/2020/2020-01-21/readme.md',
    defaultUrl: 'https://raw.githubusercontent.com/rfordatascience/tidytuesday/main/data/2020/2020-01-21/spotify_songs.csv',
    urlSetting: 'DATASET_TIDYTUESDAY_URL',
    carries: { genres: true, playlists: true },
    checked: "URL and columns from the week's readme (data dictionary), licence from the repository's LICENSE file",
  },
] as const satisfies readonly PublicDataset[];

export type DatasetName = (typeof PUBLIC_DATASETS)[number]['name'];

export const DATASET_NAMES: readonly string[] = PUBLIC_DATASETS.map((d) => d.name);

/** Candidates that are not offered by name, and what could not be verified about them. */
export const UNVERIFIED_DATASETS = [
  {
    name: 'spotify-tracks-dataset',
    title: 'Spotify Tracks Dataset on Hugging Face (maharshipandya/spotify-tracks-dataset), tracks in many genres',
    url: 'https://huggingface.co/datasets/maharshipandya/spotify-tracks-dataset/resolve/main/dataset.csv',
    note:
      "its page lists dataset.csv (20.1 MB) and the licence as \"bsd\" without saying which BSD licence, and its column list could not be read from its own dataset card; its layout is one the importer knows, so `import <url>` works if the file is as copies of it show",
  },
] as const;

export function findDataset(name: string): PublicDataset | undefined {
  return PUBLIC_DATASETS.find((d) => d.name === name.trim().toLowerCase());
}
