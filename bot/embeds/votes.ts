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
