import { mean, median, percentile } from './stats';

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile(values, 0)).toBe(1);
  });

  it('handles one value and refuses none', () => {
    expect(median([7])).toBe(7);
    expect(() => median([])).toThrow();
  });
});

describe('mean', () => {
  it('averages', () => {
    expect(mean([1, 2, 3, 6])).toBe(3);
  });
});
