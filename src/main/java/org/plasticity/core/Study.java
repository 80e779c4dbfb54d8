package org.plasticity.core;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * A reproduction that needs more than one training run (a seed sweep, a capacity curve, a
 * table over depths). {@code plasticity reproduce <id>} runs it and writes its tables and plots
 * under {@code results/<id>/}; the numbers then go into docs/RESULTS.md.
 */
public interface Study {
  /** Identifier used on the command line, e.g. "recirculation-424". */
  String id();

  /** One line saying what it reproduces. */
  String description();

  /**
   * Runs the study. {@code quick} asks for a reduced version (fewer seeds/steps) that still
   * exercises every code path, for tests and smoke runs.
   */
  void run(Path outDir, boolean quick, PrintStream out) throws Exception;
}
