import type { CrawlProgress, CrawlSummary } from '../../src/crawl/types.js';
import type { Seed } from '../../src/crawl/seeds.js';
import { COLORS, LIMITS, link, safe, truncate } from './format.js';
import { NO_MENTIONS, type MessageData } from './types.js';

const STAGES: Record<string, string> = {
  playlist: 'Reading the playlist',
  items: 'Reading the playlist',
  artists: "Listing the artists' albums",
  albums: 'Reading albums',
  features: 'Fetching audio features',
  commit: 'Saving to the catalog',
  done: 'Done',
};

const playlistUrl = (id: string) => `https://open.spotify.com/playlist/${id}`;

export function seedQueuedMessage(playlistId: string, ahead: number): MessageData {
  return {
    embeds: [
      {
        title: 'Seed playlist added',
        url: playlistUrl(playlistId),
        description: ahead > 0 ? `Queued behind ${ahead} other crawl${ahead === 1 ? '' : 's'}; I'll start shortly.` : 'Starting the crawl…',
        color: COLORS.neutral,
      },
    ],
    allowedMentions: NO_MENTIONS,
  };
}

/** Live progress while a crawl runs: what it is doing and what it has found so far. */
export function seedProgressMessage(playlistId: string, progress: CrawlProgress): MessageData {
  const c = progress.counts;
  const found = progress.playlistTotal ? `${c.playlistTracks} of ${progress.playlistTotal}` : String(c.playlistTracks);
  return {
    embeds: [
      {
        title: safe(`Crawling ${progress.playlistName ?? 'the playlist'}`),
        url: playlistUrl(playlistId),
        description: `${STAGES[progress.stage] ?? progress.stage}…`,
        color: COLORS.neutral,
        fields: [
          { name: 'Tracks found', value: `${found}${c.albumTracks > 0 ? ` + ${c.albumTracks} from albums` : ''}`, inline: true },
          { name: 'Features fetched', value: String(c.featuresFetched), inline: true },
          ...(c.artists > 0 ? [{ name: 'Albums visited', value: `${c.albumsVisited} (${c.artistsVisited} of ${c.artists} artists)`, inline: true }] : []),
        ],
      },
    ],
    allowedMentions: NO_MENTIONS,
  };
}

/** The final word on a crawl: what was added, and what was skipped and why. */
export function seedSummaryMessage(playlistId: string, summary: CrawlSummary): MessageData {
  const c = summary.counts;
  const skipped = [
    c.skipped.local && `${c.skipped.local} local file${c.skipped.local === 1 ? '' : 's'}`,
    c.skipped.episode && `${c.skipped.episode} podcast episode${c.skipped.episode === 1 ? '' : 's'}`,
    c.skipped.unavailable && `${c.skipped.unavailable} unavailable on Spotify`,
    c.skipped.empty && `${c.skipped.empty} removed from Spotify`,
  ].filter(Boolean);
  const title = safe(summary.playlistName ?? 'Playlist');
  if (summary.unchanged) {
    return {
      embeds: [{ title, url: playlistUrl(playlistId), description: 'This playlist has not changed since its last crawl: nothing new to add.', color: COLORS.brand }],
      allowedMentions: NO_MENTIONS,
    };
  }
  const lines = [
    `**${c.added}** new song${c.added === 1 ? '' : 's'} in the catalog${c.merged > 0 ? ` (${c.merged} already known under another ID)` : ''}.`,
    `Read ${c.playlistTracks} playlist track${c.playlistTracks === 1 ? '' : 's'}${c.albumTracks > 0 ? ` and ${c.albumTracks} from ${c.albumsVisited} albums of ${c.artistsVisited} artists` : ''}.`,
    ...(skipped.length > 0 ? [`Skipped: ${skipped.join(', ')}.`] : []),
    ...(c.featuresMissing > 0
      ? [`${c.featuresMissing} song${c.featuresMissing === 1 ? ' has' : 's have'} no audio features from any provider yet: stored, and retried on later crawls.`]
      : []),
  ];
  return {
    embeds: [{ title: truncate(`✅ ${title}`, LIMITS.title), url: playlistUrl(playlistId), description: lines.join('\n'), color: COLORS.brand }],
    allowedMentions: NO_MENTIONS,
  };
}

export function seedListMessage(seeds: Seed[]): MessageData {
  if (seeds.length === 0) {
    return {
      embeds: [{ title: 'Seed playlists', description: 'None yet. Add one with `/seed add playlist:<Spotify link>`.', color: COLORS.neutral }],
      allowedMentions: NO_MENTIONS,
    };
  }
  const lines = seeds.slice(0, 40).map((s) => {
    const crawled = s.lastCrawledAt ? `crawled <t:${Math.floor(s.lastCrawledAt / 1000)}:R>` : 'not crawled yet';
    return `• ${link(s.name ?? s.playlistId, playlistUrl(s.playlistId), 80)} — ${s.trackCount ?? '?'} tracks, ${crawled}${s.expandArtists ? ', with artists' : ''}`;
  });
  if (seeds.length > 40) lines.push(`…and ${seeds.length - 40} more.`);
  return {
    embeds: [{ title: `Seed playlists (${seeds.length})`, description: truncate(lines.join('\n'), LIMITS.description), color: COLORS.neutral }],
    allowedMentions: NO_MENTIONS,
  };
}
