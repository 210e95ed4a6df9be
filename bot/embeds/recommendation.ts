import { ButtonStyle, ComponentType } from 'discord.js';
import { describeShaping, explainPick, trackUrl } from '../../src/recommender/format.js';
import type { Recommendation } from '../../src/types.js';
import { anotherOneId } from '../customIds.js';
import { voteButtons } from './votes.js';
import { clusterColor, LIMITS, percent, plain, safe } from './format.js';
import { NO_MENTIONS, type MessageData } from './types.js';

export interface RecommendationView {
  recommendation: Recommendation;
  /** What the member typed (or "Another one"). */
  query: string;
  requesterId: string;
}

/** The /recommend answer: the pick, its cluster, why, and the buttons. */
export function recommendationMessage({ recommendation: r, query, requesterId }: RecommendationView): MessageData {
  const pick = r.pick;
  const from = [pick.album ? `*${safe(pick.album, 200)}*` : null, pick.releaseYear ? `(${pick.releaseYear})` : null].filter(Boolean).join(' ');
  const footer = r.repeated
    ? `You asked for "${query}" · everything closer was given recently, so this one repeats`
    : `You asked for "${query}"`;
  return {
    embeds: [
      {
        author: { name: plain(`Sounds like ${r.seed.name} — ${r.seed.artists.join(', ')}`, LIMITS.author) },
        title: safe(pick.name),
        url: trackUrl(pick.spotifyId),
        description: truncate(`by **${safe(pick.artists.join(', '), 500)}**${from ? `\n${from}` : ''}`),
        color: clusterColor(r.cluster.id),
        ...(pick.coverUrl ? { thumbnail: { url: pick.coverUrl } } : {}),
        fields: [
          { name: 'Cluster', value: safe(`#${r.cluster.id} · ${r.cluster.label}`, LIMITS.fieldValue), inline: true },
          { name: 'Similarity', value: percent(r.similarity), inline: true },
          { name: 'Why', value: safe(explainPick(r), LIMITS.fieldValue) },
          ...(r.shapedBy ? [{ name: 'Shaped by feedback', value: safe(describeShaping(r.shapedBy), LIMITS.fieldValue) }] : []),
        ],
        footer: { text: plain(footer, LIMITS.footer) },
      },
    ],
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.Button,
            style: ButtonStyle.Primary,
            label: 'Another one',
            emoji: { name: '🔁' },
            custom_id: anotherOneId({ seedTrackId: r.seed.id, requesterId }),
          },
          ...voteButtons(pick.id),
          { type: ComponentType.Button, style: ButtonStyle.Link, label: 'Open in Spotify', url: trackUrl(pick.spotifyId) },
        ],
      },
    ],
    allowedMentions: NO_MENTIONS,
  };
}

function truncate(text: string): string {
  return text.length <= LIMITS.description ? text : `${text.slice(0, LIMITS.description - 1)}…`;
}
