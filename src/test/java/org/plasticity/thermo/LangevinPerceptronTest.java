package org.plasticity.thermo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plasticity.config.Configs;
import org.plasticity.config.Experiment;
import org.plasticity.config.LangevinConfig;
import org.plasticity.config.LangevinConfig.Rule;
import org.plasticity.core.Placement;
import org.plasticity.core.Sessions;
import org.plasticity.core.Tensors;
import org.plasticity.core.TrainingGraph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

class LangevinPerceptronTest {
  @TempDir
  Path dir;

  static Experiment experiment(String langevin, String train) {
    return Configs.parse("data { source: TEACHER_PERCEPTRON generated_test_size: 0 }\n"
        + "train { intra_op_threads: 1 inter_op_threads: 1 checkpoint_every: 0 export_at_end: false tensorboard: false "
        + train + " }\nlangevin { " + langevin + " }", "test");
  }

  // n = 4, one chain, a batch of two inputs, ν = 1·√4 = 2, k = 1, Δt = 0.1, D = 0.5.
  static final float[] T = {1f, -2f, 0.5f, 3f};
  static final float[] W = {0.5f, -1f, 2f, 0.1f};
  static final float[] XI = {1, 1, -1, 1, -1, 1, 1, 1};
  static final float[] ETA = {0.3f, -0.2f, 0.1f, 0.4f};

  /** Runs one training step with ξ and η fed, from w = W and T as above; returns {w', dq}. */
  static float[][] oneStep(Rule rule, float alpha) {
    Experiment e = experiment("n: 4 chains: 1 nu_scale: 1 nu_exponent: 0.5 k: 1 dt: 0.1 diffusion: 0.5 rule: "
        + rule + " alpha: " + alpha, "batch_size: 2");
    try (TrainingGraph g = new LangevinPerceptron().build(e, Map.of(), Placement.CPU);
         Session s = Sessions.create(g.graph(), e.getTrain())) {
      Ops tf = Ops.create(g.graph());
      Operand<TFloat32> w = g.graph().operation(LangevinPerceptron.WEIGHTS).output(0);
      Operand<TFloat32> t = g.graph().operation(LangevinPerceptron.TEACHER).output(0);
      s.runner().addTarget(tf.assign(w, tf.constant(new float[][] {W})))
          .addTarget(tf.assign(t, tf.constant(T))).run();
      try (TFloat32 xi = TFloat32.tensorOf(Shape.of(1, 2, 4), DataBuffers.of(XI));
           TFloat32 eta = TFloat32.tensorOf(Shape.of(1, 4), DataBuffers.of(ETA));
           TInt64 step = TInt64.scalarOf(0)) {
        Session.Runner r = s.runner()
            .feed(g.graph().operation(LangevinPerceptron.XI).output(0), xi)
            .feed(g.graph().operation(LangevinPerceptron.NOISE).output(0), eta)
            .feed(g.step(), step)
            .fetch(g.metrics().get("heat"));
        g.trainTargets().forEach(r::addTarget);
        float dq;
        try (Result res = r.run()) {
          dq = ((TFloat32) res.get(0)).getFloat();
        }
        return new float[][] {Tensors.fetch(s, w), {dq}};
      }
    }
  }

  @Test
  void hebbianEulerMaruyamaStepMatchesHandComputation() {
    // σ_T = sign(T·ξ) = (+1, +1) (T·ξ = 1.5, 0.5); m = (σ1 ξ1 + σ2 ξ2)/2 = (0, 1, 0, 1);
    // F = −w + 2m = (−0.5, 3, −2, 1.9); dw = 0.1 F + √0.1 η; w' = w + dw.
    float[][] out = oneStep(Rule.HEBBIAN, 1f);
    double s = Math.sqrt(0.1);
    double[] dw = {-0.05 + s * 0.3, 0.3 - s * 0.2, -0.2 + s * 0.1, 0.19 + s * 0.4};
    float[] expected = new float[4];
    for (int i = 0; i < 4; i++) {
      expected[i] = (float) (W[i] + dw[i]);
    }
    assertArrayEquals(expected, out[0], 1e-5f);
    assertArrayEquals(new float[] {0.5448683f, -0.7632456f, 1.8316228f, 0.4164911f}, out[0], 1e-5f);
    // dq = F(w_mid)·dw, F(w_mid) = −(w + dw/2) + 2m = (−0.5224342, 2.8816228, −1.9158114, 1.7417544).
    assertEquals(1.5326251, out[1][0], 1e-4);
  }

  @Test
  void perceptronAndAdatronStepsMatchHandComputation() {
    // A = w·ξ/√4: A1 = (0.5 − 1 − 2 + 0.1)/2 = −1.2 (σ1 = +1: error), A2 = (−0.5 − 1 + 2 + 0.1)/2 = 0.3 (correct).
    // Perceptron: only example 1 counts: m = ξ1/2 = (0.5, 0.5, −0.5, 0.5); F = −w + 2m = (0.5, 2, −3, 0.9).
    float[][] p = oneStep(Rule.PERCEPTRON, 1f);
    double s = Math.sqrt(0.1);
    double[] fP = {0.5, 2, -3, 0.9};
    for (int i = 0; i < 4; i++) {
      assertEquals(W[i] + 0.1 * fP[i] + s * ETA[i], p[0][i], 1e-5);
    }
    // AdaTron: example 1 weighted by |A1| = 1.2: m = 1.2 ξ1/2; F = −w + ν m = −w + 1.2 ξ1.
    float[][] a = oneStep(Rule.ADATRON, 1f);
    double[] fA = {-0.5 + 1.2, 1 + 1.2, -2 - 1.2, -0.1 + 1.2};
    for (int i = 0; i < 4; i++) {
      assertEquals(W[i] + 0.1 * fA[i] + s * ETA[i], a[0][i], 1e-5);
    }
    // Its heat, dq = F(w_mid)·dw, with A_mid of example 1 from w_mid (still an error there).
    double[] wNew = new double[4];
    double[] wMid = new double[4];
    for (int i = 0; i < 4; i++) {
      wNew[i] = W[i] + 0.1 * fA[i] + s * ETA[i];
      wMid[i] = (W[i] + wNew[i]) / 2;
    }
    double aMid1 = (wMid[0] + wMid[1] - wMid[2] + wMid[3]) / 2;
    double aMid2 = (-wMid[0] + wMid[1] + wMid[2] + wMid[3]) / 2;
    assertTrue(aMid1 < 0 && aMid2 > 0);
    double dq = 0;
    for (int i = 0; i < 4; i++) {
      double fMid = -wMid[i] + 2 * (Math.abs(aMid1) * XI[i]) / 2;
      dq += fMid * (wNew[i] - W[i]);
    }
    assertEquals(dq, a[1][0], 1e-4);
  }

  @Test
  void rulesOnHandCases() {
    float[] a = {-2f, -0.5f, 0f, 0.5f, 2f, 0.25f};
    float[] sigma = {1f, 1f, 1f, -1f, 1f, 1f};
    // σA = (−2, −0.5, 0, −0.5, 2, 0.25): errors (σA ≤ 0) at the first four.
    assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, factor(Rule.HEBBIAN, 1f, a, sigma), 0f);
    assertArrayEquals(new float[] {1, 1, 1, 1, 0, 0}, factor(Rule.PERCEPTRON, 1f, a, sigma), 0f);
    assertArrayEquals(new float[] {2, 0.5f, 0, 0.5f, 0, 0}, factor(Rule.ADATRON, 1f, a, sigma), 1e-7f);
    // α-tron: 1 on errors, |A|^α on correct examples.
    assertArrayEquals(new float[] {1, 1, 1, 1, 4, 0.0625f}, factor(Rule.ALPHATRON, 2f, a, sigma), 1e-6f);
    assertArrayEquals(new float[] {1, 1, 1, 1, (float) Math.sqrt(2), 0.5f}, factor(Rule.ALPHATRON, 0.5f, a, sigma), 1e-6f);
  }

  static float[] factor(Rule rule, float alpha, float[] a, float[] sigma) {
    try (org.tensorflow.Graph graph = new org.tensorflow.Graph(); Session s = new Session(graph)) {
      Ops tf = Ops.create(graph);
      return Tensors.fetch(s, LearningRules.factor(tf, rule, alpha, tf.constant(a), tf.constant(sigma)));
    }
  }

  @Test
  void epsFromOverlapMatchesHeldOutErrorOnALargeHeldOutSet() {
    Experiment e = experiment("n: 200 chains: 4 rule: PERCEPTRON", "steps: 300 batch_size: 30 log_every: 100")
        .toBuilder().setData(org.plasticity.config.DataConfig.newBuilder()
            .setSource(org.plasticity.config.DataConfig.Source.TEACHER_PERCEPTRON).setGeneratedTestSize(40000)).build();
    ThermoRun.Result r = ThermoRun.run(e, dir.resolve("heldout"), null);
    double fromR = r.eval().get("eps_from_R");
    double direct = r.eval().get("heldout_error");
    assertTrue(fromR > 0.05 && fromR < 0.45, "a partly trained student, eps " + fromR);
    // 4 chains x 40,000 inputs: standard error ~ 0.001; the ±1-input CLT correction is O(1/n).
    assertEquals(fromR, direct, 0.01, "eps = arccos(R)/pi vs held-out error");
  }

  @Test
  void hebbianSteadyStateOverlapMatchesClosedForm() {
    // n = 100 with Δt = 0.01 so that 8 relaxation times 1/k take 800 steps; the closed form
    // includes the Euler–Maruyama step and the mini-batch noise of the inputs.
    Experiment e = experiment("n: 100 chains: 16 rule: HEBBIAN dt: 0.01", "steps: 800 batch_size: 30 log_every: 10");
    ThermoRun.Result r = ThermoRun.run(e, dir.resolve("hebb"), null);
    double theory = Theory.hebbR(e.getLangevin(), 30);
    double sim = r.meanFrom("R", 500);
    assertEquals(0.915, theory, 0.01, "closed form itself");
    assertEquals(theory, sim, 0.01, "simulated steady-state R vs closed form");
    assertEquals(Theory.hebbEps(e.getLangevin(), 30), r.meanFrom("eps", 500), 0.01);
    // The steady heat rate ν²(n − 2/π)/B, from the cumulative heat over the last 300 steps.
    double rate = (r.last("heat_cumulative") - r.at("heat_cumulative", 500)) / (300 * 0.01);
    double predicted = Theory.hebbHeatRate(e.getLangevin(), 30);
    assertEquals(predicted, rate, 0.15 * predicted, "steady heat rate");
    assertEquals(predicted, r.meanFrom("heat_rate_input_variance", 500), 0.05 * predicted);
  }

  @Test
  void runsAreReproducible() {
    Experiment e = experiment("n: 50 chains: 2 rule: ADATRON", "steps: 40 batch_size: 5 log_every: 20");
    ThermoRun.Result a = ThermoRun.run(e, dir.resolve("a"), null);
    ThermoRun.Result b = ThermoRun.run(e, dir.resolve("b"), null);
    assertArrayEquals(a.values("R"), b.values("R"));
    assertArrayEquals(a.values("heat_cumulative"), b.values("heat_cumulative"));
  }

  @Test
  void resumedRunContinuesExactly() {
    Experiment full = experiment("n: 60 chains: 2 rule: PERCEPTRON", "steps: 40 batch_size: 6 log_every: 10 checkpoint_every: 20");
    Map<String, Float> straight = trainAndFetchLast(full, dir.resolve("straight"), false);
    Experiment half = full.toBuilder().setTrain(full.getTrain().toBuilder().setSteps(20)).build();
    trainAndFetchLast(half, dir.resolve("resumed"), false);
    Map<String, Float> resumed = trainAndFetchLast(full, dir.resolve("resumed"), true);
    assertEquals(straight.get("R"), resumed.get("R"));
    assertEquals(straight.get("heat_cumulative"), resumed.get("heat_cumulative"));
  }

  /** Trains through the generic Trainer (creating or resuming the run directory); returns the last logged metrics. */
  static Map<String, Float> trainAndFetchLast(Experiment e, Path runDir, boolean resume) {
    org.plasticity.core.RunDirectory run = resume ? org.plasticity.core.RunDirectory.open(runDir.toString())
        : org.plasticity.core.RunDirectory.create(runDir, Configs.resolve(e), new com.google.gson.JsonObject());
    Map<String, Float> last = new java.util.HashMap<>();
    try (TrainingGraph g = new LangevinPerceptron().build(e, Map.of(), Placement.CPU)) {
      new org.plasticity.core.Trainer(e, g, new org.plasticity.data.InGraphExamples(0), run)
          .listen(new org.plasticity.core.TrainingListener() {
            @Override
            public void onStep(org.plasticity.core.TrainingContext ctx, long step, Map<String, Float> metrics) {
              last.clear();
              last.putAll(metrics);
            }
          }).train(resume);
    }
    return last;
  }

  @Test
  void badConfigIsOneLineNamingTheField() {
    org.plasticity.core.UserError err = org.junit.jupiter.api.Assertions.assertThrows(org.plasticity.core.UserError.class,
        () -> experiment("n: 0", ""));
    assertTrue(err.getMessage().contains("langevin.n: expected a positive value"), err.getMessage());
  }

  @Test
  void digammaAndBinaryEntropy() {
    assertEquals(-0.5772156649, Theory.digamma(1), 1e-9);
    assertEquals(-1.9635100260, Theory.digamma(0.5), 1e-9);
    assertEquals(Math.log(2), Theory.binaryEntropy(0.5), 1e-12);
    assertEquals(0, Theory.binaryEntropy(0), 0);
  }

  @Test
  void weightEntropyEstimateIsNearZeroWithoutLearningAtEquilibrium() {
    // No learning force (ν = 0) and w(0) ~ N(0, D/k): the chains stay at the Ornstein–Uhlenbeck
    // equilibrium, so the Gaussian estimate of ΔS_w must stay near 0 (vs n/2 ln 2 ≈ 69 if the
    // variance doubled).
    Experiment e = experiment("n: 200 chains: 8 nu_scale: 0 dt: 0.01", "steps: 100 batch_size: 4 log_every: 50");
    ThermoRun.Result r = ThermoRun.run(e, dir.resolve("eq"), null);
    assertEquals(0, r.last("weight_entropy_change_gaussian"), 8);
    List<Double> heat = r.series().get("heat_cumulative");
    assertTrue(Double.isFinite(heat.get(heat.size() - 1)));
  }
}
