import { createInterface } from 'node:readline';
import { InvalidArgumentError, type Command } from 'commander';
import { isUserError } from '../../errors.js';
import { describeSteer, explainPick, steerName, trackUrl } from '../../recommender/format.js';
import { isSteerDirection, STEER_DIRECTIONS, STEERS, type SteerDirection } from '../../recommender/steer.js';
import type { Recommendation, RecommendContext } from '../../types.js';
import type { CliContext } from '../context.js';
import { errorJson, printJson, printLines } from '../output.js';

function toJson(r: Recommendation) {
  const track = (t: Recommendation['pick']) => ({
    id: t.id,
    spotifyId: t.spotifyId,
    name: t.name,
    artists: t.artists,
    album: t.album,
    releaseYear: t.releaseYear,
    url: trackUrl(t.spotifyId),
  });
  return {
    query: r.query,
    seed: track(r.seed),
    pick: track(r.pick),
    cluster: r.cluster,
    similarity: Number(r.similarity.toFixed(4)),
    matches: r.matches,
    differences: r.differences,
    explanation: explainPick(r),
    repeated: r.repeated,
    modelId: r.modelId,
    steer: r.steer ? { direction: r.steer.direction, changes: r.steer.changes, changed: describeSteer(r.steer), pickCluster: r.steer.pickCluster } : null,
    alternatives: (r.alternatives ?? []).map((a) => ({ id: a.trackId, name: a.name, artists: a.artists, releaseYear: a.releaseYear })),
  };
}

function steerOption(value: string): SteerDirection {
  if (!isSteerDirection(value)) throw new InvalidArgumentError(`expected one of ${STEER_DIRECTIONS.join(', ')}`);
  return value;
}

function toText(r: Recommendation): string[] {
  const pick = r.pick;
  const from = [pick.album, pick.releaseYear].filter((x) => x != null).join(', ');
  const cluster =
    r.steer && r.steer.pickCluster.id !== r.cluster.id
      ? `cluster ${r.cluster.id} "${r.cluster.label}" → ${r.steer.pickCluster.id} "${r.steer.pickCluster.label}"`
      : `cluster ${r.cluster.id} "${r.cluster.label}"`;
  return [
    `${r.seed.name} — ${r.seed.artists.join(', ')}${r.steer ? `, but ${steerName(r.steer)}` : ''}`,
    `  → ${pick.name} — ${pick.artists.join(', ')}${from ? `  (${from})` : ''}`,
    `    ${trackUrl(pick.spotifyId)}`,
    `    ${cluster} · ${Math.round(r.similarity * 100)}% similar${r.repeated ? ' · (a repeat: everything closer was given recently)' : ''}`,
    ...(r.steer ? [`    steered: ${describeSteer(r.steer)}`] : []),
    `    ${explainPick(r)}`,
    // Other songs the name matched: typing one with its artist answers for it.
    ...((r.alternatives ?? []).length > 0
      ? ['    not this one? also called so (add the artist to ask for one):', ...r.alternatives!.map((a) => `      ${a.name} — ${a.artists.join(', ')}${a.releaseYear ? ` (${a.releaseYear})` : ''}`)]
      : []),
  ];
}

async function* queriesFrom(args: string[]): AsyncGenerator<string> {
  if (!(args.length === 1 && args[0] === '-')) {
    yield args.join(' ');
    return;
  }
  // One query per line on standard input, answered in order; blank lines are skipped.
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (line.trim() !== '') yield line.trim();
  }
}

export function registerRecommend(program: Command, ctx: CliContext): void {
  program
    .command('recommend')
    .description('Recommend a song that sounds like the one given, and say why')
    .argument('<query...>', 'a song name ("Piano Man", "Piano Man - Billy Joel"), a Spotify track link, URI or ID; "-" reads one query per line from standard input')
    .option('--json', 'print one JSON object per query')
    .option('--user <id>', 'remember picks for this user and do not repeat them (as the bot does per Discord user)')
    .option('--guild <id>', 'remember picks for this guild')
    .option('--steer <direction>', `like the song, but: ${STEER_DIRECTIONS.map((d) => `${d} (${STEERS[d].name})`).join(', ')}`, steerOption)
    .option('--dry-run', 'do not write the pick to the recommendation log')
    .action(async (args: string[], options: { json?: boolean; user?: string; guild?: string; dryRun?: boolean; steer?: SteerDirection }) => {
      const app = ctx.app();
      const context: RecommendContext = { userId: options.user, guildId: options.guild, dryRun: options.dryRun };
      let failures = 0;
      for await (const query of queriesFrom(args)) {
        try {
          const recommendation = await app.recommender.recommend(query, context, { steer: options.steer });
          if (options.json) printJson(toJson(recommendation));
          else printLines(toText(recommendation));
        } catch (error) {
          if (!isUserError(error)) throw error;
          failures++;
          if (options.json) printJson({ query, error: errorJson(error) });
          else printLines([`${query}`, `  ✗ ${error.message}`]);
        }
      }
      if (failures > 0) process.exitCode = 1;
    });
}
