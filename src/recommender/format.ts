import type { AudioFeatureName, FeatureComparison, FeedbackShaping, Recommendation, SteerOutcome } from '../types.js';
import { STEERS, type SteerChange } from './steer.js';

// Feature values and the "why" of a pick in words, shared by the CLI and the Discord embeds.

const NOTES = ['C', 'C♯', 'D', 'D♯', 'E', 'F', 'F♯', 'G', 'G♯', 'A', 'A♯', 'B'];

export function formatFeatureValue(feature: AudioFeatureName, value: number): string {
  switch (feature) {
    case 'tempo':
      return `${Math.round(value)} BPM`;
    case 'loudness':
      return `${value.toFixed(1)} dB`;
    case 'mode':
      return value >= 0.5 ? 'major' : 'minor';
    case 'key':
      return NOTES[Math.round(value)] ?? '?';
    case 'durationMs': {
      const seconds = Math.round(value / 1000);
      return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
    }
    case 'timeSignature':
      return `${value}/4`;
    default:
      return `${Math.round(value * 100)}%`;
  }
}

/**
 * "energy 26% vs 30% (both calm)", "tempo 174 BPM (fast) vs 96 BPM": the values, with the words
 * the cluster labels use where a song earns one, so the "why" and the label speak alike.
 */
export function formatComparison(c: FeatureComparison): string {
  const query = formatFeatureValue(c.feature, c.query);
  const pick = formatFeatureValue(c.feature, c.pick);
  if (c.queryWord && c.queryWord === c.pickWord) return `${c.label} ${query} vs ${pick} (both ${c.queryWord})`;
  const worded = (value: string, word: string | null | undefined) => (word ? `${value} (${word})` : value);
  return `${c.label} ${worded(query, c.queryWord)} vs ${worded(pick, c.pickWord)}`;
}

/** One sentence on why the pick fits: the features that match best, then the one that differs most. */
export function explainPick(r: Recommendation): string {
  const matches = r.matches.map(formatComparison);
  const differs = r.differences[0];
  const sentence = matches.length > 0 ? `Close on ${matches.join(', ')}.` : 'Close overall.';
  return differs ? `${sentence} Differs most in ${formatComparison(differs)}.` : sentence;
}

/** How votes changed a pick, in one sentence. */
export function describeShaping(shaping: FeedbackShaping): string {
  switch (shaping.kind) {
    case 'liked':
      return `Picked for sounding close to "${shaping.like.name}" by ${shaping.like.artists.join(', ')}, which you liked.`;
    case 'guildLiked':
      return 'Picked for sounding close to songs this server likes.';
    case 'disliked':
      return 'A closer song was one you disliked, so it was skipped.';
    case 'guildDemoted':
      return 'A closer song is one this server dislikes, so it went further down.';
  }
}

export function trackUrl(spotifyId: string): string {
  return `https://open.spotify.com/track/${spotifyId}`;
}

// A change smaller than this is "the same" to a listener: 5 points of a 0–1 share, 4 BPM, a year.
const SAME = { share: 0.05, tempo: 4, year: 1 } as const;

/**
 * Words for more / less of each quality, as the cluster labels say them. Less acoustic is not
 * "more electronic" (a rock band is not acoustic either): a "more electronic" pick shows both of
 * the features it is made of, "less acoustic" and "more instrumental".
 */
const QUALITY_WORDS: Record<SteerChange['quality'], { more: string; less: string; same: string }> = {
  valence: { more: 'happier', less: 'sadder', same: 'same mood' },
  energy: { more: 'livelier', less: 'calmer', same: 'same energy' },
  tempo: { more: 'faster', less: 'slower', same: 'same tempo' },
  acousticness: { more: 'more acoustic', less: 'less acoustic', same: 'as acoustic' },
  instrumentalness: { more: 'more instrumental', less: 'more vocal', same: 'as instrumental' },
  danceability: { more: 'more danceable', less: 'less danceable', same: 'as danceable' },
  releaseYear: { more: 'newer', less: 'older', same: 'same year' },
};

/** One change in listener's words: "+18 % happier", "+12 BPM faster", "4 years newer", "same tempo". */
export function formatSteerChange(change: SteerChange): string {
  const words = QUALITY_WORDS[change.quality];
  const delta = change.to - change.from;
  const word = delta >= 0 ? words.more : words.less;
  switch (change.quality) {
    case 'tempo':
      return Math.abs(delta) < SAME.tempo ? words.same : `+${Math.round(Math.abs(delta))} BPM ${word}`;
    case 'releaseYear': {
      const years = Math.round(Math.abs(delta));
      return years < SAME.year ? words.same : `${years} year${years === 1 ? '' : 's'} ${word}`;
    }
    default:
      return Math.abs(delta) < SAME.share ? words.same : `+${Math.round(Math.abs(delta) * 100)} % ${word}`;
  }
}

/** What a steer changed, in one line: "+18 % happier, same tempo, 4 years newer". */
export function describeSteer(outcome: SteerOutcome): string {
  return outcome.changes.map(formatSteerChange).join(', ') || `${STEERS[outcome.direction].name}`;
}

/** "happier", "more energy": the steer as the member chose it. */
export function steerName(outcome: Pick<SteerOutcome, 'direction'>): string {
  return STEERS[outcome.direction].name;
}
