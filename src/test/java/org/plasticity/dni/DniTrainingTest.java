package org.plasticity.dni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.plasticity.core.Evaluator;

class DniTrainingTest {
  /** 8-bit addition, 3 layers, cDNI with linear generators: >= 80% of 2000 held-out sums exactly right after 3000 steps of 32. */
  @Test
  void cdniLearnsBinaryAddition() {
    String cfg = "seed: 1 data { source: BINARY_ADDITION bits: 8 generated_test_size: 2000 } "
        + "train { steps: 3000 batch_size: 32 intra_op_threads: 1 inter_op_threads: 1 tensorboard: false } "
        + "dni { mode: CDNI depth: 3 hidden_units: 128 batch_norm: false loss: SIGMOID_CROSS_ENTROPY generator: LINEAR }";
    try (DniTestSupport t = new DniTestSupport(cfg)) {
      for (long s = 0; s < 3000; s++) {
        t.step(s, false);
      }
      Map<String, Double> m = Evaluator.evaluate(t.session, t.graph, t.data, 2000);
      assertTrue(m.get("test/accuracy") >= 0.80, "sum accuracy " + m);
      assertTrue(m.get("test/bit_accuracy") >= 0.97, "bit accuracy " + m);
    }
  }

  /** The async pipeline processes every submitted batch exactly once in every layer and generator. */
  @Test
  void asyncProcessesEverySampleExactlyOnce() {
    try (DniTestSupport t = new DniTestSupport(DniTestSupport.addition(
        "mode: CDNI schedule: ASYNC depth: 4 hidden_units: 8 batch_norm: true generator: LINEAR queue_capacity: 2",
        "batch_size: 8"))) {
      AsyncRunner runner = (AsyncRunner) t.graph.stepRunner();
      int steps = 30;
      for (long s = 0; s < steps; s++) {
        Map<String, Float> m = t.step(s, s == 9 || s == steps - 1);
        if (s == 9) {
          assertTrue(m.containsKey("loss"), "metrics at a drained step");
          for (int i = 0; i < 4; i++) {
            assertEquals(10, runner.layerLog(i).size(), "drained: layer " + i + " has processed all 10 batches");
          }
        }
      }
      List<Long> expected = LongStream.range(0, steps).boxed().toList();
      DniModel.Parts p = t.parts();
      for (int i = 0; i < 4; i++) {
        assertEquals(expected, runner.layerLog(i), "layer " + i + " saw each batch once, in order");
        assertEquals(8f * steps, t.value(p.samplesSeen().get(i))[0], "layer " + i + " sample count");
        if (i < 3) {
          List<Long> g = new ArrayList<>(runner.generatorLog(i));
          g.sort(null);
          assertEquals(expected, g, "generator " + i + " got one target per batch");
        }
      }
      assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(th -> th.getName().startsWith("dni-layer")),
          "layer threads stopped after the last step");
    }
  }
}
