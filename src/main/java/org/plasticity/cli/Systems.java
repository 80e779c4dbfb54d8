package org.plasticity.cli;

import org.plasticity.config.Experiment;
import org.plasticity.core.LearningSystem;
import org.plasticity.core.UserError;
import org.plasticity.hopfield.HopfieldSystem;
import org.plasticity.local.HeatExchanger;
import org.plasticity.local.Recirculation;
import org.plasticity.dni.DniModel;
import org.plasticity.manifold.ManifoldModel;
import org.plasticity.thermo.LangevinPerceptron;

/** The learning system an experiment names. */
public final class Systems {
  private Systems() {}

  public static LearningSystem of(Experiment e) {
    return switch (e.getSystemCase()) {
      case MANIFOLD -> new ManifoldModel();
      case LANGEVIN -> new LangevinPerceptron();
      case RECIRCULATION -> new Recirculation();
      case HEAT_EXCHANGER -> new HeatExchanger();
      case HOPFIELD -> new HopfieldSystem();
      case DNI -> new DniModel();
      default -> throw new UserError("learning system '" + e.getSystemCase().name().toLowerCase()
          + "' is not implemented in this build");
    };
  }
}
