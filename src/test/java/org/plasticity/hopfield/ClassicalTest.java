package org.plasticity.hopfield;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.plasticity.core.Tensors;
import org.plasticity.data.RandomPatterns;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

class ClassicalTest {
  private static float[] run(Session s, Operand<?> out, Placeholder<TFloat32> p1, float[] v1, int r1, int c1,
      Placeholder<TFloat32> p2, float[] v2, int r2, int c2) {
    try (TFloat32 a = Tensors.matrix(v1, r1, c1); TFloat32 b = p2 == null ? null : Tensors.matrix(v2, r2, c2)) {
      Session.Runner r = s.runner().feed(p1, a);
      if (p2 != null) {
        r.feed(p2, b);
      }
      try (Result res = r.fetch(out).run()) {
        return Tensors.toArray((TFloat32) res.get(0));
      }
    }
  }

  private static Placeholder<TFloat32> ph(Ops tf, int cols) {
    return tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, cols)));
  }

  /** Hand-computed 3-unit case: patterns (1,1,-1) and (1,-1,1). */
  @Test
  void hebbIncrementByHand() {
    try (Graph g = new Graph(); Session s = org.plasticity.core.Sessions.create(g, org.plasticity.config.TrainConfig.getDefaultInstance())) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = ph(tf, 3);
      float[] w = run(s, Classical.hebbIncrement(tf, x, 3), x, new float[] {1, 1, -1, 1, -1, 1}, 2, 3, null, null, 0, 0);
      // w12 = (1*1 + 1*-1)/3 = 0, w13 = (-1 + 1)/3 = 0, w23 = (-1 + -1)/3 = -2/3; diagonal 0.
      float[] expected = {0, 0, 0, 0, 0, -2f / 3, 0, -2f / 3, 0};
      for (int i = 0; i < 9; i++) {
        assertEquals(expected[i], w[i], 1e-6, "w[" + i + "]");
      }
    }
  }

  /** Storkey's increment against its element-wise definition with h_ij = Σ_{k≠i,j} w_ik ξ_k. */
  @Test
  void storkeyIncrementMatchesDefinition() {
    int n = 6;
    float[] xi = RandomPatterns.draw(1, n, 3);
    float[] w = new float[n * n];
    SplittableRandom rnd = new SplittableRandom(5);
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        w[i * n + j] = w[j * n + i] = (float) rnd.nextDouble(-0.5, 0.5);
      }
    }
    double[] expected = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (i == j) {
          continue;
        }
        double hij = 0;
        double hji = 0;
        for (int k = 0; k < n; k++) {
          if (k != i && k != j) {
            hij += w[i * n + k] * xi[k];
            hji += w[j * n + k] * xi[k];
          }
        }
        expected[i * n + j] = (xi[i] * xi[j] - xi[i] * hji - hij * xi[j]) / n;
      }
    }
    try (Graph g = new Graph(); Session s = org.plasticity.core.Sessions.create(g, org.plasticity.config.TrainConfig.getDefaultInstance())) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> wp = ph(tf, n);
      Placeholder<TFloat32> xp = ph(tf, n);
      float[] d = run(s, Classical.storkeyIncrement(tf, wp, xp, n), wp, w, n, n, xp, xi, 1, n);
      for (int i = 0; i < n * n; i++) {
        assertEquals(expected[i], d[i], 1e-5, "dw[" + i + "]");
      }
      // The while loop over rows equals applying the increment row after row.
      float[] three = RandomPatterns.draw(3, n, 9);
      float[] stored = run(s, Classical.storkeyStore(tf, wp, xp, n), wp, new float[n * n], n, n, xp, three, 3, n);
      float[] seq = new float[n * n];
      Placeholder<TFloat32> wq = ph(tf, n);
      Placeholder<TFloat32> xq = ph(tf, n);
      Operand<TFloat32> inc = Classical.storkeyIncrement(tf, wq, xq, n);
      for (int p = 0; p < 3; p++) {
        float[] row = new float[n];
        System.arraycopy(three, p * n, row, 0, n);
        float[] dd = run(s, inc, wq, seq, n, n, xq, row, 1, n);
        for (int i = 0; i < n * n; i++) {
          seq[i] += dd[i];
        }
      }
      for (int i = 0; i < n * n; i++) {
        assertEquals(seq[i], stored[i], 1e-5, "stored w[" + i + "]");
      }
    }
  }

  /** E = −½ sᵀWs never increases under single-unit asynchronous updates (W symmetric, zero diagonal). */
  @Test
  void energyNonIncreasingUnderAsynchronousUpdates() {
    int n = 40;
    int p = 6;
    try (Graph g = new Graph(); Session s = org.plasticity.core.Sessions.create(g, org.plasticity.config.TrainConfig.getDefaultInstance())) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> xp = ph(tf, n);
      Placeholder<TFloat32> wp = ph(tf, n);
      Placeholder<TFloat32> sp = ph(tf, n);
      Placeholder<TInt32> ip = tf.placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
      Operand<TFloat32> w = Classical.hebbIncrement(tf, xp, n);
      float[] wv = run(s, w, xp, RandomPatterns.draw(p, n, 11), p, n, null, null, 0, 0);
      Operand<TFloat32> next = Classical.updateUnit(tf, wp, sp, ip, n);
      Operand<TFloat32> energy = Classical.energy(tf, wp, sp);
      float[] state = RandomPatterns.draw(2, n, 12);
      SplittableRandom rnd = new SplittableRandom(13);
      float prev0 = Float.POSITIVE_INFINITY;
      float prev1 = Float.POSITIVE_INFINITY;
      int changes = 0;
      try (TFloat32 wt = Tensors.matrix(wv, n, n)) {
        for (int t = 0; t < 5 * n; t++) {
          try (TFloat32 st = Tensors.matrix(state, 2, n); TInt32 it = TInt32.scalarOf(rnd.nextInt(n));
              Result res = s.runner().feed(wp, wt).feed(sp, st).feed(ip, it).fetch(energy).fetch(next).run()) {
            float[] e = Tensors.toArray((TFloat32) res.get(0));
            assertTrue(e[0] <= prev0 + 1e-4 && e[1] <= prev1 + 1e-4, "energy rose at update " + t);
            prev0 = e[0];
            prev1 = e[1];
            float[] ns = Tensors.toArray((TFloat32) res.get(1));
            for (int k = 0; k < ns.length; k++) {
              changes += ns[k] != state[k] ? 1 : 0;
            }
            state = ns;
          }
        }
      }
      assertTrue(changes > 0, "some unit changed");
    }
  }

  /** With P = 3 ≪ 0.138 N every stored pattern is a fixed point, and retrieval from 10% flipped bits is perfect. */
  @Test
  void storedPatternsAreFixedPointsAndAttract() {
    int n = 100;
    int p = 3;
    float[] x = RandomPatterns.draw(p, n, 21);
    for (boolean storkey : new boolean[] {false, true}) {
      try (Graph g = new Graph(); Session s = org.plasticity.core.Sessions.create(g, org.plasticity.config.TrainConfig.getDefaultInstance())) {
        Ops tf = Ops.create(g);
        Placeholder<TFloat32> xp = ph(tf, n);
        Operand<TFloat32> w = storkey ? Classical.storkeyStore(tf, tf.fill(tf.constant(new int[] {n, n}), tf.constant(0f)), xp, n)
            : Classical.hebbIncrement(tf, xp, n);
        Operand<TFloat32> fixed = Classical.isFixedPoint(tf, w, xp);
        Operand<TFloat32> probe = Classical.flip(tf, xp, 0.1f, tf.constant(new long[] {4, 5}));
        Operand<TFloat32> async = Classical.asynchronous(tf, w, probe, Classical.permutations(tf, tf.constant(new long[] {6, 7}), 20, n), n).states();
        Operand<TFloat32> sync = Classical.synchronous(tf, w, probe, 20).states();
        float[] f = run(s, fixed, xp, x, p, n, null, null, 0, 0);
        float[] pr = run(s, probe, xp, x, p, n, null, null, 0, 0);
        float[] a = run(s, async, xp, x, p, n, null, null, 0, 0);
        float[] y = run(s, sync, xp, x, p, n, null, null, 0, 0);
        int flipped = 0;
        for (int i = 0; i < x.length; i++) {
          flipped += pr[i] != x[i] ? 1 : 0;
          assertEquals(x[i], a[i], "async, storkey=" + storkey + ", unit " + i);
          assertEquals(x[i], y[i], "sync, storkey=" + storkey + ", unit " + i);
        }
        assertTrue(flipped > 10 && flipped < 60, "about 10% of 300 bits flipped: " + flipped);
        for (float v : f) {
          assertEquals(1f, v, "fixed point, storkey=" + storkey);
        }
      }
    }
  }
}
