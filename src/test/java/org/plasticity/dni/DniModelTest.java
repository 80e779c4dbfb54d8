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
