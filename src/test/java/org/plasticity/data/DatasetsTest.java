package org.plasticity.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plasticity.config.Experiment;
import org.plasticity.testing.TestData;
import org.plasticity.testing.TestRuns;

class DatasetsTest {
  @TempDir
  Path tmp;

  @Test
  void epochsVisitEveryExampleOnceAndBatchesDependOnlyOnTheStep() throws Exception {
    Experiment e = TestRuns.smallMnistManifold(TestData.writeMnistLike(tmp.resolve("d"), 100, 30, 3), 4, 10);
    Dataset a = Datasets.open(e);
    Dataset b = Datasets.open(e);
    assertEquals(100, a.trainSize());
    assertEquals(30, a.testSize());
    // 20 per batch: steps 0..4 are epoch 0, every example exactly once
    Set<String> seen = new HashSet<>();
    for (int s = 0; s < 5; s++) {
      float[] x = a.trainBatch(s, 20).field("images");
      for (int i = 0; i < 20; i++) {
        seen.add(java.util.Arrays.toString(java.util.Arrays.copyOfRange(x, i * 784, (i + 1) * 784)));
      }
    }
    assertEquals(100, seen.size());
    // out of order, from another instance: identical batches
    assertArrayEquals(a.trainBatch(7, 20).field("labels"), b.trainBatch(7, 20).field("labels"));
    assertArrayEquals(a.trainBatch(3, 20).field("images"), b.trainBatch(3, 20).field("images"));
    float[] y = a.testBatch(0, 30).field("labels");
    for (int i = 0; i < 30; i++) {
      float sum = 0;
      for (int k = 0; k < 10; k++) {
        sum += y[i * 10 + k];
      }
      assertEquals(1f, sum);
    }
  }

  @Test
  void toyTargetsAreTheStatedSums() {
    Dataset d = ToySums.create(5, 100);
    Batch batch = d.trainBatch(0, 50);
    float[] x = batch.field("x");
    float[] y = batch.field("y");
    for (int i = 0; i < 50; i++) {
      float bb = x[i * 5 + 1], c = x[i * 5 + 2], dd = x[i * 5 + 3], e = x[i * 5 + 4];
      assertEquals(bb + e, y[i * 4], 1e-6);
      assertEquals(e - dd, y[i * 4 + 1], 1e-6);
      assertEquals(bb + e + dd, y[i * 4 + 2], 1e-6);
      assertEquals(e - dd - c, y[i * 4 + 3], 1e-6);
    }
    assertTrue(d.testSize() == 100);
  }
}
