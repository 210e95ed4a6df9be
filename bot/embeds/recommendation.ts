import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIStringSelectComponent } from 'discord.js';
import { describeShaping, describeSteer, explainPick, steerName, trackUrl } from '../../src/recommender/format.js';
import type { Recommendation, SongChoice } from '../../src/types.js';
import { anotherOneId, notForMeId, notForMeValue, notThisOneId } from '../customIds.js';
import { voteButtons } from './votes.js';
import { clusterColor, coverThumbnail, LIMITS, percent, plain, safe, truncate } from './format.js';
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
  const steer = r.steer;
  // A steered pick may sit in another cluster: the field says where each song is.
  const cluster =
    steer && steer.pickCluster.id !== r.cluster.id
      ? `#${r.cluster.id} ${r.cluster.label} → #${steer.pickCluster.id} ${steer.pickCluster.label}`
      : `#${r.cluster.id} · ${r.cluster.label}`;
  const from = [pick.album ? `*${safe(pick.album, 200)}*` : null, pick.releaseYear ? `(${pick.releaseYear})` : null].filter(Boolean).join(' ');
  const alternatives = r.alternatives ?? [];
  const footer = [
    `You asked for "${query}"`,
    // Several songs have that name: say which one this is, and where the others are.
    ...(alternatives.length > 0 ? [`took ${songLabel(r.seed)} · not this one? Pick another below`] : []),
    ...(r.repeated ? ['everything closer was given recently, so this one repeats'] : []),
  ].join(' · ');
  return {
    embeds: [
      {
        author: { name: plain(`${steer ? `Like ${r.seed.name}, but ${steerName(steer)}` : `Sounds like ${r.seed.name}`} — ${r.seed.artists.join(', ')}`, LIMITS.author) },
        title: safe(pick.name),
        url: trackUrl(pick.spotifyId),
        description: truncate(`by **${safe(pick.artists.join(', '), 500)}**${from ? `\n${from}` : ''}`, LIMITS.description),
        color: clusterColor(steer?.pickCluster.id ?? r.cluster.id),
        ...coverThumbnail(pick.coverUrl),
        fields: [
          { name: 'Cluster', value: safe(cluster, LIMITS.fieldValue), inline: true },
          { name: 'Similarity', value: percent(r.similarity), inline: true },
          ...(steer ? [{ name: `Steered: ${steerName(steer)}`, value: safe(describeSteer(steer), LIMITS.fieldValue) }] : []),
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
            custom_id: anotherOneId({ seedTrackId: r.seed.id, requesterId, steer: steer?.direction }),
          },
          ...voteButtons(pick.id),
          { type: ComponentType.Button, style: ButtonStyle.Link, label: 'Open in Spotify', url: trackUrl(pick.spotifyId) },
        ],
      },
      notForMeRow(pick),
      ...(alternatives.length > 0 ? [notThisOneRow(r, alternatives, requesterId)] : []),
    ],
    allowedMentions: NO_MENTIONS,
  };
}

/** How a song is offered by name: "title — artist (year)". */
export function songLabel(song: Pick<SongChoice, 'name' | 'artists' | 'releaseYear'>): string {
  return `${song.name} — ${song.artists.join(', ')}${song.releaseYear ? ` (${song.releaseYear})` : ''}`;
}

/** "Not this one?": the other songs the name matched (up to 5), each answered for instead when picked. */
function notThisOneRow(r: Recommendation, alternatives: readonly SongChoice[], requesterId: string): APIActionRowComponent<APIStringSelectComponent> {
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.StringSelect,
        custom_id: notThisOneId({ seedTrackId: r.seed.id, requesterId, steer: r.steer?.direction }),
        placeholder: 'Not this one? Pick the song you meant',
        options: alternatives.slice(0, 5).map((song) => ({ label: plain(songLabel(song), 100), value: String(song.trackId), emoji: { name: '🎵' } })),
      },
    ],
  };
}

/** "Not for me…": never this artist (one option per artist, up to four) or never this song, for whoever picks it. */
function notForMeRow(pick: Recommendation['pick']): APIActionRowComponent<APIStringSelectComponent> {
  const artists = pick.artists.slice(0, 4);
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.StringSelect,
        custom_id: notForMeId(pick.id),
        placeholder: 'Not for me…',
        options: [
          ...artists.map((artist, index) => ({ label: plain(`Never ${artist}`, 100), value: notForMeValue({ kind: 'artist', index }), emoji: { name: '🚫' } })),
          { label: plain(`Never this song: ${pick.name}`, 100), value: notForMeValue({ kind: 'song' }), emoji: { name: '🙉' } },
        ],
      },
    ],
  };
}
