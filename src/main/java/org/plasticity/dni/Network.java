package org.plasticity.dni;

import java.util.ArrayList;
import java.util.List;
import org.plasticity.config.DniConfig;
import org.plasticity.core.Initializers;
import org.plasticity.core.Optimizers;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The layers of a fully-connected network: hidden layers linear (+ batch norm) + ReLU, the
 * output layer linear. Holds the variables; builds a layer's forward pass on any input, in
 * training mode (batch statistics) or inference mode (moving averages).
 */
final class Network {
  /** A layer's forward pass: its output, and in training mode its batch moments (else null). */
  record Forward(Operand<TFloat32> out, Operand<TFloat32> mean, Operand<TFloat32> variance) {}

  final int depth;
  /** widths[i] is layer i's input width, widths[i + 1] its output width. */
  final int[] widths;
  final boolean batchNorm;
  final float epsilon;
  /** Trainable parameters of each layer: hidden with BN {W, gamma, beta}, else {W, b}. */
  final List<List<Variable<TFloat32>>> params = new ArrayList<>();
  final List<Variable<TFloat32>> movingMean = new ArrayList<>();
  final List<Variable<TFloat32>> movingVariance = new ArrayList<>();

  Network(List<Ops> scopes, DniConfig c, int nIn, int nOut, Initializers init) {
    depth = c.getDepth();
    widths = new int[depth + 1];
    widths[0] = nIn;
    for (int i = 1; i < depth; i++) {
      widths[i] = c.getHiddenUnits();
    }
    widths[depth] = nOut;
    batchNorm = c.getBatchNorm();
    epsilon = c.getBnEpsilon();
    for (int i = 0; i < depth; i++) {
      Ops tf = scopes.get(i);
      int in = widths[i];
      int out = widths[i + 1];
      boolean hidden = i < depth - 1;
      // He initialisation for ReLU layers, LeCun for the linear output.
      float std = (float) Math.sqrt((hidden ? 2.0 : 1.0) / in);
      List<Variable<TFloat32>> p = new ArrayList<>();
      p.add(init.normalVariable(tf, "weights", 100L * i + 1, 0f, std, in, out));
      if (hidden && batchNorm) {
        p.add(tf.withName("gamma").variable(fill(tf, out, 1f)));
        p.add(tf.withName("beta").variable(fill(tf, out, 0f)));
        movingMean.add(tf.withName("moving_mean").variable(fill(tf, out, 0f)));
        movingVariance.add(tf.withName("moving_variance").variable(fill(tf, out, 1f)));
      } else {
        p.add(tf.withName("bias").variable(fill(tf, out, 0f)));
        movingMean.add(null);
        movingVariance.add(null);
      }
      params.add(p);
    }
  }

  static Operand<TFloat32> fill(Ops tf, int width, float value) {
    return tf.fill(tf.constant(new long[] {1, width}), tf.constant(value));
  }

  boolean hasBatchNorm(int i) {
    return batchNorm && i < depth - 1;
  }

  /** Layer i on {@code in}; training mode normalises with batch moments, else with the moving averages. */
  Forward layer(Ops tf, int i, Operand<TFloat32> in, boolean training) {
    List<Variable<TFloat32>> p = params.get(i);
    Operand<TFloat32> z = tf.linalg.matMul(in, p.get(0));
    if (!hasBatchNorm(i)) {
      z = tf.math.add(z, p.get(1));
      Operand<TFloat32> out = i < depth - 1 ? tf.nn.relu(z) : z;
      return new Forward(out, null, null);
    }
    Operand<TFloat32> mean;
    Operand<TFloat32> var;
    if (training) {
      mean = tf.math.mean(z, tf.constant(new int[] {0}), org.tensorflow.op.math.Mean.keepDims(true));
      var = tf.math.mean(tf.math.squaredDifference(z, mean), tf.constant(new int[] {0}),
          org.tensorflow.op.math.Mean.keepDims(true));
    } else {
      mean = movingMean.get(i);
      var = movingVariance.get(i);
    }
    Operand<TFloat32> zhat = tf.math.mul(tf.math.sub(z, mean), tf.math.rsqrt(tf.math.add(var, tf.constant(epsilon))));
    Operand<TFloat32> out = tf.nn.relu(tf.math.add(tf.math.mul(zhat, p.get(1)), p.get(2)));
    return new Forward(out, training ? mean : null, training ? var : null);
  }

  /** Plain (locked) forward through every layer, for inference and for reference gradients in tests. */
  Operand<TFloat32> forwardAll(Ops tf, Operand<TFloat32> x, boolean training) {
    Operand<TFloat32> h = x;
    for (int i = 0; i < depth; i++) {
      h = layer(tf, i, h, training).out();
    }
    return h;
  }

  /** Every trainable parameter, layer by layer. */
  List<Variable<TFloat32>> allParams() {
    List<Variable<TFloat32>> all = new ArrayList<>();
    params.forEach(all::addAll);
    return all;
  }

  /** Mean over the batch of the example losses (softmax CE, or sigmoid CE summed over outputs). */
  static Operand<TFloat32> loss(Ops tf, DniConfig.Loss kind, Operand<TFloat32> logits, Operand<TFloat32> y) {
    if (kind == DniConfig.Loss.SOFTMAX_CROSS_ENTROPY) {
      return tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(logits, y).loss(), tf.constant(0));
    }
    // softplus(z) - y z, the binary cross-entropy of sigmoid(z) against y.
    Operand<TFloat32> perUnit = tf.math.sub(tf.math.softplus(logits), tf.math.mul(y, logits));
    return tf.math.mean(tf.sum(perUnit, tf.constant(1)), tf.constant(0));
  }

  static Operand<TFloat32> zeros(Ops tf, Shape shape) {
    return Optimizers.zeros(tf, shape);
  }
}
