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

  @Override
  public Integer call() {
    org.plasticity.config.Experiment e = org.plasticity.core.RunDirectory.open(run).config();
    Dataset data = Datasets.open(e);
    try (LoadedRun r = new LoadedRun(run, Devices.resolve(device), data.widths())) {
      Map<String, Double> m = Evaluator.evaluate(r.session, r.graph, data, e.getTrain().getEvalBatchSize());
      System.out.printf("run %s, checkpoint step %d, %d test examples%n", r.run.name(), r.step, data.testSize());
      m.forEach((k, v) -> System.out.printf("%s = %.6g%n", k, v));
    }
    return 0;
  }
}
