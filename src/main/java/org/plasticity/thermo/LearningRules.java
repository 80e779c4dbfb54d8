package org.plasticity.thermo;

import org.plasticity.config.LangevinConfig;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The learning rules 𝓕(A, σ_T) of Goldt & Seifert's student perceptron: the factor by which an
 * example's Hebbian term ν σ_T ξ is weighted in the learning force.
 *
 * <ul>
 *   <li>Hebbian: 𝓕 = 1</li>
 *   <li>perceptron: 𝓕 = Θ(−σ_T A)</li>
 *   <li>AdaTron: 𝓕 = |A| Θ(−σ_T A)</li>
 *   <li>α-tron: 𝓕 = Θ(−σ_T A) + |A|^α Θ(σ_T A)</li>
 * </ul>
 *
 * Convention at the boundary: an example with σ_T A ≤ 0 counts as an error, i.e. Θ(−σ_T A) = 1
 * and Θ(σ_T A) = 0 there (sign(0) = 0 is never the teacher's label), so the two step functions
 * always add up to one.
 */
public final class LearningRules {
  private LearningRules() {}

  /** 𝓕(A, σ) element-wise; {@code a} and {@code sigma} have the same shape. */
  public static Operand<TFloat32> factor(Ops tf, LangevinConfig.Rule rule, float alpha,
      Operand<TFloat32> a, Operand<TFloat32> sigma) {
    Operand<TFloat32> wrong = wrong(tf, a, sigma);
    return switch (rule) {
      case HEBBIAN -> tf.onesLike(a);
      case PERCEPTRON -> wrong;
      case ADATRON -> tf.math.mul(tf.math.abs(a), wrong);
      case ALPHATRON -> tf.math.add(wrong, tf.math.mul(
          tf.math.pow(tf.math.abs(a), tf.constant(alpha)), tf.math.sub(tf.constant(1f), wrong)));
    };
  }

  /** Θ(−σ A) with the convention above: 1 where σ A ≤ 0, else 0. */
  public static Operand<TFloat32> wrong(Ops tf, Operand<TFloat32> a, Operand<TFloat32> sigma) {
    return tf.dtypes.cast(tf.math.lessEqual(tf.math.mul(sigma, a), tf.constant(0f)), TFloat32.class);
  }

  /** The rule's name as used in tables and file names (alpha-tron carries its exponent). */
  public static String label(LangevinConfig.Rule rule, float alpha) {
    return switch (rule) {
      case HEBBIAN -> "hebbian";
      case PERCEPTRON -> "perceptron";
      case ADATRON -> "adatron";
      case ALPHATRON -> "alphatron-" + alpha;
    };
  }
}
