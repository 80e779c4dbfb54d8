package org.plasticity.cli;

import org.plasticity.core.UserError;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The plasticity command line. */
@Command(name = "plasticity", mixinStandardHelpOptions = true, version = "plasticity 0.1.0",
    description = "Train, evaluate, export and inspect networks that learn and rewire beyond plain backpropagation.",
    subcommands = {TrainCommand.class, EvalCommand.class, ExportCommand.class, InspectCommand.class,
        ReproduceCommand.class, PlotCommand.class, BenchCommand.class, GpuInfoCommand.class})
public final class Main implements Runnable {
  @Option(names = "--verbose", description = "Print stack traces of errors.", scope = CommandLine.ScopeType.INHERIT)
  boolean verbose;

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line; user errors become one line on stderr and exit code 1. */
  public static int execute(String... args) {
    CommandLine cl = new CommandLine(new Main());
    boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      Throwable t = ex;
      if (t instanceof UserError) {
        System.err.println("plasticity: " + t.getMessage());
        if (verbose) {
          t.printStackTrace();
        }
        return 1;
      }
      System.err.println("plasticity: " + t);
      if (verbose) {
        t.printStackTrace();
      } else {
        System.err.println("(run with --verbose for the stack trace)");
      }
      return 2;
    });
    return cl.execute(args);
  }
}
