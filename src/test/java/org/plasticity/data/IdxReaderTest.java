package org.plasticity.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.plasticity.core.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  @TempDir
  Path dir;

  /** An IDX file of unsigned bytes with the given dimensions and payload. */
  static Path idx(Path file, int magicDims, int[] dims, byte[] payload) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload.length);
    b.putInt((0x08 << 8) | magicDims);
    for (int d : dims) {
      b.putInt(d);
    }
    b.put(payload);
    Files.write(file, b.array());
    return file;
  }

  @Test
  void readsImagesScaledToUnitRange() throws IOException {
    byte[] px = new byte[2 * 2 * 3];
    px[0] = (byte) 255;
    px[5] = (byte) 51;
    Path f = idx(dir.resolve("img"), 3, new int[] {2, 2, 3}, px);
    float[][] images = IdxReader.readImages(f, 2, 3);
    assertEquals(2, images.length);
    assertEquals(1.0f, images[0][0]);
    assertEquals(0.2f, images[0][5], 1e-7);
    assertEquals(0f, images[1][0]);
  }

  @Test
  void readsLabels() throws IOException {
    Path f = idx(dir.resolve("lab"), 1, new int[] {3}, new byte[] {7, 0, 9});
    assertArrayEquals(new int[] {7, 0, 9}, IdxReader.readLabels(f, 10));
  }

  @Test
  void truncatedFileNamesFileAndExpectedLength() throws IOException {
    Path f = idx(dir.resolve("short"), 3, new int[] {2, 2, 3}, new byte[5]);
    UserError e = assertThrows(UserError.class, () -> IdxReader.readImages(f, 2, 3));
    assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("expected 28 bytes"), e.getMessage());
  }

  @Test
  void wrongMagicIsRejected() throws IOException {
    Path f = idx(dir.resolve("labels-as-images"), 1, new int[] {3}, new byte[3]);
    UserError e = assertThrows(UserError.class, () -> IdxReader.readImages(f, 28, 28));
    assertTrue(e.getMessage().contains("wrong magic number 0x00000801, expected 0x00000803"), e.getMessage());
  }

  @Test
  void wrongImageDimensionsAreRejected() throws IOException {
    Path f = idx(dir.resolve("img"), 3, new int[] {1, 2, 3}, new byte[6]);
    UserError e = assertThrows(UserError.class, () -> IdxReader.readImages(f, 28, 28));
    assertTrue(e.getMessage().contains("expected images of 28x28, found 2x3"), e.getMessage());
  }

  @Test
  void labelOutOfRangeIsRejected() throws IOException {
    Path f = idx(dir.resolve("lab"), 1, new int[] {2}, new byte[] {3, 12});
    UserError e = assertThrows(UserError.class, () -> IdxReader.readLabels(f, 10));
    assertTrue(e.getMessage().contains("label 12 at index 1"), e.getMessage());
  }

  @Test
  void countMismatchNamesBothFiles() {
    UserError e = assertThrows(UserError.class,
        () -> IdxReader.checkSameCount(Path.of("a-images"), 10, Path.of("b-labels"), 9));
    assertEquals("b-labels: expected 10 labels to match a-images, found 9", e.getMessage());
  }
}
