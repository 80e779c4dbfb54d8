package org.plasticity.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.plasticity.config.DataConfig;
import org.plasticity.core.RunDirectory;
import org.plasticity.core.Tensors;
import org.plasticity.core.UserError;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;

/**
 * Knowledge distillation at the data level: the training labels of an image set become a mixture
 * of the one-hot label and a trained teacher's softened prediction (DataConfig.teacher*). Any
 * learning system whose objective is a softmax cross-entropy against its label field then learns
 * from the teacher without knowing of it.
 */
final class Distillation {
  /** Teacher calls per chunk of training images. */
  private static final int CHUNK = 1000;

  private Distillation() {}

  /** Whether the config asks for a teacher (and its fields are valid). */
  static boolean enabled(DataConfig cfg) {
    float w = cfg.getTeacherWeight();
    if (!(w >= 0 && w <= 1)) {
      throw new UserError("data.teacher_weight: expected a weight in [0, 1], got " + w);
    }
    if (w == 0) {
      return false;
    }
    if (cfg.getTeacher().isEmpty()) {
      throw new UserError("data.teacher: expected a run name or SavedModel directory when teacher_weight is " + w);
    }
    float t = cfg.getTeacherTemperature();
    if (!(t > 0) || Float.isInfinite(t)) {
      throw new UserError("data.teacher_temperature: expected a positive number, got " + t);
    }
    return true;
  }

  /** The teacher's SavedModel: a directory holding saved_model.pb, else a run's export. */
  static Path savedModel(String teacher) {
    Path p = Path.of(teacher);
    if (Files.isRegularFile(p.resolve("saved_model.pb"))) {
      return p;
    }
    Path export;
    try {
      export = RunDirectory.open(teacher).savedModel();
    } catch (UserError e) {
      throw new UserError("data.teacher: " + e.getMessage(), e);
    }
    if (!Files.isRegularFile(export.resolve("saved_model.pb"))) {
      throw new UserError("data.teacher: " + export + " has no SavedModel (expected saved_model.pb); run plasticity export "
          + teacher + " first");
    }
    return export;
  }

  /**
   * The SHA-256 (hex) of the teacher's SavedModel: every file under its directory, by relative path
   * and content, in path order; null when the config has no teacher. A run records it so that a
   * resume can tell when the teacher, and with it the training labels, changed.
   */
  static String fingerprint(DataConfig cfg) {
    if (!enabled(cfg)) {
      return null;
    }
    Path dir = savedModel(cfg.getTeacher());
    try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
        byte[] name = dir.relativize(f).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        sha.update(java.nio.ByteBuffer.allocate(4).putInt(name.length).array());
        sha.update(name);
        sha.update(java.nio.ByteBuffer.allocate(8).putLong(Files.size(f)).array());
        try (java.io.InputStream in = Files.newInputStream(f)) {
          byte[] buf = new byte[1 << 16];
          for (int r = in.read(buf); r > 0; r = in.read(buf)) {
            sha.update(buf, 0, r);
          }
        }
      }
      return java.util.HexFormat.of().formatHex(sha.digest());
    } catch (java.io.IOException e) {
      throw new UserError("data.teacher: " + dir + ": cannot read the SavedModel (" + e.getMessage() + ")", e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Replaces {@code labels} (one-hot, [n, classes]) in place by (1 - w) labels + w softmax(teacher
   * logits / T) for the images [n, pixels].
   */
  static void soften(DataConfig cfg, float[] images, int pixels, float[] labels, int classes) {
    Path dir = savedModel(cfg.getTeacher());
    int n = labels.length / classes;
    double w = cfg.getTeacherWeight();
    double temperature = cfg.getTeacherTemperature();
    try (SavedModelBundle bundle = load(dir)) {
      SessionFunction f = bundle.function("serving_default");
      if (!f.signature().inputNames().contains(ImageSets.IMAGES) || !f.signature().outputNames().contains("logits")) {
        throw new UserError("data.teacher: " + dir + " serves " + f.signature().inputNames() + " -> "
            + f.signature().outputNames() + "; expected images -> logits");
      }
      for (int from = 0; from < n; from += CHUNK) {
        int count = Math.min(CHUNK, n - from);
        float[] x = new float[count * pixels];
        System.arraycopy(images, from * pixels, x, 0, x.length);
        try (TFloat32 in = Tensors.matrix(x, count, pixels);
            Result r = f.call(Map.<String, Tensor>of(ImageSets.IMAGES, in))) {
          float[] logits = Tensors.toArray((TFloat32) r.get("logits").orElseThrow());
          if (logits.length != count * classes) {
            throw new UserError("data.teacher: " + dir + " gives " + logits.length / count + " logits per image, expected "
                + classes);
          }
          for (int i = 0; i < count; i++) {
            mix(labels, (from + i) * classes, logits, i * classes, classes, w, temperature);
          }
        }
      }
    }
  }

  private static SavedModelBundle load(Path dir) {
    try {
      return SavedModelBundle.load(dir.toString(), SavedModelBundle.DEFAULT_TAG);
    } catch (org.tensorflow.exceptions.TensorFlowException e) {
      throw new UserError("data.teacher: " + dir + ": cannot load the SavedModel (" + e.getMessage().lines().findFirst()
          .orElse("") + ")", e);
    }
  }

  /** labels[at..] = (1 - w) labels[at..] + w softmax(logits[from..] / T), in double precision. */
  static void mix(float[] labels, int at, float[] logits, int from, int classes, double w, double temperature) {
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < classes; k++) {
      max = Math.max(max, logits[from + k] / temperature);
    }
    double[] p = new double[classes];
    double sum = 0;
    for (int k = 0; k < classes; k++) {
      p[k] = Math.exp(logits[from + k] / temperature - max);
      sum += p[k];
    }
    for (int k = 0; k < classes; k++) {
      labels[at + k] = (float) ((1 - w) * labels[at + k] + w * p[k] / sum);
    }
  }
}
