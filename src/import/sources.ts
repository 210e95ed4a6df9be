import { existsSync } from 'node:fs';
import type { Catalog } from '../catalog/catalog.js';
import type { Config } from '../config.js';
import { findDataset, type PublicDataset } from '../datasets/registry.js';
import type { HttpClient } from '../http/httpClient.js';
import type { ImportReport } from '../types.js';
import { importStream, type ImportOptions } from './importCsv.js';
import { isHttpUrl, openFile, openUrl } from './inputs.js';

// What `import` and the starter catalog accept: a file path, an http(s) URL, or a dataset's name.

export type ImportSource =
  | { kind: 'file'; given: string; path: string }
  | { kind: 'url'; given: string; url: string }
  | { kind: 'dataset'; given: string; url: string; dataset: PublicDataset };

/**
 * A URL is a URL and a dataset's name is the dataset, unless a file of that name exists (a local
 * file called "tidytuesday" is what its owner means).
 */
export function resolveSource(given: string, urls: Config['datasets']['urls']): ImportSource {
  if (isHttpUrl(given)) return { kind: 'url', given, url: given };
  const dataset = findDataset(given);
  if (dataset && !existsSync(given)) return { kind: 'dataset', given, url: urls[dataset.name as keyof typeof urls], dataset };
  return { kind: 'file', given, path: given };
}

/** Rows the source is expected to have, when known: progress by rows when bytes are unknown. */
export function expectedRows(source: ImportSource): number | null {
  return source.kind === 'dataset' ? source.dataset.rows : null;
}

export interface SourceDeps {
  catalog: Catalog;
  http: HttpClient;
}

/** Streams one source into the catalog (see importStream for what a failure leaves behind). */
export async function importSource(deps: SourceDeps, source: ImportSource, options: ImportOptions = {}): Promise<ImportReport> {
  const input = source.kind === 'file' ? await openFile(source.path) : await openUrl(deps.http, source.url, options.signal);
  // Named datasets keep the name the user gave in reports; the file name still records the provider.
  if (source.kind === 'dataset') input.name = `${source.dataset.name} (${source.url})`;
  return importStream(deps.catalog, input, options);
}
