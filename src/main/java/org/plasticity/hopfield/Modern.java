package org.plasticity.hopfield;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Max;
import org.tensorflow.op.core.Sum;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/**
 * The modern (continuous) Hopfield network of Ramsauer et al. (2020), "Hopfield networks is all
 * you need": stored patterns are the rows of X [M,D]; a state ξ is updated by
 * <pre>
 *   ξ ← Xᵀ softmax(β X ξ)
 * </pre>
 * which never increases the energy E(ξ) = −lse(β, Xξ) + ½ ξᵀξ (+ a constant), with
 * lse(β, z) = β⁻¹ log Σ_i exp(β z_i). States are rows of a batch [B,D].
 *
 * <p>Raw MNIST images are non-negative and strongly correlated, and their norms vary with the
 * amount of ink: the dot product Xξ then prefers heavy digits over the right one, and all
 * overlaps are large and close together. {@link #keys} therefore optionally centres the patterns
 * (subtracts the mean image) and scales each to unit norm, so Xξ becomes a cosine similarity,
 * and the probe goes through the same map (its masked pixels set to the mean, i.e. 0 after
 * centring). β then sets how sharply one pattern wins: gaps between cosine similarities of a few
 * hundredths need β of order 100 for a single-pattern retrieval; small β gives blends.
 */
public final class Modern {
  private Modern() {}

  /** Keys [M,D] and the mean pattern [1,D] (zeros when not centring). */
  public record Keys(Operand<TFloat32> keys, Operand<TFloat32> mean) {}

  public static Keys keys(Ops tf, Operand<TFloat32> patterns, boolean centreAndNormalise) {
    if (!centreAndNormalise) {
      return new Keys(patterns, tf.math.mul(tf.constant(0f), tf.math.mean(patterns, tf.constant(0), org.tensorflow.op.math.Mean.keepDims(true))));
    }
    Operand<TFloat32> mean = tf.withName("mean_pattern").math.mean(patterns, tf.constant(0),
        org.tensorflow.op.math.Mean.keepDims(true));
    return new Keys(unitRows(tf, tf.math.sub(patterns, mean)), mean);
  }

  /** The probe in key space: (probe − mean) on the known pixels (mask 1), 0 elsewhere; unit norm when normalising. */
  public static Operand<TFloat32> query(Ops tf, Keys k, Operand<TFloat32> probe, Operand<TFloat32> mask, boolean normalise) {
    Operand<TFloat32> q = tf.math.mul(tf.math.sub(probe, k.mean()), mask);
    return normalise ? unitRows(tf, q) : q;
  }

  /** One update ξ ← Xᵀ softmax(β X ξ) for every row of ξ [B,D]; also returns the attention [B,M]. */
  public static Operand<TFloat32>[] update(Ops tf, Operand<TFloat32> keys, Operand<TFloat32> xi, float beta) {
    Operand<TFloat32> scores = tf.linalg.matMul(xi, keys, MatMul.transposeB(true)); // [B,M]
    Operand<TFloat32> attention = tf.nn.softmax(tf.math.mul(tf.constant(beta), scores));
    @SuppressWarnings("unchecked")
    Operand<TFloat32>[] out = new Operand[] {tf.linalg.matMul(attention, keys), attention};
    return out;
  }

  /** E(ξ) = −β⁻¹ log Σ_i exp(β x_iᵀξ) + ½ ξᵀξ for every row: [B]. */
  public static Operand<TFloat32> energy(Ops tf, Operand<TFloat32> keys, Operand<TFloat32> xi, float beta) {
    Operand<TFloat32> scores = tf.math.mul(tf.constant(beta), tf.linalg.matMul(xi, keys, MatMul.transposeB(true)));
    Operand<TFloat32> top = tf.stopGradient(tf.max(scores, tf.constant(1), Max.keepDims(true)));
    Operand<TFloat32> logSum = tf.math.add(tf.squeeze(top, org.tensorflow.op.core.Squeeze.axis(java.util.List.of(1L))),
        tf.math.log(tf.sum(tf.math.exp(tf.math.sub(scores, top)), tf.constant(1))));
    Operand<TFloat32> lse = tf.math.div(logSum, tf.constant(beta));
    Operand<TFloat32> half = tf.math.mul(tf.constant(0.5f), tf.sum(tf.math.square(xi), tf.constant(1)));
    return tf.math.sub(half, lse);
  }

  /** Result of {@code steps} updates: final state, last attention, energy of the final state, and the retrieved pixels. */
  public record Retrieval(Operand<TFloat32> state, Operand<TFloat32> attention, Operand<TFloat32> energy,
      Operand<TFloat32> pixels) {}

  /**
   * Runs {@code steps} updates (unrolled; one usually suffices) from the query and reads the
   * retrieved pattern out in pixel space as the attention-weighted sum of the raw patterns.
   */
  public static Retrieval retrieve(Ops tf, Operand<TFloat32> raw, Keys k, Operand<TFloat32> query, float beta, int steps) {
    Operand<TFloat32> xi = query;
    Operand<TFloat32> attention = null;
    for (int t = 0; t < steps; t++) {
      Operand<TFloat32>[] u = update(tf, k.keys(), xi, beta);
      xi = u[0];
      attention = u[1];
    }
    return new Retrieval(xi, attention, energy(tf, k.keys(), xi, beta), tf.linalg.matMul(attention, raw));
  }

  private static Operand<TFloat32> unitRows(Ops tf, Operand<TFloat32> m) {
    Operand<TFloat32> norm = tf.math.sqrt(tf.math.add(tf.sum(tf.math.square(m), tf.constant(1), Sum.keepDims(true)),
        tf.constant(1e-12f)));
    return tf.math.div(m, norm);
  }
}
