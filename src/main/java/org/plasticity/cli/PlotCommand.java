package org.plasticity.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.plasticity.core.RunDirectory;
import org.plasticity.viz.RunPlots;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "plot", mixinStandardHelpOptions = true,
    description = "Plot a run: PNG curves of every metric, an animated GIF and final PNG of every "
        + "matrix snapshot (e.g. the closeness matrix), and TensorBoard image summaries. Written to <run>/plots.")
public final class PlotCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "Run name under checkpoints/ or path.")
  String run;

  @Option(names = "--max-frames", description = "At most this many animation frames (default: ${DEFAULT-VALUE}).",
      defaultValue = "100")
  int maxFrames;

  @Override
  public Integer call() {
    List<Path> files = RunPlots.write(RunDirectory.open(run), maxFrames);
    files.forEach(f -> System.out.println("wrote " + f));
    return 0;
  }
}
