package org.plasticity.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.plasticity.config.DataConfig;
import org.plasticity.config.Experiment;
import org.plasticity.config.RecirculationConfig;
import org.plasticity.config.TrainConfig;
import org.plasticity.core.Placement;
import org.plasticity.core.Sessions;
import org.plasticity.core.Tensors;
import org.plasticity.core.TrainingGraph;
import org.plasticity.data.EncoderPatterns;
import org.junit.jupiter.api.Test;
import org.tensorflow.Session;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

class RecirculationTest {
  private static Experiment experiment(int v, int h, int replicas, long seed) {
    return Experiment.newBuilder().setSeed(seed)
        .setData(DataConfig.newBuilder().setSource(DataConfig.Source.ENCODER_PATTERNS))
        .setTrain(TrainConfig.newBuilder().setIntraOpThreads(1).setInterOpThreads(1))
        .setRecirculation(RecirculationConfig.newBuilder().setVisible(v).setHidden(h).setReplicas(replicas)
            .setEpsilon(2f).setLambda(0.75f))
        .build();
  }

  private static double sig(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  /** One update of a 2-1-2 net on both patterns, against the rule computed by hand in doubles. */
  @Test
  void singleUpdateMatchesHandComputation() {
    Experiment e = experiment(2, 1, 1, 7);
    Recirculation sys = new Recirculation();
    try (TrainingGraph g = sys.build(e, EncoderPatterns.create(2, 7).widths(), Placement.CPU);
        Session s = Sessions.create(g.graph(), e.getTrain());
        TFloat32 x = Tensors.matrix(new float[] {1, 0, 0, 1}, 2, 2)) {
      List<Variable<TFloat32>> vars = sys.parts().variables();
      float[] w = Tensors.fetch(s, vars.get(0)); // [1,2,1] visible->hidden
      float[] b = Tensors.fetch(s, vars.get(1)); // [1,1,1]
      float[] u = Tensors.fetch(s, vars.get(2)); // [1,1,2] hidden->visible
      float[] c = Tensors.fetch(s, vars.get(3)); // [1,1,2]
      for (float[] a : List.of(w, b, u, c)) {
        for (float v : a) {
          assertTrue(Math.abs(v) <= 0.5f, "init in [-0.5, 0.5]");
        }
      }
      double eps = 2;
      double lam = 0.75;
      double[] dW = new double[2];
      double dB = 0;
      double[] dU = new double[2];
      double[] dC = new double[2];
      double err = 0;
      for (int p = 0; p < 2; p++) {
        double[] v0 = {p == 0 ? 1 : 0, p == 1 ? 1 : 0};
        double h1 = sig(v0[0] * w[0] + v0[1] * w[1] + b[0]);
        double[] v2 = new double[2];
        for (int i = 0; i < 2; i++) {
          double pure = sig(h1 * u[i] + c[i]);
          err += 0.5 * (pure - v0[i]) * (pure - v0[i]);
          v2[i] = lam * v0[i] + (1 - lam) * pure;
        }
        double h3 = lam * h1 + (1 - lam) * sig(v2[0] * w[0] + v2[1] * w[1] + b[0]);
        for (int i = 0; i < 2; i++) {
          dU[i] += eps * h1 * (v0[i] - v2[i]);
          dC[i] += eps * (v0[i] - v2[i]);
          dW[i] += eps * v2[i] * (h1 - h3);
        }
        dB += eps * (h1 - h3);
      }
      float[] e0 = Tensors.toArray((TFloat32) s.runner().feed(sys.parts().patterns(), x)
          .fetch(sys.parts().errorPerReplica()).run().get(0));
      assertEquals(err, e0[0], 1e-5);
      s.runner().feed(sys.parts().patterns(), x).addTarget(sys.parts().update()).run().close();
      float[] w1 = Tensors.fetch(s, vars.get(0));
      float[] b1 = Tensors.fetch(s, vars.get(1));
      float[] u1 = Tensors.fetch(s, vars.get(2));
      float[] c1 = Tensors.fetch(s, vars.get(3));
      for (int i = 0; i < 2; i++) {
        assertEquals(w[i] + dW[i], w1[i], 1e-5, "W[" + i + "]");
        assertEquals(u[i] + dU[i], u1[i], 1e-5, "U[" + i + "]");
        assertEquals(c[i] + dC[i], c1[i], 1e-5, "c[" + i + "]");
      }
      assertEquals(b[0] + dB, b1[0], 1e-5);
    }
  }

  /** The paper's 4-2-4 setting (eps 20, lambda 0.75), seed 1: E < 0.1 within 100 updates (it takes 47). */
  @Test
  void encoder424LearnsForSeed1() {
    RecirculationStudy study = new RecirculationStudy(4, 2, 1, 100);
    Experiment e = study.experiment(1);
    RecirculationStudy.Curves c = study.train(e, 100, new int[] {0});
    int[] n = RecirculationStudy.updatesToCriterion(c.errors(), 0.1f);
    assertTrue(n[0] >= 0 && n[0] <= 100, "updates to E < 0.1: " + n[0]);
    assertTrue(c.errors()[0][0] > 0.5f, "starts far from the criterion: " + c.errors()[0][0]);
  }

  /** Replica r of a multi-replica graph is the single network of seed + r (up to float rounding of batched products). */
  @Test
  void replicasAreIndependentSeeds() {
    RecirculationStudy study = new RecirculationStudy(4, 2, 3, 20);
    float[][] many = study.train(study.experiment(3), 20, new int[0]).errors();
    Experiment third = study.experiment(1).toBuilder().setSeed(3).build();
    float[][] one = study.train(third, 20, new int[0]).errors();
    for (int k = 0; k <= 20; k++) {
      assertEquals(many[k][2], one[k][0], 1e-3, "update " + k);
    }
  }
}
