package org.plasticity.viz;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.plasticity.core.UserError;

/** Matrices as images (heat maps, image grids), PNG files and animated GIFs. */
public final class Images {
  private Images() {}

  /**
   * A diverging heat map of a [rows x cols] matrix (row-major): blue negative, white zero, red
   * positive, scaled by {@code scale} (values beyond it saturate); each cell {@code cell} pixels.
   */
  public static BufferedImage heatmap(float[] m, int rows, int cols, float scale, int cell) {
    BufferedImage img = new BufferedImage(cols * cell, rows * cell, BufferedImage.TYPE_INT_RGB);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        float v = m[r * cols + c] / scale;
        v = Math.max(-1f, Math.min(1f, v));
        int rgb = diverging(v);
        for (int dy = 0; dy < cell; dy++) {
          for (int dx = 0; dx < cell; dx++) {
            img.setRGB(c * cell + dx, r * cell + dy, rgb);
          }
        }
      }
    }
    return img;
  }

  private static int diverging(float v) {
    int hi = 255;
    int lo = Math.round(255 * (1 - Math.abs(v)));
    return v >= 0 ? new Color(hi, lo, lo).getRGB() : new Color(lo, lo, hi).getRGB();
  }

  /** A grey-scale image of values in [0,1] (row-major [h x w]), each pixel {@code zoom} pixels. */
  public static BufferedImage grey(float[] v, int h, int w, int zoom) {
    BufferedImage img = new BufferedImage(w * zoom, h * zoom, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int g = Math.round(255 * Math.max(0f, Math.min(1f, v[y * w + x])));
        int rgb = new Color(g, g, g).getRGB();
        for (int dy = 0; dy < zoom; dy++) {
          for (int dx = 0; dx < zoom; dx++) {
            img.setRGB(x * zoom + dx, y * zoom + dy, rgb);
          }
        }
      }
    }
    return img;
  }

  /** Tiles images (all the same size) into a grid of {@code columns} with a 2-pixel gap. */
  public static BufferedImage grid(List<BufferedImage> tiles, int columns) {
    int w = tiles.get(0).getWidth();
    int h = tiles.get(0).getHeight();
    int rows = (tiles.size() + columns - 1) / columns;
    int gap = 2;
    BufferedImage out = new BufferedImage(columns * (w + gap) + gap, rows * (h + gap) + gap, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setColor(Color.DARK_GRAY);
    g.fillRect(0, 0, out.getWidth(), out.getHeight());
    for (int i = 0; i < tiles.size(); i++) {
      g.drawImage(tiles.get(i), gap + (i % columns) * (w + gap), gap + (i / columns) * (h + gap), null);
    }
    g.dispose();
    return out;
  }

  /**
   * Places images of any sizes side by side ({@code horizontal}) or one above the other, top- or
   * left-aligned, with a {@code gap}-pixel white margin between and around them.
   */
  public static BufferedImage concat(List<BufferedImage> parts, boolean horizontal, int gap) {
    int w = 0;
    int h = 0;
    for (BufferedImage p : parts) {
      w = horizontal ? w + p.getWidth() + gap : Math.max(w, p.getWidth());
      h = horizontal ? Math.max(h, p.getHeight()) : h + p.getHeight() + gap;
    }
    w += horizontal ? gap : 2 * gap;
    h += horizontal ? 2 * gap : gap;
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    int at = gap;
    for (BufferedImage p : parts) {
      g.drawImage(p, horizontal ? at : gap, horizontal ? gap : at, null);
      at += (horizontal ? p.getWidth() : p.getHeight()) + gap;
    }
    g.dispose();
    return out;
  }

  /** Draws a caption in the top-left corner (for animation frames). */
  public static BufferedImage caption(BufferedImage img, String text) {
    BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight() + 16, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, out.getWidth(), out.getHeight());
    g.drawImage(img, 0, 16, null);
    g.setColor(Color.BLACK);
    g.drawString(text, 3, 12);
    g.dispose();
    return out;
  }

  public static void savePng(BufferedImage img, Path file) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      if (!ImageIO.write(img, "png", file.toFile())) {
        throw new UserError(file + ": no PNG writer available");
      }
    } catch (IOException e) {
      throw new UserError(file + ": cannot write image (" + e.getMessage() + ")", e);
    }
  }

  /** An animated GIF that loops forever, {@code delayMs} per frame. */
  public static void saveGif(List<BufferedImage> frames, int delayMs, Path file) {
    if (frames.isEmpty()) {
      throw new UserError(file + ": no frames to animate");
    }
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
      try (OutputStream os = Files.newOutputStream(file);
          ImageOutputStream out = ImageIO.createImageOutputStream(os)) {
        writer.setOutput(out);
        writer.prepareWriteSequence(null);
        for (BufferedImage frame : frames) {
          ImageTypeSpecifier type = ImageTypeSpecifier.createFromRenderedImage(frame);
          IIOMetadata meta = writer.getDefaultImageMetadata(type, null);
          String format = meta.getNativeMetadataFormatName();
          IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
          IIOMetadataNode gce = child(root, "GraphicControlExtension");
          gce.setAttribute("disposalMethod", "none");
          gce.setAttribute("userInputFlag", "FALSE");
          gce.setAttribute("transparentColorFlag", "FALSE");
          gce.setAttribute("delayTime", Integer.toString(Math.max(1, delayMs / 10)));
          gce.setAttribute("transparentColorIndex", "0");
          IIOMetadataNode apps = child(root, "ApplicationExtensions");
          IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
          app.setAttribute("applicationID", "NETSCAPE");
          app.setAttribute("authenticationCode", "2.0");
          app.setUserObject(new byte[] {1, 0, 0});
          apps.appendChild(app);
          meta.setFromTree(format, root);
          writer.writeToSequence(new IIOImage(frame, null, meta), null);
        }
        writer.endWriteSequence();
      } finally {
        writer.dispose();
      }
    } catch (IOException e) {
      throw new UserError(file + ": cannot write GIF (" + e.getMessage() + ")", e);
    }
  }

  private static IIOMetadataNode child(IIOMetadataNode root, String name) {
    for (int i = 0; i < root.getLength(); i++) {
      if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
        return (IIOMetadataNode) root.item(i);
      }
    }
    IIOMetadataNode node = new IIOMetadataNode(name);
    root.appendChild(node);
    return node;
  }
}
