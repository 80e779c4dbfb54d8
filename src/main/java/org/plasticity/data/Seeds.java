package org.plasticity.data;

import java.util.SplittableRandom;

/** Deterministic derivation of sub-seeds and permutations from the run's seed. */
public final class Seeds {
  private Seeds() {}

  /** Mixes a seed with stream identifiers into a new, well-spread seed (SplitMix64 finaliser). */
  public static long mix(long seed, long... streams) {
    long h = seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
    for (long s : streams) {
      h = splitmix(h ^ (s * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL));
    }
    return splitmix(h);
  }

  private static long splitmix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
  public static int[] permutation(int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
