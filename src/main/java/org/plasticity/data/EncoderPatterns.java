package org.plasticity.data;

import java.util.Map;

/**
 * The encoder task's patterns: the n one-hot vectors of length n (4-2-4, 8-3-8). Training and
 * test sets are the same n patterns; field {@code patterns}.
 */
public final class EncoderPatterns {
  public static final String PATTERNS = "patterns";

  private EncoderPatterns() {}

  public static ArrayDataset create(int n, long seed) {
    float[] eye = new float[n * n];
    for (int i = 0; i < n; i++) {
      eye[i * n + i] = 1f;
    }
    Map<String, Integer> widths = Map.of(PATTERNS, n);
    return new ArrayDataset(widths, Map.of(PATTERNS, eye), Map.of(PATTERNS, eye.clone()), seed);
  }
}
