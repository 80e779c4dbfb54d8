package org.plasticity.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Small generated MNIST-format data for tests: each class c lights a 4x4 block at a
 * class-specific place of a 28x28 image, plus noise, so a model can learn it quickly.
 */
public final class TestData {
  private TestData() {}

  /**
   * Writes a linear teacher for 28x28 images, a SavedModel serving images -> logits = images W
   * with W [784, 10] drawn from N(0, 0.1^2) with {@code seed}, into dir (replacing it); returns W.
   */
  public static float[][] writeLinearTeacher(Path dir, long seed) throws IOException {
    float[][] wt = new float[784][10];
    SplittableRandom rnd = new SplittableRandom(seed);
    for (float[] row : wt) {
      for (int k = 0; k < 10; k++) {
        row[k] = (float) rnd.nextGaussian() * 0.1f;
      }
    }
    org.plasticity.core.AtomicFiles.deleteRecursively(dir);
    try (org.tensorflow.Graph g = new org.tensorflow.Graph()) {
      org.tensorflow.op.Ops tf = org.tensorflow.op.Ops.create(g);
      var x = tf.withName("images").placeholder(org.tensorflow.types.TFloat32.class,
          org.tensorflow.op.core.Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, 784)));
      var w = tf.withName("w").variable(tf.constant(wt));
      var logits = tf.withName("logits").linalg.matMul(x, w);
      try (org.tensorflow.Session s = new org.tensorflow.Session(g)) {
        s.initialize();
        org.tensorflow.SavedModelBundle.exporter(dir.toString()).withSession(s).withSignatures(
            org.tensorflow.Signature.builder().key("serving_default").input("images", x).output("logits", logits).build())
            .export();
      }
    }
    return wt;
  }

  /** Writes train (n) and t10k (nTest) IDX files into dir; returns dir. */
  public static Path writeMnistLike(Path dir, int n, int nTest, long seed) throws IOException {
    Files.createDirectories(dir);
    SplittableRandom rnd = new SplittableRandom(seed);
    write(dir, "train", n, rnd);
    write(dir, "t10k", nTest, rnd);
    return dir;
  }

  private static void write(Path dir, String prefix, int n, SplittableRandom rnd) throws IOException {
    ByteBuffer img = ByteBuffer.allocate(16 + n * 784);
    img.putInt(0x803).putInt(n).putInt(28).putInt(28);
    ByteBuffer lab = ByteBuffer.allocate(8 + n);
    lab.putInt(0x801).putInt(n);
    for (int i = 0; i < n; i++) {
      int c = rnd.nextInt(10);
      byte[] px = new byte[784];
      for (int p = 0; p < 784; p++) {
        px[p] = (byte) rnd.nextInt(40);
      }
      int r0 = 2 + (c / 5) * 12;
      int c0 = 2 + (c % 5) * 5;
      for (int dy = 0; dy < 4; dy++) {
        for (int dx = 0; dx < 4; dx++) {
          px[(r0 + dy) * 28 + c0 + dx] = (byte) (200 + rnd.nextInt(56));
        }
      }
      img.put(px);
      lab.put((byte) c);
    }
    Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), img.array());
    Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), lab.array());
  }
}
