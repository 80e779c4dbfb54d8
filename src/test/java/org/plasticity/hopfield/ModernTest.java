package org.plasticity.hopfield;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.plasticity.core.Tensors;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class ModernTest {
  private static float[] fetch(Session s, Operand<TFloat32> op) {
    try (Result r = s.runner().fetch(op).run()) {
      return Tensors.toArray((TFloat32) r.get(0));
    }
  }

  /** X = I (2 patterns in 2-D), ξ = (0.6, 0.2), β = 2: one update and the energy by hand. */
  @Test
  void singleUpdateAndEnergyByHand() {
    try (Graph g = new Graph(); Session s = org.plasticity.core.Sessions.create(g, org.plasticity.config.TrainConfig.getDefaultInstance())) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> keys = tf.constant(new float[][] {{1, 0}, {0, 1}});
      Operand<TFloat32> xi = tf.constant(new float[][] {{0.6f, 0.2f}});
      float[] next = fetch(s, Modern.update(tf, keys, xi, 2f)[0]);
      double p1 = Math.exp(1.2) / (Math.exp(1.2) + Math.exp(0.4));
      assertEquals(p1, next[0], 1e-6);
      assertEquals(1 - p1, next[1], 1e-6);
      float[] e = fetch(s, Modern.energy(tf, keys, xi, 2f));
      double expected = 0.5 * (0.36 + 0.04) - Math.log(Math.exp(1.2) + Math.exp(0.4)) / 2;
      assertEquals(expected, e[0], 1e-5);
    }
  }

  /** The update never increases the energy (it is a concave-convex procedure step). */
  @Test
  void energyNonIncreasingAlongUpdates() {
    int m = 30;
    int d = 20;
    SplittableRandom rnd = new SplittableRandom(3);
    float[][] x = new float[m][d];
    float[][] q = new float[4][d];
    for (float[] row : x) {
      for (int j = 0; j < d; j++) {
        row[j] = (float) rnd.nextDouble();
      }
    }
    for (float[] row : q) {
      for (int j = 0; j < d; j++) {
        row[j] = (float) rnd.nextDouble(-1, 1);
      }
    }
    for (float beta : new float[] {0.5f, 3f, 50f}) {
      try (Graph g = new Graph(); Session s = org.plasticity.core.Sessions.create(g, org.plasticity.config.TrainConfig.getDefaultInstance())) {
        Ops tf = Ops.create(g);
        Modern.Keys k = Modern.keys(tf, tf.constant(x), true);
        float[] norms = fetch(s, tf.sum(tf.math.square(k.keys()), tf.constant(1)));
        for (float v : norms) {
          assertEquals(1f, v, 1e-4, "unit-norm keys");
        }
        float[] colMean = fetch(s, tf.math.mean(tf.math.sub(tf.constant(x), k.mean()), tf.constant(0)));
        for (float v : colMean) {
          assertEquals(0f, v, 1e-5, "centred");
        }
        Operand<TFloat32> xi = tf.constant(q);
        float[] prev = fetch(s, Modern.energy(tf, k.keys(), xi, beta));
        for (int t = 0; t < 6; t++) {
          xi = Modern.update(tf, k.keys(), xi, beta)[0];
          float[] e = fetch(s, Modern.energy(tf, k.keys(), xi, beta));
          for (int b = 0; b < e.length; b++) {
            assertTrue(e[b] <= prev[b] + 1e-5, "beta " + beta + " step " + t + ": " + e[b] + " > " + prev[b]);
          }
          prev = e;
        }
      }
    }
  }
}
