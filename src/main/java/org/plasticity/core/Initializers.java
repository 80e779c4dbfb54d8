package org.plasticity.core;

import org.plasticity.data.Seeds;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Seeded variable initialisers: stateless random ops whose seed is derived from the run's seed
 * and a per-variable stream number, so a build is reproducible and independent of op order.
 */
public final class Initializers {
  private final long seed;

  public Initializers(long seed) {
    this.seed = seed;
  }

  /** N(mean, stddev) of a static shape. */
  public Operand<TFloat32> normal(Ops tf, long stream, float mean, float stddev, int... shape) {
    Operand<TFloat32> z = tf.random.statelessRandomNormal(tf.constant(shape), seedPair(tf, stream));
    return tf.math.add(tf.math.mul(z, tf.constant(stddev)), tf.constant(mean));
  }

  /** U(low, high) of a static shape. */
  public Operand<TFloat32> uniform(Ops tf, long stream, float low, float high, int... shape) {
    Operand<TFloat32> u = tf.random.statelessRandomUniform(tf.constant(shape), seedPair(tf, stream), TFloat32.class);
    return tf.math.add(tf.math.mul(u, tf.constant(high - low)), tf.constant(low));
  }

  /** A variable named {@code name} initialised N(mean, stddev). */
  public Variable<TFloat32> normalVariable(Ops tf, String name, long stream, float mean, float stddev, int... shape) {
    return tf.withName(name).variable(normal(tf, stream, mean, stddev, shape));
  }

  private Operand<org.tensorflow.types.TInt64> seedPair(Ops tf, long stream) {
    long s = Seeds.mix(seed, 0x1417L, stream);
    return tf.constant(new long[] {s, Seeds.mix(s, 1)});
  }
}
