import type { AudioFeatureName, FeatureComparison, FeedbackShaping, Recommendation } from '../types.js';

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

export function formatComparison(c: FeatureComparison): string {
  return `${c.label} ${formatFeatureValue(c.feature, c.query)} vs ${formatFeatureValue(c.feature, c.pick)}`;
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
