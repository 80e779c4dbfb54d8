package org.plasticity.dni;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.plasticity.core.Optimizers;
import org.plasticity.core.Tensors;
import org.plasticity.data.Batch;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

class DniGradientTest {
  /**
   * Two layers (hidden ReLU, sigmoid output): the generator's target must be the true gradient of
   * the example's loss w.r.t. the hidden output, (sigmoid(h W1 + b1) - y) W1^T, computed here by hand.
   */
  @Test
  void generatorTargetIsTrueGradientOfNextLayer() {
    try (DniTestSupport t = new DniTestSupport(DniTestSupport.addition(
        "mode: DNI depth: 2 hidden_units: 6 batch_norm: false generator: LINEAR", ""))) {
      DniModel.Parts p = t.parts();
      Batch b = t.batch(0);
      List<float[]> v = t.fetch(b, List.of(p.sets().get("dni").targets().get(0), p.layerOutputs().get(0),
          p.sets().get("cdni").targets().get(0)));
      float[] w1 = t.value(p.layerParams().get(1).get(0));
      float[] b1 = t.value(p.layerParams().get(1).get(1));
      float[] h = v.get(1);
      float[] y = b.field("y");
      int n = b.size();
      int hid = 6;
      int out = y.length / n;
      float maxErr = 0;
      float maxAbs = 0;
      for (int e = 0; e < n; e++) {
        double[] delta = new double[out];
        for (int o = 0; o < out; o++) {
          double z = b1[o];
          for (int j = 0; j < hid; j++) {
            z += h[e * hid + j] * w1[j * out + o];
          }
          delta[o] = 1 / (1 + Math.exp(-z)) - y[e * out + o];
        }
        for (int j = 0; j < hid; j++) {
          double gj = 0;
          for (int o = 0; o < out; o++) {
            gj += delta[o] * w1[j * out + o];
          }
          maxErr = Math.max(maxErr, (float) Math.abs(gj - v.get(0)[e * hid + j]));
          maxErr = Math.max(maxErr, (float) Math.abs(gj - v.get(2)[e * hid + j]));
          maxAbs = Math.max(maxAbs, (float) Math.abs(gj));
        }
      }
      assertTrue(maxAbs > 0.01f, "the gradient is not trivially zero");
      assertTrue(maxErr < 1e-5f, "max deviation from the hand-computed gradient " + maxErr);
    }
  }

  /**
   * Three layers: the target of generator 0 is what layer 1 sends back, the synthetic gradient of
   * layer 1 (its generator's prediction) pulled through layer 1: (pred1 * relu'(z1)) W1^T.
   */
  @Test
  void targetBelowIsSyntheticGradientPulledThroughNextLayer() {
    try (DniTestSupport t = new DniTestSupport(DniTestSupport.addition(
        "mode: DNI depth: 3 hidden_units: 5 batch_norm: false generator: LINEAR", ""))) {
      DniModel.Parts p = t.parts();
      for (int s = 0; s < 3; s++) {
        t.step(s, false); // make the generators predict something non-zero
      }
      Batch b = t.batch(7);
      DniModel.GeneratorSet set = p.active();
      List<float[]> v = t.fetch(b, List.of(set.targets().get(0), set.predictions().get(1), p.layerOutputs().get(1)));
      float[] w1 = t.value(p.layerParams().get(1).get(0));
      int n = b.size();
      int k = 5;
      float maxErr = 0;
      float maxAbs = 0;
      for (int e = 0; e < n; e++) {
        for (int j = 0; j < k; j++) {
          double g = 0;
          for (int o = 0; o < k; o++) {
            boolean active = v.get(2)[e * k + o] > 0;
            g += active ? v.get(1)[e * k + o] * w1[j * k + o] : 0;
          }
          maxErr = Math.max(maxErr, (float) Math.abs(g - v.get(0)[e * k + j]));
          maxAbs = Math.max(maxAbs, (float) Math.abs(g));
        }
      }
      assertTrue(maxAbs > 1e-4f, "the synthetic gradient is not trivially zero: " + maxAbs);
      assertTrue(maxErr < 1e-6f, "max deviation " + maxErr);
    }
  }

  /** bprop mode (layer-by-layer injected gradients) gives bit-identical updates to plain backprop. */
  @Test
  void bpropEqualsPlainBackpropExactly() {
    check(DniTestSupport.addition("mode: BPROP depth: 4 hidden_units: 7 batch_norm: true", ""));
  }

  private static void check(String cfg) {
    try (DniTestSupport a = new DniTestSupport(cfg); DniTestSupport b = new DniTestSupport(cfg)) {
      // Graph b: the same variables trained by one ordinary minimize of the plainly chained loss.
      Ops tf = b.graph.tf();
      Network net = b.parts().network();
      Operand<TFloat32> logits = net.forwardAll(tf.withSubScope("plain"), b.parts().x(), true);
      Operand<TFloat32> loss = Network.loss(tf, b.experiment.getDni().getLoss(), logits, b.parts().y());
      List<Variable<TFloat32>> vars = net.allParams();
      // All gradients are computed before any variable is overwritten in place (gated).
      var grads = tf.withName("plain_gradients").gradients(List.of(loss), vars);
      List<Operand<TFloat32>> g = new ArrayList<>();
      for (int k = 0; k < vars.size(); k++) {
        g.add(grads.dy(k));
      }
      Op plain = Optimizers.apply(tf, b.experiment.getTrain().getOptimizer(), vars, DniModel.gate(tf, g, List.of()),
          b.graph.step(), b.experiment.getTrain().getSteps(), "plain_optimizer");
      List<float[]> init = DniModelTest.values(a, a.parts().network().allParams());
      DniModelTest.assertParamsEqual(init, DniModelTest.values(b, vars));
      for (long s = 0; s < 3; s++) {
        a.step(s, false);
        Tensors.runScalars(b.session, b.graph, b.batch(s), s, List.of(plain), Map.of());
      }
      List<float[]> wa = DniModelTest.values(a, a.parts().network().allParams());
      List<float[]> wb = DniModelTest.values(b, vars);
      assertTrue(DniModelTest.maxAbsDiff(init, wa) > 1e-4f, "the weights moved");
      for (int k = 0; k < wa.size(); k++) {
        assertArrayEquals(wb.get(k), wa.get(k), "parameter " + vars.get(k).op().name());
      }
    }
  }

  /** The monitoring-only true gradient is the batch size times TF's gradient of the batch-mean loss. */
  @Test
  void trueGradientMatchesPlainChain() {
    try (DniTestSupport t = new DniTestSupport(DniTestSupport.addition(
        "mode: CDNI depth: 3 hidden_units: 6 batch_norm: true generator: MLP generator_hidden_units: 8", ""))) {
      DniModel.Parts p = t.parts();
      Ops tf = t.graph.tf();
      // The last hidden layer's true gradient: d loss / d (output layer's input), scaled per example.
      var g1 = tf.withName("chk1").gradients(List.of(p.loss()), List.of(p.layerInputs().get(2)));
      Batch b = t.batch(0);
      List<float[]> v = t.fetch(b, List.of(p.trueGradients().get(1), g1.<TFloat32>dy(0)));
      for (int k = 0; k < v.get(0).length; k++) {
        assertEquals(v.get(1)[k] * b.size(), v.get(0)[k], 1e-6f);
      }
    }
  }
}
