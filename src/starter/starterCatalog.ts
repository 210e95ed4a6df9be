import type { Catalog } from '../catalog/catalog.js';
import type { ModelStore } from '../clustering/modelStore.js';
import type { Config } from '../config.js';
import { findDataset } from '../datasets/registry.js';
import { isUserError, UserError } from '../errors.js';
import type { HttpClient } from '../http/httpClient.js';
import { importSource, resolveSource, type ImportSource } from '../import/sources.js';
import type { JobDefinition, JobRunner } from '../jobs/jobRunner.js';
import type { Logger } from '../logger.js';
import type { StarterImport, StarterStore } from './starterStore.js';

// The bot's own first catalog: when `npm start` finds the catalog empty, it imports the starter
// datasets (STARTER_DATASETS) in the background after logging in, clusters them and loads the
// model, while members are told how far it got. Its plan and progress live in the database, so
// a restart resumes it (imports are idempotent); a catalog that already has tracks never starts one.

export type StarterPhase = 'loading' | 'retrying' | 'clustering';

export interface StarterProgress {
  phase: StarterPhase;
  /** 0..1 of the rows (or bytes) to load, when the size of every source still loading is known. */
  fraction: number | null;
  /** Rows read so far, over all sources. */
  rowsRead: number;
  /** Songs in the catalog once loading is over (for the clustering phase). */
  tracks: number;
  /** While retrying: why the last attempt failed, and when the next one starts. */
  lastError: string | null;
  retryAt: number | null;
  sources: StarterImport[];
}

export interface StarterCatalogDeps {
  catalog: Catalog;
  http: HttpClient;
  models: ModelStore;
  store: StarterStore;
  datasets: Config['datasets'];
  logger: Logger;
  /** Waits between failed attempts (the last one repeats). */
  retryDelaysMs?: readonly number[];
  /** Rows per transaction: small, so the bot answers between them. */
  batchRows?: number;
}

/** What the fill needs from the running bot: the job runner (for the catalog lock) and the re-cluster. */
export interface StarterJobs {
  runner: JobRunner;
  recluster: JobDefinition<Record<string, unknown>>;
  /** Loads the new model's index, so the first /recommend does not wait for it. */
  onModel(): void;
}

const DEFAULT_RETRY_DELAYS_MS = [15_000, 30_000, 60_000, 120_000, 300_000, 600_000];
const LOG_EVERY_MS = 10_000;
const MAX_CLUSTER_ATTEMPTS = 3;

/** A row's weight when only its bytes are known: TidyTuesday's CSV has about 240 bytes a row. */
const BYTES_PER_ROW = 240;

function fractionOf(sources: readonly StarterImport[]): number | null {
  let done = 0;
  let total = 0;
  for (const s of sources) {
    const size = s.rowsExpected ?? (s.bytesTotal ? s.bytesTotal / BYTES_PER_ROW : null);
    if (size === null) {
      if (s.status === 'done') continue;
      return null;
    }
    total += size;
    done += s.status === 'done' ? size : s.rowsExpected ? Math.min(s.rowsRead, size) : s.bytesRead / BYTES_PER_ROW;
  }
  return total > 0 ? Math.min(1, done / total) : null;
}

/** The wait after `failures` failed attempts. */
function retryDelay(delays: readonly number[], failures: number): number {
  return delays[Math.min(failures, delays.length) - 1] ?? delays.at(-1) ?? 60_000;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** What an operator can do about a failed download, for the log. */
function remedy(source: ImportSource): string {
  const setting = source.kind === 'dataset' ? `set ${source.dataset.urlSetting} to a mirror, or ` : '';
  return `Check the machine's internet access; ${setting}change STARTER_DATASETS (\`none\` turns this off) or import a file with \`npm run cli -- import <file or URL>\`.`;
}

/** A starter source could not be imported (its message says why); the fill retries it. */
class StarterImportError extends UserError {
  readonly code = 'starter_import';
  constructor(
    readonly source: ImportSource,
    message: string,
  ) {
    super(message);
  }
}

export class StarterCatalog {
  private phase: StarterPhase | null = null;
  private sources: StarterImport[] = [];
  private lastError: string | null = null;
  private retryAt: number | null = null;
  private tracks = 0;
  private readonly controller = new AbortController();
  private running: Promise<void> = Promise.resolve();
  private readonly log: Logger;

  constructor(private readonly deps: StarterCatalogDeps) {
    this.log = deps.logger.child({ service: 'starter-catalog' });
  }

  /**
   * How far the fill is, while one is under way; null otherwise. Read from the database, where
   * the importing process records its progress: with several bot processes, the one waiting for
   * the catalog lock tells its members what the other has loaded.
   */
  progress(): StarterProgress | null {
    if (this.phase === null) return null;
    const sources = this.deps.store.all();
    const rowsRead = sources.reduce((sum, s) => sum + s.rowsRead, 0);
    return {
      phase: this.phase,
      fraction: fractionOf(sources),
      rowsRead,
      tracks: this.tracks,
      lastError: this.lastError,
      retryAt: this.retryAt,
      sources,
    };
  }

  /**
   * Starts a fill in the background when one is due: the catalog is empty and STARTER_DATASETS
   * names sources, or a fill an earlier process began is unfinished. Returns at once.
   */
  start(jobs: StarterJobs): void {
    const sources = this.due();
    if (sources === null) return;
    this.sources = sources;
    this.phase = 'loading';
    this.running = this.fill(jobs).catch((error: unknown) => {
      this.log.error({ err: error }, 'the starter catalog stopped on an unexpected error');
      this.phase = null;
    });
  }

  /** Resolves when the fill is over: complete, given up, or stopped. */
  settled(): Promise<void> {
    return this.running;
  }

  /**
   * Stops waiting and importing at the next safe point (the next start resumes). The import runs
   * as a job, so Jobs.stop is what waits for it.
   */
  stop(): void {
    this.controller.abort(new Error('shutting down'));
  }

  /** The plan to carry out, or null when no fill is due. */
  private due(): StarterImport[] | null {
    const { store, catalog, models, datasets } = this.deps;
    if (datasets.starter.length === 0) return null;
    const existing = store.all();
    if (existing.length === 0) {
      if (catalog.counts().tracks > 0) return null;
      store.plan(
        datasets.starter.map((source) => ({ source, rowsExpected: findDataset(source)?.rows ?? null })),
        Date.now(),
      );
      return store.all();
    }
    if (existing.every((s) => s.status === 'done') && models.activeModelId() !== null) return null;
    this.log.info({ sources: existing.map((s) => `${s.source}: ${s.status}`) }, 'resuming the starter catalog an earlier run began');
    return existing;
  }

  private async fill(jobs: StarterJobs): Promise<void> {
    const { signal } = this.controller;
    const pending = this.sources.filter((s) => s.status === 'pending').map((s) => s.source);
    if (pending.length > 0 && this.sources.every((s) => s.attempts === 0)) {
      this.log.info({ sources: pending }, `the catalog is empty: importing the starter catalog (${pending.join(', ')}) in the background`);
    }
    for (let failures = 0; this.sources.some((s) => s.status === 'pending'); this.sources = this.deps.store.all()) {
      const result = await jobs.runner.run({ name: 'starter-catalog', lock: 'catalog', run: (jobSignal) => this.importPending(AbortSignal.any([signal, jobSignal])) });
      if (signal.aborted) return;
      if (result.status === 'ok') {
        // Paused: the job runner is shutting down.
        if (result.counts.paused) return;
        continue;
      }
      // Skipped: another process holds the catalog (most likely importing these very sources);
      // not a failure, so the wait stays short.
      const wait = retryDelay(this.deps.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS, result.status === 'skipped' ? 1 : ++failures);
      if (result.status === 'failed' && result.error instanceof StarterImportError) {
        const { source, message } = result.error;
        this.log.warn(
          { source: source.given, attempt: failures, retryInSeconds: Math.ceil(wait / 1000) },
          `could not load the starter dataset ${source.given}: ${message} ${remedy(source)} Trying again in ${Math.ceil(wait / 1000)} s.`,
        );
      } else if (result.status === 'skipped') {
        this.log.info({ reason: result.reason, retryInSeconds: Math.ceil(wait / 1000) }, 'the starter catalog waits for the catalog lock');
      }
      this.phase = 'retrying';
      this.retryAt = Date.now() + wait;
      await abortableSleep(wait, signal);
      if (signal.aborted) return;
      this.phase = 'loading';
      this.retryAt = null;
    }
    await this.cluster(jobs);
  }

  /** The job's work: every pending source in order; the first failure ends the run. */
  private async importPending(signal: AbortSignal): Promise<Record<string, unknown>> {
    const { store } = this.deps;
    const counts = { imported: 0, tracksAdded: 0 };
    // Under the catalog lock now: what another process imported meanwhile is done, not pending.
    this.sources = store.all();
    for (const entry of this.sources.filter((s) => s.status === 'pending')) {
      const source = resolveSource(entry.source, this.deps.datasets.urls);
      store.started(entry.source, Date.now());
      entry.attempts++;
      entry.rowsRead = 0;
      entry.bytesRead = 0;
      let logged = Date.now();
      let loggedStep: number | null = 0;
      try {
        const report = await importSource(this.deps, source, {
          signal,
          batchRows: this.deps.batchRows ?? 2_000,
          onProgress: (p) => {
            Object.assign(entry, { rowsRead: p.rowsRead, bytesRead: p.bytesRead, bytesTotal: p.totalBytes });
            store.progress(entry.source, { rowsRead: p.rowsRead, bytesRead: p.bytesRead, bytesTotal: p.totalBytes }, Date.now());
            // A line every tenth of the way (when the size is known), or every few seconds.
            const fraction = fractionOf(this.sources);
            const step = fraction === null ? null : Math.floor(fraction * 10);
            if (step !== loggedStep || Date.now() - logged >= LOG_EVERY_MS) {
              logged = Date.now();
              loggedStep = step;
              const percent = fraction === null ? null : Math.floor(fraction * 100);
              this.log.info({ source: entry.source, rows: p.rowsRead, percent }, `starter catalog: ${percent === null ? `${p.rowsRead} rows` : `${percent} %`} loaded`);
            }
          },
        });
        store.done(entry.source, report.tracksAdded, report.rowsRead, Date.now());
        Object.assign(entry, { status: 'done', tracksAdded: report.tracksAdded, rowsRead: report.rowsRead, lastError: null });
        this.lastError = null;
        counts.imported++;
        counts.tracksAdded += report.tracksAdded;
        this.log.info({ source: entry.source, rows: report.rowsRead, tracksAdded: report.tracksAdded, skipped: report.skipped }, 'starter dataset imported');
      } catch (error) {
        if (signal.aborted) return { ...counts, paused: true };
        const message = error instanceof Error ? error.message : String(error);
        store.failed(entry.source, message, Date.now());
        entry.lastError = message;
        this.lastError = message;
        // A download or file problem is the operator's to fix; anything else is a bug, logged whole.
        if (!isUserError(error)) this.log.error({ err: error, source: entry.source }, 'starter dataset import failed unexpectedly');
        throw new StarterImportError(source, message);
      }
    }
    return counts;
  }

  private async cluster(jobs: StarterJobs): Promise<void> {
    const { catalog, models } = this.deps;
    this.tracks = catalog.counts().tracks;
    if (models.activeModelId() === null) {
      this.phase = 'clustering';
      this.log.info({ tracks: this.tracks }, 'starter catalog loaded; clustering it');
      for (let failures = 0; models.activeModelId() === null; ) {
        const result = await jobs.runner.run(jobs.recluster);
        if (this.controller.signal.aborted) return;
        if (models.activeModelId() !== null) break;
        if (result.status === 'failed') {
          failures++;
          // Too few tracks to cluster will not change by waiting; anything else gets a few tries.
          if (isUserError(result.error) || failures >= MAX_CLUSTER_ATTEMPTS) {
            const reason = result.error instanceof Error ? result.error.message : String(result.error);
            this.log.warn({ tracks: this.tracks }, `the starter catalog could not be clustered: ${reason} Run \`npm run cli -- cluster\` once it can be.`);
            this.phase = null;
            return;
          }
        }
        await abortableSleep(retryDelay(this.deps.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS, Math.max(1, failures)), this.controller.signal);
        if (this.controller.signal.aborted) return;
      }
    }
    jobs.onModel();
    this.phase = null;
    this.log.info({ tracks: this.tracks, model: models.activeModelId() }, `starter catalog ready: ${this.tracks} songs; /recommend answers from it`);
  }
}

/** How far the fill is, in one line a member reads. */
export function describeStarterProgress(progress: StarterProgress): string {
  if (progress.phase === 'clustering') {
    return `Warming up: the starter catalog is loaded (${progress.tracks.toLocaleString('en')} songs) and being sorted into clusters. Ask again in a minute.`;
  }
  const loaded =
    progress.fraction !== null
      ? `${Math.floor(progress.fraction * 100)} % of the starter catalog loaded`
      : progress.rowsRead > 0
        ? `${progress.rowsRead.toLocaleString('en')} rows of the starter catalog loaded`
        : 'downloading the starter catalog';
  const retrying = progress.phase === 'retrying' ? ' (its download failed; trying again shortly)' : '';
  return `Warming up: ${loaded}${retrying}. Ask again in a minute or two.`;
}
