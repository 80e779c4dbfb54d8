package org.plasticity.manifold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.plasticity.config.ManifoldConfig;
import org.plasticity.core.Tensors;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** The fast (iterated) forward pass equals the faithful chain in value and gradient. */
class IteratedForwardTest {
  static final int N_IN = 12, N_COMP = 30, N_OUT = 3, B = 8;

  /** Outputs and gradients (w.r.t. x, adjacency, w, b) of sum(out * r). */
  static List<float[]> valueAndGradients(float[][] x, float[][] c, float[][] w, float[][] b, float[][] r, int depth) {
    return valueAndGradients(x, c, w, b, r, depth, false);
  }

  /** The same; readAct: the output neurons read act(z) of their sources. */
  static List<float[]> valueAndGradients(float[][] x, float[][] c, float[][] w, float[][] b, float[][] r, int depth,
      boolean readAct) {
    return valueAndGradients(x, c, w, b, r, depth, 0, readAct);
  }

  /** The [E, 2] (destination, source) indices of the nonzero computational-to-computational entries, flattened. */
  static long[] compEntries(float[][] c) {
    List<Long> e = new ArrayList<>();
    for (int k = 0; k < N_COMP; k++) {
      for (int q = 0; q < N_COMP; q++) {
        if (c[k][N_IN + q] != 0) {
          e.add((long) k);
          e.add((long) q);
        }
      }
    }
    return e.stream().mapToLong(Long::longValue).toArray();
  }

  /** The same; levels > 0: evaluated by {@link LeveledForward} over that many levels (depth unused). */
  static List<float[]> valueAndGradients(float[][] x, float[][] c, float[][] w, float[][] b, float[][] r, int depth,
      int levels, boolean readAct) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var xv = tf.variable(tf.constant(x));
      var cv = tf.variable(tf.constant(c));
      var wv = tf.variable(tf.constant(w));
      var bv = tf.variable(tf.constant(b));
      UnaryOperator<Operand<TFloat32>> act = v -> tf.nn.leakyRelu(v, LeakyRelu.alpha(0.2f));
      UnaryOperator<Operand<TFloat32>> readout = readAct ? act : v -> v;
      Operand<TFloat32> out;
      if (levels > 0) {
        // the blocks of the adjacency variable, the computational one in level order
        List<Operand<TFloat32>> rows = ChainForward.splitV(tf, cv, new int[] {N_COMP, N_OUT}, 0);
        List<Operand<TFloat32>> comp = ChainForward.splitV(tf, rows.get(0), new int[] {N_IN, N_COMP}, 1);
        List<Operand<TFloat32>> outs = ChainForward.splitV(tf, rows.get(1), new int[] {N_IN, N_COMP}, 1);
        int[] level = LeveledForward.levels(compEntries(c), N_COMP);
        Operand<TInt32> order = tf.constant(LeveledForward.order(level, levels));
        Operand<TFloat32> ordered = tf.gather(tf.gather(comp.get(1), order, tf.constant(0)), order, tf.constant(1));
        out = LeveledForward.outputs(tf, N_IN, N_COMP, xv, List.of(comp.get(0), ordered, outs.get(0), outs.get(1)),
            wv, bv, act, readout, order, tf.constant(LeveledForward.sizes(level, levels)), levels);
      } else {
        out = depth < 0
            ? ChainForward.outputs(tf, N_IN, N_COMP, N_OUT, xv, cv, wv, bv, act, readout)
            : IteratedForward.outputs(tf, N_IN, N_COMP, N_OUT, xv, cv, wv, bv, act, readout, depth);
      }
      Operand<TFloat32> objective = tf.sum(tf.math.mul(out, tf.constant(r)), tf.constant(new int[] {0, 1}));
      Gradients grads = tf.gradients(objective, List.of(xv, cv, wv, bv));
      s.initialize();
      List<float[]> res = new ArrayList<>();
      res.add(Tensors.fetch(s, out));
      for (int i = 0; i < 4; i++) {
        res.add(Tensors.fetch(s, grads.dy(i)));
      }
      return res;
    }
  }

  /** A random sparse wiring, inputs, weights, biases and output weights for the objective sum(out * r). */
  record Case(float[][] c, float[][] x, float[][] w, float[][] b, float[][] r) {
    static Case draw(long seed) {
      ManifoldConfig m = ManifoldConfig.newBuilder().setNInput(N_IN).setNComp(N_COMP).setNOutput(N_OUT).build();
      SplittableRandom rnd = new SplittableRandom(seed);
      float[][] c = PrunedModelTest.sparse(rnd, m);
      return new Case(c, ChainForwardTest.randomMatrix(rnd, B, N_IN), ChainForwardTest.randomMatrix(rnd, 1, N_IN + N_COMP),
          ChainForwardTest.randomMatrix(rnd, 1, N_IN + N_COMP), ChainForwardTest.randomMatrix(rnd, B, N_OUT));
    }
  }

  /** 1 where the adjacency is nonzero, else 0, flattened. */
  static float[] activeOnly(float[][] c) {
    float[] mask = new float[c.length * c[0].length];
    for (int i = 0; i < c.length; i++) {
      for (int j = 0; j < c[0].length; j++) {
        mask[i * c[0].length + j] = c[i][j] != 0 ? 1 : 0;
      }
    }
    return mask;
  }

  static void assertClose(float[] want, float[] got, String what) {
    assertEquals(want.length, got.length);
    double scale = 0;
    for (float v : want) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], 1e-5 * Math.max(1, scale), what + " [" + i + "]");
    }
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "outputs read act(z): {0}")
  @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
  void iteratedEqualsChainInValueAndGradientAtTheLongestPath(boolean readAct) {
    Case cs = Case.draw(21);
    float[][] c = cs.c(), x = cs.x(), w = cs.w(), b = cs.b(), r = cs.r();
    int longest = java.util.Arrays.stream(LeveledForward.levels(compEntries(c), N_COMP)).max().orElse(0);
    assertTrue(longest >= 2, "test needs a path of at least 2 computational connections, got " + longest);

    List<float[]> chain = valueAndGradients(x, c, w, b, r, -1, readAct);
    String[] names = {"outputs", "d/dx", "d/dadjacency", "d/dw", "d/db"};
    // Gradients w.r.t. adjacency entries that are zero (below the cutoff or outside the DAG)
    // never reach a parameter (the cutoff's relu and the mask stop them), so only active
    // entries are compared; see killedCutoffEntriesGetNoGradientInTheModel for the model level.
    float[] activeOnly = activeOnly(c);
    for (int depth : new int[] {longest, longest + 3, N_COMP - 1}) {
      List<float[]> it = valueAndGradients(x, c, w, b, r, depth, readAct);
      for (int i = 0; i < names.length; i++) {
        float[] want = chain.get(i);
        float[] got = it.get(i);
        if (i == 2) {
          want = times(want, activeOnly);
          got = times(got, activeOnly);
        }
        assertClose(want, got, names[i] + " at depth " + depth);
      }
    }
    // without iterations (computational neurons see only the inputs) it is not the same function
    float[] shallow = valueAndGradients(x, c, w, b, r, 0, readAct).get(0);
    double diff = 0;
    for (int i = 0; i < shallow.length; i++) {
      diff = Math.max(diff, Math.abs(shallow[i] - chain.get(0)[i]));
    }
    assertTrue(diff > 1e-3, "depth 0 should differ from the chain, max difference " + diff);
  }

  /**
   * The level-by-level pass equals the chain in value and gradient, at the levels of the active
   * wiring and with empty levels beyond them.
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "outputs read act(z): {0}")
  @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
  void leveledEqualsChainInValueAndGradient(boolean readAct) {
    Case cs = Case.draw(22);
    float[][] c = cs.c(), x = cs.x(), w = cs.w(), b = cs.b(), r = cs.r();
    int[] level = LeveledForward.levels(compEntries(c), N_COMP);
    int longest = java.util.Arrays.stream(level).max().orElse(0);
    assertTrue(longest >= 2, "test needs a path of at least 2 computational connections, got " + longest);
    // the level order is not the neuron order, so the permutation is exercised
    int[] order = LeveledForward.order(level, longest + 1);
    assertTrue(!java.util.Arrays.equals(order, java.util.stream.IntStream.range(0, N_COMP).toArray()));
    float[] activeOnly = activeOnly(c);
    List<float[]> chain = valueAndGradients(x, c, w, b, r, -1, readAct);
    String[] names = {"outputs", "d/dx", "d/dadjacency", "d/dw", "d/db"};
    for (int levels : new int[] {longest + 1, longest + 4}) {
      List<float[]> lv = valueAndGradients(x, c, w, b, r, 0, levels, readAct);
      for (int i = 0; i < names.length; i++) {
        float[] want = i == 2 ? times(chain.get(i), activeOnly) : chain.get(i);
        float[] got = i == 2 ? times(lv.get(i), activeOnly) : lv.get(i);
        assertClose(want, got, names[i] + " over " + levels + " levels");
      }
    }
  }

  @Test
  void levelsOrderAndSizesFollowTheLongestPaths() {
    // 5 neurons: 0 -> 1 -> 3, 0 -> 2 -> 3, 2 -> 4; neuron 4 has a path of 2, neuron 3 of 2
    long[] edges = {1, 0, 2, 0, 3, 1, 3, 2, 4, 2};
    int[] level = LeveledForward.levels(edges, 5);
    org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {0, 1, 1, 2, 2}, level);
    org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {0, 1, 2, 3, 4}, LeveledForward.order(level, 3));
    org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {1, 2, 2, 0}, LeveledForward.sizes(level, 4));
    // edges in no particular order: 0 -> 2 -> 3, 1 -> 4; levels ordered stably by neuron
    long[] edges2 = {4, 1, 3, 2, 2, 0};
    int[] level2 = LeveledForward.levels(edges2, 5);
    org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {0, 0, 1, 2, 1}, level2);
    org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {0, 1, 2, 4, 3}, LeveledForward.order(level2, 3));
    // no active connection: every neuron on level 0
    org.junit.jupiter.api.Assertions.assertArrayEquals(new int[4], LeveledForward.levels(new long[0], 4));
  }

  static float[] times(float[] a, float[] m) {
    float[] o = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      o[i] = a[i] * m[i];
    }
    return o;
  }

  @Test
  void depthBucketsCoverEveryPossiblePath() {
    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 205), DepthRunner.depths(206));
    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 15), DepthRunner.depths(16));
    assertEquals(List.of(0, 1, 2, 3), DepthRunner.depths(4));
    assertEquals(List.of(0), DepthRunner.depths(1));
  }
}
