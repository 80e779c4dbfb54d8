package org.plasticity.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.plasticity.data.Batch;
import org.plasticity.data.Dataset;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;

/**
 * Evaluates an exported SavedModel through its {@code serving_default} signature only, the way
 * a user of the export would: accuracy for classifiers (a "logits" output), mean squared error
 * for regressors (an "outputs" output), over the full test set.
 */
public final class SavedModelEvaluator {
  private SavedModelEvaluator() {}

  public static Map<String, Double> evaluate(Path dir, Dataset data, int batchSize) {
    if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
      throw new UserError(dir + ": no SavedModel here (expected saved_model.pb); run plasticity export first");
    }
    try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), SavedModelBundle.DEFAULT_TAG)) {
      SessionFunction f = bundle.function("serving_default");
      List<String> fields = List.copyOf(data.widths().keySet());
      String inputName = f.signature().inputNames().iterator().next();
      String target = fields.get(fields.size() - 1);
      boolean classifier = f.signature().outputNames().contains("logits");
      String output = classifier ? "logits" : "outputs";
      int width = data.widths().get(target);
      double sum = 0;
      int n = data.testSize();
      for (int from = 0; from < n; from += batchSize) {
        int to = Math.min(n, from + batchSize);
        Batch b = data.testBatch(from, to);
        float[] y = b.field(target);
        try (TFloat32 x = Tensors.matrix(b.field(inputName), b.size(), data.widths().get(inputName));
            Result r = f.call(Map.<String, Tensor>of(inputName, x))) {
          float[] out = Tensors.toArray((TFloat32) r.get(output).orElseThrow());
          for (int i = 0; i < b.size(); i++) {
            if (classifier) {
              sum += argMax(out, i * width, width) == argMax(y, i * width, width) ? 1 : 0;
            } else {
              for (int k = 0; k < width; k++) {
                double e = out[i * width + k] - y[i * width + k];
                sum += e * e / width;
              }
            }
          }
        }
      }
      Map<String, Double> m = new LinkedHashMap<>();
      m.put(classifier ? "test/accuracy" : "test/mse", sum / n);
      m.put("test/examples", (double) n);
      return m;
    }
  }

  private static int argMax(float[] v, int off, int len) {
    int best = 0;
    for (int k = 1; k < len; k++) {
      if (v[off + k] > v[off + best]) {
        best = k;
      }
    }
    return best;
  }
}
