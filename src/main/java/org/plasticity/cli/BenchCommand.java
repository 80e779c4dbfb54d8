package org.plasticity.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.plasticity.config.Configs;
import org.plasticity.config.Experiment;
import org.plasticity.core.Devices;
import org.plasticity.core.Placement;
import org.plasticity.core.Profiler;
import org.plasticity.core.Sessions;
import org.plasticity.core.Tensors;
import org.plasticity.core.Trainer;
import org.plasticity.core.TrainingGraph;
import org.plasticity.core.UserError;
import org.plasticity.data.Batch;
import org.plasticity.data.Dataset;
import org.plasticity.data.Datasets;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmark a model: ms per training step (with a per-op profile), and for a trained run the "
        + "inference latency (batch 1) and throughput (batch 1000) of its dense and pruned SavedModels.")
public final class BenchCommand implements Callable<Integer> {
  @Option(names = "--config", description = "Experiment whose training step is timed (default: ${DEFAULT-VALUE}).",
      defaultValue = "models/dnm_mnist.pbtxt")
  Path config;

  @Option(names = "--set", description = "Config overrides in protobuf text (repeatable); each --variant is timed separately.")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--variant", description = "Extra configurations to time, as 'label=protobuf text' (repeatable).")
  List<String> variants = new ArrayList<>();

  @Option(names = "--batch", split = ",", description = "Batch sizes to time (default: the config's).")
  List<Integer> batches = new ArrayList<>();

  @Option(names = "--steps", description = "Timed steps per configuration, in interleaved rounds (default: ${DEFAULT-VALUE});"
      + " 0 with --run times only the exports, in a process that has trained nothing, as a server's would be.",
      defaultValue = "100")
  int steps;

  @Option(names = "--warmup", description = "Untimed steps first (default: ${DEFAULT-VALUE}).", defaultValue = "20")
  int warmup;

  @Option(names = "--profile", description = "Print the per-op-type time of one traced training step (and, with --run, of one pruned call per batch size).")
  boolean profile;

  @Option(names = "--state", description = "Time the training steps from the latest checkpoint of this run "
      + "(a trained wiring) instead of from the initial parameters.")
  String state;

  @Option(names = "--profile-nodes", defaultValue = "10",
      description = "With --profile: how many of the costliest single ops to list (default: ${DEFAULT-VALUE}).")
  int profileNodes;

  @Option(names = "--run", description = "A trained run whose dense and pruned exports are timed.")
  String run;

  @Option(names = "--device", description = "auto, cpu or gpu (default: ${DEFAULT-VALUE}).", defaultValue = "cpu")
  String device;

  @Override
  public Integer call() throws Exception {
    Experiment base = Configs.load(config);
    for (String o : overrides) {
      base = merge(base, o);
    }
    Placement placement = Devices.resolve(device);
    Dataset data = Datasets.open(base);
    System.out.printf("device: %s, %d CPU cores visible to the JVM, TF intra/inter threads %d/%d%n",
        placement.name().toLowerCase(), Runtime.getRuntime().availableProcessors(),
        base.getTrain().getIntraOpThreads(), base.getTrain().getInterOpThreads());
    List<String[]> configs = new ArrayList<>();
    configs.add(new String[] {"as configured", ""});
    for (String v : variants) {
      int eq = v.indexOf('=');
      if (eq < 0) {
        throw new UserError("--variant '" + v + "': expected label=protobuf text");
      }
      configs.add(new String[] {v.substring(0, eq), v.substring(eq + 1)});
    }
    if (steps < 0) {
      throw new UserError("--steps " + steps + ": expected 0 or more");
    }
    if (steps == 0) {
      if (run == null) {
        throw new UserError("--steps 0: times nothing without --run (a trained run whose exports are timed)");
      }
      Sessions.sizeThreadPools(base.getTrain());
      timeInference(data, base.getTrain().getIntraOpThreads());
      return 0;
    }
    List<Integer> sizes = batches.isEmpty() ? List.of(base.getTrain().getBatchSize()) : batches;
    List<Timed> timed = new ArrayList<>();
    try {
      for (String[] c : configs) {
        Experiment e = c[1].isEmpty() ? base : merge(base, c[1]);
        for (int bs : sizes) {
          e = e.toBuilder().setTrain(e.getTrain().toBuilder().setBatchSize(bs)).build();
          timed.add(prepareTraining(c[0], e, data, placement));
        }
      }
      timeTraining(timed);
    } finally {
      for (Timed t : timed) {
        t.close();
      }
    }
    if (run != null) {
      timeInference(data, base.getTrain().getIntraOpThreads());
    }
    return 0;
  }

  private static Experiment merge(Experiment e, String text) {
    return Configs.merge(e, text);
  }

  /** Rounds of the training-step comparison; the configurations alternate within each. */
  static final int TRAINING_ROUNDS = 5;

  /** Rounds actually run: fewer when fewer steps are timed, so exactly --steps steps run. */
  private int rounds() {
    return Math.min(TRAINING_ROUNDS, Math.max(1, steps));
  }

  /** One configuration's training graph and session, ready to step, and its timed steps. */
  private final class Timed implements AutoCloseable {
    final String label;
    final Experiment e;
    final TrainingGraph g;
    final Session s;
    final org.plasticity.core.StepRunner runner;
    final Batch[] pool = new Batch[8];
    final double buildMs;
    final long ops;
    double firstMs;
    long step;
    final List<Double> per = new ArrayList<>();
    final double[] roundMedian = new double[rounds()];

    Timed(String label, Experiment e, Dataset data, Placement placement) {
      this.label = label;
      this.e = e;
      long t0 = System.nanoTime();
      this.g = Systems.of(e).build(e, data.widths(), placement);
      Session session = null;
      try {
        session = Sessions.create(g.graph(), e.getTrain());
      } finally {
        if (session == null) {
          g.close();
        }
      }
      this.s = session;
      this.buildMs = (System.nanoTime() - t0) / 1e6;
      this.ops = countOps(g);
      this.runner = Trainer.runnerOf(g);
      for (int i = 0; i < pool.length; i++) {
        pool[i] = data.trainBatch(i, e.getTrain().getBatchSize());
      }
    }

    double step() {
      long a = System.nanoTime();
      runner.run(s, g, pool[(int) (step % pool.length)], step, false);
      step++;
      return (System.nanoTime() - a) / 1e6;
    }

    @Override
    public void close() {
      s.close();
      g.close();
    }
  }

  private Timed prepareTraining(String label, Experiment e, Dataset data, Placement placement) {
    Timed t = new Timed(label, e, data, placement);
    try {
      if (state != null) {
        var ckpts = new org.plasticity.core.Checkpoints(org.plasticity.core.RunDirectory.open(state).checkpoints(), 1);
        long at = ckpts.latest().orElseThrow(() -> new UserError(state + ": no checkpoint to time the steps from"));
        ckpts.restore(t.s, at);
      }
      t.firstMs = t.step();
      for (int i = 0; i < warmup; i++) {
        t.step();
      }
      return t;
    } catch (RuntimeException ex) {
      t.close();
      throw ex;
    }
  }

  /**
   * Every configuration's steps, interleaved: {@link #TRAINING_ROUNDS} rounds (fewer for fewer
   * steps), each running a block of steps of every configuration in turn, so all see the same
   * machine state within a round (this machine's speed drifts by tens of percent over a minute,
   * and the configuration timed first used to pay the process's warm-up). Speed-ups against the
   * first configuration are medians of the per-round ratios of the block medians.
   */
  private void timeTraining(List<Timed> timed) {
    int rounds = rounds();
    for (int r = 0; r < rounds; r++) {
      int block = steps / rounds + (r < steps % rounds ? 1 : 0);
      for (Timed t : timed) {
        double[] blockMs = new double[block];
        for (int i = 0; i < block; i++) {
          blockMs[i] = t.step();
          t.per.add(blockMs[i]);
        }
        t.roundMedian[r] = median(blockMs);
      }
    }
    Timed first = timed.get(0);
    for (Timed t : timed) {
      double[] per = t.per.stream().mapToDouble(Double::doubleValue).toArray();
      double[] ratio = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        ratio[r] = first.roundMedian[r] / t.roundMedian[r];
      }
      StringBuilder roundText = new StringBuilder();
      for (double m : t.roundMedian) {
        roundText.append(String.format(" %.2f", m));
      }
      System.out.printf("train step [%s] batch %d: %.2f ms/step median, %.2f ms mean over %d steps in %d interleaved"
              + " rounds (round medians:%s)%s (graph %d ops, build %.0f ms, first run %.0f ms)%n",
          t.label, t.e.getTrain().getBatchSize(), median(per), Arrays.stream(per).average().orElse(0), per.length,
          rounds, roundText, t == first ? "" : String.format("; %.2fx the speed of [%s] (median of per-round"
              + " ratios; range %.2f-%.2fx)", median(ratio), first.label, Arrays.stream(ratio).min().orElse(0),
              Arrays.stream(ratio).max().orElse(0)), t.ops, t.buildMs, t.firstMs);
    }
    if (profile) {
      for (Timed t : timed) {
        List<org.tensorflow.Tensor> opened = new ArrayList<>();
        Session.Runner r = t.runner.prepare(t.s, t.g, t.pool[0], t.step, opened);
        Profiler.Profile traced = Profiler.trace(t.s, r);
        opened.forEach(Tensor::close);
        printProfile(traced, "[" + t.label + "] per-op profile of one traced step",
            String.format("; ops overlap on %d threads", t.e.getTrain().getIntraOpThreads()));
      }
    }
  }

  private static long countOps(TrainingGraph g) {
    long n = 0;
    var it = g.graph().operations();
    while (it.hasNext()) {
      it.next();
      n++;
    }
    return n;
  }

  /** Rounds of the inference comparison; dense and pruned alternate within each. */
  static final int INFERENCE_ROUNDS = 7;

  /**
   * Dense against pruned, interleaved, under each of the two ways of running a loaded export
   * ({@link Sessions#serving}): TF's default thread pools, and every op in the calling thread. Each
   * round times the dense and then the pruned model (median of 100 calls at batch 1, of 5 at batch
   * 1000), so both see the same machine state within a round, and the speed-up is the median of the
   * per-round ratios (the machine's load drifts between rounds by tens of percent; a single pair of
   * medians taken seconds apart does not say which model is faster).
   */
  private void timeInference(Dataset data, int intraOpThreads) {
    var dir = org.plasticity.core.RunDirectory.open(run);
    if (!Files.isDirectory(dir.prunedModel())) {
      throw new UserError(dir.prunedModel() + ": no pruned export; run plasticity export " + run + " --pruned first");
    }
    Experiment trained = dir.config();
    for (boolean callingThread : new boolean[] {false, true}) {
      timeExports(dir, trained, data, callingThread, intraOpThreads);
    }
  }

  private void timeExports(org.plasticity.core.RunDirectory dir, Experiment trained, Dataset data, boolean callingThread,
      int intraOpThreads) {
    String input = data.widths().keySet().iterator().next();
    int width = data.widths().get(input);
    boolean deskew = trained.hasManifold() && trained.getManifold().getDeskewInputs();
    org.tensorflow.proto.ConfigProto cfg = Sessions.serving(callingThread);
    String how = callingThread ? "ops in the calling thread" : "TF's thread pools";
    // TF sizes the intra-op pool once per process: the training sessions above (or Sessions.sizeThreadPools) set it
    System.out.printf("inference of the exports, %s (%s; intra-op pool of %d threads, as set by this process's first"
        + " session):%n", how, callingThread ? "inter_op_parallelism_threads -1" : "default session options",
        intraOpThreads);
    try (SavedModelBundle dense = Sessions.loadExport(dir.savedModel(), callingThread);
        SavedModelBundle pruned = Sessions.loadExport(dir.prunedModel(), callingThread);
        // a graph of its own: a call that only copies the images, and the deskewing when the model deskews
        org.tensorflow.Graph dg = new org.tensorflow.Graph();
        org.tensorflow.Session ds = new org.tensorflow.Session(dg, cfg)) {
      List<SessionFunction> f = new ArrayList<>(List.of(dense.function("serving_default"), pruned.function("serving_default")));
      org.tensorflow.op.Ops tf = org.tensorflow.op.Ops.create(dg);
      var x = tf.withName(input).placeholder(TFloat32.class,
          org.tensorflow.op.core.Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, width)));
      if (deskew) {
        // both exports deskew their inputs first; the same ops alone are timed in the same rounds
        var out = org.plasticity.manifold.ManifoldModel.inputs(tf, trained.getManifold(), x);
        f.add(SessionFunction.create(org.tensorflow.Signature.builder().input(input, x).output("deskewed", out).build(), ds));
      }
      // A call that only copies the images through: the per-call cost (feed, run, fetch) every call
      // pays in this setting -- a floor under any export's time, so dense / copy bounds the speed-up
      // any model could show here -- and the cost the deskewing call shares with the exports, which
      // its share must not include.
      var copy = tf.math.mul(x, tf.constant(1f));
      f.add(SessionFunction.create(org.tensorflow.Signature.builder().key("copy").input(input, x).output("copy", copy)
          .build(), ds));
      int copyAt = f.size() - 1;
      // throughput at 1,000 examples, or the whole test set when it is smaller
      for (int batch : new int[] {1, Math.min(1000, data.testSize())}) {
        Batch b = data.testBatch(0, batch);
        int calls = batch == 1 ? 100 : 5;
        double[][] ms = new double[f.size()][INFERENCE_ROUNDS];
        double[] ratio = new double[INFERENCE_ROUNDS];
        double[] share = new double[INFERENCE_ROUNDS];
        double[] networkRatio = new double[INFERENCE_ROUNDS];
        for (SessionFunction fn : f) {
          medianCallMs(fn, input, b, width, 0, batch == 1 ? 50 : 3); // warm-up
        }
        for (int r = 0; r < INFERENCE_ROUNDS; r++) {
          for (int k = 0; k < f.size(); k++) {
            ms[k][r] = medianCallMs(f.get(k), input, b, width, 0, calls);
          }
          ratio[r] = ms[0][r] / ms[1][r];
          if (deskew) {
            share[r] = ms[2][r] - ms[copyAt][r];
            networkRatio[r] = (ms[0][r] - share[r]) / (ms[1][r] - share[r]);
          }
        }
        System.out.printf("inference batch %d, %s, %d interleaved rounds (median of %d calls each), dense / pruned%s ms:%s%n",
            batch, how, INFERENCE_ROUNDS, calls, deskew ? " / deskewing alone / copy alone" : " / copy alone", rounds(ms));
        System.out.printf("inference batch %d, %s: dense %.3f ms, pruned %.3f ms (medians over rounds), speed-up %.1fx"
            + " (median of per-round ratios; range %.1f-%.1fx)%s%n", batch, how, median(ms[0]), median(ms[1]),
            median(ratio), Arrays.stream(ratio).min().orElse(0), Arrays.stream(ratio).max().orElse(0),
            batch == 1 ? "" : String.format(", pruned %.0f examples/s", batch / (median(ms[1]) / 1000)));
        double[] bound = new double[INFERENCE_ROUNDS];
        for (int r = 0; r < INFERENCE_ROUNDS; r++) {
          bound[r] = ms[0][r] / ms[copyAt][r];
        }
        System.out.printf("inference batch %d, %s: a call that only copies the images through (feed, one Mul, fetch)"
            + " takes %.3f ms; the dense export takes %.1fx as long (a bound on the speed-up of any export that reads"
            + " its input, in this setting)%n", batch, how, median(ms[copyAt]), median(bound));
        if (deskew) {
          System.out.printf("inference batch %d, %s: deskewing %.3f ms (its call %.3f minus a call that copies the images"
              + " %.3f); without it (each export minus it) speed-up %.1fx (range %.1f-%.1fx)%n", batch, how, median(share),
              median(ms[2]), median(ms[copyAt]), median(networkRatio), Arrays.stream(networkRatio).min().orElse(0),
              Arrays.stream(networkRatio).max().orElse(0));
        }
        if (profile) {
          profilePruned(pruned, f.get(1).signature(), input, b, width);
        }
      }
    }
  }

  /** With --profile: the per-op-type time of one traced call of the pruned model, as for the training step. */
  private void profilePruned(SavedModelBundle pruned, org.tensorflow.Signature sig, String input, Batch b, int width) {
    String in = sig.getInputs().get(input).name;
    String out = sig.getOutputs().values().iterator().next().name;
    try (TFloat32 x = Tensors.matrix(b.field(input), b.size(), width)) {
      Profiler.Profile traced = Profiler.trace(pruned.session(), pruned.session().runner().feed(in, x).fetch(out));
      printProfile(traced, "pruned, batch " + b.size() + ": per-op profile of one traced call", "");
    }
  }

  /** The 15 costliest op types and the --profile-nodes costliest single ops of a traced run. */
  private void printProfile(Profiler.Profile traced, String title, String note) {
    List<Profiler.OpTime> prof = traced.byType();
    double total = prof.stream().mapToDouble(Profiler.OpTime::micros).sum();
    System.out.printf("  %s (sum of op times %.0f us%s):%n", title, total, note);
    for (Profiler.OpTime t : prof.subList(0, Math.min(15, prof.size()))) {
      System.out.printf("    %-34s %6d ops %9.0f us %5.1f%%%n", t.type(), t.count(), t.micros(), 100 * t.micros() / total);
    }
    System.out.println("  costliest single ops:");
    for (Profiler.OpTime t : traced.byNode().subList(0, Math.min(profileNodes, traced.byNode().size()))) {
      System.out.printf("    %9.0f us  %s%n", t.micros(), t.type());
    }
  }

  private static String rounds(double[][] ms) {
    StringBuilder sb = new StringBuilder();
    for (int r = 0; r < ms[0].length; r++) {
      sb.append(' ');
      for (int k = 0; k < ms.length; k++) {
        sb.append(k == 0 ? "" : "/").append(String.format("%.3f", ms[k][r]));
      }
    }
    return sb.toString();
  }

  private static double median(double[] v) {
    return org.plasticity.core.SampleStats.quantile(v, 0.5);
  }

  private static double medianCallMs(SessionFunction f, String input, Batch b, int width, int warm, int n) {
    double[] t = new double[n];
    try (TFloat32 x = Tensors.matrix(b.field(input), b.size(), width)) {
      for (int i = 0; i < warm + n; i++) {
        long a = System.nanoTime();
        try (Result r = f.call(Map.<String, Tensor>of(input, x))) {
          r.size();
        }
        if (i >= warm) {
          t[i - warm] = (System.nanoTime() - a) / 1e6;
        }
      }
    }
    Arrays.sort(t);
    return t[n / 2];
  }
}
