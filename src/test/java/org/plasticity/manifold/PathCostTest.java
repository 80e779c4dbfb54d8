package org.plasticity.manifold;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.plasticity.config.ManifoldConfig;
import org.plasticity.core.Tensors;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** What the time term counts with time_paths_only is what the pruned export computes. */
class PathCostTest {
  static final int N_IN = 12, N_COMP = 30, N_OUT = 3;

  /**
   * A random sparse wiring whose neurons 0-5 read no input (some reach an output: constants) and
   * whose neuron 29 reaches no output: the flags, in Java and in the graph, give PrunedModel's
   * computed connections and neurons, fewer than the active ones.
   */
  @Test
  void hardCountsAreThePrunedExportsAndTheGraphSweepAgreesWithJava() {
    ManifoldConfig m = ManifoldConfig.newBuilder().setNInput(N_IN).setNComp(N_COMP).setNOutput(N_OUT).build();
    for (long seed = 1; seed <= 5; seed++) {
      float[][] c = PrunedModelTest.sparse(new SplittableRandom(seed), m);
      for (int k = 0; k < 6; k++) {
        java.util.Arrays.fill(c[k], 0, N_IN, 0f);
      }
      c[N_COMP][N_IN + 3] = 0.9f;
      c[20][N_IN + 4] = 0.5f;
      for (int o = 0; o < N_OUT; o++) {
        c[N_COMP + o][N_IN + N_COMP - 1] = 0f;
      }
      float[] flat = new float[c.length * c[0].length];
      for (int i = 0; i < c.length; i++) {
        System.arraycopy(c[i], 0, flat, i * c[0].length, c[0].length);
      }
      PrunedModel p = new PrunedModel(m, flat, new float[N_IN + N_COMP], new float[N_IN + N_COMP]);

      List<Long> edges = new ArrayList<>();
      boolean[] fromInput = new boolean[N_COMP];
      boolean[] toOutput = new boolean[N_COMP];
      long active = 0;
      float[][] mask = new float[c.length][c[0].length];
      for (int r = 0; r < c.length; r++) {
        for (int j = 0; j < c[r].length; j++) {
          if (c[r][j] == 0f) {
            continue;
          }
          active++;
          mask[r][j] = 1f;
          if (r < N_COMP && j < N_IN) {
            fromInput[r] = true;
          } else if (r < N_COMP) {
            edges.add((long) r);
            edges.add((long) (j - N_IN));
          } else if (j >= N_IN) {
            toOutput[j - N_IN] = true;
          }
        }
      }
      float[][] flags = PathCost.flags(edges.stream().mapToLong(Long::longValue).toArray(), fromInput, toOutput, N_COMP);
      assertEquals(0f, flags[1][N_COMP - 1], "neuron 29 reaches no output");
      try (Graph g = new Graph(); Session s = new Session(g)) {
        Ops tf = Ops.create(g);
        List<Operand<TFloat32>> hard = blocks(tf, mask);
        List<Operand<TFloat32>> inGraph = PathCost.flags(tf, hard.get(0), hard.get(1), hard.get(3), N_COMP);
        assertArrayEquals(flags[0], Tensors.fetch(s, inGraph.get(0)), "reached, seed " + seed);
        assertArrayEquals(flags[1], Tensors.fetch(s, inGraph.get(1)), "reaches an output, seed " + seed);
        PathCost.Counts counts = PathCost.counts(tf, hard, tf.constant(column(flags[0])), tf.constant(column(flags[1])));
        assertEquals(p.keptConnections(), Tensors.fetch(s, counts.connections())[0], "connections, seed " + seed);
        assertEquals(p.keptNeurons(), Tensors.fetch(s, counts.neurons())[0], "neurons, seed " + seed);
      }
      assertTrue(p.keptConnections() < active, "the wiring has connections the export does not compute");
    }
  }

  private static float[][] column(float[] v) {
    float[][] c = new float[v.length][1];
    for (int i = 0; i < v.length; i++) {
      c[i][0] = v[i];
    }
    return c;
  }

  /** The four blocks of an [n_dst, n_src] matrix, as constants. */
  private static List<Operand<TFloat32>> blocks(Ops tf, float[][] full) {
    int[][] ranges = {{0, N_COMP, 0, N_IN}, {0, N_COMP, N_IN, N_IN + N_COMP}, {N_COMP, N_COMP + N_OUT, 0, N_IN},
        {N_COMP, N_COMP + N_OUT, N_IN, N_IN + N_COMP}};
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (int[] r : ranges) {
      float[][] b = new float[r[1] - r[0]][r[3] - r[2]];
      for (int i = 0; i < b.length; i++) {
        System.arraycopy(full[r[0] + i], r[2], b[i], 0, b[i].length);
      }
      out.add(tf.constant(b));
    }
    return out;
  }
}
