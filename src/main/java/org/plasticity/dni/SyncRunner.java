package org.plasticity.dni;

import java.util.List;
import java.util.Map;
import org.plasticity.core.StepRunner;
import org.plasticity.core.Tensors;
import org.plasticity.core.TrainingGraph;
import org.plasticity.data.Batch;
import org.tensorflow.Session;

/**
 * The sync schedule: every layer and generator step in one Session.run (the layers are chained by
 * the placeholders' defaults). Metrics are fetched in a second run on the same batch, after the
 * update, so that the monitoring-only true gradient is never computed on a plain step and never
 * reads a variable while it is being updated.
 */
final class SyncRunner implements StepRunner {
  @Override
  public Map<String, Float> run(Session session, TrainingGraph g, Batch batch, long step, boolean fetch) {
    Tensors.runScalars(session, g, batch, step, g.trainTargets(), Map.of());
    if (!fetch) {
      return Map.of();
    }
    return Tensors.runScalars(session, g, batch, step, List.of(), g.metrics());
  }
}
