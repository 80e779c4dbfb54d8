package org.plasticity.dni;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

class DniModelTest {
  @Test
  void zeroInitialisedGeneratorGivesZeroFirstUpdate() {
    try (DniTestSupport t = new DniTestSupport(DniTestSupport.addition(
        "mode: DNI depth: 3 hidden_units: 8 batch_norm: false generator: LINEAR", ""))) {
      DniModel.Parts p = t.parts();
      List<float[]> before = values(t, p.layerParams().get(0));
      List<float[]> before1 = values(t, p.layerParams().get(1));
      List<float[]> out0 = values(t, p.layerParams().get(2));
      List<float[]> gen0 = values(t, p.active().generatorVars().get(1));
      t.step(0, false);
      assertParamsEqual(before, values(t, p.layerParams().get(0)));
      assertParamsEqual(before1, values(t, p.layerParams().get(1)));
      assertEquals(0f, t.value(p.updateNorms().get(0))[0]);
      assertEquals(0f, t.value(p.updateNorms().get(1))[0]);
      // The output layer learns from the true loss and the generators from their targets.
      assertTrue(t.value(p.updateNorms().get(2))[0] > 0);
      assertNotEquals(0f, maxAbsDiff(out0, values(t, p.layerParams().get(2))));
      assertNotEquals(0f, maxAbsDiff(gen0, values(t, p.active().generatorVars().get(1))));
      // Second step: the generators now predict something, so hidden layers move.
      t.step(1, false);
      assertTrue(t.value(p.updateNorms().get(1))[0] > 0);
    }
  }

  /** serving_default maps the input to the inference-mode logits (moving BN averages) and probabilities. */
  @Test
  void exportsServingSignature(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    try (DniTestSupport t = new DniTestSupport(DniTestSupport.addition(
        "mode: CDNI depth: 3 hidden_units: 8 batch_norm: true generator: MLP generator_hidden_units: 8", ""))) {
      for (long s = 0; s < 5; s++) {
        t.step(s, false);
      }
      org.plasticity.data.Batch b = t.batch(99);
      float[] expected = t.fetch(b, List.of(t.parts().inferenceLogits())).get(0);
      java.nio.file.Path out = dir.resolve("saved_model");
      org.plasticity.core.Exporter.export(t.session, t.graph, out);
      try (org.tensorflow.SavedModelBundle m = org.tensorflow.SavedModelBundle.load(out.toString(), "serve");
          org.tensorflow.types.TFloat32 x = org.plasticity.core.Tensors.matrix(b.field("x"), b.size(), 8)) {
        try (org.tensorflow.Result r = m.function("serving_default").call(java.util.Map.of("x", x))) {
          float[] logits = org.plasticity.core.Tensors.toArray((TFloat32) r.get("logits").orElseThrow());
          float[] probs = org.plasticity.core.Tensors.toArray((TFloat32) r.get("probabilities").orElseThrow());
          assertArrayEquals(expected, logits, 1e-6f);
          assertEquals((float) (1 / (1 + Math.exp(-expected[0]))), probs[0], 1e-6f);
        }
      }
    }
  }

  static List<float[]> values(DniTestSupport t, List<Variable<TFloat32>> vars) {
    List<float[]> out = new ArrayList<>();
    for (Operand<TFloat32> v : vars) {
      out.add(t.value(v));
    }
    return out;
  }

  static void assertParamsEqual(List<float[]> a, List<float[]> b) {
    assertEquals(a.size(), b.size());
    for (int k = 0; k < a.size(); k++) {
      assertArrayEquals(a.get(k), b.get(k));
    }
  }

  static float maxAbsDiff(List<float[]> a, List<float[]> b) {
    float m = 0;
    for (int k = 0; k < a.size(); k++) {
      for (int j = 0; j < a.get(k).length; j++) {
        m = Math.max(m, Math.abs(a.get(k)[j] - b.get(k)[j]));
      }
    }
    return m;
  }
}
