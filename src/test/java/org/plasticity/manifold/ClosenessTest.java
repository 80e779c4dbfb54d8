package org.plasticity.manifold;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.plasticity.config.ManifoldConfig;
import org.plasticity.core.Tensors;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class ClosenessTest {
  private static float[] eval(Graph g, Operand<TFloat32> op) {
    try (Session s = new Session(g)) {
      return Tensors.fetch(s, op);
    }
  }

  private static Operand<TFloat32> col(Ops tf, float v) {
    return tf.constant(new float[][] {{v}});
  }

  /**
   * One output neuron reading three inputs at positions p = 0, 1, 2, period 4, with raw
   * parameters chosen so the transforms give alpha = 0.5, beta = 1, gamma = 0.5, theta = 1,
   * phi = pi/2, sigma = 2, mu = 0. By hand:
   * p=0: gauss 1, sin(pi/2) = 1, sinp = 1.001, d = 0.5 * (1.001 - 0.5) = 0.2505;
   * p=1: gauss exp(-1/8), sin(pi) = 0, sinp = 0.501, d = 0.5 * 0.8824969 * 0.001 = 4.412485e-4;
   * p=2: gauss exp(-1/2), sin(3pi/2) = -1, sinp = 0.001, d = 0.5 * 0.6065307 * -0.499 = -0.1513294.
   */
  @Test
  void closenessMatchesHandComputedValues() {
    ManifoldConfig m = ManifoldConfig.newBuilder().setNInput(3).setNComp(0).setNOutput(1).setPeriod(4).build();
    assertArrayEquals(new float[] {0, 1, 2}, Closeness.positions(m)[0]);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Closeness.Params q = new Closeness.Params(
          col(tf, (float) Math.log(3)), col(tf, 0f), col(tf, 0f), col(tf, 0f),
          col(tf, (float) (Math.PI / 2)), col(tf, (float) Math.log(Math.exp(2) - 1)), col(tf, 0f));
      float[] d = eval(g, Closeness.raw(tf, m, q, tf.constant(Closeness.positions(m))));
      assertEquals(0.2505f, d[0], 1e-5);
      assertEquals(4.412485e-4f, d[1], 1e-6);
      assertEquals(-0.1513294f, d[2], 1e-5);
    }
  }

  /**
   * 2-D receptive fields: a 3-pixel-wide image of two rows, one computational neuron reading the
   * six pixels and itself-free computational columns, one output neuron. Raw parameters give the
   * computational neuron a = 2 sigmoid(ln 3) - 1 = 0.5, centre (0, 1), width softplus(ln(e - 1)) = 1:
   * pixel (y, x) has d = 0.5 exp(-((y - 0)^2 + (x - 1)^2) / 2), e.g. 0.5 at (0, 1), 0.5 e^-1 at
   * (1, 0); the computational column keeps the 1-D function (here p = 6 - 6 + disp).
   */
  @Test
  void inputPlaneGivesEachNeuronA2dGaussianOverThePixels() {
    ManifoldConfig m = ManifoldConfig.newBuilder().setNInput(6).setNComp(1).setNOutput(1).setPeriod(3)
        .setInputPlane(true).build();
    float[][] yx = Closeness.pixelCoordinates(m);
    assertArrayEquals(new float[] {0, 0, 0, 1, 1, 1}, yx[0]);
    assertArrayEquals(new float[] {0, 1, 2, 0, 1, 2}, yx[1]);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> two = tf.constant(new float[][] {{0f}, {0f}});
      Closeness.Plane plane = new Closeness.Plane(tf.constant(new float[][] {{(float) Math.log(3)}, {0f}}),
          tf.constant(new float[][] {{0f}, {1f}}), tf.constant(new float[][] {{1f}, {1f}}),
          tf.constant(new float[][] {{(float) Math.log(Math.E - 1)}, {0f}}));
      Operand<TFloat32> alpha = tf.constant(new float[][] {{(float) Math.log(3)}, {(float) Math.log(3)}});
      Operand<TFloat32> sigma = tf.constant(new float[][] {{1f}, {1f}});
      Closeness.Params q = new Closeness.Params(alpha, two, two, two, two, sigma, two, plane);
      float[] d = eval(g, Closeness.raw(tf, m, q, tf.constant(Closeness.positions(m))));
      assertEquals(2 * 7, d.length);
      float[] row0 = java.util.Arrays.copyOfRange(d, 0, 6);
      double e1 = Math.exp(-0.5);
      assertArrayEquals(new float[] {(float) (0.5 * e1), 0.5f, (float) (0.5 * e1), (float) (0.5 * e1 * e1),
          (float) (0.5 * e1), (float) (0.5 * e1 * e1)}, row0, 1e-6f);
      // the output neuron's field amplitude is 2 sigmoid(0) - 1 = 0: no field at all
      assertArrayEquals(new float[6], java.util.Arrays.copyOfRange(d, 7, 13), 1e-7f);
      // the computational column (source 6) keeps the 1-D function of the same parameters
      float[] oneD = eval(g, Closeness.raw(tf, m.toBuilder().setInputPlane(false).build(),
          new Closeness.Params(alpha, two, two, two, two, sigma, two), tf.constant(Closeness.positions(m))));
      org.junit.jupiter.api.Assertions.assertNotEquals(0f, oneD[13]);
      assertEquals(oneD[6], d[6], 1e-7f);
      assertEquals(oneD[13], d[13], 1e-7f);
    }
  }

  @Test
  void inputPlaneNeedsAWidthThatDividesTheInputs() {
    ManifoldConfig m = ManifoldConfig.newBuilder().setNInput(7).setNComp(1).setNOutput(1).setPeriod(3)
        .setInputPlane(true).build();
    org.plasticity.core.UserError e = org.junit.jupiter.api.Assertions.assertThrows(
        org.plasticity.core.UserError.class, () -> Closeness.pixelCoordinates(m));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("manifold.period"), e.getMessage());
    // the same check, naming the switch, for deskewed inputs (built with the model's inputs)
    ManifoldConfig d = m.toBuilder().setInputPlane(false).setDeskewInputs(true).build();
    try (org.tensorflow.Graph g = new org.tensorflow.Graph()) {
      org.tensorflow.op.Ops tf = org.tensorflow.op.Ops.create(g);
      org.plasticity.core.UserError de = org.junit.jupiter.api.Assertions.assertThrows(
          org.plasticity.core.UserError.class, () -> ManifoldModel.inputs(tf, d, tf.constant(new float[1][7])));
      org.junit.jupiter.api.Assertions.assertEquals("manifold.period: with deskew_inputs expected the image width,"
          + " a whole number dividing n_input (7), got 3.0", de.getMessage());
    }
  }

  @Test
  void cutoffShrinksRenormalisesAndMasks() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> d = tf.constant(new float[][] {{0.5f, -0.5f, 0.1f, -0.2f, 1.0f, 0.9f}});
      Operand<TFloat32> mask = tf.constant(new float[][] {{1, 1, 1, 1, 1, 0}});
      float[] n = eval(g, Closeness.applyCutoff(tf, d, tf.constant(0.25f), mask));
      // (|d| - c) / (1 - c) with the sign kept; below the cutoff 0; masked entries 0
      assertArrayEquals(new float[] {1f / 3, -1f / 3, 0f, 0f, 1f, 0f}, n, 1e-6f);
    }
  }

  @Test
  void maskCountIsTheOriginalsMaxConnections() {
    ManifoldConfig mnist = ManifoldConfig.getDefaultInstance();
    assertEquals(192_519, Closeness.maxConnections(mnist));
    assertEquals(192_519, count(Closeness.mask(mnist)));
    ManifoldConfig toy = ManifoldConfig.newBuilder().setNInput(5).setNComp(16).setNOutput(4).build();
    assertEquals(284, Closeness.maxConnections(toy));
    assertEquals(284, count(Closeness.mask(toy)));
  }

  @Test
  void positionsStartAtTheFirstInputAndEndAtTheLastComputationalNeuron() {
    ManifoldConfig mnist = ManifoldConfig.getDefaultInstance();
    float[][] p = Closeness.positions(mnist);
    // first computational neuron (i = 784): disp 784, p = j
    assertEquals(0f, p[0][0]);
    assertEquals(500f, p[0][500]);
    // last output neuron (i = 999): disp 10, p = j - 989, zero at the last computational neuron
    assertEquals(0f, p[215][989]);
    assertEquals(-989f, p[215][0]);
  }

  @Test
  void flowLossIsSquaredDifferenceOfInflowAndOutflow() {
    // n_in 2, n_comp 2, n_out 1: rows = comp0, comp1, out0; columns = in0, in1, comp0, comp1
    float[][] c = {
        {0.5f, -0.25f, 0f, 0f},
        {0.1f, 0f, -0.3f, 0f},
        {0.7f, 0.2f, 0.4f, -0.6f}};
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      float[] flow = eval(g, Closeness.flowLoss(tf, tf.constant(c), 2, 2, 1));
      double inflow = 0.5 + 0.25 + 0.1; // input -> computational
      double outflow = 0.4 + 0.6; // computational -> output
      assertEquals((float) ((inflow - outflow) * (inflow - outflow)), flow[0], 1e-6);
    }
  }

  private static int count(float[][] m) {
    int n = 0;
    for (float[] r : m) {
      for (float v : r) {
        n += v != 0 ? 1 : 0;
      }
    }
    return n;
  }
}
