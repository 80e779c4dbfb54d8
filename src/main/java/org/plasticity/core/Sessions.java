package org.plasticity.core;

import org.plasticity.config.TrainConfig;
import org.tensorflow.Graph;
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

  public static Session create(Graph graph, TrainConfig t) {
    Session s = new Session(graph, config(t));
    s.initialize();
    return s;
  }
}
