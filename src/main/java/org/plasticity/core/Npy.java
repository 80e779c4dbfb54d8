package org.plasticity.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** NumPy .npy files (version 1.0, little-endian float32), so snapshots load with numpy.load. */
public final class Npy {
  private Npy() {}

  public record Array(long[] shape, float[] data) {}

  public static void write(Path file, long[] shape, float[] data) throws IOException {
    StringBuilder dims = new StringBuilder();
    for (long d : shape) {
      dims.append(d).append(", ");
    }
    String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims.toString().trim() + "), }";
    int preamble = 10;
    int total = preamble + header.length() + 1;
    int pad = (64 - total % 64) % 64;
    String padded = header + " ".repeat(pad) + "\n";
    ByteBuffer b = ByteBuffer.allocate(preamble + padded.length() + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    b.putShort((short) padded.length());
    b.put(padded.getBytes(StandardCharsets.US_ASCII));
    for (float v : data) {
      b.putFloat(v);
    }
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.write(tmp, b.array());
    AtomicFiles.move(tmp, file);
  }

  public static Array read(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    b.position(8);
    int len = b.getShort() & 0xffff;
    byte[] h = new byte[len];
    b.get(h);
    String header = new String(h, StandardCharsets.US_ASCII);
    if (!header.contains("'<f4'")) {
      throw new UserError(file + ": expected a little-endian float32 .npy file");
    }
    String dims = header.substring(header.indexOf("'shape': (") + 10, header.indexOf(')'));
    String[] parts = dims.split(",");
    long[] shape = java.util.Arrays.stream(parts).map(String::trim).filter(x -> !x.isEmpty())
        .mapToLong(Long::parseLong).toArray();
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    float[] data = new float[(int) n];
    b.asFloatBuffer().get(data);
    return new Array(shape, data);
  }
}
