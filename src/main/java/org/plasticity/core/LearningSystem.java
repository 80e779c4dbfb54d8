package org.plasticity.core;

import java.util.List;
import java.util.Map;
import org.plasticity.config.Experiment;
import org.tensorflow.Session;

/** A learning system: knows how to build its graph; the trainer does the rest. */
public interface LearningSystem {
  /** Builds the graph for this experiment, given the dataset's field widths. */
  TrainingGraph build(Experiment experiment, Map<String, Integer> fieldWidths, Placement placement);

  /** Extra lines for {@code plasticity inspect}, computed from the trained variables. */
  default List<String> describe(Session session, TrainingGraph graph) {
    return List.of();
  }

  /** Writes a pruned SavedModel (for systems whose trained state makes part of the network idle). */
  default List<String> exportPruned(Session session, TrainingGraph graph, java.nio.file.Path dir) {
    throw new UserError("export --pruned: this learning system has no pruned form");
  }
}
