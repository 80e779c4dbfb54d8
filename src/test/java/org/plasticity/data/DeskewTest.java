package org.plasticity.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class DeskewTest {
  private static final int H = 28;
  private static final int W = 28;

  private static float[][] run(float[][] images) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> out = Deskew.apply(tf, tf.constant(images), H, W);
      try (TFloat32 t = (TFloat32) s.runner().fetch(out).run().get(0)) {
        float[][] v = new float[images.length][H * W];
        for (int i = 0; i < images.length; i++) {
          for (int j = 0; j < H * W; j++) {
            v[i][j] = t.getFloat(i, j);
          }
        }
        return v;
      }
    }
  }

  /** Mass, centre of mass (row, column), row variance and row-column covariance of one image. */
  private static double[] moments(float[] img) {
    double m = 0, r = 0, c = 0;
    for (int j = 0; j < img.length; j++) {
      m += img[j];
      r += img[j] * (j / W);
      c += img[j] * (j % W);
    }
    r /= m;
    c /= m;
    double vr = 0, cov = 0;
    for (int j = 0; j < img.length; j++) {
      double dr = j / W - r;
      double dc = j % W - c;
      vr += img[j] * dr * dr;
      cov += img[j] * dr * dc;
    }
    return new double[] {m, r, c, vr / m, cov / m};
  }

  /** A stroke of width 3 along column = c0 + slope (row - r0), rows 4 to 23. */
  private static float[] slantedStroke(double c0, double r0, double slope) {
    float[] img = new float[H * W];
    for (int r = 4; r < 24; r++) {
      double centre = c0 + slope * (r - r0);
      for (int c = 0; c < W; c++) {
        double d = Math.abs(c - centre);
        img[r * W + c] = (float) Math.max(0, 1.5 - d) / 1.5f;
      }
    }
    return img;
  }

  @Test
  void aSlantedOffCentreStrokeIsStoodUprightAndCentred() {
    float[] slanted = slantedStroke(9.0, 13.5, 0.4);
    double[] before = moments(slanted);
    assertTrue(before[4] / before[3] > 0.35, "the test image leans: shear " + before[4] / before[3]);
    assertTrue(Math.abs(before[2] - 13.5) > 4, "the test image is off centre: column " + before[2]);
    double[] after = moments(run(new float[][] {slanted})[0]);
    assertEquals(13.5, after[1], 0.3, "centre row");
    assertEquals(13.5, after[2], 0.3, "centre column");
    assertEquals(0, after[4] / after[3], 0.03, "shear after deskewing");
    assertEquals(before[0], after[0], 0.05 * before[0], "ink kept");
  }

  @Test
  void anUprightCentredImageIsLeftAsItIsAndABlankOneStaysBlank() {
    // mirror-symmetric about the centre row and column, so its shear and offset are exactly zero
    float[] upright = new float[H * W];
    for (int r = 6; r < 22; r++) {
      for (int c = 10; c < 18; c++) {
        double dr = Math.abs(r - 13.5);
        double dc = Math.abs(c - 13.5);
        upright[r * W + c] = (float) ((dr + 2 * dc) % 3) / 2f;
      }
    }
    float[][] out = run(new float[][] {upright, new float[H * W]});
    assertArrayEquals(upright, out[0], 1e-4f);
    assertArrayEquals(new float[H * W], out[1], 0f);
  }
}
