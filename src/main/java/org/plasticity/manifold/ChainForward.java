package org.plasticity.manifold;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The DAG forward pass evaluated neuron by neuron, as the original defines it:
 *
 * <pre>
 *   z_j          = w_j out_j + b_j                         (per-source weight and bias)
 *   out_comp_i   = sum_{j<i} d_ij act(z_j)
 *   out_output_i = sum_{j}   d_ij z_j                      (linear; with the readout switch
 *                                                          sum_j d_ij act(z_j))
 * </pre>
 *
 * The input-to-computational block is one matrix product; the computational chain is an
 * accumulator: neuron k reads column k of the running pre-activations, then adds the outer
 * product of its activation with column k of the comp-to-comp block to every later neuron.
 */
public final class ChainForward {
  private ChainForward() {}

  /** Output neurons [B, n_out] and computational neuron outputs [B, n_comp] (null when n_comp is 0). */
  public record Result(Operand<TFloat32> outputs, Operand<TFloat32> computational) {}

  /** The output neurons [B, n_out] (before any squaring), reading the linear z of their sources. */
  public static Operand<TFloat32> outputs(Ops tf, int nIn, int nComp, int nOut, Operand<TFloat32> x,
      Operand<TFloat32> closeness, Operand<TFloat32> w, Operand<TFloat32> b, UnaryOperator<Operand<TFloat32>> act) {
    return outputs(tf, nIn, nComp, nOut, x, closeness, w, b, act, v -> v);
  }

  /** The same, the output neurons reading readout(z_j) of each source (identity: the original). */
  public static Operand<TFloat32> outputs(Ops tf, int nIn, int nComp, int nOut, Operand<TFloat32> x,
      Operand<TFloat32> closeness, Operand<TFloat32> w, Operand<TFloat32> b, UnaryOperator<Operand<TFloat32>> act,
      UnaryOperator<Operand<TFloat32>> readout) {
    return evaluate(tf, nIn, nComp, nOut, x, closeness, w, b, act, readout, null).outputs();
  }

  /**
   * @param x inputs [B, n_in]
   * @param closeness effective adjacency [n_comp + n_out, n_in + n_comp]
   * @param w per-source weights [1, n_in + n_comp]
   * @param b per-source biases [1, n_in + n_comp]
   * @param perturb optional [B, n_comp] added to each computational neuron's output before it is
   *     sent on (for probing the DAG property), or null
   */
  public static Result evaluate(Ops tf, int nIn, int nComp, int nOut, Operand<TFloat32> x,
      Operand<TFloat32> closeness, Operand<TFloat32> w, Operand<TFloat32> b, UnaryOperator<Operand<TFloat32>> act,
      Operand<TFloat32> perturb) {
    return evaluate(tf, nIn, nComp, nOut, x, closeness, w, b, act, v -> v, perturb);
  }

  /** As above, the output neurons reading readout(z_j) of each source j. */
  public static Result evaluate(Ops tf, int nIn, int nComp, int nOut, Operand<TFloat32> x,
      Operand<TFloat32> closeness, Operand<TFloat32> w, Operand<TFloat32> b, UnaryOperator<Operand<TFloat32>> act,
      UnaryOperator<Operand<TFloat32>> readout, Operand<TFloat32> perturb) {
    List<Operand<TFloat32>> perturbCols = null;
    // Split the matrix into its three blocks once (SplitV's gradient is one concat).
    List<Operand<TFloat32>> rows = splitV(tf, closeness, new int[] {nComp, nOut}, 0);
    Operand<TFloat32> compRows = rows.get(0);
    Operand<TFloat32> outRows = rows.get(1);
    List<Operand<TFloat32>> compBlocks = splitV(tf, compRows, new int[] {nIn, nComp}, 1);
    Operand<TFloat32> inToComp = compBlocks.get(0);   // [n_comp, n_in]
    Operand<TFloat32> compToComp = compBlocks.get(1); // [n_comp, n_comp], strictly lower triangular

    List<Operand<TFloat32>> wSplit = splitV(tf, w, new int[] {nIn, nComp}, 1);
    List<Operand<TFloat32>> bSplit = splitV(tf, b, new int[] {nIn, nComp}, 1);
    Operand<TFloat32> zIn = tf.math.add(tf.math.mul(x, wSplit.get(0)), bSplit.get(0));
    if (nComp == 0) {
      return new Result(tf.linalg.matMul(readout.apply(zIn), outRows, org.tensorflow.op.linalg.MatMul.transposeB(true)), null);
    }
    if (perturb != null) {
      perturbCols = splitV(tf, perturb, ones(nComp), 1);
    }
    Operand<TFloat32> acc = tf.linalg.matMul(act.apply(zIn), inToComp, org.tensorflow.op.linalg.MatMul.transposeB(true));

    List<Operand<TFloat32>> wc = unstackColumns(tf, wSplit.get(1), nComp);
    List<Operand<TFloat32>> bc = unstackColumns(tf, bSplit.get(1), nComp);
    // Row k of the transpose is what neuron k sends to every later neuron.
    List<Operand<TFloat32>> sends = unstackRows(tf, tf.linalg.transpose(compToComp, tf.constant(new int[] {1, 0})), nComp);
    List<Operand<TFloat32>> z = new ArrayList<>(nComp);
    List<Operand<TFloat32>> outs = new ArrayList<>(nComp);
    for (int k = 0; k < nComp; k++) {
      Operand<TFloat32> outK = tf.stridedSlice(acc,
          org.tensorflow.ndarray.index.Indices.all(), org.tensorflow.ndarray.index.Indices.slice(k, k + 1));
      if (perturbCols != null) {
        outK = tf.math.add(outK, perturbCols.get(k));
      }
      outs.add(outK);
      Operand<TFloat32> zK = tf.math.add(tf.math.mul(outK, wc.get(k)), bc.get(k));
      z.add(zK);
      if (k < nComp - 1) {
        acc = tf.math.add(acc, tf.linalg.matMul(act.apply(zK), sends.get(k)));
      }
    }
    Operand<TFloat32> zAll = tf.concat(List.of(zIn, tf.concat(z, tf.constant(1))), tf.constant(1));
    return new Result(tf.linalg.matMul(readout.apply(zAll), outRows, org.tensorflow.op.linalg.MatMul.transposeB(true)),
        tf.concat(outs, tf.constant(1)));
  }

  static List<Operand<TFloat32>> splitV(Ops tf, Operand<TFloat32> t, int[] sizes, int axis) {
    var s = tf.splitV(t, tf.constant(sizes), tf.constant(axis), (long) sizes.length);
    List<Operand<TFloat32>> out = new ArrayList<>();
    s.output().forEach(out::add);
    return out;
  }

  /** Columns of a [1, n] row as n tensors of shape [1, 1]. */
  private static List<Operand<TFloat32>> unstackColumns(Ops tf, Operand<TFloat32> row, int n) {
    return splitV(tf, row, ones(n), 1);
  }

  /** Rows of an [n, m] matrix as n tensors of shape [1, m]. */
  private static List<Operand<TFloat32>> unstackRows(Ops tf, Operand<TFloat32> m, int n) {
    return splitV(tf, m, ones(n), 0);
  }

  private static int[] ones(int n) {
    int[] o = new int[n];
    java.util.Arrays.fill(o, 1);
    return o;
  }
}
