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

  /** Runs {@code runner} once with tracing and returns time per op type, largest first. */
  public static List<OpTime> profile(Session session, Session.Runner runner) {
    runner.setOptions(RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build());
    Map<String, double[]> byType = new HashMap<>();
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
        }
      }
    }
    List<OpTime> out = new ArrayList<>();
    byType.forEach((k, v) -> out.add(new OpTime(k, (int) v[0], v[1])));
    out.sort((a, b) -> Double.compare(b.micros(), a.micros()));
    return out;
  }
}
