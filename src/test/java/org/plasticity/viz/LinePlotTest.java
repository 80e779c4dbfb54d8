package org.plasticity.viz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinePlotTest {
  @TempDir
  Path tmp;

  /** A scatter series draws visible markers (a plot of points only is not an empty frame). */
  @Test
  void pointsAreVisible() throws IOException {
    Path png = tmp.resolve("points.png");
    new LinePlot("t", "x", "y").points("p", new double[] {1, 2, 3, 4}, new double[] {1, 3, 2, 4}).save(png);
    BufferedImage img = ImageIO.read(png.toFile());
    int coloured = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y);
        int r = (rgb >> 16) & 255, g = (rgb >> 8) & 255, b = rgb & 255;
        if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) {
          coloured++;
        }
      }
    }
    // four markers of 8 px (and the legend's sample) cover well over 100 coloured pixels
    assertTrue(coloured > 100, "coloured marker pixels: " + coloured);
  }
}
