package org.plasticity.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plasticity.core.UserError;

class ConfigsTest {
  @TempDir
  Path tmp;

  @Test
  void shippedModelConfigsParse() throws Exception {
    try (var files = Files.list(Path.of("models"))) {
      for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".pbtxt"))::iterator) {
        Experiment e = Configs.load(p);
        assertTrue(e.getSystemCase() != Experiment.SystemCase.SYSTEM_NOT_SET, p.toString());
      }
    }
    Experiment mnist = Configs.load(Path.of("models/dnm_mnist.pbtxt"));
    assertEquals(0.002f, mnist.getTrain().getOptimizer().getLearningRate());
    assertEquals(206, mnist.getManifold().getNComp());
  }

  @Test
  void unknownFieldIsOneLineNamingFileAndLine() throws Exception {
    Path f = tmp.resolve("bad.pbtxt");
    Files.writeString(f, "name: 'x'\nmanifold {\n  n_komp: 3\n}\n");
    UserError e = assertThrows(UserError.class, () -> Configs.load(f));
    assertTrue(e.getMessage().startsWith(f + ": 3:"), e.getMessage());
    assertTrue(e.getMessage().contains("n_komp"), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"));
  }

  @Test
  void badValuesNameTheField() {
    UserError e = assertThrows(UserError.class,
        () -> Configs.parse("train { batch_size: 0 } manifold {}", "cfg"));
    assertEquals("cfg: train.batch_size: expected a positive value, got 0.0", e.getMessage());
    UserError d = assertThrows(UserError.class,
        () -> Configs.parse("train { device: 'tpu' } manifold {}", "cfg"));
    assertEquals("cfg: train.device: expected auto, cpu or gpu, got 'tpu'", d.getMessage());
    UserError threads = assertThrows(UserError.class,
        () -> Configs.parse("train { inter_op_threads: 0 } manifold {}", "cfg"));
    assertEquals("cfg: train.inter_op_threads: expected a positive thread count, or -1 to run every op in the calling"
        + " thread, got 0", threads.getMessage());
    assertEquals(-1, Configs.parse("train { inter_op_threads: -1 } manifold {}", "cfg").getTrain().getInterOpThreads());
    UserError none = assertThrows(UserError.class, () -> Configs.parse("seed: 3", "cfg"));
    assertTrue(none.getMessage().contains("no learning system set"));
  }

  @Test
  void resolveWritesEveryDefaultOut() {
    Experiment e = Configs.resolve(Configs.parse("manifold { n_comp: 5 }", "cfg"));
    assertTrue(e.getTrain().hasSteps());
    assertTrue(e.getTrain().getOptimizer().hasLearningRate());
    assertTrue(e.getManifold().hasSigmaInitMean());
    assertEquals(5, e.getManifold().getNComp());
    String text = Configs.toText(e);
    assertTrue(text.contains("leaky_slope: 0.2"), text);
    assertEquals(e, Configs.parse(text, "resolved"));
  }
}
