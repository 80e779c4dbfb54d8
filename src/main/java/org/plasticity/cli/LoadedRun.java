package org.plasticity.cli;

import java.util.OptionalLong;
import org.plasticity.config.Experiment;
import org.plasticity.core.Checkpoints;
import org.plasticity.core.LearningSystem;
import org.plasticity.core.Placement;
import org.plasticity.core.RunDirectory;
import org.plasticity.core.Sessions;
import org.plasticity.core.TrainingGraph;
import org.plasticity.core.UserError;
import org.tensorflow.Session;

/** A run's graph rebuilt from its recorded config, with the latest checkpoint restored. */
final class LoadedRun implements AutoCloseable {
  final RunDirectory run;
  final Experiment experiment;
  final LearningSystem system;
  final TrainingGraph graph;
  final Session session;
  final long step;

  LoadedRun(String runName, Placement placement, java.util.Map<String, Integer> widths) {
    this.run = RunDirectory.open(runName);
    this.experiment = run.config();
    this.system = Systems.of(experiment);
    this.graph = system.build(experiment, widths, placement);
    this.session = Sessions.create(graph.graph(), experiment.getTrain());
    OptionalLong latest = new Checkpoints(run.checkpoints(), experiment.getTrain().getKeepCheckpoints()).latest();
    if (latest.isEmpty()) {
      close();
      throw new UserError(run.checkpoints() + ": no complete checkpoint in this run");
    }
    this.step = latest.getAsLong();
    new Checkpoints(run.checkpoints(), experiment.getTrain().getKeepCheckpoints()).restore(session, step);
  }

  @Override
  public void close() {
    if (session != null) {
      session.close();
    }
    graph.close();
  }
}
