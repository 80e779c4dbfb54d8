package org.plasticity.core;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/** The standard listeners: one small class each. */
public final class Listeners {
  private Listeners() {}

  /** Stops a run whose metrics turn NaN or infinite, before the bad state is checkpointed. */
  public static final class DivergenceGuard implements TrainingListener {
    @Override
    public void onStep(TrainingContext ctx, long step, Map<String, Float> metrics) {
      for (Map.Entry<String, Float> e : metrics.entrySet()) {
        if (!Float.isFinite(e.getValue())) {
          OptionalLong last = new Checkpoints(ctx.run().checkpoints(), 1).latest();
          throw new UserError("training diverged at step " + step + ": metric '" + e.getKey() + "' is "
              + e.getValue() + "; last good checkpoint: "
              + (last.isPresent() ? "step " + last.getAsLong() + " in " + ctx.run().checkpoints() : "none")
              + " (lower train.optimizer.learning_rate or the loss coefficients)");
        }
      }
    }
  }

  /** Appends every logged step and evaluation to metrics.jsonl. */
  public static final class MetricsWriter implements TrainingListener {
    private MetricsLog log;

    @Override
    public void onStart(TrainingContext ctx) {
      log = new MetricsLog(ctx.run().metrics());
    }

    @Override
    public void onStep(TrainingContext ctx, long step, Map<String, Float> metrics) {
      log.append(step, metrics);
    }

    @Override
    public void onEvaluation(TrainingContext ctx, long step, Map<String, Double> metrics) {
      log.append(step, metrics);
    }
  }

  /** Writes the same scalars as TensorBoard events. */
  public static final class TensorBoard implements TrainingListener {
    private EventsWriter events;

    @Override
    public void onStart(TrainingContext ctx) {
      events = new EventsWriter(ctx.run().events());
    }

    @Override
    public void onStep(TrainingContext ctx, long step, Map<String, Float> metrics) {
      Map<String, Float> tagged = new LinkedHashMap<>();
      metrics.forEach((k, v) -> tagged.put("train/" + k, v));
      events.scalars(step, tagged);
    }

    @Override
    public void onEvaluation(TrainingContext ctx, long step, Map<String, Double> metrics) {
      events.scalars(step, metrics);
    }

    @Override
    public void onEnd(TrainingContext ctx) {
      close();
    }

    public void close() {
      if (events != null) {
        events.close();
        events = null;
      }
    }
  }

  /** The progress line: step, every metric, steps/s and ETA. */
  public static final class Progress implements TrainingListener {
    private final PrintStream out;
    private long t0;
    private long s0;

    public Progress(PrintStream out) {
      this.out = out;
    }

    @Override
    public void onStart(TrainingContext ctx) {
      t0 = System.nanoTime();
      s0 = ctx.startStep();
      out.printf("training %s: steps %d..%d of %d, %d training examples, %d test examples%n",
          ctx.run().name(), ctx.startStep() + 1, ctx.totalSteps(), ctx.totalSteps(),
          ctx.data().trainSize() == Long.MAX_VALUE ? -1 : ctx.data().trainSize(), ctx.data().testSize());
    }

    @Override
    public void onStep(TrainingContext ctx, long step, Map<String, Float> metrics) {
      double secs = (System.nanoTime() - t0) / 1e9;
      double rate = (step - s0) / Math.max(secs, 1e-9);
      StringBuilder sb = new StringBuilder();
      sb.append(String.format("step %d/%d", step, ctx.totalSteps()));
      metrics.forEach((k, v) -> sb.append(String.format("  %s %.5g", k, v)));
      sb.append(String.format("  | %.1f steps/s  ETA %s", rate, duration((ctx.totalSteps() - step) / Math.max(rate, 1e-9))));
      out.println(sb);
    }

    @Override
    public void onEvaluation(TrainingContext ctx, long step, Map<String, Double> metrics) {
      StringBuilder sb = new StringBuilder(String.format("eval step %d:", step));
      metrics.forEach((k, v) -> sb.append(String.format("  %s %.6g", k, v)));
      out.println(sb);
    }

    static String duration(double seconds) {
      long s = Math.round(seconds);
      if (s >= 3600) {
        return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
      }
      return String.format("%dm%02ds", s / 60, s % 60);
    }
  }

  /** Writes the graph's snapshot tensors as snapshots/<name>-<step>.npy every train.snapshot_every steps. */
  public static final class Snapshots implements TrainingListener {
    @Override
    public void onStart(TrainingContext ctx) {
      if (ctx.startStep() == 0) {
        write(ctx, 0);
      }
    }

    @Override
    public void afterStep(TrainingContext ctx, long step) {
      int every = ctx.experiment().getTrain().getSnapshotEvery();
      if (every > 0 && (step % every == 0 || step == ctx.totalSteps())) {
        write(ctx, step);
      }
    }

    private static void write(TrainingContext ctx, long step) {
      if (ctx.graph().snapshots().isEmpty() || ctx.experiment().getTrain().getSnapshotEvery() <= 0) {
        return;
      }
      try {
        java.nio.file.Files.createDirectories(ctx.run().snapshots());
        for (Map.Entry<String, org.tensorflow.Operand<org.tensorflow.types.TFloat32>> e : ctx.graph().snapshots().entrySet()) {
          try (org.tensorflow.Result r = ctx.session().runner().fetch(e.getValue()).run()) {
            org.tensorflow.types.TFloat32 t = (org.tensorflow.types.TFloat32) r.get(0);
            Npy.write(ctx.run().snapshots().resolve(String.format("%s-%09d.npy", e.getKey(), step)),
                t.shape().asArray(), Tensors.toArray(t));
          }
        }
      } catch (java.io.IOException ex) {
        throw new UserError(ctx.run().snapshots() + ": cannot write snapshot (" + ex.getMessage() + ")", ex);
      }
    }
  }
}
