package org.plasticity.core;

import java.util.List;
import java.util.Map;
import org.plasticity.data.Batch;
import org.tensorflow.Session;
import org.tensorflow.Tensor;

/** Executes one training step; the default runs every train target in one Session.run. */
@FunctionalInterface
public interface StepRunner {
  /**
   * Runs the step on {@code batch}; when {@code fetchMetrics} is set, returns the graph's metrics
   * for this step (otherwise an empty map).
   */
  Map<String, Float> run(Session session, TrainingGraph graph, Batch batch, long step, boolean fetchMetrics);

  /**
   * A runner set up exactly as the next {@link #run} would be (feeds and targets), for tools that
   * trace one step (the per-op profile of {@code plasticity bench}). Tensors it opens go to
   * {@code opened}; the caller closes them.
   */
  default Session.Runner prepare(Session session, TrainingGraph graph, Batch batch, long step, List<Tensor> opened) {
    Session.Runner r = session.runner();
    Tensors.feed(r, graph, batch, step, opened);
    graph.trainTargets().forEach(r::addTarget);
    return r;
  }
}
