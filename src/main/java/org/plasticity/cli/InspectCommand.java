package org.plasticity.cli;

import java.util.concurrent.Callable;
import org.plasticity.core.Placement;
import org.plasticity.data.Datasets;
import org.tensorflow.op.core.Variable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Print a run's model summary: neurons, parameters, active connections, paths.")
public final class InspectCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "Run name under checkpoints/ or path.")
  String run;

  @Override
  public Integer call() {
    org.plasticity.config.Experiment e = org.plasticity.core.RunDirectory.open(run).config();
    try (LoadedRun r = new LoadedRun(run, Placement.CPU, Datasets.open(e).widths())) {
      System.out.printf("run %s (%s), checkpoint step %d%n", r.run.name(), e.getSystemCase().name().toLowerCase(), r.step);
      for (String line : r.system.describe(r.session, r.graph)) {
        System.out.println(line);
      }
    }
    return 0;
  }
}
