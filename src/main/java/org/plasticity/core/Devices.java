package org.plasticity.core;

import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;

/** Resolves train.device (auto, cpu, gpu) to a placement, probing whether TF registered a GPU. */
public final class Devices {
  private static Boolean gpuAvailable;

  private Devices() {}

  /** True when an op placed on /device:GPU:0 runs without soft placement. */
  public static synchronized boolean gpuAvailable() {
    if (gpuAvailable == null) {
      try (Graph g = new Graph()) {
        Ops tf = Placement.GPU.apply(Ops.create(g));
        var sum = tf.math.add(tf.constant(1f), tf.constant(2f));
        try (Session s = new Session(g, ConfigProto.newBuilder().setAllowSoftPlacement(false).build())) {
          s.runner().fetch(sum).run().close();
          gpuAvailable = true;
        } catch (RuntimeException e) {
          gpuAvailable = false;
        }
      }
    }
    return gpuAvailable;
  }

  public static Placement resolve(String device) {
    return switch (device) {
      case "cpu" -> Placement.CPU;
      case "gpu" -> {
        if (!gpuAvailable()) {
          throw new UserError("train.device: 'gpu' requested but TensorFlow registered no GPU "
              + "(build with -Pgpu and run through ./plasticity --gpu; see README)");
        }
        yield Placement.GPU;
      }
      case "auto" -> gpuAvailable() ? Placement.GPU : Placement.CPU;
      default -> throw new UserError("train.device: expected auto, cpu or gpu, got '" + device + "'");
    };
  }
}
