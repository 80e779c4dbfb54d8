package org.plasticity.core;

import org.plasticity.config.TrainConfig;
import java.nio.file.Path;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;

/** Sessions configured from the train config: thread pools, Grappler, soft placement. */
public final class Sessions {
  private Sessions() {}

  public static ConfigProto config(TrainConfig t) {
    return ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(t.getIntraOpThreads())
        .setInterOpParallelismThreads(t.getInterOpThreads())
        .setAllowSoftPlacement(true)
        .setGraphOptions(GraphOptions.newBuilder()
            .setRewriteOptions(RewriterConfig.newBuilder().setDisableMetaOptimizer(!t.getGrappler())))
        .build();
  }

  /**
   * Sizes TF's thread pools from {@code t} when no session has done so yet: TF sizes its intra-op
   * pool once per process, from the first session's options, so one session with them runs one op.
   * A process whose first sessions are loaded exports (which use TF's defaults) calls this first.
   */
  public static void sizeThreadPools(TrainConfig t) {
    try (Graph g = new Graph(); Session s = new Session(g, config(t))) {
      var one = org.tensorflow.op.Ops.create(g).constant(1f);
      try (org.tensorflow.Result r = s.runner().fetch(one).run()) {
        r.size();
      }
    }
  }

  /**
   * Session options for running a loaded export. With {@code inCallingThread}, inter-op
   * parallelism -1: TF's session runs every op in the thread that calls it instead of handing each
   * ready op to its inter-op pool (intra-op parallelism inside large kernels stays). A graph of
   * many small ops in sequence gains most: on the 2-core CPU a pruned MNIST export at batch 1 took
   * 0.07-0.10 ms per call instead of 0.18-0.29 ms, a call that only copies its input 0.02 ms
   * instead of 0.10 (docs/RESULTS.md). Otherwise TF's defaults, as {@code SavedModelBundle.load}
   * uses them.
   */
  public static ConfigProto serving(boolean inCallingThread) {
    ConfigProto.Builder c = ConfigProto.newBuilder();
    if (inCallingThread) {
      c.setInterOpParallelismThreads(CALLING_THREAD);
    }
    return c.build();
  }

  /** Loads the SavedModel in {@code dir} (serving tag) with {@link #serving} options. */
  public static SavedModelBundle loadExport(Path dir, boolean inCallingThread) {
    return SavedModelBundle.loader(dir.toString()).withTags(SavedModelBundle.DEFAULT_TAG)
        .withConfigProto(serving(inCallingThread)).load();
  }

  /** Inter-op parallelism that makes TF run every op of a session's step in the calling thread. */
  public static final int CALLING_THREAD = -1;

  public static Session create(Graph graph, TrainConfig t) {
    Session s = new Session(graph, config(t));
    s.initialize();
    return s;
  }
}
