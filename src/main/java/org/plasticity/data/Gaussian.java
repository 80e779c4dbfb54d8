package org.plasticity.data;

import java.util.SplittableRandom;

/** Standard normal draws from a SplittableRandom (Box-Muller), so generated data is reproducible. */
public final class Gaussian {
  private Gaussian() {}

  public static double next(SplittableRandom rnd) {
    double u1 = rnd.nextDouble();
    while (u1 <= 0) {
      u1 = rnd.nextDouble();
    }
    double u2 = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
