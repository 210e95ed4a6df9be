import { ButtonStyle, ComponentType } from 'discord.js';
import type { DailyPick } from '../../src/daily/dailyPick.js';
import { trackUrl } from '../../src/recommender/format.js';
import { anotherOneId } from '../customIds.js';
import { describeTraits } from './clusters.js';
import { voteButtons } from './votes.js';
import { clusterColor, coverThumbnail, LIMITS, link, safe, truncate } from './format.js';
import { NO_MENTIONS, type MessageData } from './types.js';

/** Nobody owns a daily post: every "Another one" click on it is answered privately. */
export const NOBODY = '0';

export function dailyPostMessage(pick: DailyPick): MessageData {
  const track = pick.track;
  return {
    embeds: [
      {
        title: safe(`🎧 Song of the cluster: ${pick.cluster.label}`),
        description: truncate(`Today's cluster (#${pick.cluster.id}, ${pick.cluster.size.toLocaleString('en')} songs) sounds like this:\n${describeTraits(pick.cluster.traits)}`, LIMITS.description),
        color: clusterColor(pick.cluster.id),
        ...coverThumbnail(track.coverUrl),
        fields: [
          {
            name: 'Its most typical song',
            value: truncate(`${link(track.name, trackUrl(track.spotifyId), 200)} by **${safe(track.artists.join(', '), 300)}**${track.releaseYear ? ` (${track.releaseYear})` : ''}`, LIMITS.fieldValue),
          },
        ],
        footer: { text: 'A different cluster every day. /recommend finds songs like any you name.' },
      },
    ],
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          { type: ComponentType.Button, style: ButtonStyle.Primary, label: 'Another one like this', emoji: { name: '🔁' }, custom_id: anotherOneId({ seedTrackId: track.id, requesterId: NOBODY }) },
          ...voteButtons(track.id),
          { type: ComponentType.Button, style: ButtonStyle.Link, label: 'Open in Spotify', url: trackUrl(track.spotifyId) },
        ],
      },
    ],
    allowedMentions: NO_MENTIONS,
  };
}
