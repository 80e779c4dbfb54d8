package org.plasticity.manifold;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.plasticity.config.Configs;
import org.plasticity.config.Experiment;
import org.plasticity.core.Checkpoints;
import org.plasticity.core.Placement;
import org.plasticity.core.RunDirectory;
import org.plasticity.core.SavedModelEvaluator;
import org.plasticity.core.Sessions;
import org.plasticity.core.Study;
import org.plasticity.core.Tensors;
import org.plasticity.core.Trainer;
import org.plasticity.core.TrainingGraph;
import org.plasticity.data.Batch;
import org.plasticity.data.Dataset;
import org.plasticity.data.Datasets;
import org.plasticity.viz.LinePlot;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * The accuracy-connections trade-off of the DNM: the sparse configuration trained with a sweep
 * of the time-loss coefficient; for each run the full-test accuracy, the active fraction, and
 * the measured latency of its pruned export. Runs that already exist under checkpoints/ (e.g.
 * trained in parallel with {@code plasticity train --run dnm-tradeoff-time<coef> ...}) are reused.
 *
 * <p>Two sweeps: {@link #sessionTwo} with the cost model of session 2 (0.001 us per connection,
 * 0.01 us per neuron), whose runs docs/RESULTS.md records, and {@link #calibrated} with the
 * defaults fitted by {@link CostModelStudy}, whose coefficients put the same pressure per
 * connection on the loss (a connection costs 20 times less there, a neuron about 3 times less);
 * and {@link #pathsOnly}, the calibrated sweep with the time term counting only what the pruned
 * export computes (time_paths_only). The table has the time term's own figure at the last step,
 * which with the cost model's constant predicts the export's time per example.
 */
public final class TradeoffStudy implements Study {
  private final String id;
  private final String runPrefix;
  private final float[] coefs;
  /** The cost model's per-connection and per-neuron microseconds, or null for the config's defaults. */
  private final float[] costModel;
  private final boolean pathsOnly;

  private TradeoffStudy(String id, String runPrefix, float[] coefs, float[] costModel, boolean pathsOnly) {
    this.id = id;
    this.runPrefix = runPrefix;
    this.coefs = coefs;
    this.costModel = costModel;
    this.pathsOnly = pathsOnly;
  }

  /** The sweep recorded in session 2, with that session's cost model. */
  public static TradeoffStudy sessionTwo() {
    return new TradeoffStudy("dnm-tradeoff", "dnm-tradeoff-time", new float[] {0f, 10f, 30f, 100f, 300f},
        new float[] {0.001f, 0.01f}, false);
  }

  /** The same sweep with the calibrated cost model (the defaults). */
  public static TradeoffStudy calibrated() {
    return new TradeoffStudy("dnm-tradeoff-calibrated", "dnm-tradeoff-cal-time",
        new float[] {0f, 200f, 600f, 2000f, 6000f}, null, false);
  }

  /** The calibrated sweep, the time term counting only what the pruned export computes. */
  public static TradeoffStudy pathsOnly() {
    return new TradeoffStudy("dnm-tradeoff-paths", "dnm-tradeoff-paths-time",
        new float[] {200f, 600f, 2000f, 6000f}, null, true);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String description() {
    return "DNM accuracy vs active connections and pruned inference time, sweeping the time-loss coefficient"
        + (costModel == null ? " (calibrated cost model)" : " (session 2's cost model)")
        + (pathsOnly ? ", counting only what the pruned export computes" : "");
  }

  /** The experiment of one sweep point. */
  Experiment point(Experiment base, float coef, long steps) {
    Experiment.Builder b = base.toBuilder();
    b.setName(runPrefix + (int) coef);
    b.getTrainBuilder().setSteps(steps).setEvalEvery(0).setSnapshotEvery(0).setCheckpointEvery((int) Math.min(steps, 5000));
    b.getManifoldBuilder().setTimeCoef(coef).setSoftSparsityCoef(0f).setSparsityTemperature(0.01f)
        .setEvaluation(org.plasticity.config.ManifoldConfig.Evaluation.ITERATED).setTimePathsOnly(pathsOnly);
    if (costModel != null) {
      b.getManifoldBuilder().setTimePerConnectionUs(costModel[0]).setTimePerNeuronUs(costModel[1]);
    }
    return Configs.resolve(b.build());
  }

  @Override
  public void run(Path outDir, boolean quick, PrintStream out) throws Exception {
    Experiment base = Configs.load(Path.of("models/dnm_mnist_sparse.pbtxt"));
    long steps = quick ? 50 : 10000;
    if (quick) {
      base = base.toBuilder().setData(base.getData().toBuilder().setTrainLimit(500).setTestLimit(200)).build();
    }
    // One intra-op thread for the whole process (training and timing), as in CostModelStudy: on
    // the 2-core CPU the pruned export is fastest and steadiest so, and TF sizes its pool once.
    Sessions.sizeThreadPools(base.getTrain().toBuilder().setIntraOpThreads(1).build());
    Files.createDirectories(outDir);
    // the paths-only sweep is compared with the calibrated one (trained too if missing)
    List<TradeoffStudy> sweeps = pathsOnly ? List.of(this, calibrated()) : List.of(this);
    List<double[]> rows = new ArrayList<>();
    List<Integer> sweepOf = new ArrayList<>();
    List<Path> exports = new ArrayList<>();
    Dataset data = null;
    for (int k = 0; k < sweeps.size(); k++) {
      TradeoffStudy sweep = sweeps.get(k);
      // every sweep at this study's coefficients (the baseline's coefficient 0 is the same run in both)
      for (float coef : quick ? new float[] {coefs[0], coefs[coefs.length - 2]} : coefs) {
        Experiment e = sweep.point(base, coef, steps);
        Path runPath = (quick ? outDir : Path.of("checkpoints")).resolve(e.getName());
        data = Datasets.open(e);
        RunDirectory run = trained(e, runPath, data, out);
        e = run.config();
        long at = new Checkpoints(run.checkpoints(), 3).latest().orElseThrow();
        ManifoldModel model = new ManifoldModel();
        double fraction;
        PrunedModel pruned;
        try (TrainingGraph g = model.build(e, data.widths(), Placement.CPU);
            Session s = Sessions.create(g.graph(), e.getTrain())) {
          new Checkpoints(run.checkpoints(), 3).restore(s, at);
          fraction = new Topology(e.getManifold(), Tensors.fetch(s, model.parts().closeness())).activeFraction();
          pruned = model.pruned(s);
          pruned.export(run.prunedModel(), "images");
        }
        double acc = SavedModelEvaluator.evaluate(run.prunedModel(), data, 1000).get("test/accuracy");
        exports.add(run.prunedModel());
        sweepOf.add(k);
        rows.add(new double[] {coef, acc, fraction, at, pruned.keptConnections(), pruned.keptNeurons(), pruned.depth(),
            lastLogged(run, "time_us")});
      }
    }
    // every export timed in the same rounds, after all of them are made (the first timed in a
    // process, or the first after training, is otherwise slower)
    double[][] t = time(exports, data);
    StringBuilder table = new StringBuilder("| " + (pathsOnly ? "time term counts | " : "")
        + "time_coef | steps | test accuracy | active fraction | computed connections | computed neurons | depth | time term (us) | pruned latency b=1 (ms) | pruned us/example b=1000 |\n"
        + "|" + (pathsOnly ? "---|" : "") + "---|---|---|---|---|---|---|---|---|---|\n");
    for (int i = 0; i < rows.size(); i++) {
      double[] r = rows.get(i);
      String label = sweeps.get(sweepOf.get(i)).countsLabel();
      table.append(String.format("| %s%g | %d | %.4f | %.4f | %d | %d | %d | %.3f | %.3f | %.3f |%n",
          pathsOnly ? label + " | " : "", r[0], (long) r[3], r[1], r[2], (long) r[4], (long) r[5], (long) r[6], r[7],
          t[i][0], t[i][1]));
      out.printf("%stime_coef %g: accuracy %.4f, active fraction %.4f, pruned %.3f ms (b=1), %.3f us/example (b=1000)%n",
          pathsOnly ? label + ", " : "", r[0], r[1], r[2], t[i][0], t[i][1]);
    }
    Files.writeString(outDir.resolve("tradeoff.md"), table.toString());
    LinePlot byConnections = new LinePlot("DNM on MNIST: accuracy vs active connections (time-loss sweep)",
        "active fraction of max_knex", "full-test accuracy");
    LinePlot byTime = new LinePlot("DNM on MNIST: accuracy vs pruned inference time",
        "us per example (batch 1000, pruned)", "full-test accuracy");
    double[] allX = rows.stream().mapToDouble(r -> r[2]).toArray();
    double[] allT = java.util.Arrays.stream(t).mapToDouble(r -> r[1]).toArray();
    double[] allY = rows.stream().mapToDouble(r -> r[1]).toArray();
    for (int k = 0; k < sweeps.size(); k++) {
      final int sweep = k;
      int[] idx = java.util.stream.IntStream.range(0, rows.size()).filter(i -> sweepOf.get(i) == sweep).toArray();
      String name = sweeps.size() == 1 ? "runs" : "time term counts " + sweeps.get(k).countsLabel();
      byConnections.points(name, java.util.Arrays.stream(idx).mapToDouble(i -> allX[i]).toArray(),
          java.util.Arrays.stream(idx).mapToDouble(i -> allY[i]).toArray());
      byTime.points(name, java.util.Arrays.stream(idx).mapToDouble(i -> allT[i]).toArray(),
          java.util.Arrays.stream(idx).mapToDouble(i -> allY[i]).toArray());
    }
    if (sweeps.size() > 1) {
      byConnections.legendLowerRight();
      byTime.legendLowerRight();
    }
    byConnections.padded(allX, allY).save(outDir.resolve("tradeoff-accuracy-vs-connections.png"));
    byTime.padded(allT, allY).save(outDir.resolve("tradeoff-accuracy-vs-time.png"));
    out.print(table);
  }

  /** What this sweep's time term counts, for tables and legends. */
  private String countsLabel() {
    return pathsOnly ? "computed only" : "all active";
  }

  /** The run of experiment e at runPath: trained now unless it exists (then reused as it is). */
  private static RunDirectory trained(Experiment e, Path runPath, Dataset data, PrintStream out) {
    if (Files.exists(runPath.resolve(RunDirectory.CONFIG))) {
      return RunDirectory.open(runPath.toString());
    }
    RunDirectory run = RunDirectory.create(runPath, e, new com.google.gson.JsonObject());
    try (TrainingGraph g = new ManifoldModel().build(e, data.widths(), Placement.CPU)) {
      new Trainer(e, g, data, run).withStandardListeners(out).train(false);
    }
    return run;
  }

  /** A metric's value at the last step that logged it, from the run's metrics.jsonl (NaN if none). */
  static double lastLogged(RunDirectory run, String metric) {
    double v = Double.NaN;
    for (com.google.gson.JsonObject row : new org.plasticity.core.MetricsLog(run.metrics()).read()) {
      if (row.has(metric)) {
        v = row.get(metric).getAsDouble();
      }
    }
    return v;
  }

  /**
   * Median latency at batch 1 (ms) and time per example at batch 1000 (us) of each SavedModel,
   * every op in the calling thread with the process's one intra-op thread, all timed in the same
   * rounds ({@link CostModelStudy#interleavedMicros}).
   */
  static double[][] time(List<Path> dirs, Dataset data) {
    Batch one = data.testBatch(0, 1);
    Batch many = data.testBatch(0, Math.min(1000, data.testSize()));
    try (TFloat32 x1 = Tensors.matrix(one.field("images"), 1, 784);
        TFloat32 xb = Tensors.matrix(many.field("images"), many.size(), 784)) {
      double[][] us = CostModelStudy.interleavedMicros(dirs, List.of(x1, xb), new int[] {100, 20});
      double[][] out = new double[dirs.size()][];
      for (int k = 0; k < out.length; k++) {
        out[k] = new double[] {us[k][0] / 1000, us[k][1] / many.size()};
      }
      return out;
    }
  }
}
