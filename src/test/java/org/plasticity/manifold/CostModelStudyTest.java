package org.plasticity.manifold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plasticity.config.ManifoldConfig;
import org.plasticity.core.Tensors;
import org.tensorflow.types.TFloat32;

/** The cost-model study's wirings, timing and least-squares fit, on a small manifold. */
class CostModelStudyTest {
  @TempDir
  Path tmp;

  @Test
  void leastSquaresRecoversAnExactLinearModel() {
    SplittableRandom r = new SplittableRandom(3);
    double[][] a = new double[12][];
    double[] y = new double[12];
    for (int i = 0; i < a.length; i++) {
      a[i] = new double[] {1, 400 + r.nextInt(9000), 40 + r.nextInt(170)};
      y[i] = 0.5 + 4.5e-5 * a[i][1] + 3.5e-3 * a[i][2];
    }
    double[] c = CostModelStudy.leastSquares(a, y);
    assertEquals(0.5, c[0], 1e-9);
    assertEquals(4.5e-5, c[1], 1e-12);
    assertEquals(3.5e-3, c[2], 1e-11);
    assertEquals(1.0, CostModelStudy.rSquared(y, CostModelStudy.predict(a, c)), 1e-12);
    double[] noisy = y.clone();
    noisy[0] += 0.3;
    double[] cn = CostModelStudy.leastSquares(a, noisy);
    double r2 = CostModelStudy.rSquared(noisy, CostModelStudy.predict(a, cn));
    assertTrue(r2 < 1 && r2 > 0, "R^2 " + r2);
  }

  /**
   * A wiring of the wired neurons only, in at most LEVELS levels, whose export computes at most
   * the active connections and live neurons; two exports timed together on two inputs, each with a
   * positive time.
   */
  @Test
  void timesTheExportOfALeveledRandomWiring() {
    ManifoldConfig m = ManifoldConfig.newBuilder().setNInput(30).setNComp(40).setNOutput(4).build();
    float[] x = new float[48 * 30];
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextDouble() < 0.8 ? 0f : (float) r.nextDouble();
    }
    CostModelStudy.Point p = CostModelStudy.wiring(m, 25, 0.2, new SplittableRandom(7), tmp.resolve("w"));
    assertTrue(p.live() <= 25 && p.live() > 10, "live " + p.live());
    assertTrue(p.computedNeurons() <= p.live() && p.computedConnections() <= p.active(), p.toString());
    assertTrue(p.depth() >= 2 && p.depth() <= CostModelStudy.LEVELS, "depth " + p.depth());
    CostModelStudy.Point q = CostModelStudy.wiring(m, 10, 0.05, new SplittableRandom(8), tmp.resolve("v"));
    try (TFloat32 in = Tensors.matrix(x, 48, 30); TFloat32 one = Tensors.matrix(java.util.Arrays.copyOf(x, 30), 1, 30)) {
      double[][] us = CostModelStudy.interleavedMicros(java.util.List.of(tmp.resolve("w"), tmp.resolve("v")),
          java.util.List.of(in, one), new int[] {5, 5});
      assertEquals(2, us.length);
      for (double[] model : us) {
        assertEquals(2, model.length);
        assertTrue(model[0] > 0 && model[1] > 0, java.util.Arrays.toString(model));
      }
    }
    assertTrue(q.live() <= 10, q.toString());
  }
}
