package org.plasticity.manifold;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What the pruned export computes per example, for the time term with {@code time_paths_only}:
 * a computational neuron is computed when an input reaches it and it reaches an output through
 * active connections; a connection when its source is an input or such a reached neuron and its
 * destination an output or a neuron that reaches one ({@link PrunedModel} folds the others into
 * constants or drops them). The two flags per neuron are read from the active (hard) wiring,
 * forward only; the soft counts weighted by them carry the gradient of the soft activity of what
 * is counted. With hard gates the counts are {@link PrunedModel#keptConnections} and
 * {@link PrunedModel#keptNeurons}.
 */
final class PathCost {
  /** Soft counts of the computed connections and computational neurons. */
  record Counts(Operand<TFloat32> connections, Operand<TFloat32> neurons) {}

  private PathCost() {}

  /**
   * The flags from the active wiring, in Java (the step runner's, as it reads the depth):
   * {reached, reachesOutput}, 0 or 1 per computational neuron.
   *
   * @param compEdges active computational-to-computational entries, row-major pairs (destination,
   *     source), both computational indices, source < destination
   * @param fromInput whether each computational neuron has an active connection from an input
   * @param toOutput whether each computational neuron has an active connection to an output
   */
  static float[][] flags(long[] compEdges, boolean[] fromInput, boolean[] toOutput, int nComp) {
    List<List<Integer>> sources = new ArrayList<>();
    List<List<Integer>> readers = new ArrayList<>();
    for (int i = 0; i < nComp; i++) {
      sources.add(new ArrayList<>());
      readers.add(new ArrayList<>());
    }
    for (int e = 0; e + 1 < compEdges.length; e += 2) {
      int dst = (int) compEdges[e];
      int src = (int) compEdges[e + 1];
      sources.get(dst).add(src);
      readers.get(src).add(dst);
    }
    float[] reached = new float[nComp];
    for (int i = 0; i < nComp; i++) {
      boolean r = fromInput[i];
      for (int j = 0; j < sources.get(i).size() && !r; j++) {
        r = reached[sources.get(i).get(j)] == 1f;
      }
      reached[i] = r ? 1f : 0f;
    }
    float[] reachesOutput = new float[nComp];
    for (int i = nComp - 1; i >= 0; i--) {
      boolean r = toOutput[i];
      for (int k = 0; k < readers.get(i).size() && !r; k++) {
        r = reachesOutput[readers.get(i).get(k)] == 1f;
      }
      reachesOutput[i] = r ? 1f : 0f;
    }
    return new float[][] {reached, reachesOutput};
  }

  /**
   * The same flags in the graph, forward only, from the active masks (1 where active) of the
   * input-to-computational [n_comp, n_in], computational-to-computational [n_comp, n_comp]
   * (strictly lower) and computational-to-output [n_out, n_comp] blocks: n_comp - 1 sweeps of
   * r = max(direct, min(1, A r)), exact since no path is longer. For the chain, whose step has no
   * runner to compute them.
   *
   * @return {reached, reachesOutput}, each [n_comp, 1]
   */
  static List<Operand<TFloat32>> flags(Ops tf, Operand<TFloat32> inComp, Operand<TFloat32> compComp,
      Operand<TFloat32> compOut, int nComp) {
    Operand<TFloat32> fromInput = tf.max(inComp, tf.constant(1), org.tensorflow.op.core.Max.keepDims(true));
    Operand<TFloat32> toOutput = tf.reshape(tf.max(compOut, tf.constant(0)), tf.constant(new int[] {-1, 1}));
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> reached = fromInput;
    Operand<TFloat32> reachesOutput = toOutput;
    for (int s = 1; s < nComp; s++) {
      reached = tf.math.maximum(fromInput, tf.math.minimum(one, tf.linalg.matMul(compComp, reached)));
      reachesOutput = tf.math.maximum(toOutput, tf.math.minimum(one,
          tf.linalg.matMul(compComp, reachesOutput, org.tensorflow.op.linalg.MatMul.transposeA(true))));
    }
    return List.of(tf.stopGradient(reached), tf.stopGradient(reachesOutput));
  }

  /**
   * The soft counts of the computed connections and neurons: soft activity of the blocks
   * input-to-computational, computational-to-computational, input-to-output and
   * computational-to-output (as {@link ActiveCloseness} keeps them), weighted by the flags
   * (reached, reachesOutput: [n_comp, 1]). A computed neuron counts with its largest soft incoming
   * activity, as the time term's live count does.
   */
  static Counts counts(Ops tf, List<Operand<TFloat32>> soft, Operand<TFloat32> reached, Operand<TFloat32> reachesOutput) {
    Operand<TFloat32> inComp = soft.get(0);
    Operand<TFloat32> compComp = soft.get(1);
    Operand<TFloat32> inOut = soft.get(2);
    Operand<TFloat32> compOut = soft.get(3);
    Operand<org.tensorflow.types.TInt32> rows = tf.constant(1);
    Operand<TFloat32> fromInputs = tf.math.mul(tf.sum(inComp, rows, org.tensorflow.op.core.Sum.keepDims(true)), reachesOutput);
    Operand<TFloat32> fromComp = tf.math.mul(tf.linalg.matMul(compComp, reached), reachesOutput);
    Operand<TFloat32> toOutputs = tf.linalg.matMul(compOut, reached);
    Operand<org.tensorflow.types.TInt32> all = tf.constant(new int[] {0, 1});
    Operand<TFloat32> connections = tf.math.addN(List.of(tf.sum(fromInputs, all), tf.sum(fromComp, all),
        tf.sum(inOut, all), tf.sum(toOutputs, all)));
    Operand<TFloat32> live = tf.math.maximum(tf.max(inComp, rows, org.tensorflow.op.core.Max.keepDims(true)),
        tf.max(compComp, rows, org.tensorflow.op.core.Max.keepDims(true)));
    Operand<TFloat32> neurons = tf.sum(tf.math.mul(live, tf.math.mul(reached, reachesOutput)), all);
    return new Counts(connections, neurons);
  }
}
