package org.plasticity.cli;

import java.util.concurrent.Callable;
import org.plasticity.core.Devices;
import org.plasticity.core.Exporter;
import org.plasticity.data.Datasets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Export a run's latest checkpoint as a SavedModel (<run>/saved_model).")
public final class ExportCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "Run name under checkpoints/ or path.")
  String run;

  @Option(names = "--device", description = "auto, cpu or gpu.", defaultValue = "cpu")
  String device;

  @Option(names = "--pruned", description = "Also write the pruned model (frozen wiring, inactive connections and "
      + "dead-end neurons dropped) to <run>/saved_model_pruned.")
  boolean pruned;

  @Override
  public Integer call() {
    org.plasticity.config.Experiment e = org.plasticity.core.RunDirectory.open(run).config();
    try (LoadedRun r = new LoadedRun(run, Devices.resolve(device), Datasets.open(e).widths())) {
      Exporter.export(r.session, r.graph, r.run.savedModel());
      System.out.println("exported step " + r.step + " to " + r.run.savedModel());
      if (pruned) {
        r.system.exportPruned(r.session, r.graph, r.run.prunedModel()).forEach(System.out::println);
        System.out.println("exported pruned step " + r.step + " to " + r.run.prunedModel());
      }
    }
    return 0;
  }
}
