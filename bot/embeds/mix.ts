import { ComponentType, type APIActionRowComponent, type APIStringSelectComponent } from 'discord.js';
import type { Mix } from '../../src/recommender/mix.js';
import { trackUrl } from '../../src/recommender/format.js';
import { mixFeedbackId } from '../customIds.js';
import { COLORS, LIMITS, link, plain, safe, truncate } from './format.js';
import { NO_MENTIONS, type MessageData } from './types.js';

// /mix's answer: the set in play order (linked titles), the same songs as a plain list of Spotify
// links to paste into a playlist, and two selects to 👍 / 👎 any of its songs.

/** The list in the first embed stays under this, so both embeds fit Discord's 6,000 characters. */
const LIST_BUDGET = 3_400;

function seedsLine(mix: Mix): string {
  return mix.seeds.map((s) => `**${safe(s.name, 80)}** — ${safe(s.artists.join(', '), 60)}`).join('\n');
}

function voteRow(mix: Mix, vote: 'up' | 'down'): APIActionRowComponent<APIStringSelectComponent> {
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.StringSelect,
        custom_id: mixFeedbackId(vote),
        placeholder: vote === 'up' ? '👍 Songs from this mix you like…' : '👎 Songs from this mix you don’t…',
        min_values: 1,
        max_values: mix.tracks.length,
        options: mix.tracks.map((t, i) => ({ label: plain(`${i + 1}. ${t.name} — ${t.artists.join(', ')}`, 100), value: String(t.id) })),
      },
    ],
  };
}

export function mixMessage(mix: Mix): MessageData {
  const lines: string[] = [];
  let length = 0;
  for (const [i, t] of mix.tracks.entries()) {
    const line = `${i + 1}. ${link(t.name, trackUrl(t.spotifyId), 60)} — ${safe(t.artists.join(', '), 40)}`;
    if (length + line.length + 1 > LIST_BUDGET) {
      lines.push(`…and ${mix.tracks.length - i} more in the links below`);
      break;
    }
    lines.push(line);
    length += line.length + 1;
  }
  const links = mix.tracks.map((t) => trackUrl(t.spotifyId)).join('\n');
  return {
    embeds: [
      {
        title: `A mix of ${mix.tracks.length} songs`,
        description: truncate(`${lines.join('\n')}`, LIMITS.description),
        color: COLORS.brand,
        fields: [{ name: mix.seeds.length === 1 ? 'From' : `From these ${mix.seeds.length}`, value: truncate(seedsLine(mix), LIMITS.fieldValue) }],
        footer: { text: 'What the seeds share, in an order where energy and tempo change gradually · no artist more than twice' },
      },
      {
        title: 'Spotify links: paste them into a playlist',
        description: `\`\`\`\n${links}\n\`\`\``,
        color: COLORS.brand,
      },
    ],
    components: [voteRow(mix, 'up'), voteRow(mix, 'down')],
    allowedMentions: NO_MENTIONS,
  };
}
