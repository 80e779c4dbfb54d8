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
  @Test
  void savedModelRoundTripIsExact() throws IOException {
    Experiment e = TestRuns.smallMnistManifold(TestData.writeMnistLike(tmp.resolve("data"), 200, 100, 2), 8, 20);
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
