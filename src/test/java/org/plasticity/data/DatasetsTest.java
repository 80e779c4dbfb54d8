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

  /**
   * data.teacher: each training label becomes 0.7 one-hot + 0.3 softmax(teacher logits / 2) for a
   * teacher SavedModel with logits = x W; validation and test labels stay one-hot.
   */
  @Test
  void teacherPredictionsAreMixedIntoTheTrainingLabelsOnly() throws Exception {
    Path data = TestData.writeMnistLike(tmp.resolve("d"), 40, 12, 5);
    Path teacher = tmp.resolve("teacher");
    float[][] wt = TestData.writeLinearTeacher(teacher, 9);
    Experiment plain = TestRuns.smallMnistManifold(data, 4, 10);
    Experiment taught = org.plasticity.config.Configs.merge(plain,
        "data { teacher: '" + teacher + "' teacher_weight: 0.3 teacher_temperature: 2 }");
    Dataset a = Datasets.open(plain);
    Dataset b = Datasets.open(taught);
    int n = (int) a.trainSize();
    Batch ba = a.trainBatch(0, n);
    Batch bb = b.trainBatch(0, n);
    float[] x = bb.field("images");
    assertArrayEquals(ba.field("images"), x);
    float[] y = bb.field("labels");
    float[] onehot = ba.field("labels");
    for (int i = 0; i < n; i++) {
      double[] z = new double[10];
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < 10; k++) {
        for (int j = 0; j < 784; j++) {
          z[k] += (double) x[i * 784 + j] * wt[j][k];
        }
        z[k] /= 2;
        max = Math.max(max, z[k]);
      }
      double sum = 0;
      for (int k = 0; k < 10; k++) {
        sum += Math.exp(z[k] - max);
      }
      double total = 0;
      for (int k = 0; k < 10; k++) {
        double expected = 0.7 * onehot[i * 10 + k] + 0.3 * Math.exp(z[k] - max) / sum;
        assertEquals(expected, y[i * 10 + k], 1e-5, "example " + i + ", class " + k);
        total += y[i * 10 + k];
      }
      assertEquals(1.0, total, 1e-5);
    }
    assertArrayEquals(a.testBatch(0, a.testSize()).field("labels"), b.testBatch(0, b.testSize()).field("labels"));
    for (String[] bad : new String[][] {{"teacher_weight: 1.5", "data.teacher_weight"},
        {"teacher: '" + teacher + "' teacher_weight: 0.5 teacher_temperature: 0", "data.teacher_temperature"},
        {"teacher_weight: 0.5", "data.teacher: expected"},
        {"teacher: '" + tmp.resolve("nowhere") + "' teacher_weight: 0.5", "data.teacher: "}}) {
      Experiment e = org.plasticity.config.Configs.merge(plain, "data { " + bad[0] + " }");
      org.plasticity.core.UserError err = org.junit.jupiter.api.Assertions.assertThrows(
          org.plasticity.core.UserError.class, () -> Datasets.open(e).trainBatch(0, 1));
      assertTrue(err.getMessage().contains(bad[1]), err.getMessage());
    }
    // a corrupt teacher: one line naming the field and the directory
    Path corrupt = tmp.resolve("corrupt");
    java.nio.file.Files.createDirectories(corrupt);
    java.nio.file.Files.write(corrupt.resolve("saved_model.pb"), new byte[] {1, 2, 3});
    Experiment broken = org.plasticity.config.Configs.merge(plain, "data { teacher: '" + corrupt + "' teacher_weight: 0.5 }");
    // the teacher runs only when training asks for a batch: tools reading the test split do not need it
    Dataset lazy = Datasets.open(broken);
    assertArrayEquals(a.testBatch(0, a.testSize()).field("labels"), lazy.testBatch(0, lazy.testSize()).field("labels"));
    org.plasticity.core.UserError loadErr = org.junit.jupiter.api.Assertions.assertThrows(
        org.plasticity.core.UserError.class, () -> lazy.trainBatch(0, 1));
    assertTrue(loadErr.getMessage().startsWith("data.teacher: " + corrupt + ": cannot load"), loadErr.getMessage());
    Experiment toy = org.plasticity.config.Configs.merge(TestRuns.toy(10), "data { teacher_weight: 0.5 }");
    org.plasticity.core.UserError err = org.junit.jupiter.api.Assertions.assertThrows(
        org.plasticity.core.UserError.class, () -> Datasets.open(toy));
    assertTrue(err.getMessage().startsWith("data.teacher: distillation is for the image sets"), err.getMessage());
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
