// Small helpers for printing benchmark figures.

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

export function fmt(value: number, digits = 1): string {
  return value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function peakRssMb(): number {
  // maxRSS is in kilobytes.
  return process.resourceUsage().maxRSS / 1024;
}

export interface Figure {
  section: string;
  name: string;
  value: number;
  unit: string;
  note?: string;
}

/** Highest over lowest, as a percentage: how noisy repeated runs were. */
export function spreadPercent(values: number[]): number {
  return values.length === 0 ? Number.NaN : (Math.max(...values) / Math.min(...values) - 1) * 100;
}

export class Report {
  readonly figures: Figure[] = [];

  /**
   * A target from an issue: `ratio` is ours over the anchor measured in the same run (or our value
   * over a fixed goal), checked against `limit` in the stated direction.
   */
  target(section: string, name: string, ratio: number, limit: number, direction: 'at most' | 'at least', note?: string): void {
    const pass = Number.isFinite(ratio) && (direction === 'at most' ? ratio <= limit : ratio >= limit);
    const verdict = Number.isFinite(ratio) ? (pass ? 'PASS' : 'MISS') : 'not measured';
    this.add(section, `→ ${name}`, ratio, '×', `target ${direction === 'at most' ? '≤' : '≥'} ${limit}×: ${verdict}${note ? `; ${note}` : ''}`);
  }

  add(section: string, name: string, value: number, unit: string, note?: string): void {
    this.figures.push({ section, name, value, unit, note });
    const shown =
      unit === 'rows/s' || unit === 'requests' || unit === 'tracks'
        ? fmt(value, 0)
        : fmt(value, unit === '×' || (unit === 'ms' && value < 10) || (unit === 's' && value < 1) ? 2 : 1);
    console.log(`  ${name.padEnd(58)} ${shown.padStart(12)} ${unit}${note ? `  (${note})` : ''}`);
  }
}
