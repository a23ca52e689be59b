// Summary statistics of a list of numbers, as the protocol defines them: the median of an even
// count is the mean of the middle two; p90 interpolates linearly between order statistics (as
// numpy's default); stdev is the sample standard deviation (0 for one value).
export function quantile(sorted, q) {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at), hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

export function summarize(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = sorted.reduce((a, b) => a + b, 0) / n;
  const squares = sorted.reduce((a, b) => a + (b - mean) ** 2, 0);
  return {
    n,
    min: sorted[0],
    median: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    max: sorted[n - 1],
    mean,
    stdev: n > 1 ? Math.sqrt(squares / (n - 1)) : 0,
  };
}
