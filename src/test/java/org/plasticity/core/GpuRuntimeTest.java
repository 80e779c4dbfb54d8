package org.plasticity.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GpuRuntimeTest {
  @TempDir
  Path tmp;

  private static Properties props(String... kv) {
    Properties p = new Properties();
    p.setProperty("user.home", "/home/u");
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return p;
  }

  @Test
  void cudaDirDefaultsToTheUserCache() {
    assertEquals(Path.of("/home/u/.cache/plasticity/cuda-12.6-9.5"), GpuRuntime.cudaDir(Map.of(), props()));
  }

  @Test
  void cudaDirFollowsXdgCacheHome() {
    assertEquals(Path.of("/x/cache/plasticity/cuda-12.6-9.5"),
        GpuRuntime.cudaDir(Map.of("XDG_CACHE_HOME", "/x/cache"), props()));
  }

  @Test
  void cudaDirPropertyBeatsEnvironmentBeatsDefault() {
    Map<String, String> env = Map.of(GpuRuntime.CUDA_DIR_ENV, "/env/cuda", "XDG_CACHE_HOME", "/x");
    assertEquals(Path.of("/env/cuda"), GpuRuntime.cudaDir(env, props()));
    assertEquals(Path.of("/prop/cuda"), GpuRuntime.cudaDir(env, props(GpuRuntime.CUDA_DIR_PROPERTY, "/prop/cuda")));
    // blank values count as unset
    assertEquals(Path.of("/home/u/.cache/plasticity/cuda-12.6-9.5"),
        GpuRuntime.cudaDir(Map.of(GpuRuntime.CUDA_DIR_ENV, " "), props(GpuRuntime.CUDA_DIR_PROPERTY, "")));
  }

  @Test
  void libraryPathPutsCudaFirstAndKeepsTheRestInOrder() {
    Path cuda = Path.of("/c/cuda");
    assertEquals("/c/cuda", GpuRuntime.libraryPath(cuda, null));
    assertEquals("/c/cuda", GpuRuntime.libraryPath(cuda, ""));
    assertEquals("/c/cuda:/usr/lib64:/opt/x", GpuRuntime.libraryPath(cuda, "/usr/lib64::/opt/x:"));
    // already present: moved to the front, not repeated
    assertEquals("/c/cuda:/a:/b", GpuRuntime.libraryPath(cuda, "/a:/c/cuda:/b:/a"));
  }

  @Test
  void libraryPathIsAbsolute() {
    String p = GpuRuntime.libraryPath(Path.of("rel/cuda/../cuda"), null);
    assertTrue(p.startsWith("/") && p.endsWith("/rel/cuda"), p);
  }

  @Test
  void javaOptionsSelectTheGpuPlatformExtension() {
    assertEquals(List.of("-Dorg.bytedeco.javacpp.platform.extension=-gpu"), GpuRuntime.javaOptions());
  }

  @Test
  void shellExportsAreQuotedForEval() {
    String s = GpuRuntime.shellExports(Path.of("/o'dd dir"), "/usr/lib");
    assertEquals("export LD_LIBRARY_PATH='/o'\\''dd dir:/usr/lib'\n"
        + "export PLASTICITY_GPU_JAVA_OPTS='-Dorg.bytedeco.javacpp.platform.extension=-gpu'\n", s);
  }

  @Test
  void missingListsAbsentLibrariesInOrder() throws IOException {
    Files.createFile(tmp.resolve("libcudart.so.12"));
    Files.createDirectory(tmp.resolve("libcublas.so.12")); // a folder is not a library
    List<String> missing = GpuRuntime.missing(tmp, GpuRuntime.REQUIRED);
    assertEquals(GpuRuntime.REQUIRED.subList(1, GpuRuntime.REQUIRED.size()), missing);
    for (String l : GpuRuntime.allLibraries()) {
      if (!Files.exists(tmp.resolve(l))) {
        Files.createFile(tmp.resolve(l));
      }
    }
    Files.delete(tmp.resolve("libcublas.so.12"));
    Files.createFile(tmp.resolve("libcublas.so.12"));
    assertEquals(List.of(), GpuRuntime.missing(tmp, GpuRuntime.allLibraries()));
  }

  @Test
  void libraryListsMatchTheGpuProfileUnpack() throws IOException {
    String pom = Files.readString(Path.of("pom.xml"));
    for (String l : GpuRuntime.allLibraries()) {
      boolean named = pom.contains("linux-x86_64/" + l);
      boolean byPattern = l.startsWith("libcudnn") && l.endsWith(".so.9") && pom.contains("linux-x86_64/libcudnn*.so.9");
      assertTrue(named || byPattern, l + " is not unpacked by the gpu profile");
    }
    assertEquals(17, GpuRuntime.allLibraries().size());
    assertEquals(GpuRuntime.allLibraries().size(), new java.util.HashSet<>(GpuRuntime.allLibraries()).size());
  }

  @Test
  void driverVersionAndGpuNamesFromProc() throws IOException {
    assertEquals(Optional.empty(), GpuRuntime.driverVersion(tmp));
    assertEquals(List.of(), GpuRuntime.gpuNames(tmp));
    Files.writeString(tmp.resolve("version"),
        "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  580.65.06  Release Build  (dvs-builder@U16)  Sun Jul 27 2025\n"
            + "GCC version:  gcc version 13.3.0\n");
    Files.createDirectories(tmp.resolve("gpus/0000:1b:00.0"));
    Files.createDirectories(tmp.resolve("gpus/0000:0a:00.0"));
    Files.writeString(tmp.resolve("gpus/0000:1b:00.0/information"), "Model: \t\t NVIDIA H200\nIRQ:  42\n");
    Files.writeString(tmp.resolve("gpus/0000:0a:00.0/information"), "Model: \t\t NVIDIA H100 80GB HBM3\nIRQ:  41\n");
    assertEquals(Optional.of("580.65.06"), GpuRuntime.driverVersion(tmp));
    assertEquals(List.of("NVIDIA H100 80GB HBM3", "NVIDIA H200"), GpuRuntime.gpuNames(tmp));
  }

  @Test
  void olderDriverVersionLine() throws IOException {
    Files.writeString(tmp.resolve("version"),
        "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.15  Tue Mar  5 22:23:56 UTC 2024\n");
    assertEquals(Optional.of("550.54.15"), GpuRuntime.driverVersion(tmp));
  }

  @Test
  void gpuNativesAreDetectedFromTheClasspathResource() {
    ClassLoader none = new ClassLoader(null) {};
    assertFalse(GpuRuntime.gpuNativesOnClasspath(none));
    ClassLoader withGpu = new ClassLoader(null) {
      @Override
      protected java.net.URL findResource(String name) {
        try {
          return name.equals(GpuRuntime.GPU_NATIVE_RESOURCE) ? new java.net.URL("file:/x/" + name) : null;
        } catch (java.net.MalformedURLException e) {
          throw new IllegalStateException(e);
        }
      }
    };
    assertTrue(GpuRuntime.gpuNativesOnClasspath(withGpu));
  }
}
