// One palette for every picture: an opaque dark card that reads the same in Discord's dark theme
// (where it sits a shade darker than the chat) and its light theme (a dark picture on white), with
// text colours well above WCAG AA contrast against the card.

export const THEME = {
  background: '#16171b',
  border: '#2c2e34',
  grid: '#2c2e34',
  panel: '#1c1d22', // the map's plot area
  axis: '#4e5058',
  text: '#f2f3f5', // 16.9:1 on the background
  secondary: '#b5bac1', // 9.3:1
  muted: '#8e9297', // 5.8:1
  query: '#d6d8dc',
} as const;

export const FONT_SIZE = { title: 30, heading: 26, label: 24, value: 22, small: 20 } as const;

/** 0xRRGGBB → "#rrggbb". */
export function hex(color: number): string {
  return `#${(color & 0xffffff).toString(16).padStart(6, '0')}`;
}

/**
 * A stable colour per cluster, so the same cluster looks the same in every picture and embed:
 * hues a golden angle apart (the bot's embed colour formula in bot/embeds/format.ts), a little
 * lighter than the bot's 55 % so that every hue keeps at least 3.7:1 contrast against the card
 * (the bot's darkest, a blue, had 2.8:1). The bot can switch its embed colour to this.
 */
export function clusterColor(cluster: number): number {
  const hue = (((cluster * 137.508) % 360) + 360) % 360;
  const s = 0.6;
  const l = 0.62;
  const f = (n: number) => {
    const k = (n + hue / 30) % 12;
    const c = l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(c * 255);
  };
  return (f(0) << 16) | (f(8) << 8) | f(4);
}

/** The cluster colour as a CSS hex string, for SVG fills. */
export function clusterFill(cluster: number): string {
  return hex(clusterColor(cluster));
}
