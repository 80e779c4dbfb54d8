package org.plasticity.data;

import java.util.LinkedHashMap;
import java.util.Map;
import org.plasticity.core.UserError;

/**
 * Binary addition: two random n-bit numbers a, b in (field {@code x}: the n bits of a, then the n
 * bits of b, least significant first, as 0/1), their (n+1)-bit sum out (field {@code y}, least
 * significant bit first). The task of the synthetic-gradients tutorial.
 */
public final class BinaryAddition {
  public static final String X = "x";
  public static final String Y = "y";
  /** Largest operand width: a + b must fit a long and every pair must be drawable. */
  public static final int MAX_BITS = 30;

  private BinaryAddition() {}

  public static GeneratedDataset create(int bits, long seed, int testSize) {
    if (bits < 1 || bits > MAX_BITS) {
      throw new UserError("data.bits: expected 1.." + MAX_BITS + ", got " + bits);
    }
    Map<String, Integer> widths = new LinkedHashMap<>();
    widths.put(X, 2 * bits);
    widths.put(Y, bits + 1);
    long range = 1L << bits;
    return new GeneratedDataset(widths, (rnd, rows) -> {
      long a = rnd.nextLong(range);
      long b = rnd.nextLong(range);
      encode(a, b, bits, rows.get(X), rows.get(Y));
    }, seed, testSize);
  }

  /** Writes the bits of a and b into x and the bits of a + b into y. */
  static void encode(long a, long b, int bits, float[] x, float[] y) {
    for (int k = 0; k < bits; k++) {
      x[k] = (a >>> k) & 1L;
      x[bits + k] = (b >>> k) & 1L;
    }
    long sum = a + b;
    for (int k = 0; k <= bits; k++) {
      y[k] = (sum >>> k) & 1L;
    }
  }

  /** The number that bits[from .. from+count) encode, least significant first (0/1 floats, threshold 0.5). */
  public static long decode(float[] bits, int from, int count) {
    long v = 0;
    for (int k = 0; k < count; k++) {
      if (bits[from + k] > 0.5f) {
        v |= 1L << k;
      }
    }
    return v;
  }
}
