package org.plasticity.core;

import java.util.Arrays;

/** Summary statistics of a sample (for seed sweeps): mean, quantiles by linear interpolation. */
public final class SampleStats {
  private SampleStats() {}

  public static double mean(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return x.length == 0 ? Double.NaN : s / x.length;
  }

  public static double stddev(double[] x) {
    double m = mean(x);
    double s = 0;
    for (double v : x) {
      s += (v - m) * (v - m);
    }
    return x.length < 2 ? 0 : Math.sqrt(s / (x.length - 1));
  }

  /** The q-quantile (0..1) with linear interpolation between order statistics (R's type 7). */
  public static double quantile(double[] x, double q) {
    if (x.length == 0) {
      return Double.NaN;
    }
    double[] s = x.clone();
    Arrays.sort(s);
    double pos = q * (s.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(s.length - 1, lo + 1);
    return s[lo] + (pos - lo) * (s[hi] - s[lo]);
  }
}
