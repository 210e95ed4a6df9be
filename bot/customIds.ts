// Button state lives in custom_id, so buttons keep working after a restart. Discord caps a
// custom_id at 100 characters; ours are a short prefix and a few numbers.

import { isSteerDirection, type SteerDirection } from '../src/recommender/steer.js';

/** What a button or select under a /recommend answer carries: the song answered for, who asked, the steer. */
export interface RecommendState {
  seedTrackId: number;
  /** Who ran the /recommend the component belongs to: their clicks update the message in place. */
  requesterId: string;
  /** The steer of the /recommend, kept by every answer from its components. */
  steer?: SteerDirection | undefined;
}

function recommendStateId(prefix: string, state: RecommendState): string {
  return `${prefix}:${state.seedTrackId}:${state.requesterId}${state.steer ? `:${state.steer}` : ''}`;
}

function parseRecommendState(prefix: string, customId: string): RecommendState | null {
  if (!customId.startsWith(`${prefix}:`)) return null;
  const match = /^(\d+):(\d+)(?::([a-z]+))?$/.exec(customId.slice(prefix.length + 1));
  if (!match) return null;
  const steer = match[3];
  if (steer !== undefined && !isSteerDirection(steer)) return null;
  return { seedTrackId: Number(match[1]), requesterId: match[2]!, ...(steer ? { steer } : {}) };
}

/** "Another one": the next pick for the same song. */
export const ANOTHER_ONE = 'rec:another';
export type AnotherOneState = RecommendState;
export const anotherOneId = (state: AnotherOneState): string => recommendStateId(ANOTHER_ONE, state);
export const parseAnotherOne = (customId: string): AnotherOneState | null => parseRecommendState(ANOTHER_ONE, customId);

/**
 * "Not this one?" under a pick asked by name: other songs the name matched. The select's values
 * are catalog track IDs; the state's song is the one answered for (offered back once another is chosen).
 */
export const NOT_THIS_ONE = 'rec:alt';
export type NotThisOneState = RecommendState;
export const notThisOneId = (state: NotThisOneState): string => recommendStateId(NOT_THIS_ONE, state);
export const parseNotThisOne = (customId: string): NotThisOneState | null => parseRecommendState(NOT_THIS_ONE, customId);

/** "Not for me" under a pick: a select of its artists and the song itself. */
export const NOT_FOR_ME = 'nfm';

export function notForMeId(trackId: number): string {
  return `${NOT_FOR_ME}:${trackId}`;
}

export function parseNotForMe(customId: string): number | null {
  const match = /^nfm:(\d+)$/.exec(customId);
  return match ? Number(match[1]) : null;
}

/** The select's values: the song, or the pick's n-th artist. */
export type NotForMeChoice = { kind: 'song' } | { kind: 'artist'; index: number };

export function notForMeValue(choice: NotForMeChoice): string {
  return choice.kind === 'song' ? 'song' : `artist:${choice.index}`;
}

export function parseNotForMeValue(value: string): NotForMeChoice | null {
  if (value === 'song') return { kind: 'song' };
  const match = /^artist:(\d)$/.exec(value);
  return match ? { kind: 'artist', index: Number(match[1]) } : null;
}

/** "Undo a not for me" under /taste show, bound to the member whose list it is; values are block IDs. */
export const UNBLOCK = 'unblock';

export function unblockId(userId: string): string {
  return `${UNBLOCK}:${userId}`;
}

export function parseUnblock(customId: string): string | null {
  return /^unblock:(\d+)$/.exec(customId)?.[1] ?? null;
}

/** 👍 / 👎 on songs of a mix: multi-selects whose values are catalog track IDs. */
export const MIX_FEEDBACK = 'mixfb';

export function mixFeedbackId(vote: 'up' | 'down'): string {
  return `${MIX_FEEDBACK}:${vote}`;
}

export function parseMixFeedback(customId: string): 1 | -1 | null {
  const match = /^mixfb:(up|down)$/.exec(customId);
  return match ? (match[1] === 'up' ? 1 : -1) : null;
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
