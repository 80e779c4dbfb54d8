package org.plasticity.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.plasticity.config.TrainConfig;
import org.plasticity.data.Batch;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.types.TFloat32;

class PlacementReportTest {
  private static final String CPU = "/job:localhost/replica:0/task:0/device:CPU:0";
  private static final String GPU = "/job:localhost/replica:0/task:0/device:GPU:0";

  /** w += column sums of x; metric: mean of w. */
  private static TrainingGraph tiny(Placement placement) {
    TrainingGraph g = new TrainingGraph(placement);
    Ops tf = g.tf();
    Placeholder<TFloat32> x = g.input("x", 3);
    Variable<TFloat32> w = tf.withName("w").variable(Optimizers.zeros(tf, Shape.of(3)));
    g.addTrainTarget(tf.withName("update").assignAdd(w, tf.reduceSum(x, tf.constant(0))));
    g.metric("mean_w", tf.withName("mean_w").math.mean(w, tf.constant(0)));
    return g;
  }

  private static NodeDef node(String name, String device) {
    return NodeDef.newBuilder().setName(name).setDevice(device).setOp("X").build();
  }

  @Test
  void partitionsAreSplitByDeviceAndSummarised() {
    try (TrainingGraph g = tiny(Placement.GPU)) {
      GraphDef gpu = GraphDef.newBuilder().addNode(node("update", GPU)).addNode(node("w", GPU))
          .addNode(node("_recv_x_0", GPU)).build();
      GraphDef cpu = GraphDef.newBuilder().addNode(node("mean_w", CPU)).addNode(node("_send_mean_w_0", CPU)).build();
      PlacementReport r = PlacementReport.fromPartitions(List.of(gpu, cpu), g);
      // nodes TF added (send/recv) are not graph ops and are dropped
      assertEquals(Map.of("update", GPU, "w", GPU, "mean_w", CPU), r.devices());
      assertEquals(Map.of("CPU:0", 1, "GPU:0", 2), r.counts());
      assertEquals(List.of("mean_w"), r.opsOn("CPU"));
      assertEquals(List.of("update", "w"), r.opsOn("GPU"));
      assertEquals(Map.of("Mean", 1), r.typesOn("CPU"));
      String s = r.summary(Placement.GPU, 5);
      assertTrue(s.startsWith("placement: 1 ops on CPU:0, 2 ops on GPU:0"), s);
      assertTrue(s.contains("1 ops stayed on the CPU") && s.contains("{Mean=1}") && s.contains("e.g. mean_w"), s);
      // on a CPU placement nothing is said about ops staying on the CPU
      assertFalse(r.summary(Placement.CPU, 5).contains("stayed"));
    }
  }

  @Test
  void allOnGpuIsSaidSo() {
    try (TrainingGraph g = tiny(Placement.GPU)) {
      PlacementReport r = PlacementReport.fromPartitions(
          List.of(GraphDef.newBuilder().addNode(node("update", GPU)).build()), g);
      assertEquals("placement: 1 ops on GPU:0; every op runs on the GPU", r.summary(Placement.GPU, 5));
    }
  }

  @Test
  void namesAreCappedInTheSummary() {
    try (TrainingGraph g = tiny(Placement.GPU)) {
      PlacementReport r = PlacementReport.fromPartitions(List.of(GraphDef.newBuilder()
          .addNode(node("update", CPU)).addNode(node("w", CPU)).addNode(node("mean_w", CPU)).build()), g);
      String s = r.summary(Placement.GPU, 2);
      assertTrue(s.endsWith("e.g. mean_w, update, ..."), s);
    }
  }

  @Test
  void deviceNames() {
    assertEquals("GPU:0", PlacementReport.shortName(GPU));
    assertEquals("GPU", PlacementReport.deviceType(GPU));
    assertEquals("CPU", PlacementReport.deviceType("/device:CPU:0"));
    assertEquals("", PlacementReport.deviceType(""));
  }

  /** A real run: the report sees the train target and the metric, on the device TF really used. */
  @Test
  void collectsTheRealPlacementOfOneStep() {
    try (TrainingGraph g = tiny(Placement.GPU)) {
      TrainConfig t = TrainConfig.newBuilder().setIntraOpThreads(1).setInterOpThreads(1).build();
      Batch b = new Batch(2, Map.of("x", new float[] {1, 2, 3, 4, 5, 6}));
      PlacementReport r = PlacementReport.collect(g, t, b);
      assertTrue(r.devices().containsKey("update"), r.devices().toString());
      assertTrue(r.devices().containsKey("mean_w"), r.devices().toString());
      String expected = Devices.gpuAvailable() ? "GPU" : "CPU";
      assertEquals(expected, PlacementReport.deviceType(r.devices().get("update")));
      // without a GPU, soft placement put every op of the GPU-placed graph on the CPU
      if (!Devices.gpuAvailable()) {
        assertEquals(r.devices().size(), r.opsOn("CPU").size());
        assertTrue(r.summary(Placement.GPU, 3).contains("stayed on the CPU"));
      }
    }
  }
}
