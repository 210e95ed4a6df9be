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

export class Report {
  readonly figures: Figure[] = [];
  add(section: string, name: string, value: number, unit: string, note?: string): void {
    this.figures.push({ section, name, value, unit, note });
    const shown = unit === 'rows/s' || unit === 'requests' || unit === 'tracks' ? fmt(value, 0) : fmt(value, unit === 'ms' && value < 10 ? 2 : 1);
    console.log(`  ${name.padEnd(58)} ${shown.padStart(12)} ${unit}${note ? `  (${note})` : ''}`);
  }
}
