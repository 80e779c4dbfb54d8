package org.plasticity.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.plasticity.core.Devices;
import org.plasticity.core.GpuRuntime;
import picocli.CommandLine.Command;

/**
 * Reports the GPU runtime: which TF natives are loaded, the JavaCPP platform extension, the CUDA
 * folder and what is missing in it, the loader path, the driver, the GPUs, TF's devices, and what
 * train.device auto resolves to. (Step timing is the bench command; scripts/bench-gpu runs both.)
 */
@Command(name = "gpu-info", mixinStandardHelpOptions = true,
    description = "Show which TensorFlow natives, CUDA libraries, NVIDIA driver, GPUs and TF devices this process sees.")
public final class GpuInfoCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    printRuntime();
    return 0;
  }

  private void printRuntime() {
    boolean gpuNatives = GpuRuntime.gpuNativesOnClasspath();
    System.out.println("tensorflow " + org.tensorflow.TensorFlow.version() + ", natives: "
        + (gpuNatives ? "linux-x86_64-gpu (CUDA build)" : "linux-x86_64 (CPU build)"));
    String ext = System.getProperty(GpuRuntime.EXTENSION_PROPERTY);
    System.out.println("javacpp platform extension: " + (ext == null ? "(none)" : ext));
    Path dir = GpuRuntime.cudaDir();
    List<String> missing = GpuRuntime.missing(dir, GpuRuntime.REQUIRED);
    List<String> missingOther = GpuRuntime.missing(dir, GpuRuntime.ON_DEMAND);
    System.out.println("CUDA " + GpuRuntime.CUDA_VERSION + " folder: " + dir + " (missing required: "
        + (missing.isEmpty() ? "none" : String.join(" ", missing)) + "; missing on-demand: "
        + (missingOther.isEmpty() ? "none" : String.join(" ", missingOther)) + ")");
    String ld = System.getenv("LD_LIBRARY_PATH");
    System.out.println("LD_LIBRARY_PATH: " + (ld == null ? "(unset)" : ld));
    List<String> gpus = Devices.gpuNames();
    System.out.println("NVIDIA driver: " + Devices.driverVersion() + "; GPUs: " + (gpus.isEmpty() ? "none" : String.join(", ", gpus)));
    for (Devices.TfDevice d : Devices.tfDevices()) {
      System.out.printf("tensorflow device: %s (%s%s)%n", d.name(), d.type(),
          d.memoryBytes() > 0 ? String.format(", %.1f GiB", d.memoryBytes() / (double) (1L << 30)) : "");
    }
    System.out.println("train.device auto resolves to: " + Devices.resolve("auto").name().toLowerCase());
  }
}
