import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIComponentInMessageActionRow } from 'discord.js';
import type { Block } from '../../src/feedback/blockStore.js';
import type { TasteSummary } from '../../src/feedback/taste.js';
import { trackUrl } from '../../src/recommender/format.js';
import { tasteResetId, unblockId } from '../customIds.js';
import { COLORS, LIMITS, link, plain, safe, truncate } from './format.js';
import { NO_MENTIONS, type MessageData } from './types.js';

function clusters(list: TasteSummary['liked']): string {
  return list.length === 0 ? 'nothing yet' : list.slice(0, 5).map((c) => `#${c.cluster} ${safe(c.label, 80)} (${c.count})`).join('\n');
}

/** One line per block, newest first, within a field's limit. */
function blockLines(blocks: readonly Block[]): string {
  const lines: string[] = [];
  let length = 0;
  for (const block of blocks) {
    const line = `${block.kind === 'artist' ? '🚫' : '🙉'} ${safe(block.label, 100)}`;
    if (length + line.length + 1 > LIMITS.fieldValue - 20) {
      lines.push(`…and ${blocks.length - lines.length} more`);
      break;
    }
    lines.push(line);
    length += line.length + 1;
  }
  return lines.join('\n');
}

/** What the bot knows of a member in a scope: likes and dislikes by cluster, and what they marked "not for me" (with a way to undo it). */
export function tasteMessage(taste: TasteSummary, blocks: readonly Block[], userId: string, where: string): MessageData {
  const noVotes = taste.likedTracks.length === 0 && taste.dislikedTracks.length === 0;
  const components: APIActionRowComponent<APIComponentInMessageActionRow>[] = [];
  if (blocks.length > 0) {
    const shown = blocks.slice(0, 25);
    components.push({
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.StringSelect,
          custom_id: unblockId(userId),
          placeholder: 'Undo a "not for me"…',
          min_values: 1,
          max_values: shown.length,
          options: shown.map((block) => ({
            label: plain(block.label, 100),
            value: String(block.id),
            description: block.kind === 'artist' ? 'every song by this artist' : 'this song, every version',
          })),
        },
      ],
    });
  }
  if (!noVotes) {
    components.push({
      type: ComponentType.ActionRow,
      components: [{ type: ComponentType.Button, style: ButtonStyle.Danger, label: 'Forget my votes here', custom_id: tasteResetId(userId) }],
    });
  }
  const notForMe = blocks.length > 0 ? [{ name: '"Not for me"', value: blockLines(blocks) }] : [];
  if (noVotes) {
    return {
      embeds: [
        {
          title: 'Your taste, as I know it here',
          description: `No votes yet ${where}. Press 👍 or 👎 under a recommendation and I will learn what you like.`,
          color: COLORS.neutral,
          fields: notForMe,
        },
      ],
      components,
      allowedMentions: NO_MENTIONS,
    };
  }
  const songs = (list: TasteSummary['likedTracks']) =>
    list.map((t) => `• ${link(t.name, trackUrl(t.spotifyId), 100)} — ${safe(t.artists.join(', '), 80)}`).join('\n') || 'none';
  return {
    embeds: [
      {
        title: 'Your taste, as I know it here',
        description: `Songs near the ones you 👍 come up more for you; songs you 👎 never come back. This stays ${where}.`,
        color: COLORS.brand,
        fields: [
          { name: '👍 Clusters you like', value: truncate(clusters(taste.liked), LIMITS.fieldValue), inline: true },
          { name: '👎 Clusters you skip', value: truncate(clusters(taste.disliked), LIMITS.fieldValue), inline: true },
          { name: 'Liked lately', value: truncate(songs(taste.likedTracks), LIMITS.fieldValue) },
          { name: 'Disliked lately', value: truncate(songs(taste.dislikedTracks), LIMITS.fieldValue) },
          ...notForMe,
        ],
      },
    ],
    components,
    allowedMentions: NO_MENTIONS,
  };
}

/** The private answer to a "not for me" (names already made safe). */
export function blockAck(what: { kind: 'artist' | 'song'; name: string }, change: 'new' | 'same', where: string): string {
  const thing = what.kind === 'artist' ? `songs by **${what.name}**` : `**${what.name}** (in any version)`;
  const head = change === 'same' ? `Already noted: no ${thing}` : `🚫 Not for you: I won't pick ${thing}`;
  return `${head} for you ${where}, in /recommend, Another one, steers or /mix. Undo it from \`/taste show\`.`;
}

export function unblockAck(labels: readonly string[]): string {
  return labels.length === 0 ? 'That was already undone.' : `Undone: ${labels.map((l) => `**${l}**`).join(', ')} can come up for you again.`;
}
