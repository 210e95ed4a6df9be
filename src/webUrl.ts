// A cover picture's address from a dataset or an API, as Discord will take it: an absolute http(s)
// URL. Anything else (`javascript:…`, `data:…`, a relative path, a bare word) would make Discord
// reject every message that shows the track, so it is dropped at import and ignored at render.

/** Discord's limit for an embed's URL fields. */
const MAX_URL = 2048;

/** `value` when it is an absolute http: or https: URL Discord accepts, else null. */
export function webUrl(value: string | null | undefined): string | null {
  if (!value || value.length > MAX_URL || /\s/.test(value)) return null;
  if (!URL.canParse(value)) return null;
  const { protocol, hostname } = new URL(value);
  return (protocol === 'https:' || protocol === 'http:') && hostname !== '' ? value : null;
}
