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
