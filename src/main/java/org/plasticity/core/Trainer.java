package org.plasticity.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.plasticity.config.Experiment;
import org.plasticity.config.TrainConfig;
import org.plasticity.data.Batch;
import org.plasticity.data.Dataset;
import org.tensorflow.Session;

/**
 * The one training loop: feed a batch, run the step, log the scalars, evaluate, checkpoint,
 * export. It knows nothing about any particular model.
 */
public final class Trainer {
  private final Experiment experiment;
  private final TrainingGraph graph;
  private final Dataset data;
  private final RunDirectory run;
  private final List<TrainingListener> listeners = new ArrayList<>();

  public Trainer(Experiment experiment, TrainingGraph graph, Dataset data, RunDirectory run) {
    this.experiment = experiment;
    this.graph = graph;
    this.data = data;
    this.run = run;
  }

  public Trainer listen(TrainingListener l) {
    listeners.add(l);
    return this;
  }

  /** The default listeners: divergence guard first, so a NaN never reaches the metrics or a checkpoint. */
  public Trainer withStandardListeners(java.io.PrintStream out) {
    listen(new Listeners.DivergenceGuard());
    listen(new Listeners.MetricsWriter());
    if (experiment.getTrain().getTensorboard()) {
      listen(new Listeners.TensorBoard());
    }
    listen(new Listeners.Progress(out));
    listen(new Listeners.Snapshots());
    return this;
  }

  /** Trains to train.steps; with {@code resume}, continues from the latest checkpoint. Returns the final evaluation. */
  public Map<String, Double> train(boolean resume) {
    TrainConfig t = experiment.getTrain();
    Checkpoints ckpts = new Checkpoints(run.checkpoints(), t.getKeepCheckpoints());
    StepRunner runner = graph.stepRunner() != null ? graph.stepRunner() : Trainer::runDefault;
    try (Session session = Sessions.create(graph.graph(), t)) {
      long start = 0;
      if (resume) {
        OptionalLong latest = ckpts.latest();
        if (latest.isPresent()) {
          start = latest.getAsLong();
          ckpts.restore(session, start);
        }
        new MetricsLog(run.metrics()).truncateAfter(start);
      }
      long total = t.getSteps();
      TrainingContext ctx = new TrainingContext(experiment, graph, session, data, run, start, total);
      listeners.forEach(l -> l.onStart(ctx));
      Map<String, Double> lastEval = null;
      long lastEvalStep = -1;
      long lastCkptStep = start;
      try {
        for (long s = start; s < total; s++) {
          long done = s + 1;
          boolean ckpt = t.getCheckpointEvery() > 0 && done % t.getCheckpointEvery() == 0;
          boolean fetch = done % t.getLogEvery() == 0 || done == total || ckpt;
          Batch batch = data.trainBatch(s, t.getBatchSize());
          Map<String, Float> metrics = runner.run(session, graph, batch, s, fetch);
          if (fetch) {
            for (TrainingListener l : listeners) {
              l.onStep(ctx, done, metrics);
            }
          }
          for (TrainingListener l : listeners) {
            l.afterStep(ctx, done);
          }
          if (t.getEvalEvery() > 0 && done % t.getEvalEvery() == 0 && done != total) {
            lastEval = evaluate(ctx, session, done);
            lastEvalStep = done;
          }
          if (ckpt) {
            ckpts.save(session, done);
            lastCkptStep = done;
          }
        }
        if (lastEvalStep != total) {
          lastEval = evaluate(ctx, session, total);
        }
        if (lastCkptStep != total) {
          ckpts.save(session, total);
        }
        if (t.getExportAtEnd() && !graph.signatures().isEmpty()) {
          Exporter.export(session, graph, run.savedModel());
        }
      } finally {
        listeners.forEach(l -> l.onEnd(ctx));
      }
      return lastEval;
    }
  }

  private Map<String, Double> evaluate(TrainingContext ctx, Session session, long step) {
    Map<String, Double> m = Evaluator.evaluate(session, graph, data, experiment.getTrain().getEvalBatchSize());
    for (TrainingListener l : listeners) {
      l.onEvaluation(ctx, step, m);
    }
    return m;
  }

  /** One Session.run of every train target, fetching the metrics when asked. */
  public static Map<String, Float> runDefault(Session session, TrainingGraph g, Batch batch, long step, boolean fetch) {
    return Tensors.runScalars(session, g, batch, step, g.trainTargets(), fetch ? g.metrics() : Map.of());
  }
}
