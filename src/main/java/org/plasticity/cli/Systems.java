package org.plasticity.cli;

import org.plasticity.config.Experiment;
import org.plasticity.core.LearningSystem;
import org.plasticity.core.UserError;
import org.plasticity.dni.DniModel;
import org.plasticity.manifold.ManifoldModel;

/** The learning system an experiment names. */
public final class Systems {
  private Systems() {}

  public static LearningSystem of(Experiment e) {
    return switch (e.getSystemCase()) {
      case MANIFOLD -> new ManifoldModel();
      case DNI -> new DniModel();
      default -> throw new UserError("learning system '" + e.getSystemCase().name().toLowerCase()
          + "' is not implemented in this build");
    };
  }
}
