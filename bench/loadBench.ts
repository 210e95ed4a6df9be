import { startBotWorld } from '../test/helpers/botWorld.js';
import { percentile, type Report } from './stats.js';

// 200 members pressing /recommend at once, through the fake Discord into the real bot: how long
// until each interaction gets its first response (Discord's limit is 3 s).

const CONCURRENT = 200;

export async function benchLoad(report: Report): Promise<void> {
  const world = await startBotWorld();
  try {
    const songs = world.app.database.sqlite.prepare('SELECT spotify_id FROM tracks ORDER BY random() LIMIT ?').pluck().all(CONCURRENT) as string[];
    // Warm the code paths once, as a running bot would be.
    await world.discord.command({ name: 'recommend', options: { song: songs[0]! } }).final();
    const started = performance.now();
    const handles = songs.map((song, i) => {
      const sent = performance.now();
      const handle = world.discord.command({ name: 'recommend', options: { song }, user: { id: `7000000000000${String(i).padStart(5, '0')}`, username: `load${i}` } });
      return handle.reply({ timeoutMs: 30_000 }).then(() => performance.now() - sent);
    });
    const firstResponse = await Promise.all(handles);
    const wall = performance.now() - started;
    report.add('load', `${CONCURRENT} concurrent /recommend: first response p50`, percentile(firstResponse, 50), 'ms', world.realData ? 'TidyTuesday sample catalog' : 'synthetic catalog');
    report.add('load', `${CONCURRENT} concurrent /recommend: first response p99`, percentile(firstResponse, 99), 'ms', "Discord's limit: 3,000 ms");
    report.add('load', `${CONCURRENT} concurrent /recommend: all answered in`, wall, 'ms');
  } finally {
    await world.dispose();
  }
}
