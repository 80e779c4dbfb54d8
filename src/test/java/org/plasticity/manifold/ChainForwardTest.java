package org.plasticity.manifold;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.plasticity.config.ManifoldConfig;
import org.plasticity.core.Tensors;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;

class ChainForwardTest {
  static final int N_IN = 3, N_COMP = 6, N_OUT = 2, B = 4;

  static float[][] randomMasked(SplittableRandom r) {
    ManifoldConfig m = ManifoldConfig.newBuilder().setNInput(N_IN).setNComp(N_COMP).setNOutput(N_OUT).build();
    float[][] mask = Closeness.mask(m);
    float[][] c = new float[N_COMP + N_OUT][N_IN + N_COMP];
    for (int i = 0; i < c.length; i++) {
      for (int j = 0; j < c[i].length; j++) {
        c[i][j] = mask[i][j] * (float) (r.nextDouble() * 2 - 1);
      }
    }
    return c;
  }

  static float[][] randomMatrix(SplittableRandom r, int rows, int cols) {
    float[][] m = new float[rows][cols];
    for (float[] row : m) {
      for (int j = 0; j < cols; j++) {
        row[j] = (float) (r.nextDouble() * 2 - 1);
      }
    }
    return m;
  }

  /** Reference: the forward pass neuron by neuron in double precision, straight from the definition. */
  static double[][] reference(float[][] x, float[][] c, float[] w, float[] b, float slope) {
    double[][] out = new double[x.length][N_OUT];
    for (int s = 0; s < x.length; s++) {
      double[] o = new double[N_IN + N_COMP];
      for (int j = 0; j < N_IN; j++) {
        o[j] = x[s][j];
      }
      for (int k = 0; k < N_COMP; k++) {
        double sum = 0;
        for (int j = 0; j < N_IN + k; j++) {
          double z = w[j] * o[j] + b[j];
          sum += c[k][j] * (z > 0 ? z : slope * z);
        }
        o[N_IN + k] = sum;
      }
      for (int q = 0; q < N_OUT; q++) {
        double sum = 0;
        for (int j = 0; j < N_IN + N_COMP; j++) {
          sum += c[N_COMP + q][j] * (w[j] * o[j] + b[j]);
        }
        out[s][q] = sum;
      }
    }
    return out;
  }

  @Test
  void chainMatchesTheDefinitionNeuronByNeuron() {
    SplittableRandom r = new SplittableRandom(3);
    float[][] c = randomMasked(r);
    float[][] x = randomMatrix(r, B, N_IN);
    float[] w = randomMatrix(r, 1, N_IN + N_COMP)[0];
    float[] b = randomMatrix(r, 1, N_IN + N_COMP)[0];
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> out = ChainForward.outputs(tf, N_IN, N_COMP, N_OUT, tf.constant(x), tf.constant(c),
          tf.constant(new float[][] {w}), tf.constant(new float[][] {b}), v -> tf.nn.leakyRelu(v, LeakyRelu.alpha(0.2f)));
      float[] got = Tensors.fetch(s, out);
      double[][] want = reference(x, c, w, b, 0.2f);
      for (int i = 0; i < B; i++) {
        for (int q = 0; q < N_OUT; q++) {
          assertEquals(want[i][q], got[i * N_OUT + q], 1e-5 * (1 + Math.abs(want[i][q])));
        }
      }
    }
  }

  /** The DAG property: perturbing computational neuron k changes no neuron before k. */
  @Test
  void perturbingNeuronKChangesNoEarlierNeuron() {
    SplittableRandom r = new SplittableRandom(5);
    float[][] c = randomMasked(r);
    float[][] x = randomMatrix(r, B, N_IN);
    float[][] w = randomMatrix(r, 1, N_IN + N_COMP);
    float[][] b = randomMatrix(r, 1, N_IN + N_COMP);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> delta = tf.placeholder(TFloat32.class);
      ChainForward.Result res = ChainForward.evaluate(tf, N_IN, N_COMP, N_OUT, tf.constant(x), tf.constant(c),
          tf.constant(w), tf.constant(b), v -> tf.nn.leakyRelu(v, LeakyRelu.alpha(0.2f)), delta);
      float[] base = run(s, res, delta, new float[B * N_COMP]);
      for (int k = 0; k < N_COMP; k++) {
        float[] d = new float[B * N_COMP];
        for (int i = 0; i < B; i++) {
          d[i * N_COMP + k] = 0.5f;
        }
        float[] moved = run(s, res, delta, d);
        boolean laterChanged = false;
        for (int i = 0; i < B; i++) {
          for (int j = 0; j < N_COMP; j++) {
            float before = base[i * N_COMP + j];
            float after = moved[i * N_COMP + j];
            if (j < k) {
              assertEquals(before, after, 0f, "neuron " + j + " moved when neuron " + k + " was perturbed");
            } else if (j > k && before != after) {
              laterChanged = true;
            }
          }
        }
        if (k < N_COMP - 1) {
          assertTrue(laterChanged, "perturbing neuron " + k + " reached no later neuron");
        }
      }
    }
  }

  private static float[] run(Session s, ChainForward.Result res, Placeholder<TFloat32> delta, float[] d) {
    try (TFloat32 t = Tensors.matrix(d, B, N_COMP);
        Result out = s.runner().feed(delta, t).fetch(res.computational()).run()) {
      return Tensors.toArray((TFloat32) out.get(0));
    }
  }

  @Test
  void topologyFindsTheLongestActivePath() {
    ManifoldConfig m = ManifoldConfig.newBuilder().setNInput(2).setNComp(3).setNOutput(1).build();
    // rows comp0, comp1, comp2, out0; columns in0, in1, comp0, comp1, comp2
    float[] c = {
        0.5f, 0, 0, 0, 0,
        0, 0, 0.3f, 0, 0,
        0, 0, 0, 0.2f, 0,
        0, 0.1f, 0, 0, 0.4f};
    Topology t = new Topology(m, c);
    assertEquals(5, t.activeConnections());
    assertEquals(4, t.longestPath()); // in0 -> comp0 -> comp1 -> comp2 -> out0
    boolean[] live = t.live();
    assertArrayEquals(new boolean[] {true, true, true, true, true, true}, live);
    // in->comp, comp->comp, in->out, comp->out, between live neurons
    assertArrayEquals(new long[] {1, 2, 1, 1, 5}, t.connectionsByKind());
    float[] cut = c.clone();
    cut[2 * 5 + 3] = 0; // comp1 -> comp2 removed: comp2 unreachable, comp0/comp1 lead nowhere
    Topology t2 = new Topology(m, cut);
    assertEquals(1, t2.longestPath()); // in1 -> out0
    assertArrayEquals(new boolean[] {false, true, false, false, false, true}, t2.live());
    assertArrayEquals(new long[] {1, 1, 1, 1, 1}, t2.connectionsByKind());
  }
}
