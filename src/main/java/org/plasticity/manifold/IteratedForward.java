package org.plasticity.manifold;

import java.util.List;
import java.util.function.UnaryOperator;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/**
 * The DAG forward pass as a fixed-point iteration over whole layers of neurons:
 *
 * <pre>
 *   out(0)   = P                              (input contributions only)
 *   out(t+1) = P + act(out(t) w + b) C^T       (C: computational -> computational block)
 * </pre>
 *
 * C is strictly lower triangular, and entries below the cutoff are exactly zero, so out(t) is
 * exact for every neuron whose longest incoming path of active computational connections has
 * at most t edges. With t = L, the longest such path in the network, the result equals the
 * neuron-by-neuron chain exactly as a function of the active entries, hence also in value and
 * gradient: L matrix products instead of n_comp sequential steps. {@link ManifoldModel}
 * pre-builds several depths and picks the smallest that covers the current L.
 */
public final class IteratedForward {
  private IteratedForward() {}

  /** Output neurons [B, n_out] after {@code iterations} layer updates. */
  public static Operand<TFloat32> outputs(Ops tf, int nIn, int nComp, int nOut, Operand<TFloat32> x,
      Operand<TFloat32> adjacency, Operand<TFloat32> w, Operand<TFloat32> b, UnaryOperator<Operand<TFloat32>> act,
      int iterations) {
    return outputs(tf, nIn, nComp, nOut, x, adjacency, w, b, act, v -> v, iterations);
  }

  /** The same, the output neurons reading readout(z) of their sources (see {@link ChainForward}). */
  public static Operand<TFloat32> outputs(Ops tf, int nIn, int nComp, int nOut, Operand<TFloat32> x,
      Operand<TFloat32> adjacency, Operand<TFloat32> w, Operand<TFloat32> b, UnaryOperator<Operand<TFloat32>> act,
      UnaryOperator<Operand<TFloat32>> readout, int iterations) {
    List<Operand<TFloat32>> rows = ChainForward.splitV(tf, adjacency, new int[] {nComp, nOut}, 0);
    List<Operand<TFloat32>> comp = ChainForward.splitV(tf, rows.get(0), new int[] {nIn, nComp}, 1);
    List<Operand<TFloat32>> out = ChainForward.splitV(tf, rows.get(1), new int[] {nIn, nComp}, 1);
    return outputs(tf, nIn, nComp, x, List.of(comp.get(0), comp.get(1), out.get(0), out.get(1)), w, b, act, readout,
        iterations);
  }

  /**
   * The same from the four adjacency blocks (input->computational [n_comp, n_in],
   * computational->computational [n_comp, n_comp], input->output [n_out, n_in],
   * computational->output [n_out, n_comp]); the output is r(zIn) A_io^T + r(zComp) A_co^T with r
   * the readout (identity in the original, act with the readout switch).
   */
  public static Operand<TFloat32> outputs(Ops tf, int nIn, int nComp, Operand<TFloat32> x,
      List<Operand<TFloat32>> blocks, Operand<TFloat32> w, Operand<TFloat32> b, UnaryOperator<Operand<TFloat32>> act,
      UnaryOperator<Operand<TFloat32>> readout, int iterations) {
    List<Operand<TFloat32>> wSplit = ChainForward.splitV(tf, w, new int[] {nIn, nComp}, 1);
    List<Operand<TFloat32>> bSplit = ChainForward.splitV(tf, b, new int[] {nIn, nComp}, 1);
    Operand<TFloat32> zIn = tf.math.add(tf.math.mul(x, wSplit.get(0)), bSplit.get(0));
    MatMul.Options tb = MatMul.transposeB(true);
    Operand<TFloat32> aIn = act.apply(zIn);
    Operand<TFloat32> p = tf.linalg.matMul(aIn, blocks.get(0), tb);
    Operand<TFloat32> out = p;
    for (int t = 0; t < iterations; t++) {
      Operand<TFloat32> z = tf.math.add(tf.math.mul(out, wSplit.get(1)), bSplit.get(1));
      out = tf.math.add(p, tf.linalg.matMul(act.apply(z), blocks.get(1), tb));
    }
    Operand<TFloat32> zComp = tf.math.add(tf.math.mul(out, wSplit.get(1)), bSplit.get(1));
    // The readout of the inputs reuses act(zIn) when it is the activation (one op fewer).
    Operand<TFloat32> rIn = readout == act ? aIn : readout.apply(zIn);
    return tf.math.add(tf.linalg.matMul(rIn, blocks.get(2), tb), tf.linalg.matMul(readout.apply(zComp), blocks.get(3), tb));
  }
}
