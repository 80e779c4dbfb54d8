package org.plasticity.core;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.internal.c_api.TFE_Context;
import org.tensorflow.internal.c_api.TFE_ContextOptions;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.global.tensorflow;
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

  /** A device TensorFlow registered: full name, type (CPU, GPU) and memory in bytes. */
  public record TfDevice(String name, String type, long memoryBytes) {}

  /** The devices TensorFlow registers in this process (from an eager context's device list). */
  public static List<TfDevice> tfDevices() {
    org.tensorflow.TensorFlow.version(); // loads the native library
    List<TfDevice> out = new ArrayList<>();
    TF_Status status = TF_Status.newStatus();
    TFE_ContextOptions opts = TFE_ContextOptions.newContextOptions();
    try {
      TFE_Context ctx = TFE_Context.newContext(opts, status);
      status.throwExceptionIfNotOK();
      try {
        TF_DeviceList list = tensorflow.TFE_ContextListDevices(ctx, status);
        status.throwExceptionIfNotOK();
        try {
          for (int i = 0; i < tensorflow.TF_DeviceListCount(list); i++) {
            String name = tensorflow.TF_DeviceListName(list, i, status).getString();
            String type = tensorflow.TF_DeviceListType(list, i, status).getString();
            long mem = tensorflow.TF_DeviceListMemoryBytes(list, i, status);
            status.throwExceptionIfNotOK();
            out.add(new TfDevice(name, type, mem));
          }
        } finally {
          tensorflow.TF_DeleteDeviceList(list);
        }
      } finally {
        ctx.delete();
      }
    } finally {
      opts.delete();
      status.delete();
    }
    return out;
  }

  /** GPU model names: from /proc/driver/nvidia, else from nvidia-smi; empty when neither answers. */
  public static List<String> gpuNames() {
    List<String> names = GpuRuntime.gpuNames(GpuRuntime.PROC_NVIDIA);
    return names.isEmpty() ? nvidiaSmi("name") : names;
  }

  /** The NVIDIA driver version, or "unknown". */
  public static String driverVersion() {
    return GpuRuntime.driverVersion(GpuRuntime.PROC_NVIDIA)
        .or(() -> nvidiaSmi("driver_version").stream().findFirst())
        .orElse("unknown");
  }

  private static List<String> nvidiaSmi(String field) {
    try {
      Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=" + field, "--format=csv,noheader")
          .redirectErrorStream(false).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
        return List.of();
      }
      return out.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
    } catch (Exception e) {
      return List.of();
    }
  }

  /**
   * What a run record says about the device: the placement, the TF device it names, which native
   * build is loaded (gpu or cpu), and on a GPU the model name(s) and the driver version.
   */
  public static JsonObject describe(Placement placement) {
    JsonObject r = new JsonObject();
    r.addProperty("device", placement.name().toLowerCase());
    r.addProperty("device_name", switch (placement) {
      case GPU -> "/device:GPU:0";
      case CPU -> "/device:CPU:0";
      case DEFAULT -> "default";
    });
    r.addProperty("tensorflow_natives", GpuRuntime.gpuNativesOnClasspath() ? "gpu" : "cpu");
    if (placement == Placement.GPU) {
      List<String> names = gpuNames();
      r.addProperty("gpu", names.isEmpty() ? "unknown" : names.get(0));
      r.addProperty("gpu_count", names.size());
      r.addProperty("nvidia_driver", driverVersion());
      for (TfDevice d : tfDevices()) {
        if (d.name().endsWith("GPU:0")) {
          r.addProperty("gpu_memory_bytes", d.memoryBytes());
        }
      }
    }
    return r;
  }
}
