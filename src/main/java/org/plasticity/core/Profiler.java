package org.plasticity.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;

/** Per-op-type time of one Session.run, from TF's own step stats (RunOptions FULL_TRACE). */
public final class Profiler {
  private Profiler() {}

  public record OpTime(String type, int count, double micros) {}

  /** Time per op type and the costliest single nodes of one traced run. */
  public record Profile(List<OpTime> byType, List<OpTime> byNode) {}

  /** Runs {@code runner} once with tracing and returns time per op type, largest first. */
  public static List<OpTime> profile(Session session, Session.Runner runner) {
    return trace(session, runner).byType();
  }

  /**
   * Runs {@code runner} once with tracing; returns time per op type and per node (type
   * "name (Type)"), each largest first.
   */
  public static Profile trace(Session session, Session.Runner runner) {
    runner.setOptions(RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build());
    Map<String, double[]> byType = new HashMap<>();
    Map<String, double[]> byNode = new HashMap<>();
    try (Result r = runner.runAndFetchMetadata()) {
      RunMetadata meta = r.getMetadata().orElseThrow();
      for (DeviceStepStats dev : meta.getStepStats().getDevStatsList()) {
        for (NodeExecStats n : dev.getNodeStatsList()) {
          String name = n.getNodeName();
          GraphOperation op = session.graph().operation(name);
          String type = op != null ? op.type() : name.startsWith("_") ? name : "(other)";
          double[] acc = byType.computeIfAbsent(type, k -> new double[2]);
          acc[0] += 1;
          acc[1] += n.getAllEndRelMicros();
          double[] node = byNode.computeIfAbsent(name + " (" + type + ")", k -> new double[2]);
          node[0] += 1;
          node[1] += n.getAllEndRelMicros();
        }
      }
    }
    return new Profile(sorted(byType), sorted(byNode));
  }

  private static List<OpTime> sorted(Map<String, double[]> m) {
    List<OpTime> out = new ArrayList<>();
    m.forEach((k, v) -> out.add(new OpTime(k, (int) v[0], v[1])));
    out.sort((a, b) -> Double.compare(b.micros(), a.micros()));
    return out;
  }
}
