package org.plasticity.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.plasticity.core.UserError;

/**
 * Reads IDX files (the MNIST format) strictly: the magic number, the number of dimensions, the
 * expected item shape and the file length are all checked, and every failure is one line that
 * names the file and what was expected.
 */
public final class IdxReader {
  /** Unsigned-byte data type code of the IDX format. */
  private static final int UBYTE = 0x08;

  private IdxReader() {}

  /** Images as floats scaled to [0,1], row-major [count][rows*cols]. */
  public static float[][] readImages(Path file, int rows, int cols) {
    Idx idx = read(file, 3);
    if (idx.dims[1] != rows || idx.dims[2] != cols) {
      throw new UserError(
          file + ": expected images of " + rows + "x" + cols + ", found " + idx.dims[1] + "x" + idx.dims[2]);
    }
    int n = idx.dims[0];
    int size = rows * cols;
    float[][] images = new float[n][size];
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < size; p++) {
        images[i][p] = (idx.data.get(i * size + p) & 0xff) / 255.0f;
      }
    }
    return images;
  }

  /** Labels as ints, checked to lie in [0, classes). */
  public static int[] readLabels(Path file, int classes) {
    Idx idx = read(file, 1);
    int n = idx.dims[0];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = idx.data.get(i) & 0xff;
      if (labels[i] >= classes) {
        throw new UserError(
            file + ": label " + labels[i] + " at index " + i + " is outside 0.." + (classes - 1));
      }
    }
    return labels;
  }

  /** Checks that an image file and a label file describe the same number of examples. */
  public static void checkSameCount(Path images, int imageCount, Path labels, int labelCount) {
    if (imageCount != labelCount) {
      throw new UserError(
          labels + ": expected " + imageCount + " labels to match " + images + ", found " + labelCount);
    }
  }

  private record Idx(int[] dims, ByteBuffer data) {}

  private static Idx read(Path file, int expectedDims) {
    byte[] bytes;
    try {
      bytes = readAll(file);
    } catch (IOException e) {
      throw new UserError(file + ": cannot read IDX file (" + e.getMessage() + ")", e);
    }
    if (bytes.length < 4) {
      throw new UserError(file + ": truncated IDX file, expected at least a 4-byte header, found " + bytes.length + " bytes");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes); // big-endian, as IDX is
    int magic = buf.getInt();
    int expectedMagic = (UBYTE << 8) | expectedDims;
    if (magic != expectedMagic) {
      throw new UserError(String.format(
          "%s: wrong magic number 0x%08X, expected 0x%08X (unsigned bytes, %d dimensions)",
          file, magic, expectedMagic, expectedDims));
    }
    if (bytes.length < 4 + 4 * expectedDims) {
      throw new UserError(file + ": truncated IDX header, expected " + (4 + 4 * expectedDims) + " bytes, found " + bytes.length);
    }
    int[] dims = new int[expectedDims];
    long items = 1;
    for (int d = 0; d < expectedDims; d++) {
      dims[d] = buf.getInt();
      if (dims[d] < 0) {
        throw new UserError(file + ": dimension " + d + " is negative (" + dims[d] + ")");
      }
      items *= dims[d];
    }
    long expectedLength = 4L + 4L * expectedDims + items;
    if (bytes.length != expectedLength) {
      throw new UserError(file + ": " + (bytes.length < expectedLength ? "truncated" : "oversized")
          + " IDX file, expected " + expectedLength + " bytes for dimensions "
          + java.util.Arrays.toString(dims) + ", found " + bytes.length);
    }
    return new Idx(dims, buf.slice());
  }

  private static byte[] readAll(Path file) throws IOException {
    if (file.toString().endsWith(".gz")) {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
        return in.readAllBytes();
      }
    }
    return Files.readAllBytes(file);
  }
}
