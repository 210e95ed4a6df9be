import { InvalidOptionError } from '../errors.js';

// Times of day in a guild's own time zone.

const HH_MM = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** "9:05" or "09:05" → "09:05"; anything else is a clear error. */
export function parseTimeOfDay(value: string): string {
  const match = HH_MM.exec(value.trim());
  if (!match) throw new InvalidOptionError('time', `"${value}" is not a time of day; use HH:MM on a 24-hour clock, like 09:30 or 18:00.`);
  return `${match[1]!.padStart(2, '0')}:${match[2]}`;
}

/** The canonical IANA name of a time zone ("europe/berlin" → "Europe/Berlin"), or a clear error. */
export function parseTimeZone(value: string): string {
  const wanted = value.trim();
  const known = Intl.supportedValuesOf('timeZone');
  const exact = known.find((zone) => zone.toLowerCase() === wanted.toLowerCase());
  if (exact) return exact;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: wanted }).resolvedOptions().timeZone;
  } catch {
    throw new InvalidOptionError('timezone', `"${value}" is not a time zone I know; use an IANA name like Europe/Berlin or America/New_York.`);
  }
}

/** Time zones whose name contains the typed text, for autocomplete. */
export function matchTimeZones(typed: string, limit = 25): string[] {
  const needle = typed.trim().toLowerCase().replace(/\s+/g, '_');
  const zones = [...Intl.supportedValuesOf('timeZone'), 'UTC'];
  return zones.filter((zone) => zone.toLowerCase().includes(needle)).slice(0, limit);
}

interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function zonedParts(at: Date, timeZone: string): ZonedParts {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute') };
}

/** The calendar date ("2026-11-23") at `at` in a time zone. */
export function localDate(at: Date, timeZone: string): string {
  const p = zonedParts(at, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** Minutes since local midnight at `at` in a time zone. */
export function localMinutes(at: Date, timeZone: string): number {
  const p = zonedParts(at, timeZone);
  return p.hour * 60 + p.minute;
}

/** The next instant (after `from`) at which the local clock in `timeZone` reads `time`. */
export function nextOccurrence(time: string, timeZone: string, from: Date): Date {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const target = hour * 60 + minute;
  // Walk minute by minute would be slow; step by the difference and correct for DST shifts.
  let candidate = new Date(Math.floor(from.getTime() / 60_000) * 60_000 + 60_000);
  for (let i = 0; i < 4; i++) {
    const diff = (target - localMinutes(candidate, timeZone) + 1440) % 1440;
    if (diff === 0) return candidate;
    candidate = new Date(candidate.getTime() + diff * 60_000);
  }
  return candidate;
}
