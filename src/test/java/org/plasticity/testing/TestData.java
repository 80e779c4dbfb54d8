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
