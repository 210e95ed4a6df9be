import { seededRandom } from '../src/clustering/random.js';
import { PickCounts } from '../src/recommender/pickCounts.js';

// Child of the memory bench (run with --expose-gc): prints the heap, in MB, that one model's hub-guard
// counts hold after `rows` logged picks over a million-track catalog (seeds spread out; each seed's
// picks are its few nearest neighbours, as the recommender gives).

const rows = Number(process.argv[2] ?? 1_000_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const random = seededRandom(1);
gc();
const before = process.memoryUsage().heapUsed;
const counts = new PickCounts(1);
for (let i = 0; i < rows; i++) {
  const seed = Math.floor(random() * 1_000_000);
  counts.record(seed % 20, seed, (seed * 7 + Math.floor(random() * 3)) % 1_000_000);
}
gc();
process.stdout.write(`${((process.memoryUsage().heapUsed - before) / 1024 / 1024).toFixed(1)}\n`);
// Keep the counts alive until measured.
if (counts.size < 0) console.log(counts);
