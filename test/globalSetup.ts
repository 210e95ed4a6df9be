import { build, staleReason } from '../scripts/build.mjs';

// The CLI and bot tests start the compiled programs, as `npm start` and `npm run cli` do: build
// dist/ once, before any test file runs (in parallel they would race to write it).
export default async function setup(): Promise<void> {
  if (staleReason()) await build({ quiet: true });
}
