package org.plasticity.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.plasticity.config.DataConfig;
import org.plasticity.config.Experiment;
import org.plasticity.config.HeatExchangerConfig;
import org.plasticity.config.TrainConfig;
import org.plasticity.core.Placement;
import org.plasticity.core.Sessions;
import org.plasticity.core.Tensors;
import org.plasticity.core.TrainingGraph;
import org.plasticity.data.Batch;
import org.tensorflow.Session;

class HeatExchangerTest {
  private static double sig(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  @SuppressWarnings("unchecked")
  private static float[] bias(Session s, TrainingGraph g, String name) {
    return Tensors.fetch(s, (org.tensorflow.Operand<org.tensorflow.types.TFloat32>) g.graph().output(name));
  }

  /** One local step of a 2-2-1 exchanger on two points, against the rule computed by hand. */
  @Test
  void singleLocalStepMatchesHandComputation() {
    float eta = 0.3f;
    float alpha = 0.7f;
    Experiment e = Experiment.newBuilder().setSeed(4)
        .setData(DataConfig.newBuilder().setSource(DataConfig.Source.CIRCLE))
        .setTrain(TrainConfig.newBuilder().setIntraOpThreads(1).setInterOpThreads(1))
        .setHeatExchanger(HeatExchangerConfig.newBuilder().addHidden(2).setLearningRate(eta).setTargetStep(alpha))
        .build();
    Map<String, Integer> widths = new LinkedHashMap<>();
    widths.put("x", 2);
    widths.put("y", 1);
    HeatExchanger sys = new HeatExchanger();
    try (TrainingGraph g = sys.build(e, widths, Placement.CPU); Session s = Sessions.create(g.graph(), e.getTrain())) {
      float[] w1 = Tensors.fetch(s, sys.parts().forward().get(0)); // [2,2]
      float[] w2 = Tensors.fetch(s, sys.parts().forward().get(1)); // [2,1]
      float[] v2 = Tensors.fetch(s, sys.parts().backward().get(0)); // [1,2]
      double[][] xs = {{0.2, -0.5}, {-0.9, 0.4}};
      double[] ys = {1, 0};
      double[] dW1 = new double[4];
      double[] dB1 = new double[2];
      double[] dW2 = new double[2];
      double dB2 = 0;
      double[] dV2 = new double[2];
      double[] dC2 = new double[2];
      for (int p = 0; p < 2; p++) {
        double[] x = xs[p];
        double[] f1 = new double[2];
        for (int j = 0; j < 2; j++) {
          f1[j] = Math.tanh(x[0] * w1[j] + x[1] * w1[2 + j]); // biases start at 0
        }
        double f2 = sig(f1[0] * w2[0] + f1[1] * w2[1]);
        double b2 = f2 + alpha * (ys[p] - f2);
        double[] gf = new double[2];
        double[] gb = new double[2];
        double[] b1 = new double[2];
        for (int j = 0; j < 2; j++) {
          gf[j] = Math.tanh(f2 * v2[j]);
          gb[j] = Math.tanh(b2 * v2[j]);
          b1[j] = f1[j] + gb[j] - gf[j];
        }
        double d2 = (b2 - f2) * f2 * (1 - f2);
        for (int j = 0; j < 2; j++) {
          dW2[j] += eta / 2 * f1[j] * d2;
          double d1 = (b1[j] - f1[j]) * (1 - f1[j] * f1[j]);
          dW1[j] += eta / 2 * x[0] * d1;
          dW1[2 + j] += eta / 2 * x[1] * d1;
          dB1[j] += eta / 2 * d1;
          double dv = (f1[j] - gf[j]) * (1 - gf[j] * gf[j]);
          dV2[j] += eta / 2 * f2 * dv;
          dC2[j] += eta / 2 * dv;
        }
        dB2 += eta / 2 * d2;
      }
      Batch batch = new Batch(2, Map.of("x", new float[] {0.2f, -0.5f, -0.9f, 0.4f}, "y", new float[] {1, 0}));
      Tensors.runScalars(s, g, batch, 0, g.trainTargets(), Map.of());
      float[] w1n = Tensors.fetch(s, sys.parts().forward().get(0));
      float[] w2n = Tensors.fetch(s, sys.parts().forward().get(1));
      float[] v2n = Tensors.fetch(s, sys.parts().backward().get(0));
      for (int i = 0; i < 4; i++) {
        assertEquals(w1[i] + dW1[i], w1n[i], 1e-6, "W1[" + i + "]");
      }
      for (int j = 0; j < 2; j++) {
        assertEquals(w2[j] + dW2[j], w2n[j], 1e-6, "W2[" + j + "]");
        assertEquals(v2[j] + dV2[j], v2n[j], 1e-6, "V2[" + j + "]");
      }
      float[] b1n = bias(s, g, "heat_exchanger/forward_b1");
      float[] c2n = bias(s, g, "heat_exchanger/backward_b2");
      float[] b2n = bias(s, g, "heat_exchanger/forward_b2");
      for (int j = 0; j < 2; j++) {
        assertEquals(dB1[j], b1n[j], 1e-6, "a1[" + j + "]");
        assertEquals(dC2[j], c2n[j], 1e-6, "c2[" + j + "]");
      }
      assertEquals(dB2, b2n[0], 1e-6, "a2");
    }
  }

  /** The exchanger learns the circle well above chance (0.503): seed 2, 2-16-16-1, 400 local steps. */
  @Test
  void learnsTheCircleAboveChance() {
    double[] acc = HeatExchangerStudy.train(HeatExchangerStudy.experiment(2, false, 400, 0.5f), 400, null);
    assertTrue(acc[0] < 0.75, "untrained: " + acc[0]);
    assertTrue(acc[1] > 0.85, "after 400 steps: " + acc[1]);
  }
}
