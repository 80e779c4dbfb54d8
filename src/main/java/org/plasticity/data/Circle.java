package org.plasticity.data;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Points uniform in [-1,1]^2 (field {@code x}, width 2) labelled 1 inside the circle of the given
 * radius around the origin, else 0 (field {@code y}, width 1). Fresh points every step.
 */
public final class Circle {
  public static final String X = "x";
  public static final String Y = "y";

  private Circle() {}

  public static GeneratedDataset create(long seed, int testSize, float radius) {
    Map<String, Integer> widths = new LinkedHashMap<>();
    widths.put(X, 2);
    widths.put(Y, 1);
    float r2 = radius * radius;
    return new GeneratedDataset(widths, (rnd, rows) -> {
      float[] x = rows.get(X);
      x[0] = (float) (2 * rnd.nextDouble() - 1);
      x[1] = (float) (2 * rnd.nextDouble() - 1);
      rows.get(Y)[0] = x[0] * x[0] + x[1] * x[1] < r2 ? 1f : 0f;
    }, seed, testSize);
  }

  /** Fraction of the square inside the circle: the accuracy of always answering "inside". */
  public static double insideFraction(float radius) {
    return Math.PI * radius * radius / 4.0;
  }
}
