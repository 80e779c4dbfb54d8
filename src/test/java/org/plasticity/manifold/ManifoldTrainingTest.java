package org.plasticity.manifold;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.plasticity.config.Experiment;
import org.plasticity.core.Checkpoints;
import org.plasticity.core.Evaluator;
import org.plasticity.core.Exporter;
import org.plasticity.core.MetricsLog;
import org.plasticity.core.Placement;
import org.plasticity.core.RunDirectory;
import org.plasticity.core.SavedModelEvaluator;
import org.plasticity.core.Sessions;
import org.plasticity.core.Tensors;
import org.plasticity.core.Trainer;
import org.plasticity.core.TrainingGraph;
import org.plasticity.data.Batch;
import org.plasticity.data.Dataset;
import org.plasticity.data.Datasets;
import org.plasticity.testing.TestData;
import org.plasticity.testing.TestRuns;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;

/** The DNM trained end to end: learning, checkpoints, SavedModel export, resume. */
class ManifoldTrainingTest {
  @TempDir
  Path tmp;

  private static RunDirectory newRun(Path dir, Experiment e) {
    return RunDirectory.create(dir, e, new JsonObject());
  }

  private static Map<String, Double> train(Experiment e, Dataset data, RunDirectory run, boolean resume) {
    ManifoldModel model = new ManifoldModel();
    try (TrainingGraph g = model.build(e, data.widths(), Placement.CPU)) {
      return new Trainer(e, g, data, run).listen(new org.plasticity.core.Listeners.DivergenceGuard())
          .listen(new org.plasticity.core.Listeners.MetricsWriter()).train(resume);
    }
  }

  /** The original toy experiment learns: 1,500 steps take the test MSE from about 2.49 at initialisation to below 2.2. */
  @Test
  void toyLossFalls() {
    Experiment e = TestRuns.toy(1500);
    Dataset data = Datasets.open(e);
    double initial;
    ManifoldModel model = new ManifoldModel();
    try (TrainingGraph g = model.build(e, data.widths(), Placement.CPU);
        Session s = Sessions.create(g.graph(), e.getTrain())) {
      initial = Evaluator.evaluate(s, g, data, 2000).get("test/mse");
    }
    Map<String, Double> end = train(e, data, newRun(tmp.resolve("toy"), e), false);
    double fin = end.get("test/mse");
    assertTrue(initial > 2.4, "initial test MSE " + initial);
    assertTrue(fin < 2.2, "test MSE " + initial + " -> " + fin);
    assertTrue(end.get("active_fraction") > 0 && end.get("active_fraction") <= 1);
  }

  /**
   * The fast evaluations (fixed-point iteration at the depth of the longest active path, or level
   * by level) train the same model as the faithful chain: after 15 Adam steps from the same seed every
   * parameter agrees to 1e-5 relative, and so do the logged metrics.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = org.plasticity.config.ManifoldConfig.Evaluation.class, names = {"ITERATED", "LEVELS"})
  void fastTrainingFollowsTheChain(org.plasticity.config.ManifoldConfig.Evaluation evaluation) throws IOException {
    Path data = TestData.writeMnistLike(tmp.resolve("data"), 200, 50, 4);
    assertFastFollowsChain(TestRuns.smallMnistManifold(data, 24, 15), "manifold { evaluation: " + evaluation + " }",
        "plain-" + evaluation);
  }

  /**
   * The same with Grappler optimising the fast path's graph (`train { grappler: true }`, the
   * fastest training step measured, docs/RESULTS.md session 7): its rewrites change float rounding,
   * not the function.
   */
  @Test
  void iteratedTrainingUnderGrapplerFollowsTheChain() throws IOException {
    Path data = TestData.writeMnistLike(tmp.resolve("data"), 200, 50, 4);
    assertFastFollowsChain(TestRuns.smallMnistManifold(data, 24, 15), "train { grappler: true }", "grappler");
  }

  /** The same with 2-D receptive fields over the pixels (their own window bound in the fast path). */
  @Test
  void iteratedTrainingFollowsTheChainWithInputPlane() throws IOException {
    Path data = TestData.writeMnistLike(tmp.resolve("data"), 200, 50, 4);
    assertFastFollowsChain(org.plasticity.config.Configs.merge(TestRuns.smallMnistManifold(data, 24, 15),
        "manifold { input_plane: true }"), "plane");
  }

  /**
   * Value and gradient with every switch that changes what the fast path must differentiate:
   * per-connection weights, the soft sparsity surrogate, the time term and outputs reading
   * act(z); and with the time term alone, counting what the pruned export computes
   * (time_paths_only: flags swept in the chain's graph, computed in Java for the fast path). One plain gradient
   * step of rate 1 from the same initial parameters makes p0 - p1 the gradient itself, so the
   * fast path's gradients are compared with the chain's, to 1e-5 of the largest gradient
   * component (a longer run would let single entries cross the cutoff at
   * slightly different steps, which says nothing about the function).
   */
  @ParameterizedTest(name = "{0}, input_plane {1}, time_paths_only {2}")
  @org.junit.jupiter.params.provider.CsvSource({"ITERATED, false, false", "ITERATED, true, false", "LEVELS, false, false",
      "LEVELS, true, false", "ITERATED, false, true", "LEVELS, false, true"})
  void fastGradientsEqualTheChainsWithSoftSparsityTimeAndConnectionWeights(
      org.plasticity.config.ManifoldConfig.Evaluation evaluation, boolean plane, boolean paths) throws IOException {
    Path data = TestData.writeMnistLike(tmp.resolve("data"), 200, 50, 4);
    Experiment chain = org.plasticity.config.Configs.merge(TestRuns.smallMnistManifold(data, 24, 1),
        "train { log_every: 1 optimizer { kind: SGD learning_rate: 1 } }"
            + " manifold { connection_weights: true square_outputs: false sparsity_temperature: 0.05"
            + (paths ? " soft_sparsity_coef: 0 time_coef: 20000" : " soft_sparsity_coef: 3000 time_coef: 20")
            + " objective_coef: 1 flow_coef: 1e-6"
            + " outputs_read_activation: true input_plane: " + plane + " time_paths_only: " + paths + " }");
    Experiment fast = chain.toBuilder().setManifold(chain.getManifold().toBuilder()
        .setEvaluation(evaluation)).build();
    Dataset d = Datasets.open(chain);
    Path chainDir = tmp.resolve("g-chain");
    Path fastDir = tmp.resolve("g-fast");
    train(chain, d, newRun(chainDir, chain), false);
    train(fast, d, newRun(fastDir, fast), false);
    JsonObject ra = new MetricsLog(chainDir.resolve("metrics.jsonl")).read().get(0);
    JsonObject rb = new MetricsLog(fastDir.resolve("metrics.jsonl")).read().get(0);
    for (String k : ra.keySet()) {
      double x = ra.get(k).getAsDouble();
      assertEquals(x, rb.get(k).getAsDouble(), 1e-5 * Math.max(1, Math.abs(x)), "metric " + k);
    }
    if (paths) {
      // the time term counts fewer connections and neurons than with every active one counted
      Experiment all = fast.toBuilder().setManifold(fast.getManifold().toBuilder().setTimePathsOnly(false)).build();
      Path allDir = tmp.resolve("g-all");
      train(all, d, newRun(allDir, all), false);
      double allTime = new MetricsLog(allDir.resolve("metrics.jsonl")).read().get(0).get("time_us").getAsDouble();
      assertTrue(rb.get("time_us").getAsDouble() < 0.95 * allTime, "time " + rb.get("time_us") + " against " + allTime);
    }
    float[][] before = variables(chain, d, null);
    float[][] afterChain = variables(chain, d, chainDir);
    float[][] afterFast = variables(fast, d, fastDir);
    assertEquals(plane ? 15 : 11, before.length);
    // Normwise: every component within 1e-5 of the largest gradient component of the model.
    // (Single components can be tiny residues of large contributions that cancel, e.g. the
    // alpha of an output neuron summed over 800 sources; summed in another order, their
    // float rounding alone exceeds 1e-5 of their own size.)
    float[][] gc = new float[before.length][];
    float[][] gf = new float[before.length][];
    double scale = 0;
    int moved = 0;
    for (int v = 0; v < before.length; v++) {
      gc[v] = new float[before[v].length];
      gf[v] = new float[before[v].length];
      for (int k = 0; k < gc[v].length; k++) {
        gc[v][k] = before[v][k] - afterChain[v][k];
        gf[v][k] = before[v][k] - afterFast[v][k];
        moved += gc[v][k] != 0 ? 1 : 0;
        scale = Math.max(scale, Math.abs(gc[v][k]));
      }
    }
    for (int v = 0; v < before.length; v++) {
      for (int k = 0; k < gc[v].length; k++) {
        assertEquals(gc[v][k], gf[v][k], 1e-5 * scale, "gradient of variable " + v + " [" + k + "]");
      }
    }
    assertTrue(moved > 1000, "the step should move many parameters, moved " + moved);
  }

  /**
   * The budget wall: over the target it pulls the connection fraction down (lower than the same
   * run without it, and the fast path follows the chain with the wall active); under the target it
   * is exactly inert (same parameters as without it).
   */
  @Test
  void budgetWallPushesOnlyOverTheTarget() throws IOException {
    Path data = TestData.writeMnistLike(tmp.resolve("data"), 200, 50, 4);
    String soft = "manifold { sparsity_temperature: 0.05 soft_sparsity_coef: 10 }";
    assertFastFollowsChain(org.plasticity.config.Configs.merge(TestRuns.smallMnistManifold(data, 24, 15),
        soft + " manifold { active_fraction_target: 0.01 }"), "wall");
    // the effect, at a rate that lets 15 steps move the wiring (fast path)
    Experiment base = org.plasticity.config.Configs.merge(TestRuns.smallMnistManifold(data, 24, 15),
        soft + " train { optimizer { learning_rate: 0.02 } } manifold { evaluation: ITERATED }");
    Experiment low = org.plasticity.config.Configs.merge(base, "manifold { active_fraction_target: 0.01 }");
    Experiment high = org.plasticity.config.Configs.merge(base, "manifold { active_fraction_target: 0.99 }");
    Dataset d = Datasets.open(base);
    Map<String, Double> plain = train(base, d, newRun(tmp.resolve("wall-plain"), base), false);
    Map<String, Double> over = train(low, d, newRun(tmp.resolve("wall-over"), low), false);
    Map<String, Double> under = train(high, d, newRun(tmp.resolve("wall-under"), high), false);
    double lowFraction = over.get("active_fraction");
    assertTrue(plain.get("active_fraction") > 0.01, "the test needs a start over the target: " + plain.get("active_fraction"));
    assertTrue(lowFraction < plain.get("active_fraction") - 0.005,
        "fraction with the wall " + lowFraction + ", without " + plain.get("active_fraction"));
    float[][] a = variables(base, d, tmp.resolve("wall-plain"));
    float[][] b = variables(high, d, tmp.resolve("wall-under"));
    for (int v = 0; v < a.length; v++) {
      assertArrayEquals(a[v], b[v], "variable " + v + " moved differently under the target");
    }
    assertEquals(plain.get("active_fraction"), under.get("active_fraction"));
    Experiment bad = org.plasticity.config.Configs.merge(TestRuns.smallMnistManifold(data, 24, 1),
        "manifold { active_fraction_target: 0.03 }");
    org.plasticity.core.UserError e = org.junit.jupiter.api.Assertions.assertThrows(org.plasticity.core.UserError.class,
        () -> new ManifoldModel().build(bad, Datasets.open(bad).widths(), Placement.CPU).close());
    assertTrue(e.getMessage().startsWith("manifold.active_fraction_target"), e.getMessage());
  }

  /**
   * sparsity_ramp_steps: at step t the soft-sparsity, time and budget coefficients are scaled by
   * (t + 1) / N. One plain gradient step of rate 1 with N = 4 moves every parameter as the same
   * step without a ramp and a quarter of each coefficient does, on the chain and the fast path.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(org.plasticity.config.ManifoldConfig.Evaluation.class)
  void sparsityRampScalesTheSoftTerms(org.plasticity.config.ManifoldConfig.Evaluation evaluation) throws IOException {
    Path data = TestData.writeMnistLike(tmp.resolve("data"), 200, 50, 4);
    String common = "train { log_every: 1 optimizer { kind: SGD learning_rate: 1 } }"
        + " manifold { connection_weights: true square_outputs: false sparsity_temperature: 0.05"
        + " objective_coef: 1 flow_coef: 1e-6 active_fraction_target: 0.01 evaluation: " + evaluation + " }";
    Experiment base = org.plasticity.config.Configs.merge(TestRuns.smallMnistManifold(data, 24, 1), common);
    Experiment ramped = org.plasticity.config.Configs.merge(base,
        "manifold { soft_sparsity_coef: 3000 time_coef: 20 budget_coef: 10000 sparsity_ramp_steps: 4 }");
    Experiment quarter = org.plasticity.config.Configs.merge(base,
        "manifold { soft_sparsity_coef: 750 time_coef: 5 budget_coef: 2500 }");
    Experiment full = org.plasticity.config.Configs.merge(base,
        "manifold { soft_sparsity_coef: 3000 time_coef: 20 budget_coef: 10000 }");
    Dataset d = Datasets.open(base);
    Path rampDir = tmp.resolve("ramp-" + evaluation);
    train(ramped, d, newRun(rampDir, ramped), false);
    train(quarter, d, newRun(tmp.resolve("quarter-" + evaluation), quarter), false);
    train(full, d, newRun(tmp.resolve("full-" + evaluation), full), false);
    assertEquals(0.25, new MetricsLog(rampDir.resolve("metrics.jsonl")).read().get(0).get("sparsity_ramp").getAsDouble());
    float[][] before = variables(base, d, null);
    float[][] r = variables(ramped, d, rampDir);
    float[][] q = variables(quarter, d, tmp.resolve("quarter-" + evaluation));
    float[][] f = variables(full, d, tmp.resolve("full-" + evaluation));
    double scale = 0;
    double rampVsFull = 0;
    for (int v = 0; v < before.length; v++) {
      for (int k = 0; k < before[v].length; k++) {
        scale = Math.max(scale, Math.abs(before[v][k] - q[v][k]));
        rampVsFull = Math.max(rampVsFull, Math.abs(r[v][k] - f[v][k]));
      }
    }
    for (int v = 0; v < before.length; v++) {
      for (int k = 0; k < before[v].length; k++) {
        assertEquals(q[v][k], r[v][k], 1e-6 * scale, "variable " + v + " [" + k + "]");
      }
    }
    // and the soft terms do act in that step: the full coefficients move the parameters otherwise
    assertTrue(rampVsFull > 1e-3 * scale, "ramped vs full coefficients differ by " + rampVsFull + " of " + scale);
    Experiment bad = org.plasticity.config.Configs.merge(TestRuns.smallMnistManifold(data, 24, 1),
        "manifold { sparsity_ramp_steps: 100 }");
    org.plasticity.core.UserError e = org.junit.jupiter.api.Assertions.assertThrows(org.plasticity.core.UserError.class,
        () -> new ManifoldModel().build(bad, Datasets.open(bad).widths(), Placement.CPU).close());
    assertTrue(e.getMessage().startsWith("manifold.sparsity_ramp_steps"), e.getMessage());
  }

  /** Every variable of the model: initial (run null) or at the run's last checkpoint. */
  /**
   * position_scale keeps the initial function (scale times the raw mean and width are the
   * unscaled draws) and lets Adam move the Gaussians' means several times faster.
   */
  @Test
  void positionScaleKeepsTheInitialFunctionAndMovesTheMeansFaster() throws IOException {
    Path data = TestData.writeMnistLike(tmp.resolve("data"), 200, 50, 4);
    Experiment plain = TestRuns.smallMnistManifold(data, 24, 20);
    float k = 10f;
    Experiment scaled = org.plasticity.config.Configs.merge(plain, "manifold { position_scale: 10 }");
    Dataset d = Datasets.open(plain);
    float[][] p0 = variables(plain, d, null);
    float[][] s0 = variables(scaled, d, null);
    for (int v : new int[] {5, 6}) { // sigma, mu
      for (int i = 0; i < p0[v].length; i++) {
        assertEquals(p0[v][i], k * s0[v][i], 1e-5 * Math.max(1, Math.abs(p0[v][i])), "variable " + v + " [" + i + "]");
      }
    }
    Path plainDir = tmp.resolve("pos-plain");
    Path scaledDir = tmp.resolve("pos-scaled");
    train(plain, d, newRun(plainDir, plain), false);
    train(scaled, d, newRun(scaledDir, scaled), false);
    float[] p1 = variables(plain, d, plainDir)[6];
    float[] s1 = variables(scaled, d, scaledDir)[6];
    double movedPlain = 0;
    double movedScaled = 0;
    for (int i = 0; i < p1.length; i++) {
      movedPlain += Math.abs(p1[i] - p0[6][i]);
      movedScaled += Math.abs(k * (s1[i] - s0[6][i]));
    }
    assertTrue(movedPlain > 0, "the means did not move at all");
    assertTrue(movedScaled > 3 * movedPlain, "means moved " + movedScaled + " with scale 10, " + movedPlain + " without");
  }

  private float[][] variables(Experiment e, Dataset d, Path run) throws IOException {
    ManifoldModel model = new ManifoldModel();
    try (TrainingGraph g = model.build(e, d.widths(), Placement.CPU);
        Session s = Sessions.create(g.graph(), e.getTrain())) {
      if (run != null) {
        new Checkpoints(run.resolve("ckpt"), 3).restore(s, e.getTrain().getSteps());
      }
      float[][] out = new float[model.parts().variables().size()][];
      for (int i = 0; i < out.length; i++) {
        out[i] = Tensors.fetch(s, model.parts().variables().get(i));
      }
      return out;
    }
  }

  private void assertFastFollowsChain(Experiment chain, String label) throws IOException {
    assertFastFollowsChain(chain, "", label);
  }

  /** {@code fastOnly}: config overrides (protobuf text) for the fast run alone. */
  private void assertFastFollowsChain(Experiment chain, String fastOnly, String label) throws IOException {
    Experiment fast = chain.toBuilder().setManifold(chain.getManifold().toBuilder()
        .setEvaluation(org.plasticity.config.ManifoldConfig.Evaluation.ITERATED)).build();
    if (!fastOnly.isEmpty()) {
      fast = org.plasticity.config.Configs.merge(fast, fastOnly);
    }
    Dataset d = Datasets.open(chain);
    Path chainDir = tmp.resolve(label + "-chain");
    Path fastDir = tmp.resolve(label + "-fast");
    Map<String, Double> a = train(chain, d, newRun(chainDir, chain), false);
    Map<String, Double> b = train(fast, d, newRun(fastDir, fast), false);
    assertEquals(a.get("test/accuracy"), b.get("test/accuracy"));
    assertEquals(a.get("active_connections"), b.get("active_connections"));
    List<JsonObject> la = new MetricsLog(chainDir.resolve("metrics.jsonl")).read();
    List<JsonObject> lb = new MetricsLog(fastDir.resolve("metrics.jsonl")).read();
    assertEquals(la.size(), lb.size());
    for (int i = 0; i < la.size(); i++) {
      for (String k : la.get(i).keySet()) {
        double x = la.get(i).get(k).getAsDouble();
        double y = lb.get(i).get(k).getAsDouble();
        assertEquals(x, y, 1e-5 * Math.max(1, Math.abs(x)), label + ": metric " + k + " at record " + i);
      }
    }
    String[] names = {"alpha", "beta", "gamma", "theta", "phi", "sigma", "mu", "weights", "biases", "cutoff_raw",
        "connection_weights or plane_alpha", "plane_*", "plane_*", "plane_*", "plane_*"};
    long steps = chain.getTrain().getSteps();
    for (int vi = 0; vi < names.length; vi++) {
      String name = names[vi];
      float[][] v = new float[2][];
      int i = 0;
      for (Experiment e : List.of(chain, fast)) {
        ManifoldModel model = new ManifoldModel();
        try (TrainingGraph g = model.build(e, d.widths(), Placement.CPU);
            Session s = Sessions.create(g.graph(), e.getTrain())) {
          if (vi >= model.parts().variables().size()) {
            break;
          }
          new Checkpoints((i == 0 ? chainDir : fastDir).resolve("ckpt"), 3).restore(s, steps);
          v[i++] = Tensors.fetch(s, model.parts().variables().get(vi));
        }
      }
      if (i < 2) {
        continue;
      }
      for (int k = 0; k < v[0].length; k++) {
        assertEquals(v[0][k], v[1][k], 1e-5 * Math.max(1, Math.abs(v[0][k])), label + ": " + name + "[" + k + "]");
      }
    }
  }

  /** A checkpoint restored into a freshly built graph gives bit-identical outputs and an identical next step. */
  @Test
  void checkpointRoundTripIsExact() throws IOException {
    Experiment e = TestRuns.smallMnistManifold(TestData.writeMnistLike(tmp.resolve("data"), 200, 100, 1), 8, 10);
    Dataset data = Datasets.open(e);
    RunDirectory run = newRun(tmp.resolve("run"), e);
    train(e, data, run, false);
    Batch batch = data.testBatch(0, 50);
    Batch next = data.trainBatch(10, 20);
    float[][] outs = new float[2][];
    float[][] afterStep = new float[2][];
    for (int copy = 0; copy < 2; copy++) {
      ManifoldModel model = new ManifoldModel();
      try (TrainingGraph g = model.build(e, data.widths(), Placement.CPU);
          Session s = Sessions.create(g.graph(), e.getTrain())) {
        new Checkpoints(run.checkpoints(), 3).restore(s, 10);
        outs[copy] = logits(s, g, model, batch);
        Trainer.runDefault(s, g, next, 10, false);
        afterStep[copy] = Tensors.fetch(s, model.parts().closeness());
      }
    }
    assertArrayEquals(outs[0], outs[1]);
    assertArrayEquals(afterStep[0], afterStep[1]);
  }

  private static float[] logits(Session s, TrainingGraph g, ManifoldModel model, Batch b) {
    List<Tensor> opened = new java.util.ArrayList<>();
    try {
      Session.Runner r = s.runner();
      Tensors.feed(r, g, b, 0, opened);
      try (Result res = r.fetch(model.parts().logits()).run()) {
        return Tensors.toArray((TFloat32) res.get(0));
      }
    } finally {
      opened.forEach(Tensor::close);
    }
  }

  /**
   * The exported SavedModel, loaded with SavedModelBundle.load, gives exactly the session's
   * logits, the same closeness matrix, and the same full-test-set accuracy.
   */
  @ParameterizedTest(name = "deskew_inputs: {0}")
  @ValueSource(booleans = {false, true})
  void savedModelRoundTripIsExact(boolean deskew) throws IOException {
    Experiment e = TestRuns.smallMnistManifold(TestData.writeMnistLike(tmp.resolve("data"), 200, 100, 2), 8, 20);
    if (deskew) {
      e = e.toBuilder().setManifold(e.getManifold().toBuilder().setDeskewInputs(true)).build();
    }
    Dataset data = Datasets.open(e);
    RunDirectory run = newRun(tmp.resolve("run"), e);
    Map<String, Double> evalAtEnd = train(e, data, run, false);
    Batch batch = data.testBatch(0, 100);
    ManifoldModel model = new ManifoldModel();
    try (TrainingGraph g = model.build(e, data.widths(), Placement.CPU);
        Session s = Sessions.create(g.graph(), e.getTrain())) {
      new Checkpoints(run.checkpoints(), 3).restore(s, 20);
      float[] expected = logits(s, g, model, batch);
      float[] closeness = Tensors.fetch(s, model.parts().closeness());
      Path exported = tmp.resolve("export");
      Exporter.export(s, g, exported);
      try (SavedModelBundle bundle = SavedModelBundle.load(exported.toString(), SavedModelBundle.DEFAULT_TAG);
          TFloat32 x = Tensors.matrix(batch.field("images"), 100, 784);
          Result r = bundle.function("serving_default").call(Map.of("images", x));
          Result c = bundle.function("closeness").call(Map.of())) {
        // a plain load runs Grappler, which may reorder float arithmetic: equal to float rounding
        float[] got = Tensors.toArray((TFloat32) r.get("logits").orElseThrow());
        for (int i = 0; i < expected.length; i++) {
          assertEquals(expected[i], got[i], 1e-5f * (1 + Math.abs(expected[i])));
        }
        float[] p = Tensors.toArray((TFloat32) r.get("probabilities").orElseThrow());
        assertEquals(1.0, p[0] + p[1] + p[2] + p[3] + p[4] + p[5] + p[6] + p[7] + p[8] + p[9], 1e-5);
        assertArrayEquals(closeness, Tensors.toArray((TFloat32) c.get("closeness").orElseThrow()), 1e-6f);
      }
      // the export written at the end of training evaluates to the trainer's own final accuracy
      assertEquals(evalAtEnd.get("test/accuracy"),
          SavedModelEvaluator.evaluate(run.savedModel(), data, 50).get("test/accuracy"));
      if (deskew) {
        // the network reads deskewed images: fed the raw batch, the logits are not those of the
        // same weights reading the raw pixels, and the pruned export (raw images in) serves the
        // session's logits too
        ManifoldModel plain = new ManifoldModel();
        Experiment rawInputs = e.toBuilder().setManifold(e.getManifold().toBuilder().setDeskewInputs(false)).build();
        try (TrainingGraph g2 = plain.build(rawInputs, data.widths(), Placement.CPU);
            Session s2 = Sessions.create(g2.graph(), e.getTrain())) {
          new Checkpoints(run.checkpoints(), 3).restore(s2, 20);
          float[] undeskewed = logits(s2, g2, plain, batch);
          double diff = 0;
          for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs(expected[i] - undeskewed[i]));
          }
          assertTrue(diff > 1e-3, "deskewing changed no logit");
        }
        Path pruned = tmp.resolve("pruned");
        model.exportPruned(s, g, pruned);
        try (SavedModelBundle bundle = SavedModelBundle.load(pruned.toString(), SavedModelBundle.DEFAULT_TAG);
            TFloat32 x = Tensors.matrix(batch.field("images"), 100, 784);
            Result r = bundle.function("serving_default").call(Map.of("images", x))) {
          float[] got = Tensors.toArray((TFloat32) r.get("logits").orElseThrow());
          for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], got[i], 1e-4f * (1 + Math.abs(expected[i])), "pruned logit " + i);
          }
        }
      }
    }
  }

  /**
   * A run killed with SIGKILL (a child JVM, destroyForcibly) and resumed from its latest
   * checkpoint writes exactly the metrics of an uninterrupted run with the same seed.
   */
  @Test
  void killedAndResumedRunMatchesUninterruptedRun() throws Exception {
    Experiment e = TestRuns.toy(3000);
    Path config = tmp.resolve("toy.pbtxt");
    Files.writeString(config, org.plasticity.config.Configs.toText(e));
    Path runs = tmp.resolve("runs");
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "org.plasticity.cli.Main",
        "train", config.toString(), "--run", "killed", "--checkpoints", runs.toString())
        .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
    Path firstCkpt = runs.resolve("killed/ckpt/step-000000500/COMPLETE");
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (!Files.exists(firstCkpt) && child.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    boolean killedMidRun = child.isAlive();
    child.destroyForcibly().waitFor();
    assertTrue(Files.exists(firstCkpt), "child wrote no checkpoint: " + Files.readString(tmp.resolve("child.log")));
    assertTrue(killedMidRun, "the child finished before it could be killed");
    RunDirectory killed = RunDirectory.open(runs.resolve("killed").toString());
    assertTrue(new Checkpoints(killed.checkpoints(), 3).latest().getAsLong() < 3000);

    Dataset data = Datasets.open(e);
    train(e, data, killed, true);
    RunDirectory straight = newRun(tmp.resolve("straight"), e);
    train(e, data, straight, false);
    List<JsonObject> a = new MetricsLog(killed.metrics()).read();
    List<JsonObject> b = new MetricsLog(straight.metrics()).read();
    assertEquals(b.size(), a.size());
    assertEquals(b, a);
  }
}
