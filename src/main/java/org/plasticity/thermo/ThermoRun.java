package org.plasticity.thermo;

import com.google.gson.JsonObject;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.plasticity.config.Configs;
import org.plasticity.config.Experiment;
import org.plasticity.core.Devices;
import org.plasticity.core.Listeners;
import org.plasticity.core.RunDirectory;
import org.plasticity.core.Trainer;
import org.plasticity.core.TrainingContext;
import org.plasticity.core.TrainingGraph;
import org.plasticity.core.TrainingListener;
import org.plasticity.data.Dataset;
import org.plasticity.data.Datasets;

/**
 * One Langevin-perceptron training run through the generic {@link Trainer}, with its logged
 * metrics kept in memory for a study (they are also written to the run's metrics.jsonl).
 */
public final class ThermoRun {
  /** The logged metrics of a run: steps, one series per metric, and the final evaluation. */
  public record Result(List<Long> steps, Map<String, List<Double>> series, Map<String, Double> eval, String diverged) {
    public boolean ok() {
      return diverged == null;
    }

    public double[] values(String metric) {
      List<Double> v = series.get(metric);
      if (v == null) {
        throw new IllegalArgumentException("no metric '" + metric + "' in " + series.keySet());
      }
      return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The metric's mean over logged steps with step ≥ fromStep. */
    public double meanFrom(String metric, long fromStep) {
      double[] v = values(metric);
      double s = 0;
      int c = 0;
      for (int i = 0; i < v.length; i++) {
        if (steps.get(i) >= fromStep) {
          s += v[i];
          c++;
        }
      }
      return s / c;
    }

    /**
     * The average rate of change of a cumulative metric per unit time between the first logged
     * step ≥ fromStep and the last logged step (time = steps × dt).
     */
    public double rateFrom(String metric, long fromStep, double dt) {
      double[] v = values(metric);
      for (int i = 0; i < v.length; i++) {
        if (steps.get(i) >= fromStep) {
          long span = steps.get(v.length - 1) - steps.get(i);
          return (v[v.length - 1] - v[i]) / (span * dt);
        }
      }
      return Double.NaN;
    }

    /** The metric at the last logged step. */
    public double last(String metric) {
      double[] v = values(metric);
      return v[v.length - 1];
    }

    /** The metric at the first logged step ≥ step. */
    public double at(String metric, long step) {
      double[] v = values(metric);
      for (int i = 0; i < v.length; i++) {
        if (steps.get(i) >= step) {
          return v[i];
        }
      }
      return v[v.length - 1];
    }
  }

  private ThermoRun() {}

  /**
   * Trains {@code e} into {@code runDir} (replacing any run there); returns its metrics. A run
   * stopped by the divergence guard returns what it logged, with {@link Result#diverged()} set.
   */
  public static Result run(Experiment e, Path runDir, PrintStream progress) {
    Experiment resolved = Configs.resolve(e);
    JsonObject record = new JsonObject();
    record.addProperty("seed", e.getSeed());
    record.addProperty("created", java.time.OffsetDateTime.now().toString());
    record.addProperty("tensorflow", org.tensorflow.TensorFlow.version());
    try {
      org.plasticity.core.AtomicFiles.deleteRecursively(runDir);
    } catch (java.io.IOException ex) {
      throw new org.plasticity.core.UserError(runDir + ": cannot clear an old run (" + ex.getMessage() + ")", ex);
    }
    RunDirectory run = RunDirectory.create(runDir, resolved, record);
    Dataset data = Datasets.open(resolved);
    List<Long> steps = new ArrayList<>();
    Map<String, List<Double>> series = new LinkedHashMap<>();
    TrainingListener collect = new TrainingListener() {
      @Override
      public void onStep(TrainingContext ctx, long step, Map<String, Float> metrics) {
        steps.add(step);
        metrics.forEach((k, v) -> series.computeIfAbsent(k, x -> new ArrayList<>()).add((double) v));
      }
    };
    try (TrainingGraph graph = new LangevinPerceptron().build(resolved, data.widths(),
        Devices.resolve(resolved.getTrain().getDevice()))) {
      Trainer trainer = new Trainer(resolved, graph, data, run)
          .listen(new Listeners.DivergenceGuard())
          .listen(new Listeners.MetricsWriter())
          .listen(collect);
      if (progress != null) {
        trainer.listen(new Listeners.Progress(progress));
      }
      try {
        Map<String, Double> eval = trainer.train(false);
        return new Result(steps, series, eval, null);
      } catch (org.plasticity.core.UserError err) {
        if (err.getMessage() == null || !err.getMessage().startsWith("training diverged")) {
          throw err;
        }
        // The divergence guard stopped the run (weights ran away): keep what was logged before.
        return new Result(steps, series, Map.of(), err.getMessage());
      }
    }
  }
}
