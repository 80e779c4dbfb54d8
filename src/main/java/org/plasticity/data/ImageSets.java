package org.plasticity.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.plasticity.config.DataConfig;
import org.plasticity.core.UserError;

/**
 * MNIST-format image sets (MNIST, Fashion-MNIST): fields {@code images} (784 floats in [0,1])
 * and {@code labels} (one-hot, 10; training labels mixed with a teacher's predictions when the
 * config names one, see {@link Distillation}). Missing files are fetched with {@code scripts/fetch-data}.
 */
public final class ImageSets {
  public static final String IMAGES = "images";
  public static final String LABELS = "labels";
  public static final int SIDE = 28;
  public static final int PIXELS = SIDE * SIDE;
  public static final int CLASSES = 10;

  private static final List<String> FILES = List.of(
      "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

  private ImageSets() {}

  /** Directory the config points at, or data/mnist, data/fashion-mnist. */
  public static Path directory(DataConfig cfg) {
    if (!cfg.getDir().isEmpty()) {
      return Path.of(cfg.getDir());
    }
    return Path.of("data", fetchName(cfg.getSource()));
  }

  private static String fetchName(DataConfig.Source source) {
    return switch (source) {
      case MNIST -> "mnist";
      case FASHION_MNIST -> "fashion-mnist";
      default -> throw new IllegalArgumentException("not an image set: " + source);
    };
  }

  /** Loads the set, fetching it first when files are missing and the directory is the default one. */
  public static ArrayDataset load(DataConfig cfg, long seed) {
    Path dir = directory(cfg);
    if (!FILES.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)))) {
      fetch(cfg.getSource(), dir);
    }
    float[][] trainImages = IdxReader.readImages(dir.resolve(FILES.get(0)), SIDE, SIDE);
    int[] trainLabels = IdxReader.readLabels(dir.resolve(FILES.get(1)), CLASSES);
    IdxReader.checkSameCount(dir.resolve(FILES.get(0)), trainImages.length, dir.resolve(FILES.get(1)), trainLabels.length);
    float[][] testImages = IdxReader.readImages(dir.resolve(FILES.get(2)), SIDE, SIDE);
    int[] testLabels = IdxReader.readLabels(dir.resolve(FILES.get(3)), CLASSES);
    IdxReader.checkSameCount(dir.resolve(FILES.get(2)), testImages.length, dir.resolve(FILES.get(3)), testLabels.length);

    int holdout = cfg.getValidationHoldout();
    if (holdout < 0 || holdout >= trainImages.length) {
      throw new UserError("data.validation_holdout: expected 0.." + (trainImages.length - 1) + ", got " + holdout);
    }
    int trainCount = trainImages.length - holdout;
    if (cfg.getTrainLimit() > 0) {
      trainCount = Math.min(trainCount, cfg.getTrainLimit());
    }
    int testCount = testImages.length;
    if (cfg.getTestLimit() > 0) {
      testCount = Math.min(testCount, cfg.getTestLimit());
    }
    Map<String, Integer> widths = new LinkedHashMap<>();
    widths.put(IMAGES, PIXELS);
    widths.put(LABELS, CLASSES);
    Map<String, float[]> train = fields(trainImages, trainLabels, holdout, trainCount);
    // the teacher runs when training first asks for a batch, not for tools that read only the
    // widths or the test split
    java.util.function.Consumer<Map<String, float[]>> teach = !Distillation.enabled(cfg) ? null
        : fields -> Distillation.soften(cfg, fields.get(IMAGES), PIXELS, fields.get(LABELS), CLASSES);
    return new ArrayDataset(widths, train, fields(testImages, testLabels, 0, testCount), seed, teach);
  }

  private static Map<String, float[]> fields(float[][] images, int[] labels, int from, int count) {
    float[] x = new float[count * PIXELS];
    float[] y = new float[count * CLASSES];
    for (int i = 0; i < count; i++) {
      System.arraycopy(images[from + i], 0, x, i * PIXELS, PIXELS);
      y[i * CLASSES + labels[from + i]] = 1f;
    }
    Map<String, float[]> m = new LinkedHashMap<>();
    m.put(IMAGES, x);
    m.put(LABELS, y);
    return m;
  }

  private static void fetch(DataConfig.Source source, Path dir) {
    Path script = Path.of(System.getProperty("plasticity.home", "."), "scripts", "fetch-data");
    if (!Files.isExecutable(script)) {
      throw new UserError(dir + ": dataset files missing and " + script + " not found; run scripts/fetch-data "
          + fetchName(source) + " from the project root");
    }
    try {
      Process p = new ProcessBuilder(script.toString(), fetchName(source), dir.toString()).inheritIO().start();
      int rc = p.waitFor();
      if (rc != 0) {
        throw new UserError(dir + ": scripts/fetch-data " + fetchName(source) + " failed with exit code " + rc);
      }
    } catch (IOException e) {
      throw new UserError(dir + ": cannot run scripts/fetch-data (" + e.getMessage() + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while fetching " + dir);
    }
  }
}
