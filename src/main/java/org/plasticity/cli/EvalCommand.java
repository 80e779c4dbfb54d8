package org.plasticity.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import org.plasticity.core.Devices;
import org.plasticity.core.Evaluator;
import org.plasticity.data.Dataset;
import org.plasticity.data.Datasets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Evaluate a run's latest checkpoint on the full test set.")
public final class EvalCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "Run name under checkpoints/ or path.")
  String run;

  @Option(names = "--device", description = "auto, cpu or gpu.", defaultValue = "auto")
  String device;

  @Option(names = "--saved-model", description = "Evaluate the exported SavedModel (serving_default) instead of the checkpoint.")
  boolean savedModel;

  @Option(names = "--pruned", description = "Evaluate the pruned SavedModel (export --pruned) instead of the checkpoint.")
  boolean pruned;

  @Override
  public Integer call() {
    org.plasticity.core.RunDirectory dir = org.plasticity.core.RunDirectory.open(run);
    org.plasticity.config.Experiment e = dir.config();
    Dataset data = Datasets.open(e);
    if (savedModel && pruned) {
      throw new org.plasticity.core.UserError("--saved-model and --pruned: expected one of them");
    }
    if (savedModel || pruned) {
      java.nio.file.Path model = pruned ? dir.prunedModel() : dir.savedModel();
      if (!java.nio.file.Files.isDirectory(model)) {
        throw new org.plasticity.core.UserError(model + ": no such export; run plasticity export " + run
            + (pruned ? " --pruned" : "") + " first");
      }
      Map<String, Double> m = org.plasticity.core.SavedModelEvaluator.evaluate(model, data, e.getTrain().getEvalBatchSize());
      System.out.printf("run %s, SavedModel %s, %d test examples%n", dir.name(), model, data.testSize());
      m.forEach((k, v) -> System.out.printf("%s = %.6g%n", k, v));
      return 0;
    }
    try (LoadedRun r = new LoadedRun(run, Devices.resolve(device), data.widths())) {
      Map<String, Double> m = Evaluator.evaluate(r.session, r.graph, data, e.getTrain().getEvalBatchSize());
      System.out.printf("run %s, checkpoint step %d, %d test examples%n", r.run.name(), r.step, data.testSize());
      m.forEach((k, v) -> System.out.printf("%s = %.6g%n", k, v));
    }
    return 0;
  }
}
