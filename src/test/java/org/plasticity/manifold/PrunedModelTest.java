package org.plasticity.manifold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.plasticity.config.ManifoldConfig;
import org.plasticity.core.Tensors;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;

/** The pruned model computes the dense model's function with fewer neurons and connections. */
class PrunedModelTest {
  // B is above PrunedModel.SPARSE_KERNEL_MIN_BATCH; the first SMALL rows are also served alone,
  // so both kernels of the input stage (MatMul over used inputs, SparseTensorDenseMatMul over all) are checked.
  static final int N_IN = 12, N_COMP = 30, N_OUT = 3, B = 160, SMALL = 16, ODD = 37;

  @TempDir
  Path tmp;

  /** A sparse random adjacency (about 15% of allowed connections active). */
  static float[][] sparse(SplittableRandom r, ManifoldConfig m) {
    float[][] mask = Closeness.mask(m);
    float[][] c = new float[N_COMP + N_OUT][N_IN + N_COMP];
    for (int i = 0; i < c.length; i++) {
      for (int j = 0; j < c[i].length; j++) {
        if (mask[i][j] != 0 && r.nextDouble() < 0.15) {
          c[i][j] = (float) (r.nextDouble() * 2 - 1);
        }
      }
    }
    return c;
  }

  @ParameterizedTest(name = "outputs read act(z): {0}")
  @ValueSource(booleans = {false, true})
  void prunedExportPredictsLikeTheDenseModel(boolean readAct) {
    ManifoldConfig m = ManifoldConfig.newBuilder().setNInput(N_IN).setNComp(N_COMP).setNOutput(N_OUT)
        .setOutputsReadActivation(readAct).build();
    SplittableRandom r = new SplittableRandom(11);
    float[][] c = sparse(r, m);
    // Neurons 0-5 read no input: those that reach an output compute constants, which the pruned
    // model folds into biases. Some of them are read by a later neuron and by an output.
    for (int k = 0; k < 6; k++) {
      java.util.Arrays.fill(c[k], 0, N_IN, 0f);
    }
    c[2][N_IN + 1] = 0.8f;
    c[5][N_IN + 2] = -0.6f;
    c[N_COMP][N_IN + 5] = 0.9f;
    c[25][N_IN + 5] = 0.5f;
    c[N_COMP + 1][N_IN + 2] = -0.7f;
    float[][] x = ChainForwardTest.randomMatrix(r, B, N_IN);
    float[][] w = ChainForwardTest.randomMatrix(r, 1, N_IN + N_COMP);
    float[][] b = ChainForwardTest.randomMatrix(r, 1, N_IN + N_COMP);
    float[] dense;
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      UnaryOperator<Operand<TFloat32>> act = v -> tf.nn.leakyRelu(v, LeakyRelu.alpha(0.2f));
      Operand<TFloat32> out = ChainForward.outputs(tf, N_IN, N_COMP, N_OUT, tf.constant(x), tf.constant(c),
          tf.constant(w), tf.constant(b), act, readAct ? act : v -> v);
      dense = Tensors.fetch(s, tf.math.square(out));
    }
    float[] flat = new float[c.length * c[0].length];
    for (int i = 0; i < c.length; i++) {
      System.arraycopy(c[i], 0, flat, i * c[0].length, c[0].length);
    }
    PrunedModel p = new PrunedModel(m, flat, w[0], b[0]);
    assertTrue(p.keptNeurons() < N_COMP, "nothing was pruned");
    assertTrue(p.constantNeurons() >= 2 && p.foldedConnections() >= 4, p.describe().toString());
    assertTrue(p.keptNeurons() <= N_COMP - 6, "neurons 0-5 computed per example");
    assertTrue(p.depth() >= 1 && p.depth() <= p.keptNeurons());
    long allowedActive = new Topology(m, flat).activeConnections();
    assertTrue(p.keptConnections() <= allowedActive);

    Path dir = tmp.resolve("pruned");
    p.export(dir, "x");
    assertTrue(B >= PrunedModel.SPARSE_KERNEL_MIN_BATCH && SMALL < PrunedModel.SPARSE_KERNEL_MIN_BATCH);
    assertTrue(ODD >= PrunedModel.SPARSE_KERNEL_MIN_BATCH && ODD % PrunedModel.TRANSPOSE_TILE != 0
        && B % PrunedModel.TRANSPOSE_TILE == 0);
    float[] flatX = new float[B * N_IN];
    for (int i = 0; i < B; i++) {
      System.arraycopy(x[i], 0, flatX, i * N_IN, N_IN);
    }
    // TF's default session options, then every op in the calling thread (the latency setting)
    for (boolean callingThread : new boolean[] {false, true}) {
      try (SavedModelBundle bundle = org.plasticity.core.Sessions.loadExport(dir, callingThread)) {
        java.util.Set<String> types = new java.util.HashSet<>();
        bundle.graph().operations().forEachRemaining(op -> types.add(op.type()));
        assertTrue(types.containsAll(java.util.List.of("Switch", "Merge", "SparseTensorDenseMatMul", "MatMul")), "kernels: " + types);
        // SMALL: the latency branch; B (a multiple of the transposition's tile) and ODD (not one):
        // the throughput branch, with its tiled and its single input transposition
        for (int rows : new int[] {SMALL, ODD, B}) {
          try (TFloat32 in = Tensors.matrix(java.util.Arrays.copyOf(flatX, rows * N_IN), rows, N_IN);
              Result res = bundle.function("serving_default").call(Map.of("x", in))) {
            float[] pruned = Tensors.toArray((TFloat32) res.get("logits").orElseThrow());
            assertEquals(rows * N_OUT, pruned.length);
            for (int i = 0; i < pruned.length; i++) {
              assertEquals(dense[i], pruned[i], 1e-5f * (1 + Math.abs(dense[i])),
                  "batch " + rows + ", logit " + i + (callingThread ? ", calling thread" : ""));
            }
          }
        }
      }
    }
  }
}
