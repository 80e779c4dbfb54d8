package org.plasticity.dni;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;
import org.plasticity.config.Configs;
import org.plasticity.config.DniConfig;
import org.plasticity.config.Experiment;
import org.plasticity.core.Placement;
import org.plasticity.core.Sessions;
import org.plasticity.core.TrainingGraph;
import org.plasticity.data.Batch;
import org.plasticity.data.Dataset;
import org.plasticity.data.Datasets;
import org.tensorflow.Session;

/**
 * Wall-clock of one schedule for a fixed number of samples (scripts/bench-dni runs each case in
 * its own JVM, since only a process's first Session sets TF's thread pools).
 *
 * <pre>DniBench CONFIG MODE SCHEDULE DEPTH STEPS THREADS</pre>
 */
public final class DniBench {
  private DniBench() {}

  public static void main(String[] args) throws Exception {
    Experiment base = Configs.load(Path.of(args[0]));
    DniConfig.Mode mode = DniConfig.Mode.valueOf(args[1].toUpperCase(Locale.ROOT));
    DniConfig.Schedule schedule = DniConfig.Schedule.valueOf(args[2].toUpperCase(Locale.ROOT));
    int depth = Integer.parseInt(args[3]);
    int steps = Integer.parseInt(args[4]);
    int threads = Integer.parseInt(args[5]);
    Experiment.Builder b = base.toBuilder();
    b.getDniBuilder().setMode(mode).setSchedule(schedule).setDepth(depth);
    b.getTrainBuilder().setSteps(steps).setIntraOpThreads(threads).setInterOpThreads(threads);
    Experiment e = Configs.resolve(b.build());
    Dataset data = Datasets.open(e);
    int batch = e.getTrain().getBatchSize();
    int warmup = 20;
    Batch[] batches = new Batch[warmup + steps];
    for (int s = 0; s < batches.length; s++) {
      batches[s] = data.trainBatch(s, batch);
    }
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (TrainingGraph g = new DniModel().build(e, data.widths(), Placement.CPU);
        Session session = Sessions.create(g.graph(), e.getTrain())) {
      for (int s = 0; s < warmup; s++) {
        g.stepRunner().run(session, g, batches[s], s, s == warmup - 1);
      }
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      for (int s = warmup; s < warmup + steps; s++) {
        // the last step drains an async pipeline (and fetches metrics, as a logging step would)
        g.stepRunner().run(session, g, batches[s], s, s == warmup + steps - 1);
      }
      double wall = (System.nanoTime() - t0) / 1e9;
      double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
      System.out.printf(Locale.ROOT, "%-6s %-6s depth %d  threads %d  %d samples  wall %.2f s  cpu %.2f s  "
          + "%.1f samples/ms  cpu/wall %.2f%n", mode.name().toLowerCase(Locale.ROOT),
          schedule.name().toLowerCase(Locale.ROOT), depth, threads, (long) steps * batch, wall, cpu,
          steps * batch / wall / 1000, cpu / wall);
    }
  }
}
