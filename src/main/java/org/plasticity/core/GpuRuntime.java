package org.plasticity.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What the GPU build needs from its environment, decided in one place for the launcher
 * ({@code ./plasticity --gpu}), the offline bundle's {@code run} script and {@code plasticity gpu-info}:
 * the folder holding the CUDA 12 / cuDNN 9 libraries unpacked by the {@code gpu} Maven profile,
 * the {@code LD_LIBRARY_PATH} that lets TensorFlow dlopen them, and the JavaCPP platform extension
 * that makes TF Java load the {@code linux-x86_64-gpu} natives.
 *
 * <p>Uses only the JDK: the launcher runs {@code main} before TensorFlow is on the scene
 * ({@code java -cp target-gpu/classes org.plasticity.core.GpuRuntime shell}). LD_LIBRARY_PATH
 * must be set before the JVM starts (the dynamic loader reads it once), hence the shell exports.
 */
public final class GpuRuntime {
  /** The CUDA / cuDNN versions of {@code org.bytedeco:cuda:12.6-9.5-1.5.11:linux-x86_64-redist}. */
  public static final String CUDA_VERSION = "12.6-9.5";
  public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
  public static final String EXTENSION = "-gpu";
  /** System property, then environment variable, naming the CUDA library folder. */
  public static final String CUDA_DIR_PROPERTY = "plasticity.cuda.dir";
  public static final String CUDA_DIR_ENV = "PLASTICITY_CUDA_DIR";
  /** The environment variable the launcher passes to java as extra options. */
  public static final String JAVA_OPTS_ENV = "PLASTICITY_GPU_JAVA_OPTS";

  /**
   * Libraries TensorFlow 2.18 dlopens before it registers a GPU (libcuda.so.1 comes from the
   * driver); missing any of them, TF logs "Cannot dlopen some GPU libraries" and runs on the CPU.
   * libnvJitLink is a link dependency of cuSPARSE and cuSOLVER. Plus cuDNN's small graph library
   * (3 MB), which the libcudnn.so.9 dispatcher needs for a cuDNN handle at all.
   */
  public static final List<String> REQUIRED = List.of(
      "libcudart.so.12", "libcublas.so.12", "libcublasLt.so.12", "libcufft.so.11", "libcusolver.so.11",
      "libcusparse.so.12", "libnvJitLink.so.12", "libcudnn.so.9", "libcudnn_graph.so.9");
  /**
   * Loaded on demand: the other cuDNN 9 sub-libraries (the libcudnn.so.9 dispatcher dlopens them
   * when a cuDNN kernel first runs), CUPTI (profiler) and NCCL (collectives).
   */
  public static final List<String> ON_DEMAND = List.of(
      "libcudnn_ops.so.9", "libcudnn_cnn.so.9", "libcudnn_heuristic.so.9",
      "libcudnn_engines_runtime_compiled.so.9", "libcudnn_engines_precompiled.so.9", "libcudnn_adv.so.9",
      "libcupti.so.12", "libnccl.so.2");
  /** The classpath resource present only when the GPU native jar is on the classpath. */
  static final String GPU_NATIVE_RESOURCE = "org/tensorflow/internal/c_api/linux-x86_64-gpu/libjnitensorflow.so";

  private GpuRuntime() {}

  /** Every library the gpu profile unpacks (REQUIRED then ON_DEMAND). */
  public static List<String> allLibraries() {
    List<String> all = new ArrayList<>(REQUIRED);
    all.addAll(ON_DEMAND);
    return all;
  }

  /**
   * The CUDA library folder: the system property {@value #CUDA_DIR_PROPERTY}, else the environment
   * variable {@value #CUDA_DIR_ENV}, else {@code $XDG_CACHE_HOME/plasticity/cuda-12.6-9.5}, else
   * {@code ~/.cache/plasticity/cuda-12.6-9.5} (where the gpu profile unpacks by default).
   */
  public static Path cudaDir(Map<String, String> env, Properties props) {
    String p = props.getProperty(CUDA_DIR_PROPERTY);
    if (p != null && !p.isBlank()) {
      return Path.of(p);
    }
    String e = env.get(CUDA_DIR_ENV);
    if (e != null && !e.isBlank()) {
      return Path.of(e);
    }
    String xdg = env.get("XDG_CACHE_HOME");
    Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(props.getProperty("user.home"), ".cache");
    return cache.resolve("plasticity").resolve("cuda-" + CUDA_VERSION);
  }

  public static Path cudaDir() {
    return cudaDir(System.getenv(), System.getProperties());
  }

  /**
   * The loader path with {@code cudaDir} first, then the entries of {@code existing} (null or empty
   * allowed) in their order, without empty entries or duplicates.
   */
  public static String libraryPath(Path cudaDir, String existing) {
    Set<String> entries = new LinkedHashSet<>();
    entries.add(cudaDir.toAbsolutePath().normalize().toString());
    if (existing != null) {
      for (String s : existing.split(":")) {
        if (!s.isEmpty()) {
          entries.add(s);
        }
      }
    }
    return String.join(":", entries);
  }

  /** The JVM options of a GPU run: the JavaCPP platform extension that selects the -gpu natives. */
  public static List<String> javaOptions() {
    return List.of("-D" + EXTENSION_PROPERTY + "=" + EXTENSION);
  }

  /** The names in {@code libraries} that are not regular files in {@code dir}. */
  public static List<String> missing(Path dir, List<String> libraries) {
    return libraries.stream().filter(l -> !Files.isRegularFile(dir.resolve(l))).toList();
  }

  /** Single-quotes {@code s} for a POSIX shell. */
  public static String shellQuote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  /** The lines a launcher evaluates: exports of LD_LIBRARY_PATH and {@value #JAVA_OPTS_ENV}. */
  public static String shellExports(Path cudaDir, String existingLibraryPath) {
    return "export LD_LIBRARY_PATH=" + shellQuote(libraryPath(cudaDir, existingLibraryPath)) + "\n"
        + "export " + JAVA_OPTS_ENV + "=" + shellQuote(String.join(" ", javaOptions())) + "\n";
  }

  /** True when the GPU native jar (TF built for CUDA) is on the classpath. */
  public static boolean gpuNativesOnClasspath(ClassLoader loader) {
    return loader.getResource(GPU_NATIVE_RESOURCE) != null;
  }

  public static boolean gpuNativesOnClasspath() {
    return gpuNativesOnClasspath(GpuRuntime.class.getClassLoader());
  }

  /**
   * The NVIDIA kernel driver version from {@code <procDir>/version} (normally /proc/driver/nvidia),
   * e.g. "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.15  Tue Mar  5 ..." gives "550.54.15".
   */
  public static Optional<String> driverVersion(Path procDir) {
    try {
      for (String line : Files.readAllLines(procDir.resolve("version"), StandardCharsets.UTF_8)) {
        if (line.startsWith("NVRM version:")) {
          java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s(\\d+\\.\\d+(?:\\.\\d+)?)\\s").matcher(line + " ");
          if (m.find()) {
            return Optional.of(m.group(1));
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // no NVIDIA driver here
    }
    return Optional.empty();
  }

  /** GPU model names from {@code <procDir>/gpus/<bus id>/information} ("Model: NVIDIA H100 ..."), by bus id. */
  public static List<String> gpuNames(Path procDir) {
    List<String> names = new ArrayList<>();
    Path gpus = procDir.resolve("gpus");
    if (!Files.isDirectory(gpus)) {
      return names;
    }
    try (Stream<Path> dirs = Files.list(gpus)) {
      for (Path d : dirs.sorted().toList()) {
        Path info = d.resolve("information");
        if (Files.isRegularFile(info)) {
          for (String line : Files.readAllLines(info, StandardCharsets.UTF_8)) {
            if (line.startsWith("Model:")) {
              names.add(line.substring("Model:".length()).trim());
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // unreadable: report none
    }
    return names;
  }

  public static final Path PROC_NVIDIA = Path.of("/proc/driver/nvidia");

  /**
   * {@code shell}: print the exports for the launcher (warnings about missing libraries go to
   * stderr); {@code check}: print the folder and missing libraries, exit 1 when a required one is
   * missing; {@code list required|on-demand|all}: print library names, one a line (scripts/gpu-bundle).
   */
  public static void main(String[] args) {
    String mode = args.length > 0 ? args[0] : "check";
    Path dir = cudaDir();
    List<String> missingRequired = missing(dir, REQUIRED);
    switch (mode) {
      case "shell" -> {
        if (!missingRequired.isEmpty()) {
          System.err.println("plasticity: CUDA libraries missing in " + dir + ": " + String.join(", ", missingRequired)
              + " (build with ./plasticity --gpu or mvn -Pgpu package; TensorFlow will run on the CPU)");
        }
        System.out.print(shellExports(dir, System.getenv("LD_LIBRARY_PATH")));
      }
      case "check" -> {
        System.out.println("CUDA library folder: " + dir);
        System.out.println("missing required: " + (missingRequired.isEmpty() ? "none" : String.join(", ", missingRequired)));
        List<String> missingOther = missing(dir, ON_DEMAND);
        System.out.println("missing on-demand: " + (missingOther.isEmpty() ? "none" : String.join(", ", missingOther)));
        System.exit(missingRequired.isEmpty() ? 0 : 1);
      }
      case "list" -> {
        String which = args.length > 1 ? args[1] : "all";
        List<String> libs = switch (which) {
          case "required" -> REQUIRED;
          case "on-demand" -> ON_DEMAND;
          default -> allLibraries();
        };
        libs.forEach(System.out::println);
      }
      default -> {
        System.err.println("usage: GpuRuntime shell|check|list [required|on-demand|all]");
        System.exit(2);
      }
    }
  }
}
