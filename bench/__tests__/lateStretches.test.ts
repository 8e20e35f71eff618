// The paced runs' account of their late callbacks: how many, and whether they came in a few stalls or all along.
import { describe, expect, it } from 'vitest';
import { lateStretches } from '../lib';

describe('lateStretches', () => {
  it('counts the late callbacks and joins those due close together into one stretch', () => {
    // 1,000/s: callback i is due at i ms. A stall makes 200–229 late; another makes 500–504 late.
    const latencies = Array.from({ length: 1000 }, (_, i) => ((i >= 200 && i < 230) || (i >= 500 && i < 505) ? 25 : 2));
    expect(lateStretches(latencies, 1000)).toEqual({ late: 35, stretches: 2, longestMs: 29 });
  });

  it('keeps late callbacks apart when more than the gap lies between them, and ignores the unanswered', () => {
    const latencies = Array.from({ length: 100 }, () => 1);
    latencies[10] = 11; // due at 10 ms
    latencies[21] = 11; // 11 ms later: a stretch of its own
    latencies[30] = NaN; // never answered: not counted as late
    latencies[31] = 10; // not over the bound
    expect(lateStretches(latencies, 1000)).toEqual({ late: 2, stretches: 2, longestMs: 0 });
    expect(lateStretches(latencies, 1000, 10, 20)).toEqual({ late: 2, stretches: 1, longestMs: 11 });
  });

  it('finds none in a run with no late answer', () => {
    expect(lateStretches([1, 2, 3], 100)).toEqual({ late: 0, stretches: 0, longestMs: 0 });
  });
});
