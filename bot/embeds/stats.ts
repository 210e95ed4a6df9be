import type { DailySetting } from '../../src/daily/dailySettings.js';
import type { Seed } from '../../src/crawl/seeds.js';
import type { StarterProgress } from '../../src/starter/starterCatalog.js';
import type { CatalogStats } from '../../src/stats.js';
import { COLORS, LIMITS, safe, truncate } from './format.js';
import { NO_MENTIONS, type MessageData } from './types.js';

export interface StatsView {
  stats: CatalogStats;
  seeds: Seed[];
  daily: DailySetting | null;
  recentJobs: { name: string; status: string; finishedAt: number | null; detail: string }[];
  /** This server's most liked clusters and songs (from 👍/👎). */
  /** The starter catalog while the bot fills it. */
  starter?: StarterProgress | null;
  favourites?: { clusters: { cluster: number; label: string; count: number }[]; tracks: { name: string; artists: string[]; likes: number }[] };
}

const when = (ms: number) => `<t:${Math.floor(ms / 1000)}:R>`;

function starterLine(starter: StarterProgress): string {
  const loading = starter.sources
    .map((s) => `${s.status === 'done' ? '✓' : '•'} ${safe(s.source, 120)}: ${s.rowsRead.toLocaleString('en')}${s.rowsExpected ? ` of ${s.rowsExpected.toLocaleString('en')}` : ''} rows`)
    .join('\n');
  if (starter.phase === 'clustering') return `Loaded ${starter.tracks.toLocaleString('en')} songs; sorting them into clusters.\n${loading}`;
  const share = starter.fraction === null ? '' : ` ${Math.floor(starter.fraction * 100)} %`;
  const retry =
    starter.phase === 'retrying'
      ? `\nThe last attempt failed${starter.lastError ? `: ${safe(starter.lastError, 200)}` : ''}. Next try ${starter.retryAt ? when(starter.retryAt) : 'soon'}.`
      : '';
  return `Loading${share}.\n${loading}${retry}`;
}

export function statsMessage({ stats, seeds, daily, recentJobs, favourites, starter }: StatsView): MessageData {
  const model = stats.model;
  const biggest = model ? [...model.clusters].sort((a, b) => b.size - a.size).slice(0, 5) : [];
  const fields = [
    ...(starter ? [{ name: 'Starter catalog (warming up)', value: starterLine(starter) }] : []),
    {
      name: 'Catalog',
      value: `${stats.tracks.toLocaleString('en')} songs, ${stats.withFeatures.toLocaleString('en')} with audio features${stats.withoutFeatures > 0 ? ` (${stats.withoutFeatures.toLocaleString('en')} waiting for features)` : ''}`,
    },
    {
      name: 'Clusters',
      value: model
        ? `${model.k} clusters, model #${model.id} built ${when(model.createdAt)}\n${biggest.map((c) => `• #${c.id} ${safe(c.label, 80)} — ${c.size.toLocaleString('en')}`).join('\n')}`
        : 'Not clustered yet.',
    },
    {
      name: 'This server',
      value: [
        `${seeds.length} seed playlist${seeds.length === 1 ? '' : 's'}`,
        daily
          ? daily.enabled
            ? `daily post in <#${daily.channelId}> at ${daily.time} (${daily.timeZone})`
            : `daily post off${daily.lastError ? ` (${safe(daily.lastError, 120)})` : ''}`
          : 'no daily post',
        `${stats.recommendationsGiven.toLocaleString('en')} recommendations given in all`,
      ].join('\n'),
    },
    ...(favourites && favourites.tracks.length > 0
      ? [
          {
            name: 'Most liked here',
            value: [
              ...favourites.clusters.map((c) => `• #${c.cluster} ${safe(c.label, 80)}`),
              ...favourites.tracks.slice(0, 3).map((t) => `• ${safe(t.name, 80)} — ${safe(t.artists.join(', '), 60)} (👍 ${t.likes})`),
            ].join('\n'),
          },
        ]
      : []),
    ...(recentJobs.length > 0
      ? [{ name: 'Recent jobs', value: recentJobs.slice(0, 6).map((j) => `• ${j.name}: ${j.status}${j.finishedAt ? ` ${when(j.finishedAt)}` : ''}${j.detail ? ` — ${safe(j.detail, 80)}` : ''}`).join('\n') }]
      : []),
  ].map((f) => ({ ...f, value: truncate(f.value, LIMITS.fieldValue) }));
  return { embeds: [{ title: 'Cluster DJ stats', color: COLORS.neutral, fields }], allowedMentions: NO_MENTIONS };
}
