package org.plasticity.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.plasticity.config.TrainConfig;
import org.plasticity.data.Batch;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;

/**
 * Where TensorFlow actually placed a training graph's ops. Under soft placement an op without a
 * kernel for the requested device (a GPU) silently runs on the CPU; this report makes that
 * visible. It runs one training step (train targets and metrics on one batch) in a separate,
 * freshly initialised session with {@code RunOptions.output_partition_graphs}, so the run being
 * trained is untouched, and reads the device of every node from the partition graphs.
 */
public final class PlacementReport {
  /** Op name to the full device name it ran on (e.g. /job:localhost/replica:0/task:0/device:GPU:0). */
  private final Map<String, String> devices;
  /** Op name to op type, for the ops of the user graph in {@link #devices}. */
  private final Map<String, String> types;

  PlacementReport(Map<String, String> devices, Map<String, String> types) {
    this.devices = devices;
    this.types = types;
  }

  /** Runs one step of {@code g} on {@code batch} in a scratch session and collects the placement. */
  public static PlacementReport collect(TrainingGraph g, TrainConfig t, Batch batch) {
    try (Session s = Sessions.create(g.graph(), t)) {
      List<Tensor> fed = new ArrayList<>();
      try {
        Session.Runner r = s.runner();
        Tensors.feed(r, g, batch, 0, fed);
        g.trainTargets().forEach(r::addTarget);
        g.metrics().values().forEach(r::fetch);
        r.setOptions(RunOptions.newBuilder().setOutputPartitionGraphs(true).build());
        try (Result res = r.runAndFetchMetadata()) {
          RunMetadata md = res.getMetadata().orElseThrow(
              () -> new IllegalStateException("TensorFlow returned no run metadata"));
          return fromPartitions(md.getPartitionGraphsList(), g);
        }
      } finally {
        fed.forEach(Tensor::close);
      }
    }
  }

  /** Keeps the nodes that are ops of the user graph (drops the _Send/_Recv/_Arg nodes TF adds). */
  static PlacementReport fromPartitions(List<GraphDef> partitions, TrainingGraph g) {
    Map<String, String> devices = new TreeMap<>();
    Map<String, String> types = new TreeMap<>();
    for (GraphDef p : partitions) {
      for (NodeDef n : p.getNodeList()) {
        GraphOperation op = g.graph().operation(n.getName());
        if (op != null) {
          devices.put(n.getName(), n.getDevice());
          types.put(n.getName(), op.type());
        }
      }
    }
    return new PlacementReport(devices, types);
  }

  /** Op name to device, for every op the step ran. */
  public Map<String, String> devices() {
    return devices;
  }

  /** The ops that ran on a device of {@code type} ("CPU" or "GPU"), sorted by name. */
  public List<String> opsOn(String type) {
    return devices.entrySet().stream()
        .filter(e -> deviceType(e.getValue()).equals(type))
        .map(Map.Entry::getKey).toList();
  }

  /** Number of ops per short device name (CPU:0, GPU:0). */
  public Map<String, Integer> counts() {
    Map<String, Integer> c = new TreeMap<>();
    devices.values().forEach(d -> c.merge(shortName(d), 1, Integer::sum));
    return c;
  }

  /** Op types of the ops on {@code type}, with counts, e.g. {RandomStandardNormal=2}. */
  public Map<String, Integer> typesOn(String type) {
    Map<String, Integer> c = new TreeMap<>();
    opsOn(type).forEach(n -> c.merge(types.get(n), 1, Integer::sum));
    return c;
  }

  /**
   * One or two log lines: the op count per device and, when a GPU was requested, which ops stayed
   * on the CPU (by type, then up to {@code maxNames} names).
   */
  public String summary(Placement requested, int maxNames) {
    StringBuilder sb = new StringBuilder("placement: ");
    sb.append(counts().entrySet().stream().map(e -> e.getValue() + " ops on " + e.getKey())
        .collect(Collectors.joining(", ")));
    if (requested == Placement.GPU) {
      List<String> cpu = opsOn("CPU");
      if (cpu.isEmpty()) {
        sb.append("; every op runs on the GPU");
      } else {
        sb.append(String.format("%nplacement: %d ops stayed on the CPU (soft placement; no GPU kernel or a host-memory input): %s",
            cpu.size(), typesOn("CPU")));
        sb.append(cpu.stream().limit(maxNames).collect(Collectors.joining(", ", " e.g. ", cpu.size() > maxNames ? ", ..." : "")));
      }
    }
    return sb.toString();
  }

  /** "CPU" or "GPU" (or another type) from a full device name; "" when none. */
  static String deviceType(String device) {
    String s = shortName(device);
    int colon = s.indexOf(':');
    return colon < 0 ? s : s.substring(0, colon);
  }

  /** "/job:localhost/replica:0/task:0/device:GPU:0" gives "GPU:0". */
  static String shortName(String device) {
    int i = device.lastIndexOf("device:");
    return i < 0 ? device : device.substring(i + "device:".length());
  }

  /** The op types a report may list, for tests. */
  Set<String> opTypes() {
    return Set.copyOf(types.values());
  }
}
