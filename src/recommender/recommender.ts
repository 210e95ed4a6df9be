import type { Statement } from 'better-sqlite3';
import type { Catalog } from '../catalog/catalog.js';
import type { Database } from '../catalog/database.js';
import { foldText, primaryArtistOfKey } from '../catalog/normalize.js';
import type { TrackSearch } from '../catalog/search.js';
import type { ModelStore } from '../clustering/modelStore.js';
import type { Random } from '../clustering/random.js';
import type { Config } from '../config.js';
import {
  ClusterExhaustedError,
  EmptyCatalogError,
  NoFeaturesError,
  NoModelError,
  SteerUnavailableError,
  SPOTIFY_WOULD_FETCH,
  UnknownSongError,
  WarmingUpError,
} from '../errors.js';
import { isBlocked, NOTHING_BLOCKED, type Blocked, type BlockStore } from '../feedback/blockStore.js';
import type { FeedbackStore } from '../feedback/feedbackStore.js';
import { scopeOf } from '../feedback/scope.js';
import type { Logger } from '../logger.js';
import type { RecommenderFootprint } from '../metrics.js';
import { parseSpotifyRef } from '../spotify/links.js';
import type { ClusterModel, FeedbackShaping, Recommendation, RecommendContext, SongChoice, Taste, TrackWithFeatures } from '../types.js';
import { ClusterIndex, type Candidate, type Placement } from './clusterIndex.js';
import { compareFeatures, similarityOf } from './explain.js';
import type { RecentPicks, RecommendationLog } from './history.js';
import { PickCounts } from './pickCounts.js';
import { rankCandidates, type LikedPoint, type RankCandidate, type RankedCandidate } from './ranking.js';
import { ReleaseYears } from './releaseYears.js';
import { amountAlong, fitToRoom, movedEnough, steerAxis, steerChanges, steerFeatures, steerStep, steerTarget, STEERS, type SteerDirection, type SteerStep } from './steer.js';

/** Finds tracks outside the catalog (on Spotify), stores them with features, returns their catalog IDs. */
export interface ExternalTrackResolver {
  byId(spotifyId: string): Promise<number | null>;
  byName(query: string): Promise<number | null>;
}

export interface RecommenderDeps {
  database: Database;
  catalog: Catalog;
  search: TrackSearch;
  models: ModelStore;
  log: RecommendationLog;
  settings: Config['recommend'];
  logger: Logger;
  resolver?: ExternalTrackResolver | undefined;
  /** 👍/👎 in the asking scope shape picks when given (see ranking.ts). */
  feedback?: FeedbackStore | undefined;
  /** "Not for me": artists and songs never picked for that member in that scope. */
  blocks?: BlockStore | undefined;
  /** How the pick is made among the cluster's eligible members; SHIPPED_PICK_POLICY unless evaluating a variant. */
  policy?: PickPolicy | undefined;
  /** Draws for `pickAmong` > 1 (seeded in evaluation). */
  random?: Random | undefined;
  /** While the bot fills its starter catalog: how far it got, said to whoever asks meanwhile. */
  warmingUp?: (() => string | null) | undefined;
}

/** The choices `npm run eval` measures (see the README's quality table). */
export interface PickPolicy {
  /** Prefer a track by another artist; the same artist only when no other is eligible. */
  preferOtherArtist: boolean;
  /** 1: the nearest eligible member. n > 1: a random one of the n nearest (more variety, less fit). */
  pickAmong: number;
  /** Damp tracks picked far more than their share of their cluster (see pickCounts.ts). */
  hubGuard: boolean;
  /**
   * Among the nearest few, how much a decade between the two releases counts against a candidate,
   * in the scaled space's standard deviations (0: sound alone). Spotify's features do not hear
   * production (a 1975 and a 2019 song can measure alike), the release year does.
   */
  eraWeight: number;
}

export const SHIPPED_PICK_POLICY: PickPolicy = { preferOtherArtist: true, pickAmong: 1, hubGuard: true, eraWeight: 0.45 };

export interface RecommendOptions {
  /** "Another one": never repeat anything this user was given, rather than fall back to a repeat. */
  noRepeats?: boolean;
  /** "Like this, but happier": move the pick along one quality (see steer.ts). */
  steer?: SteerDirection | undefined;
  /** Another step for the steer than its own (the evaluation measures variants). */
  steerStep?: Partial<SteerStep> | undefined;
}

// How far down a cluster's distance order a pick may come from before we settle for the same artist.
const SCAN_LIMIT = 5_000;
// Votes and the hub guard choose among this many nearest eligible members, no further: the pick
// stays one of the seed's close neighbours.
const RANK_WINDOW = 24;

interface Choice {
  trackId: number;
  distance: number;
  repeated: boolean;
  shapedBy: FeedbackShaping | null;
}


export class Recommender {
  private index: ClusterIndex | null = null;
  /** A newer model's index being built while the current one keeps answering. */
  private building: { modelId: number; done: Promise<void> } | null = null;
  /** A track's work key: the song across its versions, ending with its folded primary artist. */
  private readonly workKeyOf: Statement<[number], string>;
  /** The serving model's pick counts, for the hub guard. */
  private counts: PickCounts | null = null;
  /** A track's artists (JSON), read only when a member has blocked an artist. */
  private readonly artistsOf: Statement<[number], string>;
  private readonly years: ReleaseYears;
  /** The serving model's range along each sound steer: how far it can go. */
  private ranges: { modelId: number; byDirection: Map<SteerDirection, { min: number; max: number }> } | null = null;

  constructor(private readonly deps: RecommenderDeps) {
    this.workKeyOf = deps.database.sqlite.prepare<[number], string>('SELECT work_key FROM tracks WHERE id = ?').pluck();
    this.artistsOf = deps.database.sqlite.prepare<[number], string>('SELECT artists FROM tracks WHERE id = ?').pluck();
    this.years = new ReleaseYears(deps.database);
  }

  /**
   * The in-memory index to answer from. The first call loads the active model's index; after
   * that, when another model becomes active, its index is built in the background (page by page)
   * and swapped in when complete, while recommendations keep coming from the previous one.
   */
  currentIndex(): ClusterIndex {
    const activeId = this.deps.models.activeModelId();
    if (activeId == null) {
      const warming = this.deps.warmingUp?.();
      if (warming) throw new WarmingUpError(warming);
      if (this.deps.catalog.counts().tracks === 0) throw new EmptyCatalogError();
      throw new NoModelError();
    }
    if (!this.index) {
      this.index = this.loadIndex(activeId, () => ClusterIndex.load(this.deps.database, this.requireModel(activeId)));
    } else if (this.index.model.id !== activeId) {
      this.switchTo(activeId);
      this.index.catchUp(this.deps.database);
    } else {
      this.index.catchUp(this.deps.database);
    }
    return this.index;
  }

  /** The model the loaded index answers from; null before the first load. */
  get servingModelId(): number | null {
    return this.index?.model.id ?? null;
  }

  /**
   * Starts loading the active model's index in the background when it is not the one serving:
   * another process (or the CLI) re-clustered. One indexed query when nothing changed.
   */
  noticeNewModel(): void {
    const activeId = this.deps.models.activeModelId();
    if (activeId != null && activeId !== this.index?.model.id) this.switchTo(activeId);
  }

  /** The model a recommendation came from (the serving index's, or a stored older version). */
  modelOf(recommendation: Pick<Recommendation, 'modelId'>): ClusterModel {
    if (this.index?.model.id === recommendation.modelId) return this.index.model;
    return this.requireModel(recommendation.modelId);
  }

  /** What the serving index and the hub guard's counts hold in memory. */
  footprint(): RecommenderFootprint {
    return { indexBytes: this.index?.bytes ?? 0, pickPairs: this.counts?.size ?? 0 };
  }

  /** Resolves when no index is being built (after a re-cluster, or for tests). */
  async settled(): Promise<void> {
    while (this.building) await this.building.done;
  }

  private requireModel(id: number) {
    const model = this.deps.models.load(id);
    if (!model) throw new NoModelError();
    return model;
  }

  private loadIndex(modelId: number, load: () => ClusterIndex): ClusterIndex {
    const started = performance.now();
    const index = load();
    // The hub guard's counts come from the log (about a second per million rows): read them
    // with the index, at startup, rather than on the first request.
    if (this.policy.hubGuard) this.countsFor(index);
    this.deps.logger.info({ modelId, tracks: index.trackCount, ms: Math.round(performance.now() - started) }, 'loaded cluster index');
    return index;
  }

  private switchTo(modelId: number): void {
    if (this.building?.modelId === modelId) return;
    const started = performance.now();
    const done = ClusterIndex.loadInBackground(this.deps.database, this.requireModel(modelId))
      .then((index) => {
        // Only swap if this is still the model to serve (another switch may have superseded it).
        if (this.deps.models.activeModelId() === modelId) {
          if (this.policy.hubGuard) this.countsFor(index);
          this.index = index;
        }
        this.deps.logger.info({ modelId, tracks: index.trackCount, ms: Math.round(performance.now() - started) }, 'switched to the new cluster model');
      })
      .catch((error: unknown) => this.deps.logger.error({ err: error, modelId }, 'could not build the new cluster index'))
      .finally(() => {
        if (this.building?.modelId === modelId) this.building = null;
      });
    this.building = { modelId, done };
  }

  /**
   * Finds the track a query names (a Spotify link, URI or ID, or a song name): in the catalog
   * first, then on Spotify when a resolver is configured (which stores what it finds).
   */
  async resolve(query: string): Promise<{ track: TrackWithFeatures; source: 'catalog' | 'spotify'; alternatives?: SongChoice[] }> {
    const { catalog, search, resolver } = this.deps;
    const ref = parseSpotifyRef(query, 'track');
    const fromSpotify = (id: number | null | undefined) => {
      const track = id == null ? null : catalog.getTrack(id);
      return track ? { track, source: 'spotify' as const } : null;
    };
    if (ref) {
      const known = catalog.getTrackBySpotifyId(ref.id);
      if (known) return { track: known, source: 'catalog' };
      if (!resolver) throw new UnknownSongError(query, [], SPOTIFY_WOULD_FETCH);
      const fetched = fromSpotify(await resolver.byId(ref.id));
      if (fetched) return fetched;
      throw new UnknownSongError(query, []);
    }
    const { hit, suggestions, alternatives = [] } = search.resolve(query);
    const found = hit ? catalog.getTrack(hit.trackId) : null;
    if (found) return { track: found, source: 'catalog', alternatives: this.songChoices(alternatives.map((a) => a.trackId)) };
    const fetched = fromSpotify(await resolver?.byName(query));
    if (fetched) return fetched;
    throw new UnknownSongError(
      query,
      suggestions.map((s) => `${s.name} — ${s.artists.join(', ')}`),
    );
  }

  async recommend(query: string, context: RecommendContext = {}, options: RecommendOptions = {}): Promise<Recommendation> {
    const index = this.currentIndex();
    const { track, alternatives = [] } = await this.resolve(query);
    const recommendation = this.recommendFrom(index, track, query, context, options);
    return alternatives.length > 0 ? { ...recommendation, alternatives } : recommendation;
  }

  /** Catalog songs that can be recommended from (they have features), in the order given. */
  songChoices(trackIds: readonly number[]): SongChoice[] {
    return trackIds.flatMap((id) => {
      const track = this.deps.catalog.getTrack(id);
      return track?.features ? [{ trackId: track.id, name: track.name, artists: track.artists, releaseYear: track.releaseYear }] : [];
    });
  }

  /** Recommends from a known catalog track (the "Another one" button carries its ID). */
  recommendForTrack(trackId: number, context: RecommendContext = {}, options: RecommendOptions = {}): Recommendation {
    const index = this.currentIndex();
    const seed = this.deps.catalog.getTrack(trackId);
    if (!seed) throw new UnknownSongError(`track #${trackId}`, []);
    return this.recommendFrom(index, seed, seed.name, context, options);
  }

  /** Where a track sits in the serving model; a track added since the model was built is placed (and stored) now. */
  placeTrack(index: ClusterIndex, seed: TrackWithFeatures): Placement {
    const known = index.locate(seed.id);
    if (known) return known;
    if (!seed.features) throw new NoFeaturesError(seed.name);
    // A track added since the model was built joins the nearest cluster without re-clustering.
    const placed = index.place(seed.features);
    this.deps.models.assign(index.model.id, seed.id, placed.cluster, placed.distance);
    index.add(seed.id, placed);
    return placed;
  }

  /** What a member's scope says about them: votes and blocks (nothing for anonymous requests). */
  memberPreferences(context: RecommendContext): { taste: Taste | null; blocked: Blocked } {
    const scope = scopeOf(context.guildId);
    const asked = Boolean(context.guildId ?? context.userId);
    const taste = asked && this.deps.feedback ? this.deps.feedback.tasteOf(scope, context.userId) : null;
    const blocked = this.deps.blocks?.blockedFor(scope, context.userId) ?? NOTHING_BLOCKED;
    return { taste, blocked };
  }

  /** Whether a member has blocked this track (its song, or one of its artists). */
  isBlocked(blocked: Blocked, trackId: number, work: string): boolean {
    return isBlocked(blocked, work, () => JSON.parse(this.artistsOf.get(trackId) ?? '[]') as string[]);
  }

  /** A track's work key (the song across its versions), or undefined when it left the catalog. */
  workOf(trackId: number): string | undefined {
    return this.workKeyOf.get(trackId);
  }

  private recommendFrom(
    index: ClusterIndex,
    seed: TrackWithFeatures,
    query: string,
    context: RecommendContext,
    options: RecommendOptions,
  ): Recommendation {
    if (!seed.features) throw new NoFeaturesError(seed.name);
    const placement = this.placeTrack(index, seed);
    const { userHistoryDays, guildHistoryHours } = this.deps.settings;
    const recent = this.deps.log.recent(context, userHistoryDays * 86_400_000, guildHistoryHours * 3_600_000);
    const { taste, blocked } = this.memberPreferences(context);
    const counts = this.policy.hubGuard ? this.countsFor(index) : null;
    const label = index.model.labels[placement.cluster] ?? `cluster ${placement.cluster}`;
    const chosen = options.steer
      ? this.chooseSteered(index, seed, placement, options.steer, steerStep(options.steer, options.steerStep), recent, options, taste, blocked)
      : this.choose(index, seed, placement, recent, options, taste, counts, blocked);
    if (!chosen) throw new ClusterExhaustedError(label);

    const pick = this.deps.catalog.getTrack(chosen.trackId);
    const pickPlacement = index.locate(chosen.trackId);
    if (!pick?.features || !pickPlacement) throw new Error(`Indexed track ${chosen.trackId} is missing from the catalog.`);
    const similarity = similarityOf(chosen.distance, index.model.spec);
    const { matches, differences } = compareFeatures(
      index.model.spec,
      { features: seed.features, vector: placement.vector },
      { features: pick.features, vector: pickPlacement.vector },
      index.model.catalogProfile,
    );
    const clusterInfo = (cluster: number) => ({ id: cluster, label: index.model.labels[cluster] ?? `cluster ${cluster}`, size: index.clusterSize(cluster) });
    const recommendation: Recommendation = {
      query,
      seed,
      pick,
      cluster: clusterInfo(placement.cluster),
      similarity,
      distance: chosen.distance,
      matches,
      differences,
      modelId: index.model.id,
      repeated: chosen.repeated,
      shapedBy: chosen.shapedBy,
      steer: options.steer ? { direction: options.steer, changes: steerChanges(options.steer, seed, pick), pickCluster: clusterInfo(pickPlacement.cluster) } : null,
    };
    // Dry runs count too: the evaluation measures the guard on them. Steered picks leave the
    // cluster's neighbourhood order, so they are not counted against its hubs.
    if (!options.steer) counts?.record(placement.cluster, seed.id, pick.id);
    if (!context.dryRun) {
      this.deps.log.record({
        guildId: context.guildId ?? null,
        userId: context.userId ?? null,
        query,
        queryTrackId: seed.id,
        trackId: pick.id,
        modelId: index.model.id,
        cluster: placement.cluster,
        similarity,
      });
    }
    return recommendation;
  }

  /**
   * A steered pick: over the whole catalog (it may leave the cluster), the eligible track nearest
   * to the asked song moved along the steer's axis, among those that moved far enough that way.
   * The same rules as any pick otherwise: not the song or a version of it, preferably another
   * artist, not given recently (relaxed as `choose` does), never a member's 👎 or "not for me".
   */
  private chooseSteered(
    index: ClusterIndex,
    seed: TrackWithFeatures,
    placement: Placement,
    direction: SteerDirection,
    step: SteerStep,
    recent: RecentPicks,
    options: RecommendOptions,
    taste: Taste | null,
    blocked: Blocked,
  ): Choice | null {
    const wanted = steerAxis(index.model.spec, direction, step);
    if (!wanted) throw new SteerUnavailableError(`This catalog's model leaves out ${steerFeatures(direction).join(' or ')}, so I can't steer it ${STEERS[direction].name}.`, 'no_feature');
    let room: number;
    if (wanted.kind === 'year') {
      if (seed.releaseYear === null) {
        throw new SteerUnavailableError(`I don't know when "${seed.name}" came out, so I can't find something ${STEERS[direction].name}. Try another steer.`, 'no_year');
      }
      this.years.refresh();
      room = wanted.sign > 0 ? this.years.latest - seed.releaseYear : seed.releaseYear - this.years.earliest;
    } else {
      // The axis already points the asked way: the room is how much further the catalog goes.
      room = this.rangeOf(index, direction, wanted.along).max - amountAlong(wanted, placement.vector);
    }
    const axis = fitToRoom(wanted, room);
    if (!axis) throw new SteerUnavailableError(`"${seed.name}" is as far that way as my catalog goes: I have nothing ${STEERS[direction].comparative}. Try another steer.`, 'no_room');
    const seedWork = this.workKeyOf.get(seed.id);
    const seedArtist = foldText(seed.artists[0] ?? '');
    const seedAt = { vector: placement.vector, year: seed.releaseYear };
    const target = steerTarget(axis, placement.vector);
    const passes: Set<number>[][] = [[recent.byUser, recent.byGuild], [recent.byUser]];
    if (!options.noRepeats) passes.push([]);
    // Years are not in the sound space: among the nearest in sound that are old (new) enough (the
    // steer's pool), the oldest (newest), so "older" is heard as older, not as a year or two.
    const pool = axis.kind === 'year' ? axis.pool : 1;
    for (const skip of passes) {
      let sameArtist: Candidate | null = null;
      const found: Candidate[] = [];
      let scanned = 0;
      for (const candidate of index.nearestInCatalog(target)) {
        if (scanned++ >= SCAN_LIMIT) break;
        if (candidate.trackId === seed.id || skip.some((set) => set.has(candidate.trackId))) continue;
        const vector = index.vectorOf(candidate.trackId)!;
        if (!movedEnough(axis, seedAt, { vector, year: () => this.years.of(candidate.trackId) })) continue;
        const work = this.workKeyOf.get(candidate.trackId);
        if (work === undefined || work === seedWork) continue;
        if (taste?.disliked.has(candidate.trackId) || this.isBlocked(blocked, candidate.trackId, work)) continue;
        const chosen = { trackId: candidate.trackId, distance: distanceBetween(vector, placement.vector) };
        if (this.policy.preferOtherArtist && primaryArtistOfKey(work) === seedArtist) {
          sameArtist ??= chosen;
          continue;
        }
        found.push(chosen);
        if (found.length >= pool) break;
      }
      const chosen = axis.kind === 'year' ? this.furthestInYears(found, axis.sign) : (found[0] ?? null);
      if (chosen) return { ...chosen, repeated: this.wasGiven(chosen.trackId, recent), shapedBy: null };
      if (sameArtist) return { ...sameArtist, repeated: this.wasGiven(sameArtist.trackId, recent), shapedBy: null };
    }
    throw new SteerUnavailableError(
      `I have nothing ${STEERS[direction].comparative} than "${seed.name}" that still sounds close to it (or you have heard it all). Try another steer.`,
      'exhausted',
    );
  }

  /** The newest (sign +1) or oldest of the candidates; the nearest of those on a tie. */
  private furthestInYears(found: Candidate[], sign: 1 | -1): Candidate | null {
    return found.reduce<Candidate | null>((a, b) => (a === null || sign * ((this.years.of(b.trackId) ?? 0) - (this.years.of(a.trackId) ?? 0)) > 0 ? b : a), null);
  }

  private get policy(): PickPolicy {
    return this.deps.policy ?? SHIPPED_PICK_POLICY;
  }

  private rangeOf(index: ClusterIndex, direction: SteerDirection, along: Float32Array): { min: number; max: number } {
    if (this.ranges?.modelId !== index.model.id) this.ranges = { modelId: index.model.id, byDirection: new Map() };
    let range = this.ranges.byDirection.get(direction);
    if (!range) this.ranges.byDirection.set(direction, (range = index.rangeAlong(along)));
    return range;
  }

  private countsFor(index: ClusterIndex): PickCounts {
    if (this.counts?.modelId !== index.model.id) this.counts = PickCounts.fromLog(this.deps.database, index.model.id);
    return this.counts;
  }

  /**
   * Among the cluster's members that are not the seed or another version of it, were not given
   * recently and are preferably by another artist: the nearest, unless votes or the hub guard
   * rank another of the nearest few first (ranking.ts). A member's own dislikes are never picked.
   * If every candidate was given recently, the guild's history is relaxed first, then the user's
   * (unless the user asked for no repeats). The policy (SHIPPED_PICK_POLICY unless the evaluation
   * measures a variant) can widen the pick to a random one of the best few, or drop the artist
   * preference.
   */
  private choose(
    index: ClusterIndex,
    seed: TrackWithFeatures,
    placement: Placement,
    recent: RecentPicks,
    options: RecommendOptions,
    taste: Taste | null,
    counts: PickCounts | null,
    blocked: Blocked,
  ): Choice | null {
    const { preferOtherArtist, pickAmong, eraWeight } = this.policy;
    const seedWork = this.workKeyOf.get(seed.id);
    const seedArtist = foldText(seed.artists[0] ?? '');
    const hasVotes = taste !== null && (taste.disliked.size + taste.liked.length + taste.guildLiked.length + taste.guildDemoted.size > 0);
    const seedYear = eraWeight > 0 ? (seed.releaseYear ?? null) : null;
    if (seedYear !== null) this.years.refresh();
    const yearGap = (trackId: number) => {
      const year = seedYear === null ? null : this.years.of(trackId);
      return year === null ? null : Math.abs(year - seedYear!);
    };
    // With nothing to rank by, the nearest eligible member is the pick: no need to look further.
    const windowSize = Math.max(pickAmong, hasVotes || counts || seedYear !== null ? RANK_WINDOW : 1);
    // Without votes or the era, only the hub guard can rank another first, and only past a damped nearest one.
    const nearestSettles = pickAmong === 1 && !hasVotes && seedYear === null;
    const clusterSize = index.clusterSize(placement.cluster);
    const passes: Set<number>[][] = [[recent.byUser, recent.byGuild], [recent.byUser]];
    if (!options.noRepeats) passes.push([]);

    for (const skip of passes) {
      const window: RankCandidate[] = [];
      let eligible = 0;
      let sameArtist: Candidate | null = null;
      let scanned = 0;
      for (const candidate of index.nearest(placement.vector, placement.cluster)) {
        if (scanned++ >= SCAN_LIMIT && (sameArtist || eligible > 0)) break;
        if (candidate.trackId === seed.id || skip.some((set) => set.has(candidate.trackId))) continue;
        const work = this.workKeyOf.get(candidate.trackId);
        if (work === undefined || work === seedWork) continue;
        // "Not for me" is never picked and never counted as what would have been (unlike a 👎).
        if (this.isBlocked(blocked, candidate.trackId, work)) continue;
        const disliked = taste?.disliked.has(candidate.trackId) ?? false;
        if (preferOtherArtist && primaryArtistOfKey(work) === seedArtist) {
          if (!disliked) sameArtist ??= candidate;
          continue;
        }
        window.push({
          ...candidate,
          vector: index.vectorOf(candidate.trackId)!,
          disliked,
          demoted: taste?.guildDemoted.has(candidate.trackId) ?? false,
          hubExcess: counts?.excess(placement.cluster, clusterSize, candidate.trackId) ?? 0,
          yearGap: yearGap(candidate.trackId),
        });
        if (!disliked && ++eligible >= windowSize) break;
        if (nearestSettles && eligible === 1 && window[0]!.hubExcess === 0) break;
      }
      if (eligible > 0) {
        const { ranked, withoutVotes } = rankCandidates({
          candidates: window,
          liked: this.pointsOf(index, taste?.liked),
          guildLiked: this.pointsOf(index, taste?.guildLiked),
          eraWeight,
        });
        // With one pick (what ships) nothing is drawn: the best ranked it is.
        const drawn = pickAmong > 1;
        const chosen = drawn ? ranked[Math.floor(this.draw() * Math.min(pickAmong, ranked.length))]! : ranked[0]!;
        return {
          trackId: chosen.trackId,
          distance: chosen.distance,
          repeated: this.wasGiven(chosen.trackId, recent),
          shapedBy: drawn ? null : this.shapingOf(chosen, window.find((c) => c.trackId === withoutVotes)),
        };
      }
      if (sameArtist) return { ...sameArtist, repeated: this.wasGiven(sameArtist.trackId, recent), shapedBy: null };
    }
    return null;
  }

  /** Where liked tracks sit in the serving model (tracks it has not placed are left out). */
  private pointsOf(index: ClusterIndex, trackIds: readonly number[] | undefined): LikedPoint[] {
    if (!trackIds) return [];
    return trackIds.flatMap((trackId) => {
      const vector = index.vectorOf(trackId);
      return vector ? [{ trackId, vector }] : [];
    });
  }

  /** Why votes changed the pick (null when the pick is what it would have been without them). */
  private shapingOf(chosen: RankedCandidate, withoutVotes: RankCandidate | undefined): FeedbackShaping | null {
    if (!withoutVotes || withoutVotes.trackId === chosen.trackId) return null;
    if (withoutVotes.disliked) return { kind: 'disliked' };
    if (withoutVotes.demoted) return { kind: 'guildDemoted' };
    const like = chosen.nearestLike === null ? null : this.deps.catalog.getTrack(chosen.nearestLike);
    if (like) return { kind: 'liked', like };
    return chosen.guildPulled ? { kind: 'guildLiked' } : null;
  }

  private draw(): number {
    return (this.deps.random ?? Math.random)();
  }

  private wasGiven(trackId: number, recent: RecentPicks): boolean {
    return recent.byUser.has(trackId) || recent.byGuild.has(trackId);
  }
}

function distanceBetween(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let j = 0; j < a.length; j++) {
    const diff = a[j]! - b[j]!;
    sum += diff * diff;
  }
  return Math.sqrt(sum);
}
