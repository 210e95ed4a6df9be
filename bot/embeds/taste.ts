import { ButtonStyle, ComponentType } from 'discord.js';
import type { TasteSummary } from '../../src/feedback/taste.js';
import { trackUrl } from '../../src/recommender/format.js';
import { tasteResetId } from '../customIds.js';
import { COLORS, LIMITS, safe } from './format.js';
import { NO_MENTIONS, type MessageData } from './types.js';

function clusters(list: TasteSummary['liked']): string {
  return list.length === 0 ? 'nothing yet' : list.slice(0, 5).map((c) => `#${c.cluster} ${safe(c.label, 80)} (${c.count})`).join('\n');
}

export function tasteMessage(taste: TasteSummary, userId: string): MessageData {
  const empty = taste.likedTracks.length === 0 && taste.dislikedTracks.length === 0;
  if (empty) {
    return {
      embeds: [{ title: 'Your taste, as I know it here', description: 'No votes yet. Press 👍 or 👎 under a recommendation and I will learn what you like.', color: COLORS.neutral }],
      allowedMentions: NO_MENTIONS,
    };
  }
  const songs = (list: TasteSummary['likedTracks']) =>
    list.map((t) => `• [${safe(t.name, 100)}](${trackUrl(t.spotifyId)}) — ${safe(t.artists.join(', '), 80)}`).join('\n') || 'none';
  return {
    embeds: [
      {
        title: 'Your taste, as I know it here',
        description: 'Songs near the ones you 👍 come up more for you; songs you 👎 never come back. This stays in this server.',
        color: COLORS.brand,
        fields: [
          { name: '👍 Clusters you like', value: clusters(taste.liked).slice(0, LIMITS.fieldValue), inline: true },
          { name: '👎 Clusters you skip', value: clusters(taste.disliked).slice(0, LIMITS.fieldValue), inline: true },
          { name: 'Liked lately', value: songs(taste.likedTracks).slice(0, LIMITS.fieldValue) },
          { name: 'Disliked lately', value: songs(taste.dislikedTracks).slice(0, LIMITS.fieldValue) },
        ],
      },
    ],
    components: [
      {
        type: ComponentType.ActionRow,
        components: [{ type: ComponentType.Button, style: ButtonStyle.Danger, label: 'Forget my votes here', custom_id: tasteResetId(userId) }],
      },
    ],
    allowedMentions: NO_MENTIONS,
  };
}
