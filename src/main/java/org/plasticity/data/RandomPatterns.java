package org.plasticity.data;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * A fixed set of {@code count} random +-1 patterns of {@code width} units (field
 * {@code patterns}), each unit +1 or -1 with probability 1/2. The test set is the same patterns:
 * a memory is tested on what it stored.
 */
public final class RandomPatterns {
  public static final String PATTERNS = "patterns";

  private RandomPatterns() {}

  /** The patterns row-major, [count x width]. */
  public static float[] draw(int count, int width, long seed) {
    SplittableRandom rnd = new SplittableRandom(Seeds.mix(seed, 0x40bf1e1dL));
    float[] p = new float[count * width];
    for (int i = 0; i < p.length; i++) {
      p[i] = rnd.nextBoolean() ? 1f : -1f;
    }
    return p;
  }

  public static ArrayDataset create(int count, int width, long seed) {
    float[] p = draw(count, width, seed);
    return new ArrayDataset(Map.of(PATTERNS, width), Map.of(PATTERNS, p), Map.of(PATTERNS, p.clone()), seed);
  }
}
