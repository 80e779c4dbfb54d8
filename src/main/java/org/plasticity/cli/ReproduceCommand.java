package org.plasticity.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.plasticity.core.Study;
import org.plasticity.core.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "reproduce", mixinStandardHelpOptions = true,
    description = "Run a multi-run study (seed sweeps, capacity curves, tables) into results/<id>/. "
        + "Without an id, list the studies.")
public final class ReproduceCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", description = "Study id.")
  String id;

  @Option(names = "--quick", description = "Reduced version (fewer seeds/steps) for smoke runs.")
  boolean quick;

  @Option(names = "--out", description = "Output directory (default: results/<id>).")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (id == null) {
      Studies.all().values().forEach(s -> System.out.printf("%-28s %s%n", s.id(), s.description()));
      return 0;
    }
    Study s = Studies.all().get(id);
    if (s == null) {
      throw new UserError("reproduce: unknown study '" + id + "', expected one of " + Studies.all().keySet());
    }
    Path dir = out != null ? out : Path.of("results", id);
    s.run(dir, quick, System.out);
    System.out.println("results in " + dir);
    return 0;
  }
}
