// Button state lives in custom_id, so buttons keep working after a restart. Discord caps a
// custom_id at 100 characters; ours are a short prefix and a few numbers.

export const ANOTHER_ONE = 'rec:another';

export interface AnotherOneState {
  seedTrackId: number;
  /** Who ran the /recommend the button belongs to: their clicks update the message in place. */
  requesterId: string;
}

export function anotherOneId(state: AnotherOneState): string {
  return `${ANOTHER_ONE}:${state.seedTrackId}:${state.requesterId}`;
}

export function parseAnotherOne(customId: string): AnotherOneState | null {
  const match = /^rec:another:(\d+):(\d+)$/.exec(customId);
  return match ? { seedTrackId: Number(match[1]), requesterId: match[2]! } : null;
}

export const FEEDBACK = 'fb';

/** 👍 / 👎 on a pick: the vote and the track it is about. */
export function feedbackId(vote: 'up' | 'down', trackId: number): string {
  return `${FEEDBACK}:${vote}:${trackId}`;
}

export function parseFeedback(customId: string): { vote: 1 | -1; trackId: number } | null {
  const match = /^fb:(up|down):(\d+)$/.exec(customId);
  return match ? { vote: match[1] === 'up' ? 1 : -1, trackId: Number(match[2]) } : null;
}

/** "Forget my votes here", bound to the member who asked to see their taste. */
export const TASTE_RESET = 'taste:reset';

export function tasteResetId(userId: string): string {
  return `${TASTE_RESET}:${userId}`;
}

/** The member the button belongs to, or null for a malformed ID. */
export function parseTasteReset(customId: string): string | null {
  return /^taste:reset:(\d+)$/.exec(customId)?.[1] ?? null;
}
