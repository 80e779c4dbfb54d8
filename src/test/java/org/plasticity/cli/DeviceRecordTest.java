package org.plasticity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plasticity.core.GpuRuntime;
import org.plasticity.core.RunDirectory;

/** --device cpu runs on the CPU whichever native build is loaded, and the run record says so. */
class DeviceRecordTest {
  @TempDir
  Path tmp;

  @Test
  void deviceCpuIsRecorded() {
    int rc = Main.execute("train", "models/dnm_toy.pbtxt", "--steps", "20", "--device", "cpu",
        "--checkpoints", tmp.toString(), "--run", "cpu-run",
        "--set", "train { log_every: 10 eval_every: 0 checkpoint_every: 0 tensorboard: false export_at_end: false }"
            + " data { generated_test_size: 500 }");
    assertEquals(0, rc);
    JsonObject r = RunDirectory.open(tmp.resolve("cpu-run").toString()).record();
    assertEquals("cpu", r.get("device").getAsString());
    assertEquals("/device:CPU:0", r.get("device_name").getAsString());
    assertEquals(GpuRuntime.gpuNativesOnClasspath() ? "gpu" : "cpu", r.get("tensorflow_natives").getAsString());
    assertFalse(r.has("gpu"), "no GPU name on a CPU run");
  }

  @Test
  void placementReportIsRecordedWhenAsked() {
    System.setProperty("plasticity.placementReport", "true");
    try {
      int rc = Main.execute("train", "models/dnm_toy.pbtxt", "--steps", "5", "--device", "cpu",
          "--checkpoints", tmp.toString(), "--run", "report-run",
          "--set", "train { log_every: 5 eval_every: 0 checkpoint_every: 0 tensorboard: false export_at_end: false }"
              + " data { generated_test_size: 100 }");
      assertEquals(0, rc);
    } finally {
      System.clearProperty("plasticity.placementReport");
    }
    JsonObject r = RunDirectory.open(tmp.resolve("report-run").toString()).record();
    JsonObject ops = r.getAsJsonObject("placement_ops");
    assertEquals(1, ops.size(), ops.toString());
    assertTrue(ops.get("CPU:0").getAsInt() > 100, ops.toString());
  }

  @Test
  void gpuInfoRuns() {
    assertEquals(0, Main.execute("gpu-info"));
  }
}
