// The one way text is shortened (embeds, alt text, pictures, terminal output): at a grapheme
// boundary, so an emoji, a flag or a letter with its accents is kept whole or dropped whole and no
// lone UTF-16 surrogate is ever sent.

/** Context after the cut that grapheme boundaries can depend on; segmenting more is wasted. */
const LOOKAHEAD = 64;

/** Stateless, and building one costs about as much as segmenting a short name: one for every call. */
const SEGMENTER = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The user-perceived characters of `text` (extended grapheme clusters). */
export function graphemes(text: string): string[] {
  return Array.from(SEGMENTER.segment(text), (s) => s.segment);
}

/** The longest whole-grapheme prefix of `text` at most `max` UTF-16 code units long. */
export function graphemePrefix(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = 0;
  for (const { segment, index } of SEGMENTER.segment(text.slice(0, max + LOOKAHEAD))) {
    if (index + segment.length > max) break;
    end = index + segment.length;
  }
  return text.slice(0, end);
}

/** `text` if it fits in `max` UTF-16 code units (Discord's measure), else its longest whole-grapheme prefix and "…". */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${graphemePrefix(text, max - 1)}…`;
}
