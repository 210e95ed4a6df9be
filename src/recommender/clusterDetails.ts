import type { App } from '../app.js';
import { clusterTraits, type ClusterTrait } from '../daily/dailyPick.js';
import { InvalidOptionError } from '../errors.js';
import type { ClusterModel, TrackWithFeatures } from '../types.js';

export interface ClusterDetails {
  model: ClusterModel;
  id: number;
  label: string;
  size: number;
  traits: ClusterTrait[];
  /** The songs nearest its centroid: the most typical first. */
  examples: TrackWithFeatures[];
}

/** A cluster named by number ("7", "#7") or by words of its label ("acoustic calm"). */
export function findCluster(model: ClusterModel, query: string): number {
  const text = query.trim().toLowerCase();
  const number = /^#?(\d+)$/.exec(text)?.[1];
  if (number !== undefined) {
    const id = Number(number);
    if (id < model.k) return id;
    throw new InvalidOptionError('cluster', `There is no cluster #${id}: the clusters are numbered 0 to ${model.k - 1}.`);
  }
  const words = text.split(/[\s·]+/).filter(Boolean);
  const found = model.labels.findIndex((label) => words.every((w) => label.toLowerCase().includes(w)));
  if (found >= 0) return found;
  throw new InvalidOptionError('cluster', `No cluster's label matches "${query}". Type a number (0 to ${model.k - 1}) or pick one from the list.`);
}

export function clusterDetails(app: App, cluster: number, exampleCount = 5): ClusterDetails {
  const index = app.recommender.currentIndex();
  const model = index.model;
  const examples: TrackWithFeatures[] = [];
  for (const candidate of index.representatives(cluster)) {
    const track = app.catalog.getTrack(candidate.trackId);
    if (track) examples.push(track);
    if (examples.length >= exampleCount) break;
  }
  return {
    model,
    id: cluster,
    label: model.labels[cluster] ?? `cluster ${cluster}`,
    size: index.clusterSize(cluster),
    traits: clusterTraits(model.profiles[cluster]!, model.catalogProfile),
    examples,
  };
}
