import type { Database } from '../catalog/database.js';
import type { LabelKind } from './datasets.js';

// The labels a dataset carried (genre, playlist), per row of the feature matrix, as sorted
// integer sets: the recommender never sees them; the evaluation only asks "do these two share one?".

export interface LabelSets {
  kind: LabelKind;
  /** Row r's label numbers are values[offsets[r]] .. values[offsets[r + 1] - 1], ascending. */
  offsets: Int32Array;
  values: Int32Array;
  /** How many different labels occur. */
  distinct: number;
  /** Label number → its text. */
  names: string[];
}

/** Values some datasets use for "no genre". */
const PLACEHOLDERS = new Set(['', '-', 'na', 'n/a', 'none', 'unknown']);

/** Loads every label of one kind for the tracks of a feature matrix (track IDs ascending). */
export function loadLabelSets(database: Database, trackIds: Int32Array, kind: LabelKind): LabelSets {
  const rowOf = new Map<number, number>();
  trackIds.forEach((id, row) => rowOf.set(id, row));
  const numberOf = new Map<string, number>();
  const perRow: number[][] = Array.from({ length: trackIds.length }, () => []);
  const rows = database.sqlite
    .prepare('SELECT track_id, value FROM track_labels WHERE kind = ?')
    .raw()
    .iterate(kind) as IterableIterator<[number, string]>;
  for (const [trackId, value] of rows) {
    const row = rowOf.get(trackId);
    if (row === undefined || PLACEHOLDERS.has(value.trim().toLowerCase())) continue;
    let label = numberOf.get(value);
    if (label === undefined) numberOf.set(value, (label = numberOf.size));
    perRow[row]!.push(label);
  }
  const offsets = new Int32Array(trackIds.length + 1);
  perRow.forEach((labels, row) => (offsets[row + 1] = offsets[row]! + labels.length));
  const values = new Int32Array(offsets[trackIds.length]!);
  perRow.forEach((labels, row) => values.set(labels.sort((a, b) => a - b), offsets[row]));
  return { kind, offsets, values, distinct: numberOf.size, names: [...numberOf.keys()] };
}

export function hasLabel(sets: LabelSets, row: number): boolean {
  return sets.offsets[row + 1]! > sets.offsets[row]!;
}

/** Whether two rows share at least one label (a merge walk over two short sorted lists). */
export function shareLabel(sets: LabelSets, a: number, b: number): boolean {
  let i = sets.offsets[a]!;
  let j = sets.offsets[b]!;
  const endA = sets.offsets[a + 1]!;
  const endB = sets.offsets[b + 1]!;
  while (i < endA && j < endB) {
    const x = sets.values[i]!;
    const y = sets.values[j]!;
    if (x === y) return true;
    if (x < y) i++;
    else j++;
  }
  return false;
}
