package org.plasticity.core;

import java.util.Map;
import org.plasticity.data.Batch;
import org.tensorflow.Session;

/** Executes one training step; the default runs every train target in one Session.run. */
@FunctionalInterface
public interface StepRunner {
  /**
   * Runs the step on {@code batch}; when {@code fetchMetrics} is set, returns the graph's metrics
   * for this step (otherwise an empty map).
   */
  Map<String, Float> run(Session session, TrainingGraph graph, Batch batch, long step, boolean fetchMetrics);
}
