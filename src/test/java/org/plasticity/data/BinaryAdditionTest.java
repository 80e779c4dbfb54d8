package org.plasticity.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.plasticity.core.UserError;

class BinaryAdditionTest {
  @Test
  void encodesOperandsAndSumLeastSignificantFirst() {
    float[] x = new float[8];
    float[] y = new float[5];
    BinaryAddition.encode(11, 6, 4, x, y); // 1011 + 0110 = 10001
    assertEquals(11, BinaryAddition.decode(x, 0, 4));
    assertEquals(6, BinaryAddition.decode(x, 4, 4));
    assertEquals(17, BinaryAddition.decode(y, 0, 5));
    assertEquals(1f, y[0]);
    assertEquals(1f, y[4]);
  }

  @Test
  void everyExampleIsACorrectSum() {
    GeneratedDataset d = BinaryAddition.create(8, 5, 100);
    assertEquals(16, d.widths().get("x"));
    assertEquals(9, d.widths().get("y"));
    Batch b = d.trainBatch(3, 64);
    for (int e = 0; e < 64; e++) {
      long a = BinaryAddition.decode(b.field("x"), e * 16, 8);
      long c = BinaryAddition.decode(b.field("x"), e * 16 + 8, 8);
      assertEquals(a + c, BinaryAddition.decode(b.field("y"), e * 9, 9));
    }
    assertEquals(100, d.testSize());
  }

  @Test
  void rejectsBadWidth() {
    assertThrows(UserError.class, () -> BinaryAddition.create(0, 1, 10));
  }
}
