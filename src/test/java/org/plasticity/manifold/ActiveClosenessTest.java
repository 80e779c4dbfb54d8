package org.plasticity.manifold;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.plasticity.config.ManifoldConfig;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

class ActiveClosenessTest {
  private static final int N_IN = 40;
  private static final int N_COMP = 25;
  private static final int N_OUT = 5;

  /**
   * The search that feeds the next step (windows of columns around each neuron's mean, then the
   * closeness on the windows only) finds exactly the entries above the cutoff that a test of every
   * entry of the full closeness finds, in the same row-major order, block by block. Parameters are
   * drawn wide: narrow and very wide Gaussians, means inside and far outside the positions, zero
   * and full amplitudes, a NaN-free range of every factor.
   */
  @ParameterizedTest(name = "seed {0}, 2-D receptive fields: {1}")
  @CsvSource({"1, false", "2, false", "3, false", "4, false", "1, true", "2, true", "3, true"})
  void windowSearchFindsExactlyTheEntriesAboveTheCutoff(long seed, boolean plane) {
    // with input_plane the inputs are a 5 x 8 image, and its two input blocks are searched by disc
    ManifoldConfig m = ManifoldConfig.newBuilder().setNInput(N_IN).setNComp(N_COMP).setNOutput(N_OUT)
        .setPeriod(plane ? 8 : 7).setInputPlane(plane).build();
    int nDst = N_COMP + N_OUT;
    int nSrc = N_IN + N_COMP;
    Random r = new Random(seed);
    float cutoff = 0.02f + 0.1f * r.nextFloat();
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Closeness.Params q = new Closeness.Params(column(tf, r, nDst, 0f, 3f, 0.1), column(tf, r, nDst, 0f, 1f, 0),
          column(tf, r, nDst, 0f, 2f, 0), column(tf, r, nDst, 0f, 1f, 0), column(tf, r, nDst, 0f, 3f, 0),
          column(tf, r, nDst, 1f, 4f, 0.1), column(tf, r, nDst, 0f, 40f, 0.1),
          plane ? new Closeness.Plane(column(tf, r, nDst, 0f, 3f, 0.1), column(tf, r, nDst, 2f, 4f, 0),
              column(tf, r, nDst, 4f, 6f, 0), column(tf, r, nDst, 0f, 2f, 0)) : null);
      Operand<TFloat32> c = tf.constant(cutoff);
      ActiveCloseness.Carry carry = new ActiveCloseness(m).carry(tf, m, q, c);
      Operand<TFloat32> full = Closeness.raw(tf, m, q, tf.constant(Closeness.positions(m)));
      Session.Runner run = s.runner();
      carry.fed().forEach(run::fetch);
      run.fetch(full);
      try (Result res = run.run()) {
        float[] d = new float[nDst * nSrc];
        ((TFloat32) res.get(4)).asRawTensor().data().asFloats().read(d);
        // block origin (row, column) and size, as ActiveCloseness keeps them
        int[][] blocks = {{0, 0, N_COMP, N_IN}, {0, N_IN, N_COMP, N_COMP}, {N_COMP, 0, N_OUT, N_IN},
            {N_COMP, N_IN, N_OUT, N_COMP}};
        int total = 0;
        for (int k = 0; k < 4; k++) {
          List<Long> want = new ArrayList<>();
          for (int row = 0; row < blocks[k][2]; row++) {
            for (int col = 0; col < blocks[k][3]; col++) {
              boolean dag = k != 1 || col < row;
              if (dag && Math.abs(d[(blocks[k][0] + row) * nSrc + blocks[k][1] + col]) > cutoff) {
                want.add((long) row);
                want.add((long) col);
              }
            }
          }
          TInt64 got = (TInt64) res.get(k);
          long[] idx = new long[(int) got.shape().size()];
          got.asRawTensor().data().asLongs().read(idx);
          assertArrayEquals(want.stream().mapToLong(Long::longValue).toArray(), idx, "block " + k + ", seed " + seed);
          total += want.size() / 2;
        }
        assertTrue(total > 20 && total < nDst * nSrc / 2, "a mixed wiring: " + total + " active entries");
      }
    }
  }

  /** A raw parameter column [n, 1]: normal(mean, sd), with a fraction {@code zeros} set to exactly zero. */
  private static Operand<TFloat32> column(Ops tf, Random r, int n, float mean, float sd, double zeros) {
    float[][] v = new float[n][1];
    for (int i = 0; i < n; i++) {
      v[i][0] = r.nextDouble() < zeros ? 0f : (float) (mean + sd * r.nextGaussian());
    }
    return tf.constant(v);
  }
}
