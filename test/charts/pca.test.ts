import { describe, expect, it } from 'vitest';
import { axisWords, projectSample, spreadBadges } from '../../src/charts/clusterMap.js';
import { fitPca, pca2d, projectPoint, symmetricEigen } from '../../src/charts/pca.js';
import { seededRandom } from '../../src/clustering/random.js';
import { mapData } from './fixtures.js';

describe('symmetricEigen', () => {
  it('finds the eigenpairs of a symmetric matrix', () => {
    const m = Float64Array.from([4, 1, 2, 1, 3, 0, 2, 0, 5]);
    const { values, vectors } = symmetricEigen(m, 3);
    for (let c = 0; c < 3; c++) {
      const v = [0, 1, 2].map((j) => vectors[j * 3 + c]!);
      expect(Math.hypot(...v)).toBeCloseTo(1, 10);
      for (let i = 0; i < 3; i++) {
        const mv = m[i * 3]! * v[0]! + m[i * 3 + 1]! * v[1]! + m[i * 3 + 2]! * v[2]!;
        expect(mv).toBeCloseTo(values[c]! * v[i]!, 9);
      }
    }
    expect([...values].reduce((a, b) => a + b)).toBeCloseTo(12, 10);
  });
});

describe('fitPca', () => {
  it('finds the direction of greatest spread first', () => {
    // Points along (1, 2, 0) with a little noise across it.
    const random = seededRandom(3);
    const n = 500;
    const data = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) {
      const t = random() * 10 - 5;
      data[i * 3] = t + 5;
      data[i * 3 + 1] = 2 * t - 1;
      data[i * 3 + 2] = (random() - 0.5) * 0.5;
    }
    const pca = fitPca(data, n, 3);
    const [c0] = pca.components;
    expect(Math.abs(c0[0]!)).toBeCloseTo(1 / Math.sqrt(5), 3);
    expect(Math.abs(c0[1]!)).toBeCloseTo(2 / Math.sqrt(5), 3);
    expect(c0[1]!).toBeGreaterThan(0); // sign fixed: the largest entry is positive
    expect(pca.explained[0]).toBeGreaterThan(0.99);
    expect(pca.mean[0]).toBeCloseTo(5, 0);
    // Components are orthogonal.
    const [a, b] = pca.components;
    expect(a.reduce((s, x, j) => s + x * b[j]!, 0)).toBeCloseTo(0, 10);
  });

  it('projects every row and is deterministic', () => {
    const { vectors } = mapData(50);
    const one = pca2d(vectors, 300, 9);
    const two = pca2d(vectors, 300, 9);
    expect(one.points).toEqual(two.points);
    expect(one.points.length).toBe(600);
    const [x, y] = projectPoint(one.pca, vectors, 9 * 7);
    expect(one.points[14]).toBeCloseTo(x, 4);
    expect(one.points[15]).toBeCloseTo(y, 4);
  });

  it('handles degenerate input', () => {
    expect(fitPca(new Float32Array(0), 0, 4).explained).toEqual([0, 0]);
    const constant = fitPca(new Float32Array(40).fill(2), 10, 4);
    expect(constant.variance).toEqual([0, 0]);
    expect(fitPca(Float32Array.from([1, 2, 3]), 3, 1).components[1]).toEqual(new Float64Array(1));
  });
});

describe('projectSample', () => {
  it('samples at most maxPoints rows, the same ones for the same seed', () => {
    const { vectors } = mapData(300);
    const a = projectSample(vectors, 9, 500, 1);
    expect(a.rows.length).toBe(500);
    expect(new Set(a.rows).size).toBe(500);
    expect(projectSample(vectors, 9, 500, 1).rows).toEqual(a.rows);
    expect(projectSample(vectors, 9, 500, 2).rows).not.toEqual(a.rows);
    expect(projectSample(vectors, 9, 10_000, 1).rows.length).toBe(1_800);
  });
});

describe('axisWords', () => {
  it('names each end of a component by its strongest features', () => {
    expect(axisWords([0.7, -0.6, 0.1], ['energy', 'acousticness', 'tempo'])).toEqual({ low: 'calm, acoustic', high: 'lively, electric' });
    expect(axisWords([0.1, 0.1], ['energy', 'tempo'])).toBeNull();
    expect(axisWords([0.9], ['key'])).toBeNull();
  });
});

describe('spreadBadges', () => {
  it('moves overlapping badges apart, inside the box, and leaves lone ones alone', () => {
    const box = { left: 0, right: 500, top: 0, bottom: 500 };
    const out = spreadBadges([{ x: 100, y: 100 }, { x: 100, y: 100 }, { x: 105, y: 98 }, null, { x: 400, y: 400 }, { x: -50, y: 600 }], box);
    const placed = out.filter((p) => p !== null);
    for (let i = 0; i < placed.length; i++) {
      for (let j = i + 1; j < placed.length; j++) expect(Math.hypot(placed[i]!.x - placed[j]!.x, placed[i]!.y - placed[j]!.y)).toBeGreaterThanOrEqual(30);
    }
    expect(out[3]).toBeNull();
    expect(out[4]).toEqual({ x: 400, y: 400 });
    expect(out[5]).toEqual({ x: 0, y: 500 });
  });
});

describe('projectSample input checks', () => {
  it('refuses a dimension count that cannot be right', () => {
    expect(() => projectSample(new Float32Array(9), 0)).toThrow(RangeError);
  });
});
