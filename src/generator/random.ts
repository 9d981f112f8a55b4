/**
 * A seeded random source (mulberry32): the same seed gives the same data center, byte for byte, so tests and
 * benchmarks can rely on it. Distributions for traffic: heavy-tailed rates (Pareto), counts (Poisson) and
 * noise (normal).
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)];
  }

  /** One of `choices`, each as likely as its weight. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of choices) total += w;
    let x = this.next() * total;
    for (const [c, w] of choices) {
      x -= w;
      if (x < 0) return c;
    }
    return choices[choices.length - 1][0];
  }

  /** Pareto with minimum `min` and tail index `alpha` (smaller is heavier): many small, a few huge. */
  pareto(min: number, alpha: number): number {
    return min / (1 - this.next()) ** (1 / alpha);
  }

  normal(mean = 0, sd = 1): number {
    const u = 1 - this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** A Poisson count with mean `lambda` (normal approximation above 30). */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 30) return Math.max(0, Math.round(this.normal(lambda, Math.sqrt(lambda))));
    const limit = Math.exp(-lambda);
    let k = 0;
    for (let p = this.next(); p > limit; p *= this.next()) k++;
    return k;
  }

  /** A new source for `label`: forks made in the same order from the same state are the same. */
  fork(label: number): Random {
    return new Random((this.state ^ Math.imul(label + 1, 0x85ebca6b)) >>> 0);
  }
}
