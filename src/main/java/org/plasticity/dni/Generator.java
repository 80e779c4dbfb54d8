package org.plasticity.dni;

import java.util.ArrayList;
import java.util.List;
import org.plasticity.config.DniConfig;
import org.plasticity.core.Initializers;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A synthetic-gradient generator: from a layer's output (and, conditioned, the target) it predicts
 * the gradient of the example's loss with respect to that output. A single linear map, or hidden
 * layers (linear + batch norm + ReLU) followed by a linear map; the last map starts at zero, so the
 * first synthetic gradients are zero (the paper's recommendation).
 */
final class Generator {
  final List<Variable<TFloat32>> vars = new ArrayList<>();
  final Operand<TFloat32> prediction;

  Generator(Ops tf, DniConfig c, Initializers init, long stream, Operand<TFloat32> input, int inWidth, int outWidth) {
    Operand<TFloat32> a = input;
    int width = inWidth;
    if (c.getGenerator() == DniConfig.Generator.MLP) {
      for (int k = 0; k < c.getGeneratorHiddenLayers(); k++) {
        int h = c.getGeneratorHiddenUnits();
        Variable<TFloat32> w = init.normalVariable(tf, "hidden" + k + "_weights", stream + 10L * k,
            0f, (float) Math.sqrt(2.0 / width), width, h);
        vars.add(w);
        Operand<TFloat32> z = tf.linalg.matMul(a, w);
        if (c.getGeneratorBatchNorm()) {
          Variable<TFloat32> gamma = tf.withName("hidden" + k + "_gamma").variable(Network.fill(tf, h, 1f));
          Variable<TFloat32> beta = tf.withName("hidden" + k + "_beta").variable(Network.fill(tf, h, 0f));
          vars.add(gamma);
          vars.add(beta);
          Operand<TFloat32> mean = tf.math.mean(z, tf.constant(new int[] {0}), org.tensorflow.op.math.Mean.keepDims(true));
          Operand<TFloat32> var = tf.math.mean(tf.math.squaredDifference(z, mean), tf.constant(new int[] {0}),
              org.tensorflow.op.math.Mean.keepDims(true));
          Operand<TFloat32> zhat = tf.math.mul(tf.math.sub(z, mean),
              tf.math.rsqrt(tf.math.add(var, tf.constant(c.getBnEpsilon()))));
          z = tf.math.add(tf.math.mul(zhat, gamma), beta);
        } else {
          Variable<TFloat32> b = tf.withName("hidden" + k + "_bias").variable(Network.fill(tf, h, 0f));
          vars.add(b);
          z = tf.math.add(z, b);
        }
        a = tf.nn.relu(z);
        width = h;
      }
    }
    Variable<TFloat32> wOut = tf.withName("out_weights").variable(
        tf.fill(tf.constant(new long[] {width, outWidth}), tf.constant(0f)));
    Variable<TFloat32> bOut = tf.withName("out_bias").variable(Network.fill(tf, outWidth, 0f));
    vars.add(wOut);
    vars.add(bOut);
    prediction = tf.withName("synthetic_gradient").math.add(tf.linalg.matMul(a, wOut), bOut);
  }
}
