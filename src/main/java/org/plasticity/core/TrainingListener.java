package org.plasticity.core;

import java.util.Map;

/**
 * Observes the training loop without touching it (progress line, metrics file, TensorBoard,
 * divergence guard, snapshots). Steps are counted as completed steps, 1-based.
 */
public interface TrainingListener {
  default void onStart(TrainingContext ctx) {}

  /** Called on every step whose metrics were fetched (log steps, checkpoint steps, the last). */
  default void onStep(TrainingContext ctx, long step, Map<String, Float> metrics) {}

  default void onEvaluation(TrainingContext ctx, long step, Map<String, Double> metrics) {}

  /** Called after a step completes and before any checkpoint of that step is written. */
  default void afterStep(TrainingContext ctx, long step) {}

  default void onEnd(TrainingContext ctx) {}
}
