import { ButtonStyle, ComponentType, type APIButtonComponentWithCustomId } from 'discord.js';
import { feedbackId } from '../customIds.js';

/** 👍 and 👎 for a pick: every recommendation and daily post carries them. */
export function voteButtons(trackId: number): APIButtonComponentWithCustomId[] {
  return [
    { type: ComponentType.Button, style: ButtonStyle.Secondary, emoji: { name: '👍' }, custom_id: feedbackId('up', trackId) },
    { type: ComponentType.Button, style: ButtonStyle.Secondary, emoji: { name: '👎' }, custom_id: feedbackId('down', trackId) },
  ];
}

export function voteAck(trackName: string, vote: 1 | -1, change: 'new' | 'changed' | 'same'): string {
  if (change === 'same') return vote > 0 ? `You already liked **${trackName}**.` : `You already passed on **${trackName}**; it won't come back.`;
  const prefix = change === 'changed' ? 'Changed your vote. ' : '';
  return vote > 0
    ? `${prefix}👍 Noted: songs that sound like **${trackName}** will come up more for you here.`
    : `${prefix}👎 Got it: I won't recommend **${trackName}** to you again.`;
}

/** The private answer to 👍 / 👎 on songs of a mix (names already made safe). */
export function mixVoteAck(names: readonly string[], vote: 1 | -1): string {
  const list = names.length <= 3 ? names.map((n) => `**${n}**`).join(', ') : `${names.slice(0, 3).map((n) => `**${n}**`).join(', ')} and ${names.length - 3} more`;
  return vote > 0 ? `👍 Noted: songs like ${list} will come up more for you.` : `👎 Got it: I won't recommend ${list} to you again.`;
}
