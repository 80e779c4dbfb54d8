package org.plasticity.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plasticity.core.MetricsLog;
import org.plasticity.core.Npy;
import org.plasticity.core.RunDirectory;
import org.plasticity.testing.TestRuns;

class RunPlotsTest {
  @TempDir
  Path tmp;

  @Test
  void plotWritesCurvesAnimationAndFinalFrameWithExpectedSizes() throws Exception {
    RunDirectory run = RunDirectory.create(tmp.resolve("run"), TestRuns.toy(10), new JsonObject());
    MetricsLog log = new MetricsLog(run.metrics());
    for (int s = 1; s <= 5; s++) {
      log.append(s * 10, Map.of("loss", 100.0 / s, "sparsity", 0.1 * s));
    }
    log.append(50, Map.of("test/accuracy", 0.9));
    Files.createDirectories(run.snapshots());
    for (int s = 0; s < 3; s++) {
      float[] m = new float[4 * 6];
      m[s] = 1f;
      m[23] = -0.5f;
      Npy.write(run.snapshots().resolve(String.format("closeness-%09d.npy", s * 10)), new long[] {4, 6}, m);
    }
    List<Path> files = RunPlots.write(run, 100);
    for (String f : List.of("metric-loss.png", "metric-sparsity.png", "metric-test_accuracy.png",
        "closeness.gif", "closeness-final.png")) {
      Path p = run.plots().resolve(f);
      assertTrue(files.contains(p), "missing " + f);
      assertTrue(Files.size(p) > 100, f + " is empty");
    }
    BufferedImage png = ImageIO.read(run.plots().resolve("closeness-final.png").toFile());
    assertEquals(600, png.getWidth()); // 6 columns x 100 px cells
    assertEquals(400, png.getHeight()); // 4 rows x 100 px cells
    BufferedImage curve = ImageIO.read(run.plots().resolve("metric-loss.png").toFile());
    assertEquals(900, curve.getWidth());
    assertEquals(560, curve.getHeight());
    try (ImageInputStream in = ImageIO.createImageInputStream(run.plots().resolve("closeness.gif").toFile())) {
      ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
      reader.setInput(in);
      assertEquals(3, reader.getNumImages(true));
      assertEquals(600, reader.read(0).getWidth());
      assertEquals(416, reader.read(0).getHeight()); // plus the 16-pixel caption
    }
    assertTrue(Files.list(run.events()).findAny().isPresent(), "no TensorBoard image events");
  }

  @Test
  void npyRoundTrip() throws Exception {
    Path f = tmp.resolve("a.npy");
    Npy.write(f, new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, -6.5f});
    Npy.Array a = Npy.read(f);
    assertEquals(2, a.shape()[0]);
    assertEquals(3, a.shape()[1]);
    assertEquals(-6.5f, a.data()[5]);
    byte[] head = Files.readAllBytes(f);
    assertEquals((byte) 0x93, head[0]);
    assertEquals(0, (10 + (head[8] & 0xff)) % 64); // header padded to 64 bytes, as numpy expects
  }
}
