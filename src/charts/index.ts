// Pictures for Discord, drawn as SVG in code and rendered to PNG: no Discord types in here.

export type { ChartImage, TrackTitle } from './common.js';
export { comparisonInput, featureComparisonSvg, renderFeatureComparison, renderFeatureComparisonAsync, type FeatureComparisonInput } from './featureComparison.js';
export { clusterPortraitSvg, portraitInput, renderClusterPortrait, renderClusterPortraitAsync, type ClusterPortraitInput } from './clusterPortrait.js';
export { axisWords, clusterMapSvg, projectSample, renderClusterMap, renderClusterMapAsync, type ClusterMapInput, type ProjectedSample } from './clusterMap.js';
export { chartFeatures, type ChartableFeature } from './featureScale.js';
export { mixProfileInput, mixProfileSvg, renderMixProfile, renderMixProfileAsync, type MixProfileInput } from './mixProfile.js';
export { fitPca, pca2d, projectPoint, type Pca } from './pca.js';
export { renderPng, renderSvg, renderSvgAsync, type RenderedPicture } from './render.js';
export { clusterColor, clusterFill } from './theme.js';
