import type { ClusterTrait } from '../../src/daily/dailyPick.js';
import { formatFeatureValue, trackUrl } from '../../src/recommender/format.js';
import type { TrackWithFeatures } from '../../src/types.js';
import { clusterColor, LIMITS, link, safe, truncate } from './format.js';
import { NO_MENTIONS, type MessageData } from './types.js';

/** "**lively** — typically 82 % (catalog 61 %)": what a cluster's typical song sounds like, in words and numbers. */
export function describeTraits(traits: readonly ClusterTrait[]): string {
  if (traits.length === 0) return 'Right in the middle of everything: nothing stands out.';
  return traits
    .map((t) => `**${t.word}** — ${t.feature === 'mode' ? `${Math.round(t.cluster * 100)} % in major (catalog ${Math.round(t.catalog * 100)} %)` : `typically ${formatFeatureValue(t.feature, t.cluster)} (catalog ${formatFeatureValue(t.feature, t.catalog)})`}`)
    .join('\n');
}

export interface ClusterView {
  id: number;
  label: string;
  size: number;
  traits: ClusterTrait[];
  examples: TrackWithFeatures[];
}

/** /cluster show: a cluster's label, size, sound in words and its most typical songs. */
export function clusterMessage(view: ClusterView): MessageData {
  const examples = view.examples
    .slice(0, 5)
    .map((t) => `• ${link(t.name, trackUrl(t.spotifyId), 120)} — ${safe(t.artists.join(', '), 120)}`)
    .join('\n');
  return {
    embeds: [
      {
        title: safe(`Cluster #${view.id} · ${view.label}`),
        description: truncate(`${view.size.toLocaleString('en')} songs. It sounds like this:\n${describeTraits(view.traits)}`, LIMITS.description),
        color: clusterColor(view.id),
        ...(examples ? { fields: [{ name: 'Its most typical songs', value: truncate(examples, LIMITS.fieldValue) }] } : {}),
      },
    ],
    allowedMentions: NO_MENTIONS,
  };
}

export function clusterMapMessage(k: number, tracks: number, modelCreatedAt: number): MessageData {
  return {
    embeds: [
      {
        title: `The map of all ${k} clusters`,
        description: `Each dot is a song (a sample of ${tracks.toLocaleString('en')}), placed by how it sounds; songs close together sound alike. Model built <t:${Math.floor(modelCreatedAt / 1000)}:R>. \`/cluster show\` tells one cluster's story.`,
        color: 0x5865f2,
      },
    ],
    allowedMentions: NO_MENTIONS,
  };
}
